/*
 * test_remote.c - functional tests of remote.h: the task master over TCP
 * with an authentication key, its workers, and what happens when a
 * worker dies (lab 04, part D).
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "remote.h"

TestSuite(remote, .timeout = 20);

#define KEY "abc"

static struct remote_master *
master_or_fail(void)
{
    struct remote_master *m = NULL;
    int err = remote_master_new(&m, 0, KEY, 3);

    kit_require_impl(err, "remote_master_new", "04-D");
    cr_assert(eq(int, err, 0), "remote_master_new(&m, 0, \"abc\", 3): expected 0, got %s. See docs/04-ipc.md#remote", kit_errname(err));
    cr_assert(ge(int, remote_master_port(m), 1), "remote_master_port(m) after listening on port 0: expected the real port, got %d. See docs/04-ipc.md#remote", remote_master_port(m));
    return m;
}

static struct remote_conn *
connect_or_fail(struct remote_master *m)
{
    struct remote_conn *c = NULL;
    int err = remote_connect(&c, remote_master_port(m), KEY, 3);

    kit_require_impl(err, "remote_connect", "04-D");
    cr_assert(eq(int, err, 0), "remote_connect(&c, port, \"abc\", 3) with the master's key: expected 0, got %s. See docs/04-ipc.md#auth", kit_errname(err));
    return c;
}

/* Catches: the stub.  Mirrors BM-01: tasks in, a worker process squares
 * them, every result comes back tagged with its task's id. */
KIT_TEST(remote, worker_process_answers_every_task)
{
    struct remote_master *m = master_or_fail();
    struct remote_conn *c = connect_or_fail(m);
    uint64_t ids[5];
    int seen[5] = { 0 };
    int status = -1;
    pid_t pid;

    for (int i = 0; i < 5; i++) {
        int err = remote_task_put(c, &i, sizeof(i), &ids[i]);
        kit_require_impl(err, "remote_task_put", "04-D");
        cr_assert(eq(int, err, 0), "remote_task_put(c, &i, 4, &id): expected 0, got %s. See docs/04-ipc.md#remote", kit_errname(err));
    }
    pid = fork();
    cr_assert(ge(int, pid, 0), "test setup: fork failed");
    if (pid == 0) {
        struct remote_conn *w;
        if (remote_connect(&w, remote_master_port(m), KEY, 3) != 0)
            _exit(3);
        for (int i = 0; i < 5; i++) {
            uint64_t id;
            int *x;
            size_t len;
            int sq;
            if (remote_task_get(w, &id, (void **)&x, &len, 5.0) != 0)
                _exit(4);
            sq = *x * *x;
            free(x);
            if (remote_result_put(w, id, &sq, sizeof(sq)) != 0)
                _exit(5);
        }
        remote_close(w);
        _exit(0);
    }
    for (int i = 0; i < 5; i++) {
        uint64_t id = 0;
        int *r = NULL;
        size_t len;
        int err = remote_result_get(c, &id, (void **)&r, &len, 5.0);
        cr_assert(eq(int, err, 0), "remote_result_get(c, ..., 5.0), result %d of 5: expected 0, got %s. See docs/04-ipc.md#remote", i + 1, kit_errname(err));
        for (int k = 0; k < 5; k++) {
            if (ids[k] == id) {
                seen[k]++;
                cr_expect(eq(int, *r, k * k), "the result for task %d: expected %d, got %d. See docs/04-ipc.md#remote", k, k * k, *r);
            }
        }
        free(r);
    }
    waitpid(pid, &status, 0);
    for (int k = 0; k < 5; k++)
        cr_expect(eq(int, seen[k], 1), "task %d: its result arrived %d times, expected exactly once. See docs/04-ipc.md#exactly-once", k, seen[k]);
    cr_expect(eq(int, status, 0), "the worker process failed (status 0x%x). See docs/04-ipc.md#remote", status);
    remote_close(c);
    remote_master_free(m);
}

/* Catches: auth_accepts_any_key.patch.  Mirrors BM-02: a client with the
 * wrong key is refused with -EACCES. */
KIT_TEST(remote, wrong_key_is_refused_with_eacces)
{
    struct remote_master *m = master_or_fail();
    struct remote_conn *c = (struct remote_conn *)&c;
    int err = remote_connect(&c, remote_master_port(m), "abd", 3);

    kit_require_impl(err, "remote_connect", "04-D");
    cr_expect(eq(int, err, -EACCES), "remote_connect with the key \"abd\" to a master keyed \"abc\": expected -EACCES (Python: AuthenticationError), got %s. See docs/04-ipc.md#auth", kit_errname(err));
    cr_expect(eq(ptr, c, NULL), "remote_connect must set *out to NULL when it fails. See docs/04-ipc.md#auth");
    remote_close(connect_or_fail(m));
    remote_master_free(m);
}

/* Catches: the stub.  Mirrors BM-03: nobody listening. */
KIT_TEST(remote, connect_after_shutdown_is_refused)
{
    struct remote_master *m = master_or_fail();
    int port = remote_master_port(m);
    struct remote_conn *c;
    int err;

    remote_master_free(m);
    err = remote_connect(&c, port, KEY, 3);
    cr_expect(eq(int, err, -ECONNREFUSED), "remote_connect to a master that shut down: expected -ECONNREFUSED, got %s. See docs/04-ipc.md#remote", kit_errname(err));
}

/* Child: take one task, say so on fd, and wait to be killed. */
static void
take_and_hang(int port, int fd)
{
    struct remote_conn *w;
    uint64_t id;
    void *t;
    size_t len;

    if (remote_connect(&w, port, KEY, 3) != 0 ||
        remote_task_get(w, &id, &t, &len, 5.0) != 0)
        _exit(3);
    if (write(fd, &id, sizeof(id)) != sizeof(id))
        _exit(3);
    for (;;)
        pause();
}

/* Catches: dead_worker_task_dropped.patch.  A worker killed after taking
 * a task does not lose it: the next worker gets the same task. */
KIT_TEST(remote, task_of_a_killed_worker_goes_back_to_the_queue)
{
    struct remote_master *m = master_or_fail();
    struct remote_conn *c = connect_or_fail(m);
    uint64_t put_id = 0;
    uint64_t taken_id = 0;
    uint64_t again_id = 0;
    void *t = NULL;
    size_t len;
    int fds[2];
    pid_t pid;
    int err = remote_task_put(c, "job", 3, &put_id);

    kit_require_impl(err, "remote_task_put", "04-D");
    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    pid = fork();
    cr_assert(ge(int, pid, 0), "test setup: fork failed");
    if (pid == 0) {
        close(fds[0]);
        take_and_hang(remote_master_port(m), fds[1]);
    }
    close(fds[1]);
    cr_assert(eq(long, (long)kit_read_full(fds[0], &taken_id, sizeof(taken_id), 5.0), (long)sizeof(taken_id)), "test setup: the worker never took the task");
    close(fds[0]);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    err = remote_task_get(c, &again_id, &t, &len, 5.0);
    cr_assert(eq(int, err, 0), "remote_task_get(c, ..., 5.0) after the worker holding the only task was killed: expected 0 and that task again, got %s (a dead worker's task must go back to the queue). See docs/04-ipc.md#requeue", kit_errname(err));
    cr_expect(all(eq(u64, again_id, put_id), eq(sz, len, 3)), "the requeued task: expected id %llu (\"job\"), got id %llu, %zu bytes. See docs/04-ipc.md#requeue", (unsigned long long)put_id, (unsigned long long)again_id, len);
    free(t);
    remote_close(c);
    remote_master_free(m);
}

/* Catches: result_not_checked.patch (any connection may answer any id).
 * A result for a task this connection does not hold is refused, so the
 * master never sees a result twice. */
KIT_TEST(remote, result_for_a_task_not_held_is_refused)
{
    struct remote_master *m = master_or_fail();
    struct remote_conn *a = connect_or_fail(m);
    struct remote_conn *b = connect_or_fail(m);
    uint64_t id = 0;
    void *t = NULL;
    size_t len;
    int err = remote_task_put(a, "t", 1, NULL);

    kit_require_impl(err, "remote_task_put", "04-D");
    err = remote_task_get(a, &id, &t, &len, 5.0);
    cr_assert(eq(int, err, 0), "remote_task_get(a, ..., 5.0): expected 0, got %s. See docs/04-ipc.md#remote", kit_errname(err));
    free(t);
    err = remote_result_put(b, id, "r", 1);
    cr_expect(eq(int, err, -ENOENT), "remote_result_put(b, id) for a task that a holds: expected -ENOENT, got %s. See docs/04-ipc.md#exactly-once", kit_errname(err));
    err = remote_result_put(a, id, "r", 1);
    cr_expect(eq(int, err, 0), "remote_result_put(a, id) by the holder: expected 0, got %s. See docs/04-ipc.md#exactly-once", kit_errname(err));
    err = remote_result_put(a, id, "r", 1);
    cr_expect(eq(int, err, -ENOENT), "a second remote_result_put(a, id) for the same task: expected -ENOENT, got %s. See docs/04-ipc.md#exactly-once", kit_errname(err));
    remote_close(a);
    remote_close(b);
    remote_master_free(m);
}

/* Catches: the stub. */
KIT_TEST(remote, master_rejects_a_key_longer_than_the_limit)
{
    static char key[REMOTE_KEY_MAX + 1];
    struct remote_master *m = (struct remote_master *)&m;
    int err = remote_master_new(&m, 0, key, sizeof(key));

    kit_require_impl(err, "remote_master_new", "04-D");
    cr_expect(eq(int, err, -EINVAL), "remote_master_new with a %zu-byte key: expected -EINVAL, got %s. See docs/04-ipc.md#remote", sizeof(key), kit_errname(err));
    cr_expect(eq(ptr, m, NULL), "remote_master_new must set *out to NULL when it fails. See docs/04-ipc.md#remote");
}
