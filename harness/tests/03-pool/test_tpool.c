/*
 * test_tpool.c - functional tests of tpool.h: the same interface over
 * threads of this process (lab 03, part F).
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "tpool.h"

TestSuite(tpool, .timeout = 20);

/* Task: the int arg squared, and the pid that ran it. */
static int
square_pid(const void *arg, size_t arg_len, void *out, size_t out_cap,
           size_t *out_len)
{
    int res[2] = { *(const int *)arg * *(const int *)arg, (int)getpid() };

    (void)arg_len;
    (void)out_cap;
    memcpy(out, res, sizeof(res));
    *out_len = sizeof(res);
    return 0;
}

/* Task: read one byte from the fd in arg, then return 0. */
static int
wait_fd(const void *arg, size_t arg_len, void *out, size_t out_cap,
        size_t *out_len)
{
    char c;

    (void)arg_len;
    (void)out;
    (void)out_cap;
    (void)out_len;
    while (read(*(const int *)arg, &c, 1) < 0 && errno == EINTR)
        continue;
    return 0;
}

static struct tpool *
new_tpool(int n)
{
    struct pool_options opts = { .processes = n };
    struct tpool *p = NULL;
    int err = tpool_new(&p, &opts);

    kit_require_impl(err, "tpool_new", "03-F");
    cr_assert(eq(int, err, 0), "tpool_new(&p, {.processes = %d}): expected 0, got %s. See docs/03-pool.md#thread-pool", n, kit_errname(err));
    return p;
}

/* Catches: the stub.  Mirrors POOL-25: map in order, every task in the
 * caller's process; apply gives the task's failure. */
KIT_TEST(tpool, map_and_apply_run_on_threads_of_this_process)
{
    struct tpool *p = new_tpool(2);
    int in[20];
    int out[20][2];
    int err;

    for (int i = 0; i < 20; i++)
        in[i] = i;
    err = tpool_map(p, square_pid, in, sizeof(int), 20, out, sizeof(out[0]), 3);
    kit_require_impl(err, "tpool_map", "03-F");
    cr_assert(eq(int, err, 0), "tpool_map(20 items, chunksize 3): expected 0, got %s. See docs/03-pool.md#thread-pool", kit_errname(err));
    for (int i = 0; i < 20; i++) {
        cr_expect(eq(int, out[i][0], i * i), "tpool_map results[%d] = %d, expected %d. See docs/03-pool.md#thread-pool", i, out[i][0], i * i);
        cr_expect(eq(int, out[i][1], (int)getpid()), "a thread-pool task ran in pid %d: threads share the caller's process (%d). See docs/03-pool.md#thread-pool", out[i][1], (int)getpid());
    }
    int one[2] = { 0, 0 };
    err = tpool_apply(p, square_pid, &in[5], sizeof(int), one, sizeof(one), NULL);
    cr_expect(eq(int, err, 0), "tpool_apply: expected 0, got %s. See docs/03-pool.md#thread-pool", kit_errname(err));
    cr_expect(eq(int, one[0], 25), "tpool_apply(square, 5): expected 25, got %d. See docs/03-pool.md#thread-pool", one[0]);
    err = tpool_join(p);
    cr_expect(eq(int, err, -EINVAL), "tpool_join on a running pool: expected -EINVAL, got %s. See docs/03-pool.md#close-join", kit_errname(err));
    cr_expect(eq(int, tpool_close(p), 0), "tpool_close: expected 0. See docs/03-pool.md#close-join");
    cr_expect(eq(int, tpool_join(p), 0), "tpool_join after close: expected 0. See docs/03-pool.md#close-join");
    tpool_free(p);
}

/* Catches: the stub.  terminate drops the queued task (-ECANCELED) and
 * lets the running one finish. */
KIT_TEST(tpool, terminate_cancels_queued_tasks_and_waits_for_running_ones)
{
    int fds[2];
    struct tpool *p;
    struct tpool_result *running = NULL;
    struct tpool_result *queued = NULL;
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2");
    p = new_tpool(1);
    err = tpool_apply_async(p, wait_fd, &fds[0], sizeof(int), NULL, NULL, &running);
    kit_require_impl(err, "tpool_apply_async", "03-F");
    cr_assert(eq(int, err, 0), "tpool_apply_async: expected 0, got %s. See docs/03-pool.md#thread-pool", kit_errname(err));
    err = tpool_apply_async(p, wait_fd, &fds[0], sizeof(int), NULL, NULL, &queued);
    cr_assert(eq(int, err, 0), "tpool_apply_async #2: expected 0, got %s. See docs/03-pool.md#thread-pool", kit_errname(err));
    cr_expect(eq(int, tpool_result_wait(running, 0.05), -ETIMEDOUT), "wait(0.05) on a blocked task: expected -ETIMEDOUT. See docs/03-pool.md#get-timeout");
    err = tpool_terminate(p);
    cr_expect(eq(int, err, 0), "tpool_terminate: expected 0, got %s. See docs/03-pool.md#terminate", kit_errname(err));
    cr_assert(eq(int, (int)write(fds[1], "g", 1), 1), "test setup: write");
    cr_expect(eq(int, tpool_join(p), 0), "tpool_join after terminate: expected 0. See docs/03-pool.md#terminate");
    err = tpool_result_get(running, NULL, 0, NULL, 5.0);
    cr_expect(eq(int, err, 0), "the task that was running at terminate: expected 0 (threads cannot be killed: it finishes), got %s. See docs/03-pool.md#terminate", kit_errname(err));
    err = tpool_result_get(queued, NULL, 0, NULL, 5.0);
    cr_expect(eq(int, err, -ECANCELED), "the task still queued at terminate: expected -ECANCELED, got %s. See docs/03-pool.md#terminate", kit_errname(err));
    tpool_result_free(running);
    tpool_result_free(queued);
    tpool_free(p);
    close(fds[0]);
    close(fds[1]);
}
