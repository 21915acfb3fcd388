/*
 * udpchat.c (stub) - a full-duplex UDP chat peer: one socket shared by a thread
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
static __attribute__((unused)) struct sockaddr_in
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
    /* TODO(05-H): a close-on-exec UDP socket bound to 127.0.0.1:port; remember
     * the bound port (getsockname). Python: socket(AF_INET, SOCK_DGRAM); bind.
     * Read docs/05-threads.md#udp-chat. */
    (void)out;
    (void)port;
    return -ENOSYS;
}

int
udpchat_port(const struct udpchat *c)
{
    return c == NULL ? 0 : c->port;
}

/* send_to - one datagram to `to`.  Returns 0 or -errno. */
static __attribute__((unused)) int
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
static __attribute__((unused)) long
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
static __attribute__((unused)) void
send_loop(void *arg)
{
    /* TODO(05-H): send each input line to the peer until "exit" or end of
     * input, then send "exit". Python: send(s_socket). Read
     * docs/05-threads.md#chat-exit. */
    (void)arg;
}

/* show - write msg and a newline to fd in one write().  Returns 0 or
 * -errno. */
static __attribute__((unused)) int
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
static __attribute__((unused)) void
recv_loop(void *arg)
{
    /* TODO(05-H): write each datagram and a newline to out_fd until the peer's
     * "exit". Python: rec(r_socket). Read docs/05-threads.md#chat-exit. */
    (void)arg;
}

/* start_thread - make and start one of the chat's threads.  Returns 0
 * or the error (nothing left behind). */
static __attribute__((unused)) int
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
    /* TODO(05-H): check the arguments, remember peer and fds, start the
     * receiver and the sender (a failed start leaves no thread). Python:
     * Thread(target=send).start(); Thread(target=rec).start(). Read
     * docs/05-threads.md#udp-chat. */
    (void)c;
    (void)in_fd;
    (void)out_fd;
    (void)peer_port;
    return -ENOSYS;
}

/* time_left - what is left of `timeout` since `t0` (LAB_FOREVER stays),
 * never negative. */
static __attribute__((unused)) double
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
    /* TODO(05-H): join the sender, then the receiver, within one timeout; then
     * report the threads' first error. Python: t1.join(); t2.join(). Read
     * docs/05-threads.md#chat-exit. */
    (void)c;
    (void)timeout;
    return -ENOSYS;
}

void
udpchat_free(struct udpchat *c)
{
    /* TODO(05-H): if still running: wait for the sender, wake the receiver
     * with an "exit" to our own port, join it; free the threads, close the
     * socket. Python: udp_socket.close(). Read docs/05-threads.md#chat-exit.
     * */
    (void)c;
}
