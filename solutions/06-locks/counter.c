/*
 * counter.c - threads adding to one shared counter: the lost update and
 * three fixes (a mutex per increment, a mutex per batch, an atomic).
 *
 * The unsafe strategy does what Python's `n += 1` does: load, add, store,
 * as separate steps.  C's plain `n++` from two threads would be a data
 * race, which is undefined behaviour (at -O2 the loop may become a single
 * addition); two relaxed atomic operations keep the lost update and make
 * it legal, so demo_lost_update shows it at any optimisation level.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

static const char *const strategy_names[] = {
    [COUNTER_UNSAFE] = "unsafe",
    [COUNTER_LOCK_EACH] = "lock_each",
    [COUNTER_LOCK_BATCH] = "lock_batch",
    [COUNTER_ATOMIC] = "atomic",
};

/* What the threads of one counter_run() share. */
struct shared {
    long batch;                 /* set before the threads start */

    pthread_mutex_t mu;         /* guards value */
    long value;                 /* COUNTER_LOCK_EACH, COUNTER_LOCK_BATCH */

    atomic_long avalue;         /* COUNTER_ATOMIC, COUNTER_UNSAFE */
};

/* One thread's job and result (read by counter_run after the join). */
struct worker {
    pthread_t tid;
    struct shared *s;
    enum counter_strategy how;
    long n;
    int err;
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* add_unsafe - the notes' bug: read, add one, write back, with nothing
 * to stop another thread writing in between.  Cannot fail. */
static void
add_unsafe(struct shared *s, long n)
{
    for (long i = 0; i < n; i++) {
        long v = atomic_load_explicit(&s->avalue, memory_order_relaxed);
        /* DOC: 06-locks#lost-update */
        atomic_store_explicit(&s->avalue, v + 1, memory_order_relaxed);
    }
}

/* add_lock_each - n increments, each under the mutex.  Returns 0. */
static int
add_lock_each(struct shared *s, long n)
{
    for (long i = 0; i < n; i++) {
        LAB_CHECK(pthread_mutex_lock(&s->mu));  /* DOC: 06-locks#lock-each */
        s->value++;
        LAB_CHECK(pthread_mutex_unlock(&s->mu));
    }
    return 0;
}

/* add_lock_batch - n increments counted privately, added to the shared
 * value under the mutex once per s->batch, and once more for the rest.
 * Returns 0. */
static int
add_lock_batch(struct shared *s, long n)
{
    long mine = 0;

    for (long i = 0; i < n; i++) {
        mine++;
        if (mine == s->batch) {
            LAB_CHECK(pthread_mutex_lock(&s->mu));
            s->value += mine;
            LAB_CHECK(pthread_mutex_unlock(&s->mu));
            mine = 0;
        }
    }
    if (mine > 0) {             /* DOC: 06-locks#lock-batch */
        LAB_CHECK(pthread_mutex_lock(&s->mu));
        s->value += mine;
        LAB_CHECK(pthread_mutex_unlock(&s->mu));
    }
    return 0;
}

/* add_atomic - n atomic increments (one read-modify-write each).
 * Returns 0. */
static int
add_atomic(struct shared *s, long n)
{
    for (long i = 0; i < n; i++)
        atomic_fetch_add_explicit(&s->avalue, 1, memory_order_relaxed);
    return 0;                   /* DOC: 06-locks#atomic */
}

/* worker_main - run one thread's increments with its strategy. */
static void *
worker_main(void *arg)
{
    struct worker *w = arg;

    switch (w->how) {
    case COUNTER_UNSAFE:
        add_unsafe(w->s, w->n);
        w->err = 0;
        break;
    case COUNTER_LOCK_EACH:
        w->err = add_lock_each(w->s, w->n);
        break;
    case COUNTER_LOCK_BATCH:
        w->err = add_lock_batch(w->s, w->n);
        break;
    case COUNTER_ATOMIC:
        w->err = add_atomic(w->s, w->n);
        break;
    }
    return NULL;
}

/* check_args - counter_run's validation.  Returns 0 or -EINVAL/-EOVERFLOW. */
static int
check_args(enum counter_strategy how, int nthreads, long per_thread,
           long batch, const long *total)
{
    if (total == NULL || (int)how < COUNTER_UNSAFE || how > COUNTER_ATOMIC)
        return -EINVAL;
    if (nthreads < 1 || nthreads > COUNTER_THREADS_MAX || per_thread < 0)
        return -EINVAL;
    if (how == COUNTER_LOCK_BATCH && batch < 1)
        return -EINVAL;
    if (per_thread > LONG_MAX / nthreads)
        return -EOVERFLOW;
    return 0;
}

/* start_and_join - start nthreads workers on s, then join every one that
 * started.  Returns 0, the first worker's error, or -errno of a failed
 * pthread_create. */
static int
start_and_join(struct shared *s, enum counter_strategy how, int nthreads,
               long per_thread)
{
    struct worker w[COUNTER_THREADS_MAX];
    int started;
    int err = 0;

    for (started = 0; started < nthreads; started++) {
        w[started] = (struct worker){ .s = s, .how = how, .n = per_thread };
        err = pthread_create(&w[started].tid, NULL, worker_main, &w[started]);
        if (err) {
            err = -err;
            break;
        }
    }
    for (int i = 0; i < started; i++) {
        LAB_CHECK(pthread_join(w[i].tid, NULL));
        if (err == 0)
            err = w[i].err;
    }
    return err;
}

int
counter_run(enum counter_strategy how, int nthreads, long per_thread,
            long batch, long *total)
{
    struct shared s = { .batch = batch, .value = 0 };
    int err = check_args(how, nthreads, per_thread, batch, total);

    if (err)
        return err;
    atomic_init(&s.avalue, 0);
    err = pthread_mutex_init(&s.mu, NULL);
    if (err)
        return -err;
    err = start_and_join(&s, how, nthreads, per_thread);
    if (err == 0) {
        if (how == COUNTER_LOCK_EACH || how == COUNTER_LOCK_BATCH)
            *total = s.value;
        else
            *total = atomic_load(&s.avalue);
    }
    LAB_CHECK(pthread_mutex_destroy(&s.mu));
    return err;
}

const char *
counter_strategy_name(enum counter_strategy how)
{
    if ((int)how < COUNTER_UNSAFE || how > COUNTER_ATOMIC)
        return "?";
    return strategy_names[how];
}
