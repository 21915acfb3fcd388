/*
 * echosrv.c (stub) - a thread-per-client TCP echo server: one thread accepts,
 * and each connection gets a thread that sends back what it reads.
 *
 * DESIGN
 *
 * The server keeps a list of connections under `mu`.  A handler closes
 * its own socket when its client leaves, under `mu`, and marks the entry
 * done; shutdown shuts down (never closes) the sockets still open, under
 * the same lock, so it can never touch a number the system has already
 * given to another file.  shutdown(2) on the listening socket wakes the
 * thread blocked in accept(); on a connection it wakes the handler
 * blocked in recv(), which then sees the end of the stream.
 *
 * Finished handlers are reaped (joined and freed) by the accepting
 * thread before each accept, and the rest by echosrv_shutdown().
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echosrv.h"
#include "thread.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* One client connection and its handler thread. */
struct conn {
    struct echosrv *srv;        /* set before the handler starts */
    struct thread *handler;     /* owned by the acceptor or shutdown */
    /* srv->mu guards: */
    int fd;                     /* -1 once the handler closed it */
    bool done;                  /* the handler has finished */
    struct conn *next;
};

struct echosrv {
    int listen_fd;              /* -1 once shut down */
    int port;
    struct thread *acceptor;
    bool started;
    /* mu guards: */
    pthread_mutex_t mu;
    bool stopping;
    struct conn *conns;         /* every connection not yet reaped */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static __attribute__((unused)) void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

int
echosrv_new(struct echosrv **out, int port)
{
    /* TODO(05-I): a close-on-exec TCP socket listening on 127.0.0.1:port;
     * remember the port; init the mutex. Python: socket(); bind();
     * listen(128). Read docs/05-threads.md#thread-per-client. */
    (void)out;
    (void)port;
    return -ENOSYS;
}

int
echosrv_port(const struct echosrv *s)
{
    return s == NULL ? 0 : s->port;
}

/* echo_all - send back everything received until the client closes or an
 * error.  Cannot fail (an error ends the connection). */
static __attribute__((unused)) void
echo_all(int fd)
{
    char buf[4096];
    ssize_t n;
    ssize_t sent;

    for (;;) {
        n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        for (sent = 0; sent < n;) {
            ssize_t w = send(fd, buf + sent, (size_t)(n - sent),
                             MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return;
            sent += w;
        }
    }
}

/* handle_client - a handler thread: echo, then close the socket under
 * the server's lock and say done. */
static __attribute__((unused)) void
handle_client(void *arg)
{
    /* TODO(05-I): echo until the client leaves, then close the socket under
     * the server's lock, set fd = -1 and done. Python: HandleData.run. Read
     * docs/05-threads.md#close-under-the-lock. */
    (void)arg;
}

/* take_conns - unlink the connections whose handler is done (all of them
 * if `all`) and return them as a list.  Takes s->mu. */
static __attribute__((unused)) struct conn *
take_conns(struct echosrv *s, bool all)
{
    struct conn *taken = NULL;
    struct conn **pp;

    LAB_CHECK(pthread_mutex_lock(&s->mu));
    pp = &s->conns;
    while (*pp != NULL) {
        struct conn *c = *pp;
        if (all || c->done) {
            *pp = c->next;
            c->next = taken;
            taken = c;
        } else {
            pp = &c->next;
        }
    }
    LAB_CHECK(pthread_mutex_unlock(&s->mu));
    return taken;
}

/* reap_conns - join and free every connection of the list.  Cannot
 * fail. */
static __attribute__((unused)) void
reap_conns(struct conn *list)
{
    while (list != NULL) {
        struct conn *next = list->next;
        (void)thread_join(list->handler, LAB_FOREVER);
        thread_free(list->handler);
        free(list);
        list = next;
    }
}

/* serve - give fd its own handler thread.  On failure the connection is
 * closed and forgotten.  Cannot fail otherwise. */
static __attribute__((unused)) void
serve(struct echosrv *s, int fd)
{
    /* TODO(05-I): give the accepted fd a conn and a started handler thread,
     * linked in the list under the lock (closed instead when stopping).
     * Python: HandleData(new_s).start(). Read
     * docs/05-threads.md#thread-per-client. */
    (void)s;
    (void)fd;
}

/* accept_loop - the accepting thread: until shutdown wakes it. */
static __attribute__((unused)) void
accept_loop(void *arg)
{
    /* TODO(05-I): reap finished handlers, accept4(SOCK_CLOEXEC), serve, until
     * shutdown says stopping. Python: TCPServer.run. Read
     * docs/05-threads.md#thread-per-client. */
    (void)arg;
}

int
echosrv_start(struct echosrv *s)
{
    /* TODO(05-I): start the accepting thread once. Python:
     * TCPServer(port).start(). Read docs/05-threads.md#thread-per-client. */
    (void)s;
    return -ENOSYS;
}

int
echosrv_shutdown(struct echosrv *s)
{
    /* TODO(05-I): under the lock: stopping, shutdown() the listening socket
     * and every open client; then join the acceptor, reap every handler, close
     * the listener. Python: (none: the notes' server runs forever). Read
     * docs/05-threads.md#shutdown. */
    (void)s;
    return -ENOSYS;
}

void
echosrv_free(struct echosrv *s)
{
    /* TODO(05-I): shut down, destroy the mutex, free. Python: del server. Read
     * docs/05-threads.md#shutdown. */
    (void)s;
}
