/*
 * kit_io.c - the I/O every lab's tests and scenarios need: whole reads
 * and writes with a deadline, a loopback client, waiting for a condition
 * that no event announces (a zombie appearing in /proc).
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kit.h"

/* wait_readable - poll fd until readable or the deadline; 0, -ETIMEDOUT
 * or -errno. */
static int
wait_readable(int fd, double deadline)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n;

    for (;;) {
        double left = deadline - kit_now();
        if (left <= 0)
            return -ETIMEDOUT;
        n = poll(&p, 1, (int)(left * 1000) + 1);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return -errno;
    }
}

ssize_t
kit_read_full(int fd, void *buf, size_t len, double timeout)
{
    double deadline = kit_now() + timeout;
    size_t got = 0;

    while (got < len) {
        ssize_t n;
        int err = wait_readable(fd, deadline);
        if (err)
            return got > 0 && err == -ETIMEDOUT ? (ssize_t)got : err;
        n = read(fd, (char *)buf + got, len - got);
        if (n == 0)
            break;
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return -errno;
        if (n > 0)
            got += (size_t)n;
    }
    return (ssize_t)got;
}

int
kit_write_full(int fd, const void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(fd, (const char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        done += (size_t)n;
    }
    return 0;
}

int
kit_tcp_connect(int port)
{
    struct sockaddr_in addr = {
        .sin_family = AF_INET,
        .sin_port = htons((uint16_t)port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -errno;
    while (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int err = errno;
        if (err == EINTR)
            continue;
        close(fd);
        return -err;
    }
    return fd;
}

bool
kit_wait_until(bool (*pred)(void *arg), void *arg, double timeout)
{
    double deadline = kit_now() + timeout;

    /* Polling is the only way to see a state no event announces; 2 ms
     * keeps it cheap and far below any deadline a test uses. */
    while (!pred(arg)) {
        if (kit_now() >= deadline)
            return pred(arg);
        poll(NULL, 0, 2);
    }
    return true;
}

static bool
asleep(void *arg)
{
    return kit_proc_state(*(pid_t *)arg) == 'S';
}

bool
kit_wait_asleep(pid_t id, double timeout)
{
    return kit_wait_until(asleep, &id, timeout);
}
