/*
 * demo_echosrv.c - the notes' thread-per-client TCP server, with three
 * clients connected at the same time; each gets its own words back.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echosrv.h"

/* client - a socket connected to 127.0.0.1:port, or -1. */
static int
client(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* talk - send a line on each client, then read each echo. */
static int
talk(const int *fds, int n)
{
    char msg[64];
    char got[64];

    for (int i = 0; i < n; i++) {
        int len = snprintf(msg, sizeof(msg), "hello from client %d", i);
        if (write(fds[i], msg, (size_t)len) != len)
            return -1;
    }
    for (int i = 0; i < n; i++) {
        ssize_t r = read(fds[i], got, sizeof(got) - 1);
        if (r <= 0)
            return -1;
        got[r] = '\0';
        printf("client %d got back: %s\n", i, got);
    }
    return 0;
}

int
main(void)
{
    struct echosrv *s = NULL;
    int fds[3];
    int err;

    if (echosrv_new(&s, 0) != 0 || echosrv_start(s) != 0)
        return 1;
    printf("echo server on port %d, one thread per client\n", echosrv_port(s));
    for (int i = 0; i < 3; i++)
        fds[i] = client(echosrv_port(s));
    err = fds[0] < 0 || fds[1] < 0 || fds[2] < 0 ? -1 : talk(fds, 3);
    for (int i = 0; i < 3; i++)
        close(fds[i]);
    echosrv_shutdown(s);
    printf("shut down: no thread and no socket left\n");
    echosrv_free(s);
    return err == 0 ? 0 : 1;
}
