/*
 * bench_locks.c - how fast lab 06's locks go: a Lock (the account's
 * error-checking mutex) taken and given back with no contention and by 2
 * threads at once, an RLock and a Semaphore uncontended, and the counter
 * strategies (2 threads x 1 000 000 increments).  Python twin:
 * bench_locks.py.  Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "account.h"
#include "counter.h"
#include "rlock.h"
#include "semaphore.h"

#define PAIRS 2000000L
#define CONTENDED_PAIRS 500000L
#define INCREMENTS 1000000L

static void
die(const char *what)
{
    fprintf(stderr, "bench_locks: %s failed\n", what);
    exit(1);
}

static double
lock_pairs(struct account *a, long n)
{
    double t0 = kit_now();

    for (long i = 0; i < n; i++)
        if (account_acquire(a, LAB_FOREVER) != 0 || account_release(a) != 0)
            die("account_acquire/release");
    return kit_now() - t0;
}

static void *
contend(void *arg)
{
    (void)lock_pairs(arg, CONTENDED_PAIRS);
    return NULL;
}

/* contended_rate - pairs per second, 2 threads on one lock. */
static double
contended_rate(struct account *a)
{
    pthread_t t[2];
    double t0 = kit_now();

    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, contend, a) != 0)
            die("pthread_create");
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    return 2 * CONTENDED_PAIRS / (kit_now() - t0);
}

static double
rlock_rate(void)
{
    struct rlock *l;
    double t0;

    if (rlock_new(&l) != 0)
        die("rlock_new");
    t0 = kit_now();
    for (long i = 0; i < PAIRS; i++)
        if (rlock_acquire(l, LAB_FOREVER) != 0 || rlock_release(l) != 0)
            die("rlock_acquire/release");
    t0 = kit_now() - t0;
    rlock_free(l);
    return PAIRS / t0;
}

static double
semaphore_rate(void)
{
    struct semaphore *s;
    double t0;

    if (semaphore_new(&s, 1) != 0)
        die("semaphore_new");
    t0 = kit_now();
    for (long i = 0; i < PAIRS; i++)
        if (semaphore_acquire(s, LAB_FOREVER) != 0 ||
            semaphore_release(s, 1) != 0)
            die("semaphore_acquire/release");
    t0 = kit_now() - t0;
    semaphore_free(s);
    return PAIRS / t0;
}

static double
counter_rate(enum counter_strategy how)
{
    long total;
    double t0 = kit_now();

    if (counter_run(how, 2, INCREMENTS, 1000, &total) != 0)
        die("counter_run");
    return 2 * INCREMENTS / (kit_now() - t0);
}

int
main(void)
{
    struct account *a;

    if (account_new(&a, 0) != 0)
        die("account_new");
    printf("bench\tlock_uncontended\t%.0f\tpairs/s\tLock acquire()+release(), one thread\n", PAIRS / lock_pairs(a, PAIRS));
    printf("bench\tlock_contended_2\t%.0f\tpairs/s\tLock acquire()+release(), 2 threads on one lock, total\n", contended_rate(a));
    printf("bench\trlock_uncontended\t%.0f\tpairs/s\tRLock acquire()+release(), one thread\n", rlock_rate());
    printf("bench\tsemaphore_uncontended\t%.0f\tpairs/s\tSemaphore acquire()+release(), one thread\n", semaphore_rate());
    printf("bench\tcounter_unsafe\t%.0f\tincr/s\t2 threads x 1M `n += 1`, no lock (wrong total)\n", counter_rate(COUNTER_UNSAFE));
    printf("bench\tcounter_lock_each\t%.0f\tincr/s\t2 threads x 1M, a lock around every increment\n", counter_rate(COUNTER_LOCK_EACH));
    printf("bench\tcounter_lock_batch\t%.0f\tincr/s\t2 threads x 1M, a lock per 1000 increments\n", counter_rate(COUNTER_LOCK_BATCH));
    printf("bench\tcounter_atomic\t%.0f\tincr/s\t2 threads x 1M, atomic increments (Python: itertools.count)\n", counter_rate(COUNTER_ATOMIC));
    account_free(a);
    return 0;
}
