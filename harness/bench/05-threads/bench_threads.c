/*
 * bench_threads.c - how fast a thread is created, started and joined,
 * through the lab's thread object and through bare pthreads (lab 05).
 * Python twin: bench_threads.py.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "thread.h"

#define ROUNDS 20000

static void
do_nothing(void *arg)
{
    (void)arg;
}

static void *
do_nothing_raw(void *arg)
{
    return arg;
}

/* object_rate - thread_new + start + join + free per second. */
static double
object_rate(void)
{
    double t0 = kit_now();

    for (int i = 0; i < ROUNDS; i++) {
        struct thread *t;
        if (thread_new(&t, do_nothing, NULL, NULL) != 0 ||
            thread_start(t) != 0 || thread_join(t, LAB_FOREVER) != 0) {
            fprintf(stderr, "bench_threads: round %d failed\n", i);
            exit(1);
        }
        thread_free(t);
    }
    return ROUNDS / (kit_now() - t0);
}

/* raw_rate - pthread_create + pthread_join per second (the floor). */
static double
raw_rate(void)
{
    double t0 = kit_now();

    for (int i = 0; i < ROUNDS; i++) {
        pthread_t p;
        if (pthread_create(&p, NULL, do_nothing_raw, NULL) != 0) {
            fprintf(stderr, "bench_threads: pthread_create failed\n");
            exit(1);
        }
        pthread_join(p, NULL);
    }
    return ROUNDS / (kit_now() - t0);
}

int
main(void)
{
    printf("bench\tthread_start_join\t%.0f\tthreads/s\tThread(target=f).start() + join()\n",
           object_rate());
    printf("bench\tpthread_create_join\t%.0f\tthreads/s\tbare pthread_create + pthread_join (no object, no registry)\n",
           raw_rate());
    return 0;
}
