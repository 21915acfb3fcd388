/*
 * demo_lost_update.c - the notes' two threads adding 1 a million times
 * each to one counter: first with no lock (the loss, counted over several
 * runs), then with each of the three fixes, timed.
 */
#include <stdio.h>
#include <time.h>

#include "counter.h"

#define THREADS 2
#define PER_THREAD 1000000L
#define RUNS 5

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* show_loss - RUNS unsafe runs: how many increments went missing. */
static int
show_loss(void)
{
    const long want = THREADS * PER_THREAD;

    printf("%d threads x %ld increments, no lock (want %ld):\n", THREADS, PER_THREAD, want);
    for (int r = 0; r < RUNS; r++) {
        long total = 0;
        if (counter_run(COUNTER_UNSAFE, THREADS, PER_THREAD, 1, &total) != 0)
            return 1;
        printf("  run %d: %ld, lost %ld (%.1f%%)\n", r + 1, total, want - total, 100.0 * (double)(want - total) / (double)want);
    }
    return 0;
}

/* time_fix - one run of a fix: its total and how long it took. */
static int
time_fix(enum counter_strategy how)
{
    long total = 0;
    double t0 = now();
    int err = counter_run(how, THREADS, PER_THREAD, 1000, &total);

    if (err != 0) {
        printf("  %-10s failed: %d (not implemented yet? see TODO(06-A))\n", counter_strategy_name(how), err);
        return 1;
    }
    printf("  %-10s total %ld in %.3f s\n", counter_strategy_name(how), total, now() - t0);
    return total == THREADS * PER_THREAD ? 0 : 1;
}

int
main(void)
{
    int bad = show_loss();

    printf("the fixes (batch = 1000 increments per lock):\n");
    bad |= time_fix(COUNTER_LOCK_EACH);
    bad |= time_fix(COUNTER_LOCK_BATCH);
    bad |= time_fix(COUNTER_ATOMIC);
    return bad;
}
