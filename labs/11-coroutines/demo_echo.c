/*
 * demo_echo.c - a single-threaded echo server and 100 clients, all
 * coroutines on one hub: accept, read, write and connect park the
 * coroutine on epoll, never the thread (lab 11, part C).
 * Python:  monkey.patch_all(); a StreamServer-like accept loop that
 *          spawns a handler per connection, and 100 client greenlets.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cosched.h"

#define CLIENTS 100

static struct sockaddr_in server_addr;
static int listen_fd = -1;
static int echoed;

/* handler - echo what comes until the client closes. */
static void *
handler(struct co_hub *hub, void *arg)
{
    int fd = (int)(long)arg;
    char buf[256];
    ssize_t n;

    while ((n = co_read(hub, fd, buf, sizeof(buf))) > 0)
        if (co_write(hub, fd, buf, (size_t)n) != 0)
            break;
    close(fd);
    return NULL;
}

/* server - accept CLIENTS connections, one handler task each, and
 * wait for every handler before returning. */
static void *
server(struct co_hub *hub, void *arg)
{
    struct co_task *h[CLIENTS] = {NULL};
    int n = 0;

    (void)arg;
    while (n < CLIENTS) {
        int fd = co_accept(hub, listen_fd);
        if (fd < 0)
            break;
        if (co_spawn(hub, &h[n], handler, (void *)(long)fd) != 0) {
            close(fd);
            break;
        }
        n++;
    }
    co_joinall(h, (size_t)n, LAB_FOREVER, NULL);
    for (int i = 0; i < n; i++)
        co_task_free(h[i]);
    return NULL;
}

/* client - connect, send "hello N", check the echo. */
static void *
client(struct co_hub *hub, void *arg)
{
    char msg[32];
    char back[32] = "";
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int len = snprintf(msg, sizeof(msg), "hello %ld", (long)arg);

    if (fd >= 0 &&
        co_connect(hub, fd, (struct sockaddr *)&server_addr,
                   sizeof(server_addr)) == 0 &&
        co_write(hub, fd, msg, (size_t)len) == 0 &&
        co_read(hub, fd, back, sizeof(back) - 1) == len &&
        memcmp(msg, back, (size_t)len) == 0)
        echoed++;
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* listen_loopback - a listening socket on 127.0.0.1, any port. */
static int
listen_loopback(void)
{
    socklen_t len = sizeof(server_addr);

    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    server_addr.sin_family = AF_INET;
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listen_fd < 0 ||
        bind(listen_fd, (struct sockaddr *)&server_addr, len) != 0 ||
        listen(listen_fd, CLIENTS) != 0 ||
        getsockname(listen_fd, (struct sockaddr *)&server_addr, &len) != 0)
        return -1;
    return 0;
}

int
main(void)
{
    struct co_task *t[CLIENTS + 1] = {NULL};
    struct co_hub *hub = NULL;
    int err = listen_loopback() == 0 ? co_hub_new(&hub) : -1;

    if (err == 0)
        err = co_spawn(hub, &t[0], server, NULL);
    for (long i = 1; i <= CLIENTS && err == 0; i++)
        err = co_spawn(hub, &t[i], client, (void *)i);
    if (err == 0)
        err = co_joinall(t, CLIENTS + 1, 10.0, NULL);
    for (int i = 0; i <= CLIENTS; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
    close(listen_fd);
    printf("one thread, one hub: %d of %d clients got their echo (err %d)\n",
           echoed, CLIENTS, err);
    return err != 0 || echoed != CLIENTS;
}
