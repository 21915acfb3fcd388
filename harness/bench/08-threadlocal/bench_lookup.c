/*
 * bench_lookup.c - the cost of finding "my student": a thread-local
 * lookup (context_work) versus a lookup in a global map behind one lock
 * (ctxmap_work), with one thread and with two (lab 08).
 * Python twin: bench_lookup.py.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "context.h"

/* work() calls per thread; each does CONTEXT_STEPS_PER_WORK lookups. */
#define WORKS 2000000

struct run {
    bool map;
    int err;
};

static void *
worker(void *arg)
{
    struct run *r = arg;

    r->err = r->map ? ctxmap_enter("bench") : context_enter("bench");
    for (int i = 0; i < WORKS && r->err == 0; i++)
        r->err = r->map ? ctxmap_work() : context_work();
    if (r->map)
        (void)ctxmap_leave();
    return NULL;
}

/* lookup_rate - lookups per second over `threads` threads. */
static double
lookup_rate(bool map, int threads)
{
    pthread_t t[2];
    struct run r[2] = { { .map = map }, { .map = map } };
    double t0 = kit_now();
    int i;

    for (i = 0; i < threads; i++)
        if (pthread_create(&t[i], NULL, worker, &r[i]) != 0)
            exit(1);
    for (i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < threads; i++)
        if (r[i].err != 0) {
            fprintf(stderr, "bench_lookup: work failed: %s\n", kit_errname(r[i].err));
            exit(1);
        }
    return (double)threads * WORKS * CONTEXT_STEPS_PER_WORK /
           (kit_now() - t0);
}

int
main(void)
{
    if (context_setup() != 0)
        return 1;
    printf("bench\tlocal_lookup_1t\t%.0f\tlookups/s\tthread-local lookup (local_school.student), 1 thread\n", lookup_rate(false, 1));
    printf("bench\tlocal_lookup_2t\t%.0f\tlookups/s\tthread-local lookup, 2 threads together\n", lookup_rate(false, 2));
    printf("bench\tmap_lookup_1t\t%.0f\tlookups/s\tlocked global map lookup (global_dict[current_thread()]), 1 thread\n", lookup_rate(true, 1));
    printf("bench\tmap_lookup_2t\t%.0f\tlookups/s\tlocked global map lookup, 2 threads together\n", lookup_rate(true, 2));
    context_teardown();
    return 0;
}
