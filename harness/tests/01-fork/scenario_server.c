/*
 * scenario_server.c - the fork-per-connection echo server with real
 * clients, for the ordering, race and memory tiers (lab 01, part D).
 *
 *   echo      start; SCEN_CLIENTS clients connected at once, each echoed
 *             byte for byte up to end of file; no zombie left; stop.
 *   coalesce  as echo, but the clients close while the server is stopped
 *             (SIGSTOP), so its children's SIGCHLDs coalesce into one.
 *   threads   two client threads share one server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kit.h"
#include "fserver.h"

/* Clients at once per round; connections per thread in `threads`. */
#define SCEN_CLIENTS 8
#define SCEN_PER_THREAD 4

/* Rounds (start..stop) per case unless KIT_ROUNDS says otherwise. */
#define SCEN_ROUNDS 2

/* Deadline for any single wait on the server, seconds (generous: this
 * also runs under Valgrind). */
#define SCEN_DEADLINE_S 8.0

/* Poll interval while watching /proc for zombies, milliseconds. */
#define SCEN_POLL_MS 2

static int
connect_to(int port)
{
    struct sockaddr_in a = {
        .sin_family = AF_INET,
        .sin_port = htons((unsigned short)port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    kit_scen_check(fd >= 0, "socket: %s", strerror(errno));
    kit_scen_check(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0, "connect to 127.0.0.1:%d: %s", port, strerror(errno));
    return fd;
}

/* send_msg - send message i and return it in msg. */
static void
send_msg(int fd, int i, char *msg, size_t len)
{
    snprintf(msg, len, "scenario client %d: %.*s", i, i % 20 + 1, "0123456789abcdefghij");
    kit_scen_check(send(fd, msg, strlen(msg), MSG_NOSIGNAL) == (ssize_t)strlen(msg), "send: %s", strerror(errno));
}

/* recv_until - read into got until `want` bytes or end of file, before
 * a deadline.  Returns the bytes read. */
static size_t
recv_until(int fd, char *got, size_t want, const char *msg)
{
    double deadline = kit_now() + SCEN_DEADLINE_S;
    size_t n = 0;
    ssize_t r = 1;

    while (r > 0 && n < want) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int ms = (int)((deadline - kit_now()) * 1e3);

        kit_scen_check(ms > 0 && poll(&p, 1, ms) == 1, "no reply within %.0f s after \"%s\" (%zu bytes so far): is every connection served by its child, and does the server close its copy?", SCEN_DEADLINE_S, msg, n);
        r = recv(fd, got + n, want - n, 0);
        if (r < 0 && errno == EINTR)
            r = 1;
        else if (r > 0)
            n += (size_t)r;
    }
    return n;
}

/* expect_echo - the message comes back byte for byte. */
static void
expect_echo(int fd, const char *msg)
{
    char got[128];
    size_t n = recv_until(fd, got, strlen(msg), msg);

    got[n] = '\0';
    kit_scen_check(strcmp(got, msg) == 0, "echo mismatch: sent \"%s\", got \"%s\"", msg, got);
}

/* finish - half-close; the reply must then end (end of file). */
static void
finish(int fd, const char *msg)
{
    char extra[16];
    size_t n;

    shutdown(fd, SHUT_WR);
    n = recv_until(fd, extra, sizeof(extra), msg);
    kit_scen_check(n == 0, "after the echo of \"%s\" and a half-close, expected end of file, got %zu more bytes", msg, n);
    close(fd);
}

/* wait_zombies - poll until the server's children number `want`, all
 * zombies (want > 0), or it has no zombie (want == 0).  Returns the last
 * zombie count. */
static int
wait_zombies(pid_t server, int want)
{
    double deadline = kit_now() + SCEN_DEADLINE_S;
    int zombies = -1;

    for (;;) {
        int n = kit_proc_children(server, NULL, 0, &zombies);

        if (want > 0 ? (n == want && zombies == want) : zombies == 0)
            return zombies;
        if (kit_now() > deadline)
            return zombies;
        poll(NULL, 0, SCEN_POLL_MS);
    }
}

static struct fserver *
start_server(void)
{
    struct fserver *s = NULL;
    int err = fserver_start(&s, NULL);

    kit_scen_check(err == 0, "fserver_start: expected 0, got %s", kit_errname(err));
    return s;
}

static void
stop_server(struct fserver *s)
{
    int code = -1;
    int err;
    int z = wait_zombies(fserver_pid(s), 0);

    kit_scen_check(z == 0, "%d zombie children of the server after every client closed: the SIGCHLD handler must reap in a loop", z);
    err = fserver_stop(s, &code, SCEN_DEADLINE_S);
    kit_scen_check(err == 0 && code == 0, "fserver_stop: expected 0 and exit code 0, got %s and %d", kit_errname(err), code);
    fserver_free(s);
}

/* one_round - SCEN_CLIENTS clients at once; with `coalesce`, the server
 * is stopped while they close. */
static void
one_round(bool coalesce)
{
    struct fserver *s = start_server();
    char msgs[SCEN_CLIENTS][64];
    int fds[SCEN_CLIENTS];
    pid_t pid = fserver_pid(s);
    int z;

    for (int i = 0; i < SCEN_CLIENTS; i++)
        fds[i] = connect_to(fserver_port(s));
    for (int i = 0; i < SCEN_CLIENTS; i++)
        send_msg(fds[i], i, msgs[i], sizeof(msgs[i]));
    for (int i = 0; i < SCEN_CLIENTS; i++)
        expect_echo(fds[i], msgs[i]);
    if (!coalesce) {
        for (int i = 0; i < SCEN_CLIENTS; i++)
            finish(fds[i], msgs[i]);
    } else {
        /* The stopped server may not have closed its copies yet: do not
         * wait for end of file here, only for the children to exit. */
        kill(pid, SIGSTOP);
        for (int i = 0; i < SCEN_CLIENTS; i++)
            close(fds[i]);
        z = wait_zombies(pid, SCEN_CLIENTS);
        kill(pid, SIGCONT);
        kit_scen_check(z == SCEN_CLIENTS, "with the server stopped, expected its %d children to become zombies, saw %d", SCEN_CLIENTS, z);
    }
    stop_server(s);
}

static void *
client_thread(void *arg)
{
    int port = *(int *)arg;
    char msg[64];

    for (int i = 0; i < SCEN_PER_THREAD; i++) {
        int fd = connect_to(port);

        send_msg(fd, i, msg, sizeof(msg));
        expect_echo(fd, msg);
        finish(fd, msg);
    }
    return NULL;
}

static void
threads_round(void)
{
    struct fserver *s = start_server();
    int port = fserver_port(s);
    pthread_t t[2];
    int err;

    for (int i = 0; i < 2; i++) {
        err = pthread_create(&t[i], NULL, client_thread, &port);
        kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    stop_server(s);
}

int
main(int argc, char **argv)
{
    int rounds = kit_scen_repeat(SCEN_ROUNDS);

    if (argc != 2)
        return 2;
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    for (int i = 0; i < rounds; i++) {
        if (strcmp(argv[1], "echo") == 0)
            one_round(false);
        else if (strcmp(argv[1], "coalesce") == 0)
            one_round(true);
        else if (strcmp(argv[1], "threads") == 0)
            threads_round();
        else
            return 2;
    }
    kit_scen_check(kit_proc_children(getpid(), NULL, 0, NULL) == 0, "child processes left after the case: the server was not reaped");
    return 0;
}
