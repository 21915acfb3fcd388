/*
 * demo_spawn.c - fork versus spawn.  A global changed at run time is seen
 * by a fork child (a copy of the parent now) and not by a spawn child (a
 * fresh run of this program, which found its target by name).  Then both
 * methods are timed.  process_spawn_main() must come first in main().
 */
#include <stdio.h>
#include <time.h>

#include "process.h"

/* How many start+join pairs each method is timed over. */
#define ROUNDS 20

static int g_greeting_count = 1;    /* the value at load time */

/* report - the target: print the global and what the parent sent. */
static int
report(void *arg)
{
    printf("  child sees g_greeting_count = %d (arg \"%s\")\n",
           g_greeting_count, arg ? (const char *)arg : "(none)");
    return g_greeting_count;
}
PROCESS_REGISTER(report)    /* at load time, so a fresh run knows it too */

/* quiet - the timed target. */
static int
quiet(void *arg)
{
    (void)arg;
    return 0;
}
PROCESS_REGISTER(quiet)

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* run - start target with method `m`, join; the exit code or -1000. */
static int
run(process_target *target, enum process_start m, char *arg)
{
    struct process_options opts = { .start = m };
    struct process *p = NULL;
    int code = -1000;

    if (process_new(&p, target, arg, &opts) == 0 && process_start(p) == 0 &&
        process_join(p, LAB_FOREVER) == 0)
        process_exitcode(p, &code);
    process_free(p);
    return code;
}

/* time_method - milliseconds per start+join with method `m`. */
static double
time_method(enum process_start m)
{
    double t0 = now();

    for (int i = 0; i < ROUNDS; i++)
        if (run(quiet, m, NULL) != 0)
            return -1;
    return (now() - t0) * 1000.0 / ROUNDS;
}

int
main(int argc, char **argv)
{
    char msg[] = "hello";
    int fork_code;
    int spawn_code;

    process_spawn_main(argc, argv);     /* a spawned child ends in here */
    g_greeting_count = 99;              /* changed at run time */
    printf("parent set g_greeting_count = 99\nfork:\n");
    fork_code = run(report, PROCESS_START_FORK, msg);
    printf("spawn:\n");
    spawn_code = run(report, PROCESS_START_SPAWN, msg);
    printf("start+join: fork %.2f ms, spawn %.2f ms (mean of %d)\n",
           time_method(PROCESS_START_FORK), time_method(PROCESS_START_SPAWN),
           ROUNDS);
    return fork_code == 99 && spawn_code == 1 ? 0 : 1;
}
