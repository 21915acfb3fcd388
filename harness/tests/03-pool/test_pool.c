/*
 * test_pool.c - functional tests of pool.h: workers and reuse, the
 * initializer, apply and apply_async with callbacks and timeouts, map in
 * order with chunksize, close/join/terminate, crashed workers (lab 03,
 * parts A-E).
 *
 * Tasks that must last block on a pipe made before pool_new(), so every
 * worker holds both ends: the test releases a task by writing a byte,
 * and one task can release another.  Nothing sleeps.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "pool.h"

TestSuite(pool, .timeout = 20);

/* What a test task does with its int argument (struct order_item). */
enum act {
    ACT_SQUARE,         /* return x * x */
    ACT_WAIT,           /* read one byte from fd, then x * x */
    ACT_POST,           /* write one byte to fd, then x * x */
    ACT_DIE,            /* SIGKILL our own worker */
    ACT_FAIL,           /* return -x */
    ACT_PAUSE,          /* block forever */
};

struct item {
    int act;
    int x;
    int fd;
};

/* The test task: see enum act; the result is an int. */
static int
task(const void *arg, size_t arg_len, void *out, size_t out_cap,
     size_t *out_len)
{
    const struct item *it = arg;
    char c = 'x';

    (void)arg_len;
    (void)out_cap;
    if (it->act == ACT_WAIT)
        while (read(it->fd, &c, 1) < 0 && errno == EINTR)
            continue;
    if (it->act == ACT_POST && write(it->fd, &c, 1) != 1)
        return -EIO;
    if (it->act == ACT_DIE)
        kill(getpid(), SIGKILL);
    if (it->act == ACT_PAUSE)
        for (;;)
            pause();
    if (it->act == ACT_FAIL)
        return -it->x;
    *(int *)out = it->x * it->x;
    *out_len = sizeof(int);
    return 0;
}

/* Task: return the worker's pid. */
static int
pid_task(const void *arg, size_t arg_len, void *out, size_t out_cap,
         size_t *out_len)
{
    pid_t pid = getpid();

    (void)arg;
    (void)arg_len;
    (void)out_cap;
    memcpy(out, &pid, sizeof(pid));
    *out_len = sizeof(pid);
    return 0;
}

/* Set by the initializer in each worker; read by init_task. */
static int worker_tag;

static void
set_tag(void *arg)
{
    worker_tag = *(int *)arg;
}

static int
init_task(const void *arg, size_t arg_len, void *out, size_t out_cap,
          size_t *out_len)
{
    (void)arg;
    (void)arg_len;
    (void)out_cap;
    memcpy(out, &worker_tag, sizeof(worker_tag));
    *out_len = sizeof(worker_tag);
    return 0;
}

/* new_pool - pool_new with n workers, asserting. */
static struct pool *
new_pool(int n)
{
    struct pool_options opts = { .processes = n };
    struct pool *p = NULL;
    int err = pool_new(&p, &opts);

    kit_require_impl(err, "pool_new", "03-A");
    cr_assert(eq(int, err, 0), "pool_new(&p, {.processes = %d}): expected 0, got %s. See docs/03-pool.md#new", n, kit_errname(err));
    return p;
}

/* close_join - pool_close + pool_join must both return 0. */
static void
close_join(struct pool *p)
{
    int err = pool_close(p);

    kit_require_impl(err, "pool_close", "03-D");
    cr_assert(eq(int, err, 0), "pool_close(p): expected 0, got %s. See docs/03-pool.md#close-join", kit_errname(err));
    err = pool_join(p);
    cr_assert(eq(int, err, 0), "pool_join(p) after pool_close: expected 0, got %s. See docs/03-pool.md#close-join", kit_errname(err));
}

/* async - pool_apply_async of `task` on *it, asserting. */
static struct pool_result *
async(struct pool *p, const struct item *it, pool_callback *cb, void *arg)
{
    struct pool_result *r = NULL;
    int err = pool_apply_async(p, task, it, sizeof(*it), cb, arg, &r);

    kit_require_impl(err, "pool_apply_async", "03-B");
    cr_assert(eq(int, err, 0), "pool_apply_async(p, task, ...): expected 0, got %s. See docs/03-pool.md#apply-async", kit_errname(err));
    return r;
}

static void
make_pipe(int fds[2])
{
    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed: %s", strerror(errno));
}

static void
close_pipe(int fds[2])
{
    close(fds[0]);
    close(fds[1]);
}

/* ---- part A: the pool and its workers -------------------------------- */

/* Catches: the stub.  Mirrors POOL-13 and Pool()'s default size. */
KIT_TEST(pool, new_rejects_negative_processes_and_defaults_to_cpus)
{
    struct pool_options bad = { .processes = -1 };
    struct pool *p = (struct pool *)&p;
    int err = pool_new(&p, &bad);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    kit_require_impl(err, "pool_new", "03-A");
    cr_expect(eq(int, err, -EINVAL), "pool_new(&p, {.processes = -1}): expected -EINVAL (Python: ValueError), got %s. See docs/03-pool.md#new", kit_errname(err));
    cr_expect(eq(ptr, p, NULL), "a failed pool_new must set *out to NULL. See docs/03-pool.md#new");
    p = new_pool(0);
    cr_expect(eq(int, pool_processes(p), (int)cpus), "pool_processes(p) for {.processes = 0}: expected the CPU count %ld (Python: os.cpu_count()), got %d. See docs/03-pool.md#new", cpus, pool_processes(p));
    pool_free(p);
}

/* Catches: the stub.  Mirrors POOL-01. */
KIT_TEST(pool, apply_returns_the_tasks_result)
{
    struct pool *p = new_pool(2);
    struct item it = { .act = ACT_SQUARE, .x = 5 };
    int out = 0;
    size_t len = 0;
    int err = pool_apply(p, task, &it, sizeof(it), &out, sizeof(out), &len);

    kit_require_impl(err, "pool_apply", "03-A");
    cr_expect(eq(int, err, 0), "pool_apply(p, square, 5): expected 0, got %s. See docs/03-pool.md#workers", kit_errname(err));
    cr_expect(eq(int, out, 25), "pool_apply(p, square, 5): expected the result 25, got %d. See docs/03-pool.md#workers", out);
    cr_expect(eq(sz, len, sizeof(int)), "pool_apply: expected *out_len = %zu, got %zu. See docs/03-pool.md#workers", sizeof(int), len);
    close_join(p);
    pool_free(p);
}

/* Catches: workers_not_reused.patch.  The notes' example: ten tasks on
 * Pool(3) show at most three worker pids, none of them the parent's. */
KIT_TEST(pool, ten_tasks_on_three_workers_show_at_most_three_pids)
{
    struct pool *p = new_pool(3);
    pid_t seen[10];
    int distinct = 0;

    for (int i = 0; i < 10; i++) {
        pid_t pid = 0;
        int err = pool_apply(p, pid_task, NULL, 0, &pid, sizeof(pid), NULL);

        kit_require_impl(err, "pool_apply", "03-A");
        cr_assert(eq(int, err, 0), "pool_apply(p, pid_task) #%d: expected 0, got %s. See docs/03-pool.md#workers", i, kit_errname(err));
        cr_assert(ne(int, (int)pid, (int)getpid()), "a task ran in the parent (pid %d): tasks run in worker processes. See docs/03-pool.md#workers", (int)pid);
        int j = 0;
        while (j < distinct && seen[j] != pid)
            j++;
        if (j == distinct)
            seen[distinct++] = pid;
    }
    cr_expect(le(int, distinct, 3), "ten tasks on Pool(3) ran in %d different processes: workers must be reused, not forked per task. See docs/03-pool.md#workers", distinct);
    close_join(p);
    pool_free(p);
}

/* Catches: the stub.  Mirrors POOL-15: the initializer ran in every
 * worker before any task. */
KIT_TEST(pool, initializer_runs_in_every_worker_before_its_tasks)
{
    int tag = 42;
    struct pool_options opts = { .processes = 2, .initializer = set_tag,
                                 .initarg = &tag };
    struct pool *p = NULL;
    int err = pool_new(&p, &opts);

    kit_require_impl(err, "pool_new", "03-A");
    cr_assert(eq(int, err, 0), "pool_new with an initializer: expected 0, got %s. See docs/03-pool.md#initializer", kit_errname(err));
    for (int i = 0; i < 6; i++) {
        int got = 0;
        err = pool_apply(p, init_task, NULL, 0, &got, sizeof(got), NULL);
        cr_expect(eq(int, err, 0), "pool_apply(p, init_task): expected 0, got %s. See docs/03-pool.md#initializer", kit_errname(err));
        cr_expect(eq(int, got, 42), "task %d saw worker_tag = %d: the initializer must run in each worker before its first task. See docs/03-pool.md#initializer", i, got);
    }
    cr_expect(eq(int, worker_tag, 0), "the initializer ran in the parent (worker_tag = %d there): it belongs in the workers. See docs/03-pool.md#initializer", worker_tag);
    close_join(p);
    pool_free(p);
}

/* ---- part B: apply_async, results, callbacks -------------------------- */

/* Catches: the stub.  Mirrors POOL-08: the task's failure reaches get. */
KIT_TEST(pool, task_failure_code_reaches_get)
{
    struct pool *p = new_pool(1);
    struct item it = { .act = ACT_FAIL, .x = ENOENT };
    struct pool_result *r = async(p, &it, NULL, NULL);
    int out = 0;
    int err = pool_result_get(r, &out, sizeof(out), NULL, LAB_FOREVER);

    cr_expect(eq(int, err, -ENOENT), "pool_result_get on a task that returned -ENOENT: expected -ENOENT (Python re-raises the task's exception), got %s. See docs/03-pool.md#get-timeout", kit_errname(err));
    pool_result_free(r);
    close_join(p);
    pool_free(p);
}

/* A callback that blocks until the test lets it go, and records where
 * it ran.  Fields under mu. */
struct gated_cb {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool go;
    int calls;
    int status;
    int value;
    pid_t pid;
    bool on_main;
};

static pthread_t main_thread;

static void
gated_callback(int status, const void *result, size_t len, void *arg)
{
    struct gated_cb *g = arg;

    pthread_mutex_lock(&g->mu);
    while (!g->go)
        pthread_cond_wait(&g->cv, &g->mu);
    g->calls++;
    g->status = status;
    if (len == sizeof(int))
        memcpy(&g->value, result, sizeof(int));
    g->pid = getpid();
    g->on_main = pthread_equal(pthread_self(), main_thread);
    pthread_mutex_unlock(&g->mu);
}

/* Catches: callback_after_ready.patch.  Mirrors POOL-06: the callback
 * runs once, in the parent, not on the caller's thread, and has finished
 * before the result is ready: while it is held, get(0.2) times out. */
KIT_TEST(pool, callback_has_finished_when_get_returns)
{
    struct gated_cb g = { .mu = PTHREAD_MUTEX_INITIALIZER,
                          .cv = PTHREAD_COND_INITIALIZER };
    struct pool *p = new_pool(1);
    struct item it = { .act = ACT_SQUARE, .x = 7 };
    struct pool_result *r;
    int err;

    main_thread = pthread_self();
    r = async(p, &it, gated_callback, &g);
    err = pool_result_get(r, NULL, 0, NULL, 0.2);
    cr_expect(eq(int, err, -ETIMEDOUT), "pool_result_get(r, 0.2) while the callback is still running: expected -ETIMEDOUT (a result is ready only after its callback returned), got %s. See docs/03-pool.md#callbacks", kit_errname(err));
    pthread_mutex_lock(&g.mu);
    g.go = true;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    int out = 0;
    err = pool_result_get(r, &out, sizeof(out), NULL, LAB_FOREVER);
    cr_expect(eq(int, err, 0), "pool_result_get(r) after the callback: expected 0, got %s. See docs/03-pool.md#callbacks", kit_errname(err));
    pthread_mutex_lock(&g.mu);
    cr_expect(eq(int, g.calls, 1), "the callback ran %d times before get returned: expected exactly once. See docs/03-pool.md#callbacks", g.calls);
    cr_expect(eq(int, g.value, 49), "the callback got %d, expected the result 49. See docs/03-pool.md#callbacks", g.value);
    cr_expect(eq(int, (int)g.pid, (int)getpid()), "the callback ran in pid %d: it must run in the parent (%d). See docs/03-pool.md#callbacks", (int)g.pid, (int)getpid());
    cr_expect(not(g.on_main), "the callback ran on the caller's thread: it runs on the pool's result thread. See docs/03-pool.md#callbacks");
    pthread_mutex_unlock(&g.mu);
    pool_result_free(r);
    close_join(p);
    pool_free(p);
}

/* Catches: get_ignores_timeout.patch.  Mirrors POOL-10: get(0.2) on a
 * task that runs on gives -ETIMEDOUT after >= 0.2 s; the task goes on
 * and a later get succeeds. */
KIT_TEST(pool, get_times_out_while_the_task_runs)
{
    int fds[2];
    struct pool *p;
    struct item it = { .act = ACT_WAIT, .x = 3 };
    struct pool_result *r;
    double t0;
    int err;

    make_pipe(fds);
    p = new_pool(1);
    it.fd = fds[0];
    r = async(p, &it, NULL, NULL);
    t0 = kit_now();
    err = pool_result_get(r, NULL, 0, NULL, 0.2);
    t0 = kit_now() - t0;
    cr_expect(eq(int, err, -ETIMEDOUT), "pool_result_get(r, NULL, 0, NULL, 0.2) on a blocked task: expected -ETIMEDOUT (Python: TimeoutError), got %s. See docs/03-pool.md#get-timeout", kit_errname(err));
    cr_expect(t0 >= 0.195 && t0 < 5.0, "get(0.2) returned after %.3f s: expected about 0.2 s. See docs/03-pool.md#get-timeout", t0);
    cr_expect(not(pool_result_ready(r)), "pool_result_ready(r) on a blocked task: expected false. See docs/03-pool.md#get-timeout");
    cr_assert(eq(int, (int)write(fds[1], "g", 1), 1), "test setup: write failed");
    int out = 0;
    err = pool_result_get(r, &out, sizeof(out), NULL, LAB_FOREVER);
    cr_expect(eq(int, err, 0), "a later pool_result_get after the task was released: expected 0, got %s. See docs/03-pool.md#get-timeout", kit_errname(err));
    cr_expect(eq(int, out, 9), "result after the timeout: expected 9, got %d. See docs/03-pool.md#get-timeout", out);
    pool_result_free(r);
    close_join(p);
    pool_free(p);
    close_pipe(fds);
}

/* Counts callback calls (under mu). */
struct counter {
    pthread_mutex_t mu;
    int calls;
};

static void
count_callback(int status, const void *result, size_t len, void *arg)
{
    struct counter *c = arg;

    (void)status;
    (void)result;
    (void)len;
    pthread_mutex_lock(&c->mu);
    c->calls++;
    pthread_mutex_unlock(&c->mu);
}

/* Catches: callback_after_error.patch.  Mirrors POOL-11 and STYLE R17:
 * after close, apply_async fails with -EINVAL and its callback never
 * runs, not even later. */
KIT_TEST(pool, apply_async_after_close_fails_and_never_calls_back)
{
    struct counter c = { .mu = PTHREAD_MUTEX_INITIALIZER };
    struct pool *p = new_pool(1);
    struct item it = { .act = ACT_SQUARE, .x = 2 };
    struct pool_result *r = (struct pool_result *)&r;
    int err = pool_close(p);

    kit_require_impl(err, "pool_close", "03-D");
    err = pool_apply_async(p, task, &it, sizeof(it), count_callback, &c, &r);
    cr_expect(eq(int, err, -EINVAL), "pool_apply_async on a closed pool: expected -EINVAL (Python: ValueError \"Pool not running\"), got %s. See docs/03-pool.md#close-join", kit_errname(err));
    cr_expect(eq(ptr, r, NULL), "a failed pool_apply_async must set *out to NULL. See docs/03-pool.md#apply-async");
    err = pool_join(p);
    cr_expect(eq(int, err, 0), "pool_join after close: expected 0, got %s. See docs/03-pool.md#close-join", kit_errname(err));
    pthread_mutex_lock(&c.mu);
    cr_expect(eq(int, c.calls, 0), "the callback of a refused apply_async ran %d times: after an error return it must never run (R17). See docs/03-pool.md#apply-async", c.calls);
    pthread_mutex_unlock(&c.mu);
    pool_free(p);
}

/* ---- part C: map ------------------------------------------------------- */

/* Catches: map_completion_order.patch.  Mirrors POOL-02: item 0 waits
 * until item 1 has finished, so results arrive 1 then 0; map still gives
 * them in input order. */
KIT_TEST(pool, map_keeps_input_order_when_later_items_finish_first)
{
    int fds[2];
    struct pool *p;
    int out[2] = { -1, -1 };
    int err;

    make_pipe(fds);
    p = new_pool(2);
    struct item items[2] = {
        { .act = ACT_WAIT, .x = 3, .fd = fds[0] },
        { .act = ACT_POST, .x = 4, .fd = fds[1] },
    };
    err = pool_map(p, task, items, sizeof(items[0]), 2, out, sizeof(int), 1);
    kit_require_impl(err, "pool_map", "03-C");
    cr_expect(eq(int, err, 0), "pool_map(p, task, 2 items, chunksize 1): expected 0, got %s. See docs/03-pool.md#order", kit_errname(err));
    cr_expect(eq(int, out[0], 9), "map results[0]: expected 9 (item 0's result, though it finished last), got %d. See docs/03-pool.md#order", out[0]);
    cr_expect(eq(int, out[1], 16), "map results[1]: expected 16, got %d. See docs/03-pool.md#order", out[1]);
    close_join(p);
    pool_free(p);
    close_pipe(fds);
}

/* Catches: the stub.  Mirrors POOL-03: any chunksize gives the serial
 * map's list. */
KIT_TEST(pool, map_with_any_chunksize_matches_the_serial_map)
{
    static const size_t sizes[] = { 0, 1, 7, 20, 1000 };
    struct item items[100];
    int out[100];
    struct pool *p = new_pool(3);

    for (int i = 0; i < 100; i++)
        items[i] = (struct item){ .act = ACT_SQUARE, .x = i };
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        memset(out, 0xff, sizeof(out));
        int err = pool_map(p, task, items, sizeof(items[0]), 100, out,
                           sizeof(int), sizes[s]);
        kit_require_impl(err, "pool_map", "03-C");
        cr_assert(eq(int, err, 0), "pool_map(100 items, chunksize %zu): expected 0, got %s. See docs/03-pool.md#chunksize", sizes[s], kit_errname(err));
        for (int i = 0; i < 100; i++)
            cr_assert(eq(int, out[i], i * i), "pool_map(100 items, chunksize %zu): results[%d] = %d, expected %d. See docs/03-pool.md#chunksize", sizes[s], i, out[i], i * i);
    }
    close_join(p);
    pool_free(p);
}

/* Catches: the stub.  Mirrors POOL-04 and POOL-07: an empty map is ready
 * at once and its callback runs once. */
KIT_TEST(pool, empty_map_async_is_ready_and_calls_back_once)
{
    struct counter c = { .mu = PTHREAD_MUTEX_INITIALIZER };
    struct pool *p = new_pool(1);
    struct pool_result *r = NULL;
    int dummy;
    int err = pool_map_async(p, task, NULL, sizeof(struct item), 0, &dummy,
                             sizeof(int), 1, count_callback, &c, &r);

    kit_require_impl(err, "pool_map_async", "03-C");
    cr_assert(eq(int, err, 0), "pool_map_async with no items: expected 0, got %s. See docs/03-pool.md#map", kit_errname(err));
    err = pool_result_get(r, NULL, 0, NULL, 5.0);
    cr_expect(eq(int, err, 0), "get on an empty map_async: expected 0 at once, got %s. See docs/03-pool.md#map", kit_errname(err));
    pthread_mutex_lock(&c.mu);
    cr_expect(eq(int, c.calls, 1), "the callback of an empty map_async ran %d times, expected once (Python calls it with []). See docs/03-pool.md#map", c.calls);
    pthread_mutex_unlock(&c.mu);
    pool_result_free(r);
    close_join(p);
    pool_free(p);
}

/* Catches: the stub.  Mirrors POOL-09: the lowest failing index wins and
 * the pool stays usable. */
KIT_TEST(pool, map_reports_the_lowest_failing_item)
{
    struct item items[8];
    int out[8];
    struct pool *p = new_pool(2);
    int err;

    for (int i = 0; i < 8; i++)
        items[i] = (struct item){ .act = ACT_SQUARE, .x = i };
    items[6] = (struct item){ .act = ACT_FAIL, .x = EBADF };
    items[3] = (struct item){ .act = ACT_FAIL, .x = ENOENT };
    err = pool_map(p, task, items, sizeof(items[0]), 8, out, sizeof(int), 2);
    kit_require_impl(err, "pool_map", "03-C");
    cr_expect(eq(int, err, -ENOENT), "pool_map with items 3 (-ENOENT) and 6 (-EBADF) failing: expected -ENOENT, the lowest index's error, got %s. See docs/03-pool.md#map", kit_errname(err));
    items[3].act = items[6].act = ACT_SQUARE;
    err = pool_map(p, task, items, sizeof(items[0]), 8, out, sizeof(int), 2);
    cr_expect(eq(int, err, 0), "pool_map after a failed map: expected 0 (the pool stays usable), got %s. See docs/03-pool.md#map", kit_errname(err));
    close_join(p);
    pool_free(p);
}

/* ---- part D: close, join, terminate ---------------------------------- */

/* Catches: join_while_running.patch.  Mirrors POOL-12. */
KIT_TEST(pool, join_before_close_fails_with_einval)
{
    struct pool *p = new_pool(1);
    int err = pool_join(p);

    kit_require_impl(err, "pool_join", "03-D");
    cr_expect(eq(int, err, -EINVAL), "pool_join(p) on a running pool: expected -EINVAL (Python: ValueError \"Pool is still running\"), got %s. See docs/03-pool.md#close-join", kit_errname(err));
    close_join(p);
    pool_free(p);
}

/* Catches: the stub.  Mirrors POOL-16: close + join waits for every
 * queued task; all results are ready after join. */
KIT_TEST(pool, close_then_join_finishes_every_queued_task)
{
    struct pool *p = new_pool(2);
    struct pool_result *r[12];

    for (int i = 0; i < 12; i++) {
        struct item it = { .act = ACT_SQUARE, .x = i };
        r[i] = async(p, &it, NULL, NULL);
    }
    close_join(p);
    for (int i = 0; i < 12; i++) {
        int out = -1;
        cr_expect(pool_result_ready(r[i]), "result %d not ready after close + join: join waits for the queue to drain. See docs/03-pool.md#close-join", i);
        int err = pool_result_get(r[i], &out, sizeof(out), NULL, 0);
        cr_expect(eq(int, err, 0), "get(r[%d], 0) after join: expected 0, got %s. See docs/03-pool.md#close-join", i, kit_errname(err));
        cr_expect(eq(int, out, i * i), "result %d: expected %d, got %d. See docs/03-pool.md#close-join", i, i * i, out);
        pool_result_free(r[i]);
    }
    pool_free(p);
}

/* Catches: the stub.  Mirrors POOL-17, better: terminate kills a worker
 * stuck in a task; join returns; the task's result is -ECANCELED. */
KIT_TEST(pool, terminate_cancels_a_running_task_and_join_returns)
{
    struct pool *p = new_pool(1);
    struct item it = { .act = ACT_PAUSE };
    struct pool_result *r = async(p, &it, NULL, NULL);
    int err = pool_result_wait(r, 0.05);

    cr_expect(eq(int, err, -ETIMEDOUT), "pool_result_wait(r, 0.05) on a task that never ends: expected -ETIMEDOUT, got %s. See docs/03-pool.md#get-timeout", kit_errname(err));
    err = pool_terminate(p);
    kit_require_impl(err, "pool_terminate", "03-D");
    cr_expect(eq(int, err, 0), "pool_terminate(p): expected 0, got %s. See docs/03-pool.md#terminate", kit_errname(err));
    err = pool_join(p);
    cr_expect(eq(int, err, 0), "pool_join(p) after terminate: expected 0, got %s. See docs/03-pool.md#terminate", kit_errname(err));
    err = pool_result_get(r, NULL, 0, NULL, 5.0);
    cr_expect(eq(int, err, -ECANCELED), "get on a task killed by terminate: expected -ECANCELED (Python: never ready), got %s. See docs/03-pool.md#terminate", kit_errname(err));
    pool_result_free(r);
    pool_free(p);
}

/* ---- part E: crashed workers ----------------------------------------- */

/* Catches: worker_not_replaced.patch.  A worker killed mid-task: its task
 * fails with -ECHILD (Python hangs) and a new worker takes the next one. */
KIT_TEST(pool, killed_worker_fails_its_task_with_echild_and_is_replaced)
{
    struct pool *p = new_pool(1);
    struct item die = { .act = ACT_DIE };
    pid_t before = 0;
    pid_t after = 0;
    int err = pool_apply(p, pid_task, NULL, 0, &before, sizeof(before), NULL);

    kit_require_impl(err, "pool_apply", "03-A");
    err = pool_apply(p, task, &die, sizeof(die), NULL, 0, NULL);
    cr_expect(eq(int, err, -ECHILD), "pool_apply of a task whose worker died: expected -ECHILD, got %s. See docs/03-pool.md#crash", kit_errname(err));
    for (int i = 0; i < 3; i++) {
        err = pool_apply(p, pid_task, NULL, 0, &after, sizeof(after), NULL);
        cr_expect(eq(int, err, 0), "pool_apply #%d after a worker died: expected 0 (a new worker replaces it), got %s. See docs/03-pool.md#replace", i, kit_errname(err));
    }
    cr_expect(ne(int, (int)after, (int)before), "the task after the crash ran in pid %d, the dead worker's pid. See docs/03-pool.md#replace", (int)after);
    close_join(p);
    pool_free(p);
}

/* Catches: crash_loses_task.patch.  Close and join with a crashing task
 * in the queue: join returns and the crashed task's get gives -ECHILD at
 * once, never a hang. */
KIT_TEST(pool, close_and_join_return_after_a_worker_crash)
{
    struct pool *p = new_pool(2);
    struct item die = { .act = ACT_DIE };
    struct item ok = { .act = ACT_SQUARE, .x = 6 };
    struct pool_result *rd = async(p, &die, NULL, NULL);
    struct pool_result *rok = async(p, &ok, NULL, NULL);
    int out = 0;
    int err;

    close_join(p);
    err = pool_result_get(rd, NULL, 0, NULL, 5.0);
    cr_expect(eq(int, err, -ECHILD), "get on the crashed task after join: expected -ECHILD, got %s. See docs/03-pool.md#crash", kit_errname(err));
    err = pool_result_get(rok, &out, sizeof(out), NULL, 5.0);
    cr_expect(eq(int, err, 0), "get on the other task: expected 0, got %s. See docs/03-pool.md#crash", kit_errname(err));
    cr_expect(eq(int, out, 36), "the other task's result: expected 36, got %d. See docs/03-pool.md#crash", out);
    pool_result_free(rd);
    pool_result_free(rok);
    pool_free(p);
}
