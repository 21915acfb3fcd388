/*
 * test_echosrv.c - functional and hygiene tests of echosrv.h (lab 05,
 * part I): many clients at once, every byte back, nothing left behind.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "echosrv.h"

TestSuite(echosrv, .timeout = 30);

#define CLIENTS 50

/* started_server - a server on a free port, started. */
static struct echosrv *
started_server(void)
{
    struct echosrv *s = NULL;
    int err = echosrv_new(&s, 0);

    kit_require_impl(err, "echosrv_new", "05-I");
    cr_assert(eq(int, err, 0), "echosrv_new(&s, 0): expected 0, got %s. See docs/05-threads.md#thread-per-client", kit_errname(err));
    err = echosrv_start(s);
    kit_require_impl(err, "echosrv_start", "05-I");
    cr_assert(eq(int, err, 0), "echosrv_start(s): expected 0, got %s. See docs/05-threads.md#thread-per-client", kit_errname(err));
    return s;
}

/* connect_all - n clients, all connected before any sends. */
static void
connect_all(struct echosrv *s, int *fds, int n)
{
    for (int i = 0; i < n; i++) {
        fds[i] = kit_tcp_connect(echosrv_port(s));
        cr_assert(eq(int, !!(fds[i] >= 0), 1), "client %d: connect to 127.0.0.1:%d failed: %s. See docs/05-threads.md#thread-per-client", i, echosrv_port(s), kit_errname(fds[i]));
    }
}

/* exchange - every client sends its own message; every echo is read. */
static void
exchange(int *fds, int n, size_t len)
{
    char out[4096];
    char in[4096];

    for (int i = 0; i < n; i++) {
        memset(out, 'a' + i % 26, len);
        snprintf(out, len, "client %d says hello", i);
        cr_assert(eq(int, kit_write_full(fds[i], out, len), 0), "client %d: write failed", i);
    }
    for (int i = 0; i < n; i++) {
        ssize_t got = kit_read_full(fds[i], in, len, 5.0);
        memset(out, 'a' + i % 26, len);
        snprintf(out, len, "client %d says hello", i);
        cr_assert(eq(sz, (size_t)(got < 0 ? 0 : got), len), "client %d of %d (all connected at once): expected its %zu bytes back, got %zd (%s). One thread per client serves them all at the same time. See docs/05-threads.md#thread-per-client", i, n, len, got, got < 0 ? kit_errname((int)got) : "short");
        cr_assert(eq(int, memcmp(in, out, len), 0), "client %d: the echo differs from what it sent. See docs/05-threads.md#thread-per-client", i);
    }
}

/* Catches: the stub, and a server that serves one client at a time.
 * Fifty clients are connected at once; every one gets every byte back. */
KIT_TEST(echosrv, fifty_concurrent_clients_get_every_byte_back)
{
    struct echosrv *s = started_server();
    int fds[CLIENTS];

    connect_all(s, fds, CLIENTS);
    exchange(fds, CLIENTS, 3000);
    exchange(fds, CLIENTS, 100);
    for (int i = 0; i < CLIENTS; i++)
        close(fds[i]);
    echosrv_free(s);
}

/* Catches: echosrv_leaks_client_socket.patch (the hygiene check after
 * the body finds the server's ends of the closed clients still open).
 * Clients that leave and clients still connected at shutdown: afterwards
 * no thread and no socket of the server is left. */
KIT_TEST(echosrv, shutdown_leaves_no_thread_and_no_socket)
{
    struct echosrv *s = started_server();
    int fds[6];
    char c;
    int err;

    connect_all(s, fds, 6);
    exchange(fds, 6, 10);
    for (int i = 0; i < 3; i++)
        close(fds[i]);          /* these three leave on their own */
    err = echosrv_shutdown(s);
    kit_require_impl(err, "echosrv_shutdown", "05-I");
    cr_expect(eq(int, err, 0), "echosrv_shutdown(s): expected 0, got %s. See docs/05-threads.md#shutdown", kit_errname(err));
    for (int i = 3; i < 6; i++) {
        ssize_t n = kit_read_full(fds[i], &c, 1, 5.0);
        cr_expect(eq(sz, (size_t)(n < 0 ? 1 : n), 0), "client %d still connected at shutdown: expected end of stream (0), got %zd. See docs/05-threads.md#shutdown", i, n);
        close(fds[i]);
    }
    err = kit_tcp_connect(echosrv_port(s));
    cr_expect(eq(int, !!(err < 0), 1), "connect after echosrv_shutdown succeeded: the listening socket must be closed. See docs/05-threads.md#shutdown");
    if (err >= 0)
        close(err);
    echosrv_free(s);
}

/* Catches: the stub. */
KIT_TEST(echosrv, new_rejects_bad_arguments)
{
    struct echosrv *s = (struct echosrv *)&s;
    int err = echosrv_new(&s, -1);

    kit_require_impl(err, "echosrv_new", "05-I");
    cr_expect(eq(int, err, -EINVAL), "echosrv_new(&s, -1): expected -EINVAL, got %s. See docs/05-threads.md#thread-per-client", kit_errname(err));
    cr_expect(eq(ptr, s, NULL), "echosrv_new failing must set *out to NULL. See docs/05-threads.md#thread-per-client");
    err = echosrv_start(NULL);
    cr_expect(eq(int, err, -EINVAL), "echosrv_start(NULL): expected -EINVAL, got %s. See docs/05-threads.md#thread-per-client", kit_errname(err));
}
