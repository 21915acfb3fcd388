/*
 * udpchat.c - a full-duplex UDP chat peer: one socket shared by a thread
 * that sends what is typed and a thread that shows what arrives.
 *
 * A UDP socket may be used by two threads at once, one in sendto() and
 * one in recvfrom(): the kernel serialises them, no lock is needed.  The
 * only shared state is the socket itself and the peers' addresses, all
 * set before the threads start; each thread's error is read after join.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "thread.h"
#include "udpchat.h"

/* The message that ends the conversation (the notes' "exit"). */
#define UDPCHAT_EXIT "exit"

struct udpchat {
    int sock;
    int port;                   /* bound port */
    struct sockaddr_in peer;    /* set by start, before the threads */
    int in_fd;
    int out_fd;
    struct thread *sender;
    struct thread *receiver;
    bool started;
    bool joined;
    int send_err;               /* written by the sender, read after join */
    int recv_err;               /* written by the receiver, read after join */
};

/* loopback - 127.0.0.1:port.  Cannot fail. */
static struct sockaddr_in
loopback(int port)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int
udpchat_new(struct udpchat **out, int port)
{
    struct sockaddr_in a = loopback(port);
    socklen_t len = sizeof(a);
    struct udpchat *c;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (port < 0 || port > 65535)
        return -EINVAL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -ENOMEM;
    c->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (c->sock < 0) {
        err = -errno;
        goto out_free;
    }
    if (bind(c->sock, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        getsockname(c->sock, (struct sockaddr *)&a, &len) < 0) {
        err = -errno;
        goto out_close;
    }
    c->port = ntohs(a.sin_port);
    *out = c;
    return 0;

out_close:
    close(c->sock);
out_free:
    free(c);
    return err;
}

int
udpchat_port(const struct udpchat *c)
{
    return c == NULL ? 0 : c->port;
}

/* send_to - one datagram to `to`.  Returns 0 or -errno. */
static int
send_to(int sock, const struct sockaddr_in *to, const char *msg, size_t len)
{
    ssize_t n;

    do
        n = sendto(sock, msg, len, 0, (const struct sockaddr *)to,
                   sizeof(*to));
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

/* next_line - the next line of in_fd into line (without '\n', cut at
 * UDPCHAT_MSG_MAX).  `buf`/`have` carry bytes read past the line.
 * Returns its length, -1 at end of input, or -errno. */
static long
next_line(int fd, char *buf, size_t *have, char *line)
{
    for (;;) {
        char *nl = memchr(buf, '\n', *have);
        size_t len = nl != NULL ? (size_t)(nl - buf) : *have;
        ssize_t n;
        if (nl != NULL || *have == UDPCHAT_MSG_MAX) {
            memcpy(line, buf, len);
            len += nl != NULL;  /* drop the newline too */
            memmove(buf, buf + len, *have - len);
            *have -= len;
            return (long)(nl != NULL ? len - 1 : len);
        }
        n = read(fd, buf + *have, UDPCHAT_MSG_MAX - *have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -1;
        *have += (size_t)n;
    }
}

/* send_loop - the sender: every input line to the peer, then "exit". */
static void
send_loop(void *arg)
{
    struct udpchat *c = arg;
    char buf[UDPCHAT_MSG_MAX];
    char line[UDPCHAT_MSG_MAX];
    size_t have = 0;
    long len;
    int err;

    while ((len = next_line(c->in_fd, buf, &have, line)) >= 0) {
        if (len == 4 && memcmp(line, UDPCHAT_EXIT, 4) == 0)
            break;
        c->send_err = send_to(c->sock, &c->peer, line, (size_t)len);
        if (c->send_err)
            return;
    }
    if (len < -1)
        c->send_err = (int)len;
    /* DOC: 05-threads#chat-exit */
    err = send_to(c->sock, &c->peer, UDPCHAT_EXIT, 4);
    if (c->send_err == 0)
        c->send_err = err;
}

/* show - write msg and a newline to fd in one write().  Returns 0 or
 * -errno. */
static int
show(int fd, const char *msg, size_t len)
{
    char line[UDPCHAT_MSG_MAX + 1];
    ssize_t n;

    memcpy(line, msg, len);
    line[len] = '\n';
    do
        n = write(fd, line, len + 1);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

/* recv_loop - the receiver: show every datagram until "exit". */
static void
recv_loop(void *arg)
{
    struct udpchat *c = arg;
    char msg[UDPCHAT_MSG_MAX];
    ssize_t n;

    for (;;) {
        n = recvfrom(c->sock, msg, sizeof(msg), 0, NULL, NULL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            c->recv_err = -errno;
            return;
        }
        if (n == 4 && memcmp(msg, UDPCHAT_EXIT, 4) == 0)
            return;             /* DOC: 05-threads#chat-exit */
        c->recv_err = show(c->out_fd, msg, (size_t)n);
        if (c->recv_err)
            return;
    }
}

/* start_thread - make and start one of the chat's threads.  Returns 0
 * or the error (nothing left behind). */
static int
start_thread(struct thread **out, thread_target *fn, struct udpchat *c,
             const char *name)
{
    struct thread_options opts = { .name = name };
    int err = thread_new(out, fn, c, &opts);

    if (err)
        return err;
    err = thread_start(*out);
    if (err) {
        thread_free(*out);
        *out = NULL;
    }
    return err;
}

int
udpchat_start(struct udpchat *c, int in_fd, int out_fd, int peer_port)
{
    int err;

    if (c == NULL || c->started || in_fd < 0 || out_fd < 0 ||
        peer_port < 1 || peer_port > 65535)
        return -EINVAL;
    c->peer = loopback(peer_port);
    c->in_fd = in_fd;
    c->out_fd = out_fd;
    err = start_thread(&c->receiver, recv_loop, c, "receiver");
    if (err)
        return err;
    err = start_thread(&c->sender, send_loop, c, "sender");
    if (err) {
        /* Wake our own receiver, as free() does, and reap it. */
        struct sockaddr_in self = loopback(c->port);
        (void)send_to(c->sock, &self, UDPCHAT_EXIT, 4);
        (void)thread_join(c->receiver, LAB_FOREVER);
        thread_free(c->receiver);
        c->receiver = NULL;
        return err;
    }
    c->started = true;
    return 0;
}

/* time_left - what is left of `timeout` since `t0` (LAB_FOREVER stays),
 * never negative. */
static double
time_left(double timeout, const struct timespec *t0)
{
    struct timespec t;
    double used;

    if (timeout < 0)
        return LAB_FOREVER;
    clock_gettime(CLOCK_MONOTONIC, &t);
    used = (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
    return timeout > used ? timeout - used : 0;
}

int
udpchat_join(struct udpchat *c, double timeout)
{
    struct timespec t0;
    int err;

    if (c == NULL || !c->started || isnan(timeout))
        return -EINVAL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    err = thread_join(c->sender, timeout);
    if (err == 0)
        err = thread_join(c->receiver, time_left(timeout, &t0));
    if (err)
        return err;
    c->joined = true;
    return c->send_err ? c->send_err : c->recv_err;
}

void
udpchat_free(struct udpchat *c)
{
    if (c == NULL)
        return;
    if (c->started && !c->joined) {
        struct sockaddr_in self = loopback(c->port);
        (void)thread_join(c->sender, LAB_FOREVER);
        /* The peer may never say "exit": say it to ourselves. */
        (void)send_to(c->sock, &self, UDPCHAT_EXIT, 4);
        (void)thread_join(c->receiver, LAB_FOREVER);
    }
    thread_free(c->sender);
    thread_free(c->receiver);
    close(c->sock);
    free(c);
}
