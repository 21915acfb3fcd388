/*
 * test_cpu.c - functional tests of cpu.h: the prime count split over
 * threads (part A) and over processes (part B), right and overlapping
 * (lab 13).
 *
 * No test asserts a speed-up: on a loaded one-core grader two workers
 * cannot run faster than one.  What holds on any machine is that a
 * correct version has its workers' windows overlap (they are all started
 * before any is waited for), while a version that waits for each worker
 * before starting the next has windows strictly one after the other.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>

#include "kit.h"
#include "cpu.h"

TestSuite(cpu, .timeout = 30);

/* Known counts: pi(n), the primes below n. */
#define N_SMALL 100000L
#define PI_SMALL 9592L
/* Big enough that one worker's part lasts tens of milliseconds at -O0,
 * far longer than starting a thread or a process. */
#define N_BIG 1000000L
#define PI_BIG 78498L

/* max_overlap - the most windows that contain one instant.  The maximum
 * is reached at some window's start, so only starts are tried. */
static int
max_overlap(const struct lab_window *w, int n)
{
    int best = 0;

    for (int i = 0; i < n; i++) {
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (w[j].start <= w[i].start && w[i].start < w[j].end)
                k++;
        }
        if (k > best)
            best = k;
    }
    return best;
}

/* expect_windows_inside - each worker's window is ordered and lies within
 * the call [t0, t1]. */
static void
expect_windows_inside(const struct cpu_result *r, int workers, double t0,
                      double t1, const char *call)
{
    for (int k = 0; k < workers; k++) {
        const struct lab_window *w = &r->window[k];
        cr_expect(w->start >= t0 && w->start <= w->end && w->end <= t1, "%s: worker %d's window [%.6f, %.6f] must be ordered and lie inside the call [%.6f, %.6f]: stamp start and end with CLOCK_MONOTONIC in the worker itself. See docs/13-choosing.md#work-windows", call, k, w->start, w->end, t0, t1);
    }
}

/* ---- part A: threads -------------------------------------------------- */

/* Catches: the stub. */
KIT_TEST(cpu, threads_reject_bad_arguments)
{
    struct cpu_result r;
    int err = cpu_count_threads(100, 0, NULL, &r);

    kit_require_impl(err, "cpu_count_threads", "13-A");
    cr_expect(eq(int, err, -EINVAL), "cpu_count_threads(100, 0 workers, ...): expected -EINVAL, got %s. See docs/13-choosing.md#part-a-threads", kit_errname(err));
    err = cpu_count_threads(100, CPU_WORKERS_MAX + 1, NULL, &r);
    cr_expect(eq(int, err, -EINVAL), "cpu_count_threads(100, CPU_WORKERS_MAX + 1, ...): expected -EINVAL, got %s. See docs/13-choosing.md#part-a-threads", kit_errname(err));
    err = cpu_count_threads(-1, 2, NULL, &r);
    cr_expect(eq(int, err, -EINVAL), "cpu_count_threads(-1, 2, ...): expected -EINVAL, got %s. See docs/13-choosing.md#part-a-threads", kit_errname(err));
    err = cpu_count_threads(100, 2, NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "cpu_count_threads(100, 2, NULL, NULL out): expected -EINVAL, got %s. See docs/13-choosing.md#part-a-threads", kit_errname(err));
}

/* Catches: the stub.  Python: one Thread doing the whole loop. */
KIT_TEST(cpu, one_thread_counts_the_primes_below_n)
{
    struct cpu_result r = { .count = -1 };
    int err = cpu_count_threads(N_SMALL, 1, NULL, &r);

    kit_require_impl(err, "cpu_count_threads", "13-A");
    cr_assert(eq(int, err, 0), "cpu_count_threads(%ld, 1, NULL, &r): expected 0, got %s. See docs/13-choosing.md#part-a-threads", N_SMALL, kit_errname(err));
    cr_expect(eq(long, r.count, PI_SMALL), "cpu_count_threads(%ld, 1, ...): expected %ld primes, got %ld. See docs/13-choosing.md#part-a-threads", N_SMALL, PI_SMALL, r.count);
    cr_expect(eq(int, r.workers, 1), "cpu_count_threads(..., 1 worker, ...): r.workers expected 1, got %d. See docs/13-choosing.md#part-a-threads", r.workers);
    err = cpu_count_threads(3, 1, NULL, &r);
    cr_expect(eq(int, err, 0), "cpu_count_threads(3, 1, ...): expected 0, got %s. See docs/13-choosing.md#part-a-threads", kit_errname(err));
    cr_expect(eq(long, r.count, 1), "cpu_count_threads(3, 1, ...): the only prime below 3 is 2, got a count of %ld. See docs/13-choosing.md#part-a-threads", r.count);
}

/* Catches: the stub, a split that loses or repeats blocks. */
KIT_TEST(cpu, threads_count_the_same_primes_for_1_to_8_workers)
{
    for (int k = 1; k <= 8; k++) {
        struct cpu_result r = { .count = -1 };
        int err = cpu_count_threads(N_SMALL, k, NULL, &r);
        kit_require_impl(err, "cpu_count_threads", "13-A");
        cr_assert(eq(int, err, 0), "cpu_count_threads(%ld, %d, NULL, &r): expected 0, got %s. See docs/13-choosing.md#part-a-threads", N_SMALL, k, kit_errname(err));
        cr_expect(eq(long, r.count, PI_SMALL), "cpu_count_threads(%ld, %d workers, ...): expected %ld primes (the parts must add up), got %ld. See docs/13-choosing.md#part-a-threads", N_SMALL, k, PI_SMALL, r.count);
        cr_expect(eq(int, r.workers, k), "cpu_count_threads(..., %d workers, ...): r.workers expected %d, got %d. See docs/13-choosing.md#part-a-threads", k, k, r.workers);
    }
}

/* Catches: cpu_threads_joined_at_once.patch (each thread joined right
 * after it was created: the windows follow one another, overlap 1). */
KIT_TEST(cpu, two_threads_overlap_their_work_windows)
{
    struct cpu_result r = { .count = -1 };
    double t0 = kit_now();
    int err = cpu_count_threads(N_BIG, 2, NULL, &r);
    double t1 = kit_now();
    int overlap;

    kit_require_impl(err, "cpu_count_threads", "13-A");
    cr_assert(eq(int, err, 0), "cpu_count_threads(%ld, 2, NULL, &r): expected 0, got %s. See docs/13-choosing.md#part-a-threads", N_BIG, kit_errname(err));
    cr_expect(eq(long, r.count, PI_BIG), "cpu_count_threads(%ld, 2, ...): expected %ld primes, got %ld. See docs/13-choosing.md#part-a-threads", N_BIG, PI_BIG, r.count);
    expect_windows_inside(&r, 2, t0, t1, "cpu_count_threads");
    overlap = max_overlap(r.window, 2);
    cr_expect(eq(int, overlap, 2), "cpu_count_threads(%ld, 2, ...): the two workers' windows must overlap (start both threads, then join both), but at most %d worked at once: [%.4f, %.4f] and [%.4f, %.4f]. See docs/13-choosing.md#start-all-then-join-all", N_BIG, overlap, r.window[0].start, r.window[0].end, r.window[1].start, r.window[1].end);
}

/* Catches: the stub.  The GIL model changes the speed, not the answer,
 * nor the overlap of the windows (concurrency without parallelism). */
KIT_TEST(cpu, threads_with_the_gil_model_count_the_same_primes)
{
    struct cpu_options opts = { .gil = true };
    struct cpu_result r = { .count = -1 };
    int err = cpu_count_threads(N_SMALL, 3, &opts, &r);

    kit_require_impl(err, "cpu_count_threads", "13-A");
    cr_assert(eq(int, err, 0), "cpu_count_threads(%ld, 3, {.gil = true}, &r): expected 0, got %s. See docs/13-choosing.md#the-gil-model", N_SMALL, kit_errname(err));
    cr_expect(eq(long, r.count, PI_SMALL), "cpu_count_threads(%ld, 3, {.gil = true}, ...): expected %ld primes, got %ld. See docs/13-choosing.md#the-gil-model", N_SMALL, PI_SMALL, r.count);
}

/* ---- part B: processes ------------------------------------------------ */

/* Catches: the stub. */
KIT_TEST(cpu, processes_reject_bad_arguments)
{
    struct cpu_result r;
    int err = cpu_count_processes(100, 0, &r);

    kit_require_impl(err, "cpu_count_processes", "13-B");
    cr_expect(eq(int, err, -EINVAL), "cpu_count_processes(100, 0 workers, &r): expected -EINVAL, got %s. See docs/13-choosing.md#part-b-processes", kit_errname(err));
    err = cpu_count_processes(100, CPU_WORKERS_MAX + 1, &r);
    cr_expect(eq(int, err, -EINVAL), "cpu_count_processes(100, CPU_WORKERS_MAX + 1, &r): expected -EINVAL, got %s. See docs/13-choosing.md#part-b-processes", kit_errname(err));
    err = cpu_count_processes(CPU_N_MAX + 1, 2, &r);
    cr_expect(eq(int, err, -EINVAL), "cpu_count_processes(CPU_N_MAX + 1, 2, &r): expected -EINVAL, got %s. See docs/13-choosing.md#part-b-processes", kit_errname(err));
    err = cpu_count_processes(100, 2, NULL);
    cr_expect(eq(int, err, -EINVAL), "cpu_count_processes(100, 2, NULL out): expected -EINVAL, got %s. See docs/13-choosing.md#part-b-processes", kit_errname(err));
}

/* Catches: cpu_misses_a_part.patch (one child's part never read: the
 * count is short), cpu_parent_keeps_write_end.patch (reading to end of
 * file never ends: the watchdog's stack dump shows the read). */
KIT_TEST(cpu, processes_count_the_same_primes_for_1_to_8_workers)
{
    for (int k = 1; k <= 8; k++) {
        struct cpu_result r = { .count = -1 };
        int err = cpu_count_processes(N_SMALL, k, &r);
        kit_require_impl(err, "cpu_count_processes", "13-B");
        cr_assert(eq(int, err, 0), "cpu_count_processes(%ld, %d, &r): expected 0, got %s. See docs/13-choosing.md#part-b-processes", N_SMALL, k, kit_errname(err));
        cr_expect(eq(long, r.count, PI_SMALL), "cpu_count_processes(%ld, %d workers, &r): expected %ld primes (every child's part, added once), got %ld. See docs/13-choosing.md#collect-every-part", N_SMALL, k, PI_SMALL, r.count);
        cr_expect(eq(int, r.workers, k), "cpu_count_processes(..., %d workers, &r): r.workers expected %d, got %d. See docs/13-choosing.md#part-b-processes", k, k, r.workers);
    }
}

/* Catches: the stub.  The children stamp their windows on
 * CLOCK_MONOTONIC, which the parent's clock shares. */
KIT_TEST(cpu, two_processes_overlap_their_work_windows)
{
    struct cpu_result r = { .count = -1 };
    double t0 = kit_now();
    int err = cpu_count_processes(N_BIG, 2, &r);
    double t1 = kit_now();
    int overlap;

    kit_require_impl(err, "cpu_count_processes", "13-B");
    cr_assert(eq(int, err, 0), "cpu_count_processes(%ld, 2, &r): expected 0, got %s. See docs/13-choosing.md#part-b-processes", N_BIG, kit_errname(err));
    cr_expect(eq(long, r.count, PI_BIG), "cpu_count_processes(%ld, 2, &r): expected %ld primes, got %ld. See docs/13-choosing.md#part-b-processes", N_BIG, PI_BIG, r.count);
    expect_windows_inside(&r, 2, t0, t1, "cpu_count_processes");
    overlap = max_overlap(r.window, 2);
    cr_expect(eq(int, overlap, 2), "cpu_count_processes(%ld, 2, &r): the two children's windows must overlap (fork both, then wait for both), but at most %d worked at once: [%.4f, %.4f] and [%.4f, %.4f]. See docs/13-choosing.md#start-all-then-join-all", N_BIG, overlap, r.window[0].start, r.window[0].end, r.window[1].start, r.window[1].end);
}

/* Catches: cpu_never_reaps.patch (zombies left: the hygiene check after
 * the body names them). */
KIT_TEST(cpu, processes_reap_every_child)
{
    struct cpu_result r = { .count = -1 };
    int err = cpu_count_processes(N_SMALL, 4, &r);

    kit_require_impl(err, "cpu_count_processes", "13-B");
    cr_assert(eq(int, err, 0), "cpu_count_processes(%ld, 4, &r): expected 0, got %s. See docs/13-choosing.md#collect-every-part", N_SMALL, kit_errname(err));
    cr_expect(eq(long, r.count, PI_SMALL), "cpu_count_processes(%ld, 4, &r): expected %ld primes, got %ld. See docs/13-choosing.md#collect-every-part", N_SMALL, PI_SMALL, r.count);
}
