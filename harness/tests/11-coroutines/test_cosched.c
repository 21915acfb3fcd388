/*
 * test_cosched.c - functional tests of cosched.h: spawn, join, joinall,
 * sleep on a timer heap (part B), and I/O that parks the coroutine on
 * epoll (part C).  Mirrors python-semantics.md A.20 (gevent).
 *
 * Tests never sleep: co_sleep is the lab's own and is what is tested
 * here, with 10-50 ms naps, strict lower bounds and generous upper ones.
 * Where speed matters it is compared with a run in the same test.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kit.h"
#include "cosched.h"

TestSuite(cosched, .timeout = 30);

/* Generous upper bound for anything that should take tens of ms. */
#define SLOW_S 5.0

/* ---- helpers ------------------------------------------------------------ */

/* A log the tasks append short words to, separated by spaces. */
static char log_buf[256];

static void
log_reset(void)
{
    log_buf[0] = '\0';
}

static void
log_word(const char *w)
{
    size_t len = strlen(log_buf);

    snprintf(log_buf + len, sizeof(log_buf) - len, "%s%s", len ? " " : "", w);
}

static struct co_hub *
hub_or_fail(void)
{
    struct co_hub *hub = NULL;
    int err = co_hub_new(&hub);

    kit_require_impl(err, "co_hub_new", "11-B");
    cr_assert(eq(int, err, 0), "co_hub_new: expected 0, got %s. See docs/11-coroutines.md#hub", kit_errname(err));
    return hub;
}

static struct co_task *
spawn_or_fail(struct co_hub *hub, co_task_fn *fn, void *arg)
{
    struct co_task *t = NULL;
    int err = co_spawn(hub, &t, fn, arg);

    kit_require_impl(err, "co_spawn", "11-B");
    cr_assert(eq(int, err, 0), "co_spawn: expected 0, got %s. See docs/11-coroutines.md#spawn", kit_errname(err));
    return t;
}

/* Task: log its word (arg), return arg. */
static void *
say(struct co_hub *hub, void *arg)
{
    (void)hub;
    log_word(arg);
    return arg;
}

/* Task: three rounds of "log name+i, then co_sleep(0)". */
static void *
round_robin(struct co_hub *hub, void *arg)
{
    for (int i = 0; i < 3; i++) {
        char w[8];
        snprintf(w, sizeof(w), "%s%d", (const char *)arg, i);
        log_word(w);
        co_sleep(hub, 0);
    }
    return NULL;
}

/* Task: co_sleep(arg milliseconds). */
static void *
nap_ms(struct co_hub *hub, void *arg)
{
    co_sleep(hub, (long)arg / 1000.0);
    return arg;
}

/* Task: read from the fd in arg; returns the byte count (or -errno). */
struct reader {
    int fd;
    char buf[64];
};

static void *
read_once(struct co_hub *hub, void *arg)
{
    struct reader *r = arg;

    return (void *)(long)co_read(hub, r->fd, r->buf, sizeof(r->buf) - 1);
}

/* Task: nap 10 ms, then write "hello" to the fd in arg. */
static void *
write_later(struct co_hub *hub, void *arg)
{
    co_sleep(hub, 0.010);
    return (void *)(long)co_write(hub, *(int *)arg, "hello", 5);
}

static void
pipe_or_fail(int fds[2], int flags)
{
    cr_assert(eq(int, pipe2(fds, O_CLOEXEC | flags), 0), "test setup: pipe2 failed: %s", strerror(errno));
}

/* listen_loopback - a non-blocking listening TCP socket on 127.0.0.1 and
 * its port.  (A second lab will want this: it belongs in harness/lib.) */
static int
listen_loopback(int backlog, int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    cr_assert(fd >= 0, "test setup: socket failed: %s", strerror(errno));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert(eq(int, bind(fd, (struct sockaddr *)&a, len), 0), "test setup: bind failed: %s", strerror(errno));
    cr_assert(eq(int, listen(fd, backlog), 0), "test setup: listen failed: %s", strerror(errno));
    cr_assert(eq(int, getsockname(fd, (struct sockaddr *)&a, &len), 0), "test setup: getsockname failed");
    *port = ntohs(a.sin_port);
    return fd;
}

/* thread_cpu_s - CPU time (user + system) this thread has used. */
static double
thread_cpu_s(void)
{
    struct rusage ru;

    cr_assert(eq(int, getrusage(RUSAGE_THREAD, &ru), 0), "test setup: getrusage failed");
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ---- part B: spawn, join, joinall, sleep -------------------------------- */

/* Catches: the stub. */
KIT_TEST(cosched, spawn_rejects_null_arguments)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t = (struct co_task *)&t;
    int err = co_spawn(hub, &t, NULL, NULL);

    kit_require_impl(err, "co_spawn", "11-B");
    cr_expect(eq(int, err, -EINVAL), "co_spawn(hub, &t, NULL, NULL): expected -EINVAL (Python: TypeError, run must be callable), got %s. See docs/11-coroutines.md#spawn", kit_errname(err));
    cr_expect(t == NULL, "a failed co_spawn left *out = %p: expected NULL. See docs/11-coroutines.md#spawn", (void *)t);
    err = co_spawn(NULL, &t, say, "x");
    cr_expect(eq(int, err, -EINVAL), "co_spawn(NULL hub): expected -EINVAL, got %s. See docs/11-coroutines.md#spawn", kit_errname(err));
    co_hub_free(hub);
}

/* Catches: the stub.  Mirrors GEV-01: spawn queues, the caller's first
 * wait runs it; GEV-12: the value comes back. */
KIT_TEST(cosched, spawned_task_runs_only_when_the_caller_waits)
{
    struct co_hub *hub = hub_or_fail();
    static char ran[] = "ran";
    struct co_task *t;
    void *value = NULL;
    int err;

    log_reset();
    t = spawn_or_fail(hub, say, ran);
    cr_expect(eq(str, log_buf, ""), "right after co_spawn: expected nothing run yet (Python: log == [] after spawn), got \"%s\". See docs/11-coroutines.md#spawn", log_buf);
    err = co_task_value(t, &value);
    cr_expect(eq(int, err, -EAGAIN), "co_task_value before it ran: expected -EAGAIN, got %s. See docs/11-coroutines.md#join", kit_errname(err));
    err = co_sleep(hub, 0);
    kit_require_impl(err, "co_sleep", "11-B");
    cr_expect(eq(int, err, 0), "co_sleep(hub, 0): expected 0, got %s. See docs/11-coroutines.md#sleep", kit_errname(err));
    cr_expect(eq(str, log_buf, "ran"), "after co_sleep(hub, 0): expected the task to have run once, log \"ran\", got \"%s\". See docs/11-coroutines.md#spawn", log_buf);
    cr_expect(co_task_ready(t), "after it ran to the end: expected co_task_ready. See docs/11-coroutines.md#join");
    err = co_join(t, LAB_FOREVER);
    cr_expect(eq(int, err, 0), "co_join on a finished task: expected 0 at once, got %s. See docs/11-coroutines.md#join", kit_errname(err));
    err = co_task_value(t, &value);
    cr_expect(err == 0 && value == (void *)ran, "co_task_value: expected 0 and fn's return value, got %s, %p. See docs/11-coroutines.md#join", kit_errname(err), value);
    co_task_free(t);
    co_hub_free(hub);
}

/* Catches: the stub.  Mirrors GEV-02: tasks start in spawn order. */
KIT_TEST(cosched, tasks_start_in_spawn_order)
{
    static char *const words[] = {"0", "1", "2", "3", "4"};
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[5];
    int err;

    log_reset();
    for (int i = 0; i < 5; i++)
        t[i] = spawn_or_fail(hub, say, words[i]);
    err = co_joinall(t, 5, LAB_FOREVER, NULL);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_expect(eq(int, err, 0), "co_joinall: expected 0, got %s. See docs/11-coroutines.md#joinall", kit_errname(err));
    cr_expect(eq(str, log_buf, "0 1 2 3 4"), "five tasks spawned in order 0..4: expected \"0 1 2 3 4\", got \"%s\". See docs/11-coroutines.md#ready-queue", log_buf);
    for (int i = 0; i < 5; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
}

/* Catches: the stub.  Mirrors GEV-03: co_sleep(hub, 0) is a turn in a
 * round robin: A0 B0 C0 A1 B1 C1 A2 B2 C2. */
KIT_TEST(cosched, sleep_zero_takes_turns_round_robin)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[3];
    int err;

    log_reset();
    t[0] = spawn_or_fail(hub, round_robin, "A");
    t[1] = spawn_or_fail(hub, round_robin, "B");
    t[2] = spawn_or_fail(hub, round_robin, "C");
    err = co_joinall(t, 3, LAB_FOREVER, NULL);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_expect(eq(int, err, 0), "co_joinall: expected 0, got %s. See docs/11-coroutines.md#joinall", kit_errname(err));
    cr_expect(eq(str, log_buf, "A0 B0 C0 A1 B1 C1 A2 B2 C2"), "three tasks that log then co_sleep(hub, 0): expected \"A0 B0 C0 A1 B1 C1 A2 B2 C2\", got \"%s\". See docs/11-coroutines.md#sleep", log_buf);
    for (int i = 0; i < 3; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
}

/* Catches: the stub.  co_sleep never returns early. */
KIT_TEST(cosched, sleep_lasts_at_least_the_time_asked)
{
    struct co_hub *hub = hub_or_fail();
    double t0 = kit_now();
    int err = co_sleep(hub, 0.020);
    double took = kit_now() - t0;

    kit_require_impl(err, "co_sleep", "11-B");
    cr_expect(eq(int, err, 0), "co_sleep(hub, 0.020): expected 0, got %s. See docs/11-coroutines.md#sleep", kit_errname(err));
    cr_expect(took >= 0.020 && took < SLOW_S, "co_sleep(hub, 0.020) took %.4f s: expected at least 0.020 (never early) and well under %.0f s. See docs/11-coroutines.md#sleep", took, SLOW_S);
    err = co_sleep(hub, -1);
    cr_expect(eq(int, err, -EINVAL), "co_sleep(hub, -1): expected -EINVAL, got %s. See docs/11-coroutines.md#sleep", kit_errname(err));
    co_hub_free(hub);
}

/* Catches: the stub.  Mirrors GEV-07: join(timeout) on a task that is
 * parked for good returns after the timeout, not before. */
KIT_TEST(cosched, join_times_out_on_a_task_that_waits_forever)
{
    struct co_hub *hub = hub_or_fail();
    struct reader r;
    int fds[2];
    struct co_task *t;
    double t0;
    double took;
    int err;

    pipe_or_fail(fds, 0);
    r.fd = fds[0];
    t = spawn_or_fail(hub, read_once, &r);
    t0 = kit_now();
    err = co_join(t, 0.020);
    took = kit_now() - t0;
    kit_require_impl(err, "co_join", "11-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "co_join(t, 0.020) on a task parked on an empty pipe: expected -ETIMEDOUT (Python returns None), got %s. See docs/11-coroutines.md#join", kit_errname(err));
    cr_expect(took >= 0.020 && took < SLOW_S, "co_join(t, 0.020) took %.4f s: expected at least 0.020 and well under %.0f s. See docs/11-coroutines.md#join", took, SLOW_S);
    cr_expect(not(co_task_ready(t)), "after the timeout the task still waits: expected co_task_ready false. See docs/11-coroutines.md#join");
    co_task_free(t);
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
}

/* Catches: joinall_skips_last.patch.  Mirrors GEV-09: joinall returns
 * only when every task has finished, the last listed too. */
KIT_TEST(cosched, joinall_waits_for_every_task)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[3];
    size_t done = 99;
    int err;

    t[0] = spawn_or_fail(hub, nap_ms, (void *)10L);
    t[1] = spawn_or_fail(hub, nap_ms, (void *)20L);
    t[2] = spawn_or_fail(hub, nap_ms, (void *)40L);
    err = co_joinall(t, 3, LAB_FOREVER, &done);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_expect(eq(int, err, 0), "co_joinall(3 tasks, forever): expected 0, got %s. See docs/11-coroutines.md#joinall", kit_errname(err));
    cr_expect(eq(sz, done, 3), "co_joinall: expected *done = 3, got %zu. See docs/11-coroutines.md#joinall", done);
    for (int i = 0; i < 3; i++)
        cr_expect(co_task_ready(t[i]), "after co_joinall returned 0, task %d (naps %d ms) has not finished: joinall must wait for every task. See docs/11-coroutines.md#joinall", i, (int)(long)(i == 2 ? 40 : 10 * (i + 1)));
    for (int i = 0; i < 3; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
}

/* Catches: the stub.  Mirrors GEV-09: with a timeout, joinall says
 * -ETIMEDOUT and how many finished. */
KIT_TEST(cosched, joinall_with_timeout_counts_the_finished)
{
    struct co_hub *hub = hub_or_fail();
    struct reader r;
    int fds[2];
    struct co_task *t[2];
    size_t done = 99;
    int err;

    pipe_or_fail(fds, 0);
    r.fd = fds[0];
    t[0] = spawn_or_fail(hub, nap_ms, (void *)10L);
    t[1] = spawn_or_fail(hub, read_once, &r);
    err = co_joinall(t, 2, 0.050, &done);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "co_joinall([fast, stuck], 0.050): expected -ETIMEDOUT, got %s. See docs/11-coroutines.md#joinall", kit_errname(err));
    cr_expect(eq(sz, done, 1), "co_joinall([fast, stuck], 0.050): expected *done = 1 (Python returns [fast]), got %zu. See docs/11-coroutines.md#joinall", done);
    cr_expect(co_task_ready(t[0]) && !co_task_ready(t[1]), "expected the fast task finished and the stuck one not. See docs/11-coroutines.md#joinall");
    co_task_free(t[0]);
    co_task_free(t[1]);
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
}

/* Task that records its wake order: sleeps arg ms, then logs it. */
static double armed_at[8];
static int woke[8];
static int nwoke;

static void *
timed_nap(struct co_hub *hub, void *arg)
{
    long i = (long)arg;
    static const long ms[8] = {40, 10, 70, 30, 80, 20, 60, 50};

    armed_at[i] = kit_now() + ms[i] / 1000.0;
    co_sleep(hub, ms[i] / 1000.0);
    woke[nwoke++] = (int)i;
    return NULL;
}

/* Catches: timer_no_sift_up.patch.  Timers fire in deadline order: of
 * two naps whose deadlines lie more than 3 ms apart, the earlier one
 * ends first (deadlines read by the tasks, so load cannot fake it). */
KIT_TEST(cosched, timers_fire_in_deadline_order)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[8];
    int err;

    nwoke = 0;
    for (long i = 0; i < 8; i++)
        t[i] = spawn_or_fail(hub, timed_nap, (void *)i);
    err = co_joinall(t, 8, LAB_FOREVER, NULL);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_assert(eq(int, err, 0), "co_joinall: expected 0, got %s. See docs/11-coroutines.md#timer-heap", kit_errname(err));
    cr_assert(eq(int, nwoke, 8), "expected 8 wake-ups, got %d. See docs/11-coroutines.md#timer-heap", nwoke);
    for (int a = 0; a < 8; a++) {
        for (int b = a + 1; b < 8; b++) {
            int x = woke[a];
            int y = woke[b];
            cr_expect(armed_at[x] <= armed_at[y] + 0.003, "task %d (deadline +%.0f ms) woke before task %d (deadline +%.0f ms, earlier): timers must fire earliest first (is the heap's root the minimum?). See docs/11-coroutines.md#timer-heap", x, (armed_at[x] - armed_at[0]) * 1000, y, (armed_at[y] - armed_at[0]) * 1000);
        }
    }
    for (int i = 0; i < 8; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
}

/* Catches: busy_wait_poll.patch.  A hub with only sleepers waits in
 * epoll_wait until the next deadline: the thread's CPU time stays far
 * below the wall time of the same run. */
KIT_TEST(cosched, sleeping_tasks_use_almost_no_cpu)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[3];
    double cpu0 = thread_cpu_s();
    double wall0 = kit_now();
    double cpu;
    double wall;
    int err;

    t[0] = spawn_or_fail(hub, nap_ms, (void *)30L);
    t[1] = spawn_or_fail(hub, nap_ms, (void *)50L);
    t[2] = spawn_or_fail(hub, nap_ms, (void *)40L);
    err = co_joinall(t, 3, LAB_FOREVER, NULL);
    wall = kit_now() - wall0;
    cpu = thread_cpu_s() - cpu0;
    kit_require_impl(err, "co_joinall", "11-B");
    cr_assert(eq(int, err, 0), "co_joinall: expected 0, got %s. See docs/11-coroutines.md#no-busy-waiting", kit_errname(err));
    cr_expect(wall >= 0.050, "three naps of at most 50 ms took %.4f s: expected at least 0.050. See docs/11-coroutines.md#sleep", wall);
    cr_expect(cpu < wall / 4, "three sleeping tasks used %.4f s of CPU in %.4f s: expected under a quarter of the wall time; a hub that polls with a zero timeout spins. See docs/11-coroutines.md#no-busy-waiting", cpu, wall);
    for (int i = 0; i < 3; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
}

/* The notes' three workers: naps[w][k] ms, from a fixed seed. */
#define WORKERS 3
#define NAPS 3
static long naps[WORKERS][NAPS];

static void *
worker(struct co_hub *hub, void *arg)
{
    long *mine = arg;

    for (int k = 0; k < NAPS; k++)
        co_sleep(hub, mine[k] / 1000.0);
    return NULL;
}

/* run_workers - spawn the workers and wait for them, together
 * (joinall) or one after another (spawn, join, next). */
static double
run_workers(struct co_hub *hub, bool together)
{
    struct co_task *t[WORKERS];
    double t0 = kit_now();

    for (int w = 0; w < WORKERS; w++) {
        t[w] = spawn_or_fail(hub, worker, naps[w]);
        if (!together)
            cr_assert(eq(int, co_join(t[w], LAB_FOREVER), 0), "co_join(worker): expected 0. See docs/11-coroutines.md#join");
    }
    cr_assert(eq(int, co_joinall(t, WORKERS, LAB_FOREVER, NULL), 0), "co_joinall(workers): expected 0. See docs/11-coroutines.md#joinall");
    for (int w = 0; w < WORKERS; w++)
        co_task_free(t[w]);
    return kit_now() - t0;
}

/* Catches: the stub.  The notes' demo: three workers napping random
 * times finish in about the longest worker's total, not the sum; the
 * same workers run one after another in the same test give the sum. */
KIT_TEST(cosched, three_workers_finish_in_the_longest_time_not_the_sum)
{
    struct co_hub *hub = hub_or_fail();
    unsigned seed = 11;
    double sum = 0;
    double longest = 0;
    double one_by_one;
    double together;

    for (int w = 0; w < WORKERS; w++) {
        double total = 0;
        for (int k = 0; k < NAPS; k++) {
            seed = seed * 1103515245u + 12345u;
            naps[w][k] = 10 + (long)((seed >> 16) % 31);
            total += naps[w][k] / 1000.0;
        }
        sum += total;
        longest = total > longest ? total : longest;
    }
    kit_require_impl(co_sleep(hub, 0), "co_sleep", "11-B");
    one_by_one = run_workers(hub, false);
    together = run_workers(hub, true);
    cr_expect(one_by_one >= sum, "workers run one after another took %.3f s: expected at least the sum of naps %.3f s. See docs/11-coroutines.md#three-workers", one_by_one, sum);
    cr_expect(together >= longest, "workers run together took %.3f s: expected at least the longest worker %.3f s (naps never end early). See docs/11-coroutines.md#three-workers", together, longest);
    cr_expect(together < sum, "workers run together took %.3f s: expected less than the sum of naps %.3f s (they nap at the same time). See docs/11-coroutines.md#three-workers", together, sum);
    cr_expect(together < longest + (one_by_one - longest) / 2, "workers run together took %.3f s: expected close to the longest worker %.3f s, under halfway to the one-by-one run %.3f s. See docs/11-coroutines.md#three-workers", together, longest, one_by_one);
    co_hub_free(hub);
}

/* Task: join the task in arg, forever. */
static void *
join_other(struct co_hub *hub, void *arg)
{
    (void)hub;
    return (void *)(long)co_join(*(struct co_task **)arg, LAB_FOREVER);
}

/* Catches: the stub.  Mirrors gevent's LoopExit: two tasks joining each
 * other can never be woken; the outside join says -EDEADLK instead of
 * blocking forever.  A task joining itself gets -EDEADLK too. */
KIT_TEST(cosched, join_that_nothing_can_end_fails_with_edeadlk)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[2];
    int err;

    t[0] = spawn_or_fail(hub, join_other, &t[1]);
    t[1] = spawn_or_fail(hub, join_other, &t[0]);
    err = co_join(t[0], LAB_FOREVER);
    kit_require_impl(err, "co_join", "11-B");
    cr_expect(eq(int, err, -EDEADLK), "co_join on one of two tasks joining each other: expected -EDEADLK (Python: LoopExit, this operation would block forever), got %s. See docs/11-coroutines.md#deadlock", kit_errname(err));
    co_task_free(t[0]);
    co_task_free(t[1]);
    co_hub_free(hub);
}

/* Task: spawn `say` and return without waiting for it. */
static void *
spawn_and_leave(struct co_hub *hub, void *arg)
{
    struct co_task *inner;

    if (co_spawn(hub, &inner, say, arg) == 0)
        co_task_free(inner);
    return NULL;
}

/* Catches: the stub.  Mirrors GEV-19, and co_task_free of an unfinished
 * task: the hub keeps it and runs it to the end. */
KIT_TEST(cosched, freed_unfinished_task_still_runs)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t;
    int err;

    log_reset();
    t = spawn_or_fail(hub, spawn_and_leave, "inner");
    err = co_join(t, LAB_FOREVER);
    kit_require_impl(err, "co_join", "11-B");
    cr_expect(eq(int, err, 0), "co_join: expected 0, got %s. See docs/11-coroutines.md#task-free", kit_errname(err));
    err = co_sleep(hub, 0);
    cr_expect(eq(int, err, 0), "co_sleep(hub, 0): expected 0, got %s. See docs/11-coroutines.md#task-free", kit_errname(err));
    cr_expect(eq(str, log_buf, "inner"), "a task spawned and freed by a task that then ended: expected it still to run (log \"inner\"), got \"%s\". See docs/11-coroutines.md#task-free", log_buf);
    co_task_free(t);
    co_hub_free(hub);
}

/* ---- part C: I/O that parks the coroutine --------------------------------- */

/* Catches: read_waits_for_epollout.patch.  A task parked in co_read is
 * woken when its pipe gets data, while another task (the writer) ran in
 * the meantime on the same thread. */
KIT_TEST(cosched, read_parks_until_the_pipe_has_data)
{
    struct co_hub *hub = hub_or_fail();
    struct reader r = {.buf = ""};
    int fds[2];
    struct co_task *t[2];
    void *value = NULL;
    int err;

    pipe_or_fail(fds, 0);
    r.fd = fds[0];
    t[0] = spawn_or_fail(hub, read_once, &r);
    t[1] = spawn_or_fail(hub, write_later, &fds[1]);
    err = co_join(t[0], 2.0);
    kit_require_impl(err, "co_join", "11-B");
    cr_expect(eq(int, err, 0), "co_join(reader, 2 s): expected 0 (the writer wrote after 10 ms; the reader must be woken when its fd is readable), got %s. See docs/11-coroutines.md#parking-on-epoll", kit_errname(err));
    co_task_value(t[0], &value);
    kit_require_impl((int)(long)value, "co_read", "11-C");
    cr_expect(eq(long, (long)value, 5), "co_read on the pipe: expected 5 bytes, got %ld (%s). See docs/11-coroutines.md#read-and-write", (long)value, kit_errname((int)(long)value));
    cr_expect(eq(str, r.buf, "hello"), "co_read: expected \"hello\", got \"%s\". See docs/11-coroutines.md#read-and-write", r.buf);
    co_join(t[1], err == 0 ? SLOW_S : 0);
    co_task_free(t[0]);
    co_task_free(t[1]);
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
}

/* Catches: the stub.  co_read returns 0 at end of file. */
KIT_TEST(cosched, read_returns_0_at_end_of_file)
{
    struct co_hub *hub = hub_or_fail();
    char c;
    int fds[2];
    ssize_t n;

    pipe_or_fail(fds, 0);
    close(fds[1]);
    n = co_read(hub, fds[0], &c, 1);
    kit_require_impl((int)n, "co_read", "11-C");
    cr_expect(eq(long, (long)n, 0), "co_read on a pipe whose writer closed: expected 0 (end of file), got %ld (%s). See docs/11-coroutines.md#read-and-write", (long)n, kit_errname((int)n));
    n = co_read(hub, -1, &c, 1);
    cr_expect(eq(long, (long)n, -EBADF), "co_read(hub, -1, ...): expected -EBADF, got %s. See docs/11-coroutines.md#read-and-write", kit_errname((int)n));
    co_hub_free(hub);
    close(fds[0]);
}

/* Task: write len bytes of a pattern to the fd. */
struct bulk {
    int fd;
    char *data;
    size_t len;
};

static void *
write_bulk(struct co_hub *hub, void *arg)
{
    struct bulk *b = arg;

    return (void *)(long)co_write(hub, b->fd, b->data, b->len);
}

static void *
read_bulk(struct co_hub *hub, void *arg)
{
    struct bulk *b = arg;
    size_t got = 0;

    while (got < b->len) {
        ssize_t n = co_read(hub, b->fd, b->data + got, b->len - got);
        if (n <= 0)
            return (void *)(long)(n < 0 ? n : -EPIPE);
        got += (size_t)n;
    }
    return NULL;
}

/* Catches: the stub.  co_write of 256 KiB into a 64 KiB pipe parks the
 * writer whenever the pipe is full and the reader drains it. */
KIT_TEST(cosched, write_parks_while_the_pipe_is_full)
{
    enum { LEN = 256 * 1024 };
    static char out[LEN];
    static char in[LEN];
    struct co_hub *hub = hub_or_fail();
    struct bulk w = {.data = out, .len = LEN};
    struct bulk r = {.data = in, .len = LEN};
    int fds[2];
    struct co_task *t[2];
    void *wv = (void *)1L;
    void *rv = (void *)1L;
    int err;

    for (size_t i = 0; i < LEN; i++)
        out[i] = (char)(i * 7 + 3);
    pipe_or_fail(fds, 0);
    w.fd = fds[1];
    r.fd = fds[0];
    t[0] = spawn_or_fail(hub, write_bulk, &w);
    t[1] = spawn_or_fail(hub, read_bulk, &r);
    err = co_joinall(t, 2, SLOW_S, NULL);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_expect(eq(int, err, 0), "co_joinall(writer, reader): expected 0, got %s. See docs/11-coroutines.md#read-and-write", kit_errname(err));
    co_task_value(t[0], &wv);
    co_task_value(t[1], &rv);
    kit_require_impl((int)(long)wv, "co_write", "11-C");
    cr_expect(wv == NULL && rv == NULL, "co_write of 256 KiB and reads until all came: expected 0 and 0, got %s and %s. See docs/11-coroutines.md#read-and-write", kit_errname((int)(long)wv), kit_errname((int)(long)rv));
    cr_expect(memcmp(in, out, LEN) == 0, "the 256 KiB read back differ from those written. See docs/11-coroutines.md#read-and-write");
    co_task_free(t[0]);
    co_task_free(t[1]);
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
}

/* Catches: the stub.  Mirrors gevent's ConcurrentObjectUseError: one
 * fd, one waiter per hub. */
KIT_TEST(cosched, second_reader_of_one_fd_gets_ebusy)
{
    struct co_hub *hub = hub_or_fail();
    struct reader r1;
    struct reader r2;
    int fds[2];
    struct co_task *t[2];
    void *value = NULL;

    pipe_or_fail(fds, 0);
    r1.fd = fds[0];
    r2.fd = fds[0];
    t[0] = spawn_or_fail(hub, read_once, &r1);
    t[1] = spawn_or_fail(hub, read_once, &r2);
    co_join(t[1], SLOW_S);
    co_task_value(t[1], &value);
    kit_require_impl((int)(long)value, "co_read", "11-C");
    cr_expect(eq(int, (int)(long)value, -EBUSY), "a second task co_read()ing an fd another task is parked on: expected -EBUSY, got %s. See docs/11-coroutines.md#parking-on-epoll", kit_errname((int)(long)value));
    co_task_free(t[0]);
    co_task_free(t[1]);
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
}

/* Server task: accept one connection, echo one message, close. */
static int listen_fd;

static void *
echo_once(struct co_hub *hub, void *arg)
{
    char buf[16];
    int fd = co_accept(hub, listen_fd);
    ssize_t n;

    (void)arg;
    if (fd < 0)
        return (void *)(long)fd;
    n = co_read(hub, fd, buf, sizeof(buf));
    if (n > 0)
        n = co_write(hub, fd, buf, (size_t)n);
    close(fd);
    return (void *)(long)n;
}

/* Client task: connect to the port in arg, send "ping", read it back. */
static char client_got[16];

static void *
ping_client(struct co_hub *hub, void *arg)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    long err;

    a.sin_port = htons((uint16_t)(long)arg);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    err = co_connect(hub, fd, (struct sockaddr *)&a, sizeof(a));
    if (err == 0)
        err = co_write(hub, fd, "ping", 4);
    if (err == 0)
        err = co_read(hub, fd, client_got, sizeof(client_got) - 1) == 4 ? 0 : -EPROTO;
    close(fd);
    return (void *)err;
}

/* Catches: the stub.  accept and connect park: a server task and a
 * client task on one hub, one thread, talk over loopback. */
KIT_TEST(cosched, accept_and_connect_park_until_the_peer_is_there)
{
    struct co_hub *hub = hub_or_fail();
    struct co_task *t[2];
    void *sv = (void *)1L;
    void *cv = (void *)1L;
    int port;
    int err;

    memset(client_got, 0, sizeof(client_got));
    listen_fd = listen_loopback(8, &port);
    t[0] = spawn_or_fail(hub, echo_once, NULL);
    t[1] = spawn_or_fail(hub, ping_client, (void *)(long)port);
    err = co_joinall(t, 2, SLOW_S, NULL);
    kit_require_impl(err, "co_joinall", "11-B");
    cr_expect(eq(int, err, 0), "co_joinall(server, client): expected 0, got %s. See docs/11-coroutines.md#accept-and-connect", kit_errname(err));
    co_task_value(t[0], &sv);
    co_task_value(t[1], &cv);
    kit_require_impl((int)(long)cv, "co_connect", "11-C");
    kit_require_impl((int)(long)sv, "co_accept", "11-C");
    cr_expect(eq(long, (long)cv, 0), "client (co_connect, co_write, co_read): expected 0, got %s. See docs/11-coroutines.md#accept-and-connect", kit_errname((int)(long)cv));
    cr_expect(eq(str, client_got, "ping"), "the client read back \"%s\": expected \"ping\". See docs/11-coroutines.md#accept-and-connect", client_got);
    co_task_free(t[0]);
    co_task_free(t[1]);
    co_hub_free(hub);
    close(listen_fd);
}

/* The echo server: CLIENTS connections, one handler task each. */
#define CLIENTS 100

static void *
echo_handler(struct co_hub *hub, void *arg)
{
    int fd = (int)(long)arg;
    char buf[64];
    ssize_t n;
    long served = 0;

    while ((n = co_read(hub, fd, buf, sizeof(buf))) > 0) {
        if (co_write(hub, fd, buf, (size_t)n) != 0)
            break;
        served = 1;
    }
    close(fd);
    return (void *)served;
}

static void *
echo_server(struct co_hub *hub, void *arg)
{
    struct co_task *h[CLIENTS];
    size_t n = 0;
    long served = 0;

    (void)arg;
    while (n < CLIENTS) {
        int fd = co_accept(hub, listen_fd);
        if (fd < 0)
            break;
        if (co_spawn(hub, &h[n], echo_handler, (void *)(long)fd) != 0) {
            close(fd);
            break;
        }
        n++;
    }
    co_joinall(h, n, LAB_FOREVER, NULL);
    for (size_t i = 0; i < n; i++) {
        void *v = NULL;
        co_task_value(h[i], &v);
        served += (long)v;
        co_task_free(h[i]);
    }
    return (void *)served;
}

/* The clients, in a thread of the test: connect all 100 (kit_tcp_connect),
 * send on each, read every echo, then close all.  A server that serves
 * one connection to its end before the next would never get past the
 * first: its client is not closed until every echo came. */
struct clients {
    int port;
    int echoed;
    char why[128];
};

static void *
client_thread(void *arg)
{
    struct clients *c = arg;
    double deadline = kit_now() + SLOW_S;
    int fd[CLIENTS];
    int i;

    for (i = 0; i < CLIENTS; i++) {
        fd[i] = kit_tcp_connect(c->port);
        if (fd[i] < 0)
            break;
    }
    for (int k = 0; k < i; k++) {
        char msg[16];
        char back[16] = "";
        int len = snprintf(msg, sizeof(msg), "hello %d", k);
        if (kit_write_full(fd[k], msg, (size_t)len) != 0 ||
            kit_read_full(fd[k], back, (size_t)len, deadline - kit_now() > 0.001 ? deadline - kit_now() : 0.001) != len ||
            memcmp(msg, back, (size_t)len) != 0)
            snprintf(c->why, sizeof(c->why), "client %d sent \"%s\", got \"%.*s\"", k, msg, len, back);
        else
            c->echoed++;
        if (c->why[0] != '\0')
            break;
    }
    for (int k = 0; k < i; k++)
        close(fd[k]);
    return NULL;
}

/* Catches: the stub.  The notes' point of gevent: one thread, one hub,
 * 100 concurrent loopback clients all served. */
KIT_TEST(cosched, echo_server_serves_100_concurrent_clients)
{
    struct co_hub *hub = hub_or_fail();
    struct clients c = {.why = ""};
    struct co_task *server;
    pthread_t th;
    void *served = NULL;
    int err;

    listen_fd = listen_loopback(CLIENTS + 28, &c.port);
    server = spawn_or_fail(hub, echo_server, NULL);
    cr_assert(eq(int, pthread_create(&th, NULL, client_thread, &c), 0), "test setup: pthread_create failed");
    err = co_join(server, 10.0);
    if (err != 0)
        close(listen_fd);       /* lets the client thread fail fast */
    pthread_join(th, NULL);
    kit_require_impl(err, "co_join", "11-B");
    cr_expect(eq(int, err, 0), "co_join(echo server, 10 s): expected 0 once all %d clients were served, got %s. See docs/11-coroutines.md#echo-server", CLIENTS, kit_errname(err));
    cr_expect(eq(int, c.echoed, CLIENTS), "clients that got their echo: expected %d, got %d%s%s. See docs/11-coroutines.md#echo-server", CLIENTS, c.echoed, c.why[0] ? "; first failure: " : "", c.why);
    co_task_value(server, &served);
    cr_expect(eq(long, (long)served, CLIENTS), "handlers that echoed something: expected %d, got %ld. See docs/11-coroutines.md#echo-server", CLIENTS, (long)served);
    co_task_free(server);
    co_hub_free(hub);
    if (err == 0)
        close(listen_fd);
}
