/*
 * duplex.c (stub) - multiprocessing.Pipe() in C: a UNIX stream socketpair, and
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
    /* TODO(04-B): make a close-on-exec UNIX stream socketpair and wrap each
     * end; *a = *b = NULL on failure. Python: multiprocessing.Pipe(). Read
     * docs/04-ipc.md#duplex. */
    (void)ms_until;
    if (a != NULL)
        *a = NULL;
    if (b != NULL)
        *b = NULL;
    return -ENOSYS;
}

/* send_all - send every byte (retrying EINTR and short sends), never
 * raising SIGPIPE.  Returns 0, -EPIPE or -errno. */
static int
send_all(int fd, const void *buf, size_t len)
{
    /* TODO(04-B): send every byte, retrying EINTR and short sends, without
     * SIGPIPE. Python: Connection.send_bytes. Read docs/04-ipc.md#eof. */
    (void)fd;
    (void)buf;
    (void)len;
    return -ENOSYS;
}

int
pipe_send(struct pipe_conn *c, const void *msg, size_t len)
{
    /* TODO(04-B): send the 8-byte length, then the bytes. Python:
     * Connection.send_bytes(buf). Read docs/04-ipc.md#framing. */
    (void)c;
    (void)msg;
    (void)len;
    (void)send_all;
    return -ENOSYS;
}

/* recv_all - receive exactly len bytes: one recv() may return any part
 * of them.  Returns the bytes received before the end of the stream
 * (len when complete), or -errno. */
static ssize_t
recv_all(int fd, void *buf, size_t len)
{
    /* TODO(04-B): receive exactly len bytes, however many recv() calls that
     * takes; stop early only at the end of the stream. Python:
     * Connection.recv_bytes. Read docs/04-ipc.md#framing. */
    (void)fd;
    (void)buf;
    (void)len;
    return -ENOSYS;
}

int
pipe_recv(struct pipe_conn *c, void **msg, size_t *len)
{
    /* TODO(04-B): read the length, then the whole body into a malloc'd buffer;
     * -EPIPE at a clean end, -EPROTO at a torn one. Python:
     * Connection.recv_bytes(). Read docs/04-ipc.md#framing. */
    (void)c;
    (void)len;
    (void)recv_all;
    if (msg != NULL)
        *msg = NULL;
    return -ENOSYS;
}

int
pipe_poll(struct pipe_conn *c, double timeout)
{
    /* TODO(04-B): poll() the end for input until the deadline, retrying EINTR;
     * never read. Python: Connection.poll(timeout).
     * Read docs/04-ipc.md#duplex. */
    (void)c;
    (void)timeout;
    (void)now;
    return -ENOSYS;
}

void
pipe_close(struct pipe_conn *c)
{
    if (c == NULL)
        return;
    close(c->fd);
    free(c);
}
