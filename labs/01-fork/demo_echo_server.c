/*
 * demo_echo_server.c - a fork-per-connection echo server: each client
 * gets its own child process; the server reaps them on SIGCHLD.
 * Python: socketserver.ForkingTCPServer(("127.0.0.1", 0), EchoHandler)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fserver.h"

/* Clients the demo runs, one after another. */
#define DEMO_CLIENTS 3

/* talk - connect, send a line, half-close, print the echo.  Returns 0. */
static int
talk(int port, int i)
{
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    char msg[64];
    char got[64];
    ssize_t n;
    size_t len = 0;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    snprintf(msg, sizeof(msg), "hello from client %d", i);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        send(fd, msg, strlen(msg), MSG_NOSIGNAL) < 0 ||
        shutdown(fd, SHUT_WR) < 0) {
        perror("client");
        return 1;
    }
    while ((n = recv(fd, got + len, sizeof(got) - 1 - len, 0)) > 0)
        len += (size_t)n;
    got[len] = '\0';
    close(fd);
    printf("client %d sent \"%s\", got back \"%s\"\n", i, msg, got);
    return strcmp(msg, got) != 0;
}

int
main(void)
{
    struct fserver *s;
    int code = -1;
    int bad = 0;
    int err = fserver_start(&s, NULL);

    if (err) {
        fprintf(stderr, "fserver_start: %s\n", strerror(-err));
        return 1;
    }
    printf("server %d listening on 127.0.0.1:%d\n", (int)fserver_pid(s), fserver_port(s));
    for (int i = 0; i < DEMO_CLIENTS; i++)
        bad |= talk(fserver_port(s), i);
    err = fserver_stop(s, &code, 5.0);
    printf("fserver_stop: %s, server exit code %d\n", err ? strerror(-err) : "ok", code);
    fserver_free(s);
    return bad || err || code != 0;
}
