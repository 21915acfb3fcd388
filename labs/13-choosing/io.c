/*
 * io.c - M slow requests over loopback, with a thread per request or
 * with one epoll loop; and the slow server that answers them.  STUB:
 * the TODO(13-C) and TODO(13-D) bodies are yours; the server is given.
 *
 * DESIGN
 *
 * The server is one thread running an epoll loop over a table of
 * connection slots.  A slot whose 4-byte request is complete gets a due
 * time (arrival + delay); epoll_wait sleeps until the nearest due time,
 * and every due slot is answered and closed.  io_server_free wakes the
 * loop through a pipe and joins it.  Only the statistics (served, peak)
 * are read from other threads, so only they sit under a mutex.
 *
 * The thread client gives each thread one slot of a worker array: the
 * thread writes its slot, the caller reads it after pthread_join.
 *
 * The event-loop client keeps, per connection, a state (connecting,
 * sending, reading, done) and how many bytes moved: that state is what a
 * coroutine would keep on its stack.  epoll's data field holds the
 * connection's index.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "io.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* Connections the server holds at once (more are closed at accept). */
#define SERVER_SLOTS 512
/* epoll data of the two special descriptors (slots use 0..SLOTS-1). */
#define SLOT_LISTEN (SERVER_SLOTS + 0)
#define SLOT_WAKE (SERVER_SLOTS + 1)
/* Events taken per epoll_wait. */
#define EVENTS_MAX 64

/* A server connection; only the server thread touches it. */
struct server_slot {
    int fd;                     /* -1: free */
    uint32_t id;
    size_t have;                /* request bytes read so far */
    double due;                 /* answer at; 0 until the request is whole */
};

struct io_server {
    /* Set by io_server_start before the thread starts, then read-only. */
    int listen_fd;
    int epfd;
    int wake[2];                /* io_server_free writes, the loop reads */
    int port;
    double delay;
    pthread_t thread;

    /* Only the server thread: */
    struct server_slot slot[SERVER_SLOTS];

    /* mu guards: */
    pthread_mutex_t mu;
    int pending;                /* requests waiting out their delay */
    int peak;                   /* most pending at once */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ms_until - a poll()/epoll_wait() timeout for `deadline` (< 0: none):
 * the milliseconds left, rounded up so the wait never ends early. */
static int
ms_until(double deadline)
{
    double left;

    if (deadline < 0)
        return -1;
    left = deadline - now();
    if (left <= 0)
        return 0;
    if (left > INT_MAX / 1000.0 - 1)
        return INT_MAX;
    return (int)(left * 1000.0) + 1;
}

/* epoll_add - watch fd for `events` with `data` as its tag. */
static int
epoll_add(int epfd, int fd, uint32_t events, uint32_t data)
{
    struct epoll_event ev = { .events = events, .data.u32 = data };

    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* ---- the server (given) --------------------------------------------- */

/* listen_loopback - a non-blocking listening socket on 127.0.0.1, port
 * chosen by the system.  Returns the fd or -errno; *port gets the port. */
static int
listen_loopback(int *port)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int err;

    if (fd < 0)
        return -errno;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(fd, SOMAXCONN) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        err = -errno;
        close(fd);
        return err;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* slot_close - close a slot's connection; a request still waiting leaves
 * the pending count.  Server thread only. */
static void
slot_close(struct io_server *s, struct server_slot *c)
{
    if (c->due > 0) {
        LAB_CHECK(pthread_mutex_lock(&s->mu));
        s->pending--;
        LAB_CHECK(pthread_mutex_unlock(&s->mu));
    }
    close(c->fd);
    *c = (struct server_slot){ .fd = -1 };
}

/* server_accept - take every waiting connection into a free slot (or
 * close it when the table is full). */
static void
server_accept(struct io_server *s)
{
    int fd;

    while ((fd = accept4(s->listen_fd, NULL, NULL,
                         SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
        int k = 0;
        while (k < SERVER_SLOTS && s->slot[k].fd >= 0)
            k++;
        if (k == SERVER_SLOTS || epoll_add(s->epfd, fd, EPOLLIN, k) < 0) {
            close(fd);
            continue;
        }
        s->slot[k] = (struct server_slot){ .fd = fd };
    }
}

/* server_read - read a slot's request; once whole, start its delay.  A
 * closed or failed connection is dropped. */
static void
server_read(struct io_server *s, struct server_slot *c)
{
    char buf[64];
    ssize_t r;

    while ((r = read(c->fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < r && c->have < sizeof(c->id); i++)
            ((char *)&c->id)[c->have++] = buf[i];
    }
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        slot_close(s, c);
        return;
    }
    if (c->have == sizeof(c->id) && c->due == 0) {
        c->due = now() + s->delay;
        LAB_CHECK(pthread_mutex_lock(&s->mu));
        if (++s->pending > s->peak)
            s->peak = s->pending;
        LAB_CHECK(pthread_mutex_unlock(&s->mu));
    }
}

/* server_answer_due - answer and close every slot whose time has come;
 * returns the next due time (0: none). */
static double
server_answer_due(struct io_server *s)
{
    double t = now();
    double next = 0;

    for (int k = 0; k < SERVER_SLOTS; k++) {
        struct server_slot *c = &s->slot[k];
        uint32_t reply = c->id + IO_REPLY_ADD;
        if (c->fd < 0 || c->due == 0)
            continue;
        if (c->due > t) {
            if (next == 0 || c->due < next)
                next = c->due;
            continue;
        }
        /* 4 bytes into an empty socket buffer are never short; if the
         * client has left, the send fails and closing is all there is
         * to do.  MSG_NOSIGNAL: no SIGPIPE for a client that left. */
        (void)send(c->fd, &reply, sizeof(reply), MSG_NOSIGNAL);
        slot_close(s, c);
    }
    return next;
}

/* server_main - the server's loop, until io_server_free wakes it. */
static void *
server_main(void *arg)
{
    struct io_server *s = arg;
    struct epoll_event ev[EVENTS_MAX];
    double next = 0;

    for (;;) {
        int n = epoll_wait(s->epfd, ev, EVENTS_MAX,
                           next > 0 ? ms_until(next) : -1);
        if (n < 0 && errno != EINTR)
            return NULL;
        for (int i = 0; i < n; i++) {
            uint32_t tag = ev[i].data.u32;
            if (tag == SLOT_WAKE)
                return NULL;
            if (tag == SLOT_LISTEN)
                server_accept(s);
            else if (s->slot[tag].fd >= 0)
                server_read(s, &s->slot[tag]);
        }
        next = server_answer_due(s);
    }
}

/* server_close_fds - close whatever of s's descriptors are open. */
static void
server_close_fds(struct io_server *s)
{
    for (int k = 0; k < SERVER_SLOTS; k++) {
        if (s->slot[k].fd >= 0)
            close(s->slot[k].fd);
    }
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->epfd >= 0)
        close(s->epfd);
    if (s->wake[0] >= 0)
        close(s->wake[0]);
    if (s->wake[1] >= 0)
        close(s->wake[1]);
}

/* server_open - the descriptors of a new server. */
static int
server_open(struct io_server *s)
{
    int err;

    s->listen_fd = listen_loopback(&s->port);
    if (s->listen_fd < 0)
        return s->listen_fd;
    s->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (s->epfd < 0)
        return -errno;
    if (pipe2(s->wake, O_CLOEXEC) < 0)
        return -errno;
    err = epoll_add(s->epfd, s->listen_fd, EPOLLIN, SLOT_LISTEN);
    if (!err)
        err = epoll_add(s->epfd, s->wake[0], EPOLLIN, SLOT_WAKE);
    return err;
}

int
io_server_start(struct io_server **out, double delay)
{
    struct io_server *s;
    int err;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || !(delay >= 0))
        return -EINVAL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    s->listen_fd = s->epfd = s->wake[0] = s->wake[1] = -1;
    for (int k = 0; k < SERVER_SLOTS; k++)
        s->slot[k].fd = -1;
    s->delay = delay;
    LAB_CHECK(pthread_mutex_init(&s->mu, NULL));
    err = server_open(s);
    if (!err)
        err = -pthread_create(&s->thread, NULL, server_main, s);
    if (err)
        goto out_free;
    *out = s;
    return 0;

out_free:
    server_close_fds(s);
    LAB_CHECK(pthread_mutex_destroy(&s->mu));
    free(s);
    return err;
}

int
io_server_port(const struct io_server *s)
{
    return s == NULL ? 0 : s->port;
}

int
io_server_peak(struct io_server *s)
{
    int peak;

    if (s == NULL)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&s->mu));
    peak = s->peak;
    LAB_CHECK(pthread_mutex_unlock(&s->mu));
    return peak;
}

void
io_server_free(struct io_server *s)
{
    if (s == NULL)
        return;
    while (write(s->wake[1], "x", 1) < 0 && errno == EINTR)
        continue;
    LAB_CHECK(pthread_join(s->thread, NULL));
    server_close_fds(s);
    LAB_CHECK(pthread_mutex_destroy(&s->mu));
    free(s);
}

/* ---- clients: shared pieces ------------------------------------------ */

/* check_args - the argument rules both clients share. */
static __attribute__((unused)) int
check_args(int port, int conns, double timeout, const struct io_result *out)
{
    if (out == NULL || isnan(timeout))
        return -EINVAL;
    if (port < 1 || port > 65535 || conns < 1 || conns > IO_CONNS_MAX)
        return -EINVAL;
    return 0;
}

/* connect_loopback - a socket to 127.0.0.1:port, connected (blocking) or
 * with its connect under way (`nonblock`).  Returns the fd or -errno. */
static int
connect_loopback(int port, bool nonblock)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC |
                    (nonblock ? SOCK_NONBLOCK : 0), 0);
    int err;

    if (fd < 0)
        return -errno;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ||
        (nonblock && errno == EINPROGRESS))
        return fd;
    err = -errno;
    close(fd);
    return err;
}

/* check_reply - -EPROTO unless `reply` answers request `id`. */
static int
check_reply(uint32_t id, uint32_t reply)
{
    return reply == id + IO_REPLY_ADD ? 0 : -EPROTO;
}

/* fetch_one - one request on a blocking socket: connect, send id, wait
 * (poll, up to `deadline`; < 0: none) and read the reply.
 * Returns 0, -ETIMEDOUT, -EPROTO or -errno.  Closes what it opened. */
static __attribute__((unused)) int
fetch_one(int port, uint32_t id, double deadline)
{
    uint32_t reply;
    size_t got = 0;
    int fd = connect_loopback(port, false);
    int err = 0;

    if (fd < 0)
        return fd;
    if (send(fd, &id, sizeof(id), MSG_NOSIGNAL) != (ssize_t)sizeof(id))
        err = -EPROTO;
    while (!err && got < sizeof(reply)) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = poll(&p, 1, ms_until(deadline));
        ssize_t n;
        if (r == 0) {
            err = -ETIMEDOUT;
            break;
        }
        n = r < 0 ? -1 : read(fd, (char *)&reply + got, sizeof(reply) - got);
        if (n < 0 && errno != EINTR)
            err = -errno;
        else if (n == 0)
            err = -EPROTO;
        else if (n > 0)
            got += (size_t)n;
    }
    close(fd);
    return err ? err : check_reply(id, reply);
}

/* deadline_after - now + timeout, or -1 (none) for a negative timeout. */
static __attribute__((unused)) double
deadline_after(double timeout)
{
    return timeout < 0 ? -1.0 : now() + timeout;
}

/* ---- part C: a thread per connection --------------------------------- */

/* One connection's thread: inputs set before pthread_create, outputs
 * read after pthread_join. */
struct io_worker {
    pthread_t tid;
    int port;
    uint32_t id;
    double deadline;
    int err;                    /* written by the thread */
    struct lab_window window;   /* written by the thread */
};

/* worker_main - fetch one reply and stamp its window. */
static __attribute__((unused)) void *
worker_main(void *arg)
{
    /* TODO(13-C): stamp the window's start, fetch_one, stamp the end.
     * Python: the Thread's target.
     * Read docs/13-choosing.md#part-c-a-thread-per-connection. */
    (void)arg;
    return NULL;
}

int
io_fetch_threads(int port, int conns, double timeout, struct io_result *out)
{
    /* TODO(13-C): check the arguments, one deadline for the whole call,
     * start a thread per connection, join them all, count the replies,
     * keep the first error.  Python: Thread per request, start all, join
     * all.  Read docs/13-choosing.md#part-c-a-thread-per-connection. */
    (void)port;
    (void)conns;
    (void)timeout;
    (void)out;
    return -ENOSYS;
}

/* ---- part D: one epoll loop ------------------------------------------ */

enum conn_state {
    CONN_CONNECTING,            /* connect() under way: wait for EPOLLOUT */
    CONN_SENDING,               /* connected: send the id */
    CONN_READING,               /* id sent: wait for EPOLLIN, read reply */
    CONN_DONE,                  /* reply read and checked, fd closed */
};

/* One connection of the loop: what a coroutine would keep on its stack. */
struct conn {
    int fd;                     /* -1 once closed */
    enum conn_state state;
    uint32_t id;
    uint32_t reply;
    size_t moved;               /* bytes sent (SENDING) or read (READING) */
};

/* conn_connected - EPOLLOUT on a connecting socket: did it work? */
static __attribute__((unused)) int
conn_connected(struct conn *c)
{
    int soerr = 0;
    socklen_t len = sizeof(soerr);

    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return -errno;
    if (soerr != 0)
        return -soerr;
    c->state = CONN_SENDING;
    return 0;
}

/* conn_send - send what is left of the id; once sent, watch for the
 * reply instead. */
static __attribute__((unused)) int
conn_send(int epfd, struct conn *c, uint32_t tag)
{
    /* TODO(13-D): send what is left of the id without blocking (EAGAIN:
     * wait for the next event); once all 4 bytes went, switch to READING
     * and watch for EPOLLIN.  Python: await writer.drain().  Read
     * docs/13-choosing.md#a-state-per-connection. */
    (void)epfd;
    (void)c;
    (void)tag;
    return -ENOSYS;
}

/* conn_read - read what the reply still lacks; once whole, check it and
 * close.  Returns 1 when the connection is done, 0 to go on, or -errno. */
static __attribute__((unused)) int
conn_read(struct conn *c)
{
    /* TODO(13-D): read what the reply lacks without blocking; end of file
     * is -EPROTO; once whole, close, mark DONE, check it, return 1.
     * Python: await reader.readexactly(4).  Read
     * docs/13-choosing.md#a-state-per-connection. */
    (void)c;
    return -ENOSYS;
}

/* conn_step - move connection `tag` on after epoll said it is ready.
 * Returns 1 when it is done, 0 to go on, or -errno. */
static __attribute__((unused)) int
conn_step(int epfd, struct conn *c, uint32_t tag)
{
    /* TODO(13-D): one step of the state machine for the state c is in.
     * Python: resuming the coroutine where it awaited.  Read
     * docs/13-choosing.md#a-state-per-connection. */
    (void)epfd;
    (void)c;
    (void)tag;
    return -ENOSYS;
}

/* loop_open_all - start every connect and watch each for EPOLLOUT,
 * stamping each window's start.  Returns 0 or the first -errno. */
static __attribute__((unused)) int
loop_open_all(int epfd, int port, struct conn *c, int conns,
              struct io_result *out)
{
    /* TODO(13-D): for each connection: stamp the start, a non-blocking
     * connect (connect_loopback(port, true)), watch it for EPOLLOUT with
     * its index as the tag.  Python: create_task for each.  Read
     * docs/13-choosing.md#part-d-an-event-loop. */
    (void)epfd;
    (void)port;
    (void)c;
    (void)conns;
    (void)out;
    return -ENOSYS;
}

/* loop_run - wait for readiness and step connections until all are done,
 * the deadline passes or one fails.  Returns 0 or -errno. */
static __attribute__((unused)) int
loop_run(int epfd, struct conn *c, int conns, double deadline,
         struct io_result *out)
{
    /* TODO(13-D): until every reply is in: epoll_wait up to the deadline
     * (-ETIMEDOUT after it), step each ready connection, stamp the end of
     * each one done.  Never block on one connection.  Python: the event
     * loop's run_until_complete.
     * Read docs/13-choosing.md#part-d-an-event-loop. */
    (void)epfd;
    (void)c;
    (void)conns;
    (void)deadline;
    (void)out;
    return -ENOSYS;
}

int
io_fetch_loop(int port, int conns, double timeout, struct io_result *out)
{
    /* TODO(13-D): check the arguments, one epoll instance, open all, run
     * the loop, then close every socket still open and the epoll fd on
     * every path.  Python: asyncio.gather.  Read
     * docs/13-choosing.md#part-d-an-event-loop. */
    (void)port;
    (void)conns;
    (void)timeout;
    (void)out;
    return -ENOSYS;
}
