/*
 * echosrv.c - a thread-per-client TCP echo server: one thread accepts,
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
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

int
echosrv_new(struct echosrv **out, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    struct echosrv *s;
    int one = 1;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (port < 0 || port > 65535)
        return -EINVAL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0) {
        err = -errno;
        goto out_free;
    }
    (void)setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one,
                     sizeof(one));
    if (bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(s->listen_fd, 128) < 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&a, &len) < 0) {
        err = -errno;
        goto out_close;
    }
    err = -pthread_mutex_init(&s->mu, NULL);
    if (err)
        goto out_close;
    s->port = ntohs(a.sin_port);
    *out = s;
    return 0;

out_close:
    close(s->listen_fd);
out_free:
    free(s);
    return err;
}

int
echosrv_port(const struct echosrv *s)
{
    return s == NULL ? 0 : s->port;
}

/* echo_all - send back everything received until the client closes or an
 * error.  Cannot fail (an error ends the connection). */
static void
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
static void
handle_client(void *arg)
{
    struct conn *c = arg;

    echo_all(c->fd);            /* fd is only closed by this thread */
    LAB_CHECK(pthread_mutex_lock(&c->srv->mu));
    close(c->fd);               /* DOC: 05-threads#close-under-the-lock */
    c->fd = -1;
    c->done = true;
    LAB_CHECK(pthread_mutex_unlock(&c->srv->mu));
}

/* take_conns - unlink the connections whose handler is done (all of them
 * if `all`) and return them as a list.  Takes s->mu. */
static struct conn *
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
static void
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
static void
serve(struct echosrv *s, int fd)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (c == NULL || thread_new(&c->handler, handle_client, c, NULL) != 0) {
        free(c);
        close(fd);
        return;
    }
    c->srv = s;
    c->fd = fd;
    LAB_CHECK(pthread_mutex_lock(&s->mu));
    if (s->stopping || thread_start(c->handler) != 0) {
        LAB_CHECK(pthread_mutex_unlock(&s->mu));
        thread_free(c->handler);
        free(c);
        close(fd);
        return;
    }
    c->next = s->conns;         /* DOC: 05-threads#thread-per-client */
    s->conns = c;
    LAB_CHECK(pthread_mutex_unlock(&s->mu));
}

/* accept_loop - the accepting thread: until shutdown wakes it. */
static void
accept_loop(void *arg)
{
    struct echosrv *s = arg;
    bool stopping = false;
    int fd;

    while (!stopping) {
        reap_conns(take_conns(s, false));
        fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0)
            serve(s, fd);
        LAB_CHECK(pthread_mutex_lock(&s->mu));
        stopping = s->stopping;
        LAB_CHECK(pthread_mutex_unlock(&s->mu));
        if (fd < 0 && !stopping && errno != EINTR &&
            errno != ECONNABORTED && errno != EMFILE && errno != ENFILE)
            break;              /* the listening socket is broken */
    }
}

int
echosrv_start(struct echosrv *s)
{
    struct thread_options opts = { .name = "acceptor" };
    int err;

    if (s == NULL || s->started || s->listen_fd < 0)
        return -EINVAL;
    err = thread_new(&s->acceptor, accept_loop, s, &opts);
    if (err)
        return err;
    err = thread_start(s->acceptor);
    if (err) {
        thread_free(s->acceptor);
        s->acceptor = NULL;
        return err;
    }
    s->started = true;
    return 0;
}

int
echosrv_shutdown(struct echosrv *s)
{
    struct conn *c;

    if (s == NULL)
        return -EINVAL;
    if (s->listen_fd < 0)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&s->mu));
    s->stopping = true;
    (void)shutdown(s->listen_fd, SHUT_RDWR);    /* wakes accept() */
    for (c = s->conns; c != NULL; c = c->next) {
        if (c->fd >= 0)
            (void)shutdown(c->fd, SHUT_RDWR);   /* wakes recv() */
    }
    LAB_CHECK(pthread_mutex_unlock(&s->mu));
    if (s->acceptor != NULL) {
        (void)thread_join(s->acceptor, LAB_FOREVER);
        thread_free(s->acceptor);
        s->acceptor = NULL;
    }
    reap_conns(take_conns(s, true));
    close(s->listen_fd);
    s->listen_fd = -1;
    return 0;
}

void
echosrv_free(struct echosrv *s)
{
    if (s == NULL)
        return;
    (void)echosrv_shutdown(s);
    LAB_CHECK(pthread_mutex_destroy(&s->mu));
    free(s);
}
