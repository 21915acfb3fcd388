/*
 * demo_gil.c - the notes' closing claim, measured: "start a few threads
 * that loop forever and Python's threads do not use the other core".
 * The same prime count on 1 thread, 2 threads, 2 threads under a modelled
 * GIL, and 2 processes; the time of each, its speed-up over one thread,
 * and how many workers were counting at once.
 */
#include <stdio.h>
#include <time.h>

#include "cpu.h"

#define N 2000000L

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* overlap - the most windows that contain one instant. */
static int
overlap(const struct cpu_result *r)
{
    int best = 0;

    for (int i = 0; i < r->workers; i++) {
        int k = 0;
        for (int j = 0; j < r->workers; j++)
            k += r->window[j].start <= r->window[i].start &&
                 r->window[i].start < r->window[j].end;
        best = k > best ? k : best;
    }
    return best;
}

/* run - one configuration; prints a line and returns its time (< 0 on
 * error). */
static double
run(const char *what, int workers, bool procs, bool gil, double base)
{
    struct cpu_options opts = { .gil = gil };
    struct cpu_result r;
    double t0 = now();
    int err = procs ? cpu_count_processes(N, workers, &r)
                    : cpu_count_threads(N, workers, &opts, &r);
    double t = now() - t0;

    if (err) {
        printf("%-24s failed: error %d\n", what, err);
        return -1;
    }
    printf("%-24s %ld primes  %.3f s  speed-up %.2fx  %d at once\n", what,
           r.count, t, base > 0 ? base / t : 1.0, overlap(&r));
    return t;
}

int
main(void)
{
    double base;

    printf("primes below %ld, trial division\n", N);
    base = run("1 thread", 1, false, false, 0);
    if (base < 0)
        return 1;
    if (run("2 threads", 2, false, false, base) < 0 ||
        run("2 threads + GIL model", 2, false, true, base) < 0 ||
        run("2 processes", 2, true, false, base) < 0)
        return 1;
    printf("2 threads with a GIL overlap in time but do not run at once:\n"
           "concurrency without parallelism, as in CPython.\n");
    return 0;
}
