/*
 * fserver.c - a fork-per-connection echo server, reaped by SIGCHLD (lab 01).
 *
 * DESIGN: fserver_start makes the listening socket in the caller (so the
 * port is known at once), then forks the server process, which runs
 * serve() until SIGTERM and _exits.  The caller keeps the read end of a
 * "lifeline" pipe whose only write end lives in the server and its
 * connection children: it reads end of file when all of them are gone,
 * which is how fserver_stop waits with a timeout.
 *
 * In the server, the SIGTERM handler only writes a byte into a self-pipe
 * that the accept loop polls beside the listener: a SIGTERM can never
 * slip in unseen between a check of a flag and the wait.  SIGCHLD is
 * handled at any time, without SA_RESTART, so blocking calls fail with
 * EINTR and are retried.  The server uses only async-signal-safe calls
 * and never allocates: it is a fork of a caller that may have threads.
 *
 * STUB: write the bodies marked TODO(01-D) (grep -n TODO); the
 * helpers without a TODO are given.  Unused-function warnings are
 * silenced until your code calls them.
 */
#define _GNU_SOURCE     /* accept4, pipe2 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fserver.h"

struct fserver {
    pid_t pid;      /* the server process; 0 once reaped */
    int port;       /* host order */
    int lifeline;   /* read end: end of file once the server's side is gone */
};

/* Server process only: on_sigterm writes to [1], the accept loop polls [0]. */
static int term_pipe[2] = { -1, -1 };

/*
 * listen_local - a CLOEXEC, non-blocking TCP socket listening on
 * 127.0.0.1 at a port the kernel picks.
 * Returns: the fd with *port set, or -errno.
 */
static int __attribute__((unused))
listen_local(int backlog, int *port)
{
    struct sockaddr_in addr = {
        .sin_family = AF_INET,
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    socklen_t len = sizeof(addr);
    int fd;
    int err;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, backlog) < 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        err = -errno;
        close(fd);
        return err;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/*
 * send_all - send every byte, retrying on EINTR; MSG_NOSIGNAL turns a
 * vanished client into EPIPE instead of a fatal SIGPIPE.
 * Returns: 0 or -errno.
 */
static int __attribute__((unused))
send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * on_sigchld - reap every connection child that has ended.  One SIGCHLD
 * may stand for many children (pending signals coalesce), so loop until
 * waitpid finds no more.  Keeps errno as it was: the code it interrupted
 * may be about to read it.
 */
static void __attribute__((unused))
on_sigchld(int sig)
{
    /* TODO(01-D): reap every ended child; one signal may stand for many;
       keep errno.
       Python: signal.signal(SIGCHLD, ...) + os.waitpid(-1, WNOHANG).
       Read docs/01-fork.md#sigchld-loop. */
    (void)sig;
}

/* on_sigterm - ask the accept loop to stop: one byte into the self-pipe.
 * Keeps errno as it was. */
static void __attribute__((unused))
on_sigterm(int sig)
{
    int saved = errno;
    ssize_t n;

    (void)sig;
    n = write(term_pipe[1], "t", 1);   /* DOC: 01-fork#stopping */
    (void)n;            /* a full pipe: a stop is pending anyway */
    errno = saved;
}

/*
 * install_handlers - in the server: make the self-pipe, then SIGCHLD
 * reaps (no SA_RESTART) and SIGTERM stops; unblock both (SIGTERM was
 * blocked across the fork so that it waits for its handler).
 * Returns: 0 or -errno.
 */
static int __attribute__((unused))
install_handlers(void)
{
    struct sigaction chld = { .sa_handler = on_sigchld,
                              .sa_flags = SA_NOCLDSTOP };
    struct sigaction term = { .sa_handler = on_sigterm };
    sigset_t set;

    if (pipe2(term_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return -errno;
    sigemptyset(&chld.sa_mask);
    sigemptyset(&term.sa_mask);
    if (sigaction(SIGCHLD, &chld, NULL) < 0 ||
        sigaction(SIGTERM, &term, NULL) < 0)
        return -errno;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
        return -errno;
    return 0;
}

/*
 * become_connection_child - in a new connection child: drop the server's
 * listener and self-pipe, take the default SIGTERM and SIGCHLD, and die
 * with the server if it is killed.  Ends the child if the server is
 * already gone.
 */
static void __attribute__((unused))
become_connection_child(pid_t server, int listener)
{
    struct sigaction dfl = { .sa_handler = SIG_DFL };

    close(listener);
    close(term_pipe[0]);
    close(term_pipe[1]);
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTERM, &dfl, NULL);
    sigaction(SIGCHLD, &dfl, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != server)
        _exit(1);
}

/*
 * echo_until_eof - in a connection child: send back every byte received
 * until the client closes, then close and _exit.  Does not return.
 */
static void __attribute__((unused))
echo_until_eof(int conn)
{
    /* TODO(01-D): send back all bytes until the client closes, then
       close and _exit.
       Python: socketserver.BaseRequestHandler.handle.
       Read docs/01-fork.md#child-exit. */
    (void)conn;
}

/*
 * accept_one - wait for a connection or a stop request, accept, and fork
 * a child to serve the connection.  A signal, a client that went away
 * and a failed fork are not fatal: the loop goes on.
 * Returns: 0 to go on, 1 when SIGTERM asked to stop, -errno when the
 * listener itself is broken.
 */
static int __attribute__((unused))
accept_one(int listener)
{
    /* TODO(01-D): poll listener and self-pipe; accept; fork a child to
       echo; close the server's copy.
       Python: ForkingMixIn.process_request.
       Read docs/01-fork.md#fork-per-connection. */
    (void)listener;
    return -ENOSYS;
}

/*
 * serve - the server process's life: accept until SIGTERM, close the
 * listener, wait for every connection child.
 * Returns: the server's exit code: 0 after a clean stop, 1 on failure.
 */
static int __attribute__((unused))
serve(int listener)
{
    /* TODO(01-D): install handlers, accept until asked to stop, then wait
       for every child.
       Python: serve_forever.
       Read docs/01-fork.md#server-process. */
    (void)listener;
    return 1;
}

/*
 * become_server - in the new server process: die (SIGKILL) when the
 * thread that started it ends, so a caller that crashes or fails a test
 * never leaves a server behind; end at once if that already happened.
 */
static void __attribute__((unused))
become_server(pid_t caller)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != caller)
        _exit(1);
}

/*
 * spawn_server - fork the server process with SIGTERM blocked across the
 * fork, so a SIGTERM sent before its handler exists waits instead of
 * killing it.  Closes listener and the write end in the caller.
 * Returns: 0 with s->pid and s->lifeline set, or -errno.
 */
static int __attribute__((unused))
spawn_server(struct fserver *s, int listener, int life[2])
{
    pid_t caller = getpid();
    sigset_t term;
    sigset_t old;
    int err = 0;

    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, &old);
    s->pid = fork();    /* DOC: 01-fork#server-process */
    if (s->pid == 0) {
        close(life[0]);
        become_server(caller);
        _exit(serve(listener));
    }
    if (s->pid < 0)
        err = -errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(listener);
    close(life[1]);
    if (err) {
        close(life[0]);
        return err;
    }
    s->lifeline = life[0];
    return 0;
}

int
fserver_start(struct fserver **out, const struct fserver_options *opts)
{
    /* TODO(01-D): validate, allocate, listen, then spawn the server.
       Python: ForkingTCPServer(("127.0.0.1", 0), ...).
       Read docs/01-fork.md#server-process. */
    if (out)
        *out = NULL;
    (void)opts;
    return -ENOSYS;
}

int
fserver_port(const struct fserver *s)
{
    return s ? s->port : -EINVAL;
}

pid_t
fserver_pid(const struct fserver *s)
{
    return s ? s->pid : -EINVAL;
}

/*
 * wait_eof - wait until fd is readable (here: end of file) or `timeout`
 * seconds pass; negative waits forever.  Retries EINTR toward the same
 * deadline.
 * Returns: 0, -ETIMEDOUT, or -errno.
 */
static int __attribute__((unused))
wait_eof(int fd, double timeout)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    struct timespec now;
    double deadline;
    int ms = -1;
    int n;

    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = now.tv_sec + now.tv_nsec / 1e9 + timeout;
    for (;;) {
        if (timeout >= 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            ms = (int)((deadline - now.tv_sec - now.tv_nsec / 1e9) * 1e3);
            ms = ms < 0 ? 0 : ms + 1;  /* round up: never wake early */
        }
        n = poll(&p, 1, ms);
        if (n > 0)
            return 0;
        if (n == 0)
            return -ETIMEDOUT;
        if (errno != EINTR)
            return -errno;
    }
}

int
fserver_stop(struct fserver *s, int *exitcode, double timeout)
{
    /* TODO(01-D): SIGTERM the server, wait for end of file on the
       lifeline until the deadline, then reap it.
       Python: srv.shutdown(); p.join(timeout).
       Read docs/01-fork.md#stopping. */
    (void)s;
    (void)exitcode;
    (void)timeout;
    return -ENOSYS;
}

void
fserver_free(struct fserver *s)
{
    if (!s)
        return;
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    close(s->lifeline);
    free(s);
}
