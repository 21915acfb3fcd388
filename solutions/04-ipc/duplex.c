/*
 * duplex.c - multiprocessing.Pipe() in C: a UNIX stream socketpair, and
 * messages framed as an 8-byte length followed by the bytes.  A stream
 * has no message boundaries: the reader must loop until it has the whole
 * length, then the whole body.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "duplex.h"

struct pipe_conn {
    int fd;                     /* our end of the socketpair */
};

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ms_until - poll()'s timeout for `deadline` (-1: none), rounded up. */
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

int
pipe_new(struct pipe_conn **a, struct pipe_conn **b)
{
    int fds[2];
    int err;

    if (a == NULL || b == NULL)
        return -EINVAL;
    *a = NULL;
    *b = NULL;
    *a = malloc(sizeof(**a));
    *b = malloc(sizeof(**b));
    if (*a == NULL || *b == NULL) {
        err = -ENOMEM;
        goto out_free;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        err = -errno;
        goto out_free;
    }
    (*a)->fd = fds[0];
    (*b)->fd = fds[1];
    return 0;

out_free:
    free(*a);
    free(*b);
    *a = NULL;
    *b = NULL;
    return err;
}

/* send_all - send every byte (retrying EINTR and short sends), never
 * raising SIGPIPE.  Returns 0, -EPIPE or -errno. */
static int
send_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == ECONNRESET ? -EPIPE : -errno;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int
pipe_send(struct pipe_conn *c, const void *msg, size_t len)
{
    uint64_t n = len;
    int err;

    if (c == NULL || (msg == NULL && len > 0))
        return -EINVAL;
    if (len > PIPE_MSG_MAX)
        return -EMSGSIZE;
    err = send_all(c->fd, &n, sizeof(n));
    if (err == 0 && len > 0)
        err = send_all(c->fd, msg, len);
    return err;
}

/* recv_all - receive exactly len bytes: one recv() may return any part
 * of them.  Returns the bytes received before the end of the stream
 * (len when complete), or -errno. */
static ssize_t
recv_all(int fd, void *buf, size_t len)
{
    unsigned char *p = buf;
    size_t got = 0;

    while (got < len) {                         /* DOC: 04-ipc#framing */
        ssize_t n = recv(fd, p + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == ECONNRESET ? (ssize_t)got : -errno;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int
pipe_recv(struct pipe_conn *c, void **msg, size_t *len)
{
    uint64_t n;
    ssize_t r;

    if (msg != NULL)
        *msg = NULL;
    if (c == NULL || msg == NULL || len == NULL)
        return -EINVAL;
    r = recv_all(c->fd, &n, sizeof(n));
    if (r < 0)
        return (int)r;
    if (r == 0)
        return -EPIPE;                          /* DOC: 04-ipc#eof */
    if (r < (ssize_t)sizeof(n) || n > PIPE_MSG_MAX)
        return -EPROTO;
    *msg = malloc(n > 0 ? (size_t)n : 1);
    if (*msg == NULL)
        return -ENOMEM;
    r = recv_all(c->fd, *msg, (size_t)n);
    if (r != (ssize_t)n) {
        free(*msg);
        *msg = NULL;
        return r < 0 ? (int)r : -EPROTO;
    }
    *len = (size_t)n;
    return 0;
}

int
pipe_poll(struct pipe_conn *c, double timeout)
{
    double deadline;

    if (c == NULL || isnan(timeout))
        return -EINVAL;
    deadline = timeout < 0 ? -1.0 : now() + timeout;
    for (;;) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        int r = poll(&pfd, 1, ms_until(deadline));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        return r == 0 ? -ETIMEDOUT : 0;
    }
}

void
pipe_close(struct pipe_conn *c)
{
    if (c == NULL)
        return;
    close(c->fd);
    free(c);
}
