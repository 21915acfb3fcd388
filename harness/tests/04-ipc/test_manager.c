/*
 * test_manager.c - functional tests of manager.h: the server process, its
 * Value, dict, Queue and Lock seen through proxies (lab 04, part C).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "manager.h"

TestSuite(manager, .timeout = 20);

static struct manager *
start_or_fail(void)
{
    struct manager *m = NULL;
    int err = manager_new(&m);

    kit_require_impl(err, "manager_new", "04-C");
    cr_assert(eq(int, err, 0), "manager_new(&m): expected 0, got %s. See docs/04-ipc.md#manager", kit_errname(err));
    return m;
}

static struct manager_proxy *
connect_or_fail(struct manager *m)
{
    struct manager_proxy *p = NULL;
    int err = manager_connect(m, &p);

    kit_require_impl(err, "manager_connect", "04-C");
    cr_assert(eq(int, err, 0), "manager_connect(m, &p): expected 0, got %s. See docs/04-ipc.md#manager", kit_errname(err));
    return p;
}

/* Catches: the stub.  Mirrors MGR-08: a value set through one proxy is
 * seen through another; manager_value_add returns the new value. */
KIT_TEST(manager, value_set_through_one_proxy_is_seen_through_another)
{
    struct manager *m = start_or_fail();
    struct manager_proxy *a = connect_or_fail(m);
    struct manager_proxy *b = connect_or_fail(m);
    long v = -1;
    int err = manager_value_set(a, 41);

    kit_require_impl(err, "manager_value_set", "04-C");
    cr_assert(eq(int, err, 0), "manager_value_set(a, 41): expected 0, got %s. See docs/04-ipc.md#manager", kit_errname(err));
    err = manager_value_get(b, &v);
    cr_expect(all(eq(int, err, 0), eq(long, v, 41)), "manager_value_get(b) after a set 41: expected 0 and 41, got %s and %ld (one server owns the value). See docs/04-ipc.md#manager", kit_errname(err), v);
    err = manager_value_add(b, 1, &v);
    cr_expect(all(eq(int, err, 0), eq(long, v, 42)), "manager_value_add(b, 1): expected 0 and the new value 42, got %s and %ld. See docs/04-ipc.md#atomic-add", kit_errname(err), v);
    manager_proxy_free(a);
    manager_proxy_free(b);
    manager_free(m);
}

/* Catches: the stub.  Mirrors MGR-06 (set, get, del, len, KeyError). */
KIT_TEST(manager, dict_sets_gets_and_deletes_by_key)
{
    struct manager *m = start_or_fail();
    struct manager_proxy *p = connect_or_fail(m);
    size_t n = 99;
    long v = 0;
    int err = manager_dict_set(p, "foo", 5);

    kit_require_impl(err, "manager_dict_set", "04-C");
    cr_assert(eq(int, err, 0), "manager_dict_set(p, \"foo\", 5): expected 0, got %s. See docs/04-ipc.md#manager", kit_errname(err));
    manager_dict_set(p, "bar", 7);
    err = manager_dict_get(p, "foo", &v);
    cr_expect(all(eq(int, err, 0), eq(long, v, 5)), "manager_dict_get(p, \"foo\"): expected 0 and 5, got %s and %ld. See docs/04-ipc.md#manager", kit_errname(err), v);
    err = manager_dict_len(p, &n);
    cr_expect(all(eq(int, err, 0), eq(sz, n, 2)), "manager_dict_len after two keys: expected 2, got %zu (%s). See docs/04-ipc.md#manager", n, kit_errname(err));
    err = manager_dict_del(p, "foo");
    cr_expect(eq(int, err, 0), "manager_dict_del(p, \"foo\"): expected 0, got %s. See docs/04-ipc.md#manager", kit_errname(err));
    err = manager_dict_get(p, "foo", &v);
    cr_expect(eq(int, err, -ENOENT), "manager_dict_get of a deleted key: expected -ENOENT (Python: KeyError), got %s. See docs/04-ipc.md#manager", kit_errname(err));
    manager_proxy_free(p);
    manager_free(m);
}

/* Catches: lock_ignores_owner.patch (acquire granted while another
 * proxy holds the lock).  A second proxy's timed acquire times out while
 * the first holds the lock, and succeeds once it is released. */
KIT_TEST(manager, lock_held_by_one_proxy_times_out_another)
{
    struct manager *m = start_or_fail();
    struct manager_proxy *a = connect_or_fail(m);
    struct manager_proxy *b = connect_or_fail(m);
    int err = manager_lock_acquire(a, LAB_FOREVER);

    kit_require_impl(err, "manager_lock_acquire", "04-C");
    cr_assert(eq(int, err, 0), "manager_lock_acquire(a, LAB_FOREVER) on a free lock: expected 0, got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    err = manager_lock_acquire(b, 0.2);
    cr_expect(eq(int, err, -ETIMEDOUT), "manager_lock_acquire(b, 0.2) while a holds the lock: expected -ETIMEDOUT (Python: False), got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    err = manager_lock_release(b);
    cr_expect(eq(int, err, -EPERM), "manager_lock_release(b) when a holds the lock: expected -EPERM, got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    err = manager_lock_release(a);
    cr_expect(eq(int, err, 0), "manager_lock_release(a) by the holder: expected 0, got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    err = manager_lock_acquire(b, 5.0);
    cr_expect(eq(int, err, 0), "manager_lock_acquire(b, 5.0) after a released: expected 0, got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    manager_proxy_free(a);
    manager_proxy_free(b);
    manager_free(m);
}

/* Catches: the stub.  A proxy that closes while holding the lock (its
 * process died) releases it; Python's would stay held forever. */
KIT_TEST(manager, lock_of_a_closed_proxy_is_released)
{
    struct manager *m = start_or_fail();
    struct manager_proxy *a = connect_or_fail(m);
    struct manager_proxy *b = connect_or_fail(m);
    int err = manager_lock_acquire(a, LAB_FOREVER);

    kit_require_impl(err, "manager_lock_acquire", "04-C");
    cr_assert(eq(int, err, 0), "manager_lock_acquire(a): expected 0, got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    manager_proxy_free(a);
    err = manager_lock_acquire(b, 5.0);
    cr_expect(eq(int, err, 0), "manager_lock_acquire(b, 5.0) after the holder's proxy closed: expected 0, got %s. See docs/04-ipc.md#manager-lock", kit_errname(err));
    manager_proxy_free(b);
    manager_free(m);
}

/* Catches: the stub.  Mirrors MGR-05: put in one process, get in
 * another; get on an empty queue times out. */
KIT_TEST(manager, queue_carries_messages_between_processes)
{
    struct manager *m = start_or_fail();
    struct manager_proxy *p;
    void *msg = NULL;
    size_t len = 0;
    int status = -1;
    int err;
    pid_t pid = fork();

    cr_assert(ge(int, pid, 0), "test setup: fork failed");
    if (pid == 0) {
        struct manager_proxy *c;
        if (manager_connect(m, &c) != 0)
            _exit(3);
        _exit(manager_queue_put(c, "hello", 5, 5.0) == 0 ? 0 : 4);
    }
    p = connect_or_fail(m);
    err = manager_queue_get(p, &msg, &len, 5.0);
    waitpid(pid, &status, 0);
    kit_require_impl(err, "manager_queue_get", "04-C");
    cr_assert(eq(int, err, 0), "manager_queue_get(p, ..., 5.0) while a child puts \"hello\": expected 0, got %s (child status %d). See docs/04-ipc.md#manager", kit_errname(err), status);
    cr_expect(all(eq(sz, len, 5), eq(int, memcmp(msg, "hello", 5), 0)), "manager_queue_get: expected \"hello\", got %zu bytes. See docs/04-ipc.md#manager", len);
    free(msg);
    err = manager_queue_get(p, &msg, &len, 0.1);
    cr_expect(eq(int, err, -ETIMEDOUT), "manager_queue_get(p, ..., 0.1) on an empty queue: expected -ETIMEDOUT (Python: queue.Empty), got %s. See docs/04-ipc.md#manager", kit_errname(err));
    manager_proxy_free(p);
    manager_free(m);
}

/* Catches: server_keeps_inherited_fds.patch.  A socketpair made before
 * manager_new: once the test closes one end, the other must see EOF at
 * once.  A server that kept its inherited copy would hold it open. */
KIT_TEST(manager, server_holds_no_copy_of_the_callers_descriptors)
{
    struct manager *m;
    int sv[2];
    char c;
    ssize_t n;

    cr_assert(eq(int, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0), "test setup: socketpair failed");
    m = start_or_fail();
    close(sv[1]);
    n = kit_read_full(sv[0], &c, 1, 2.0);
    cr_expect(eq(long, (long)n, 0L), "reading the end whose peer the test closed after manager_new: expected EOF (0), got %ld (%s): the server process still holds a copy of the peer. Close inherited descriptors in the server. See docs/04-ipc.md#inherited", (long)n, n < 0 ? kit_errname((int)n) : "data");
    close(sv[0]);
    manager_free(m);
}

/* Catches: the stub; a server left running fails the hygiene check.
 * After manager_free, proxies see -EPIPE and no process is left. */
KIT_TEST(manager, free_stops_the_server_and_proxies_see_epipe)
{
    struct manager *m = start_or_fail();
    struct manager_proxy *p = connect_or_fail(m);
    long v;
    int err;

    manager_free(m);
    err = manager_value_get(p, &v);
    kit_require_impl(err, "manager_value_get", "04-C");
    cr_expect(eq(int, err, -EPIPE), "manager_value_get after manager_free: expected -EPIPE (the server is gone), got %s. See docs/04-ipc.md#manager", kit_errname(err));
    manager_proxy_free(p);
}
