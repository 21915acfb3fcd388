/*
 * semaphore.c - Semaphore and BoundedSemaphore from a mutex and a
 * condition variable (not POSIX sem_t: sem_timedwait confuses Helgrind,
 * and sem_t has no bound).
 *
 * `value` is the number of free units.  acquire waits while it is 0 and
 * re-checks after every wakeup, because a unit released for it may be
 * taken by a thread that arrived later.  release changes the value and
 * signals in one critical section.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "semaphore.h"

/* Timeouts longer than this (about 31 years) wait without limit. */
#define SEMAPHORE_TIMEOUT_MAX_S 1e9

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

struct semaphore {
    int bound;                  /* the start value if bounded, else INT_MAX */

    pthread_mutex_t mu;         /* guards value */
    pthread_cond_t more;        /* signalled when value grows */
    int value;
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

/* deadline_after - set *ts to the CLOCK_MONOTONIC time `timeout` s from
 * now.  Returns false (no deadline) for a negative or huge timeout.
 * Cannot fail. */
__attribute__((unused)) static bool
deadline_after(double timeout, struct timespec *ts)
{
    time_t whole = (time_t)timeout;

    if (timeout < 0 || timeout > SEMAPHORE_TIMEOUT_MAX_S)
        return false;
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += whole;
    ts->tv_nsec += (long)((timeout - (double)whole) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
    return true;
}

/* wait_until - one wait on cv (mu held) until signalled or the deadline
 * (NULL: none).  Returns 0 or -ETIMEDOUT; the caller re-checks its
 * predicate either way. */
__attribute__((unused)) static int
wait_until(pthread_cond_t *cv, pthread_mutex_t *mu,
           const struct timespec *deadline)
{
    int err;

    if (deadline == NULL) {
        LAB_CHECK(pthread_cond_wait(cv, mu));
        return 0;
    }
    err = pthread_cond_timedwait(cv, mu, deadline);
    if (err == ETIMEDOUT)
        return -ETIMEDOUT;
    LAB_CHECK(err);
    return 0;
}

/* make - semaphore_new and semaphore_new_bounded.  Returns as they do. */
static int
make(struct semaphore **out, int value, int bound)
{
    pthread_condattr_t attr;
    struct semaphore *s;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (value < 0)
        return -EINVAL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    err = pthread_mutex_init(&s->mu, NULL);
    if (err)
        goto out_free;
    err = pthread_condattr_init(&attr);
    if (err)
        goto out_destroy_mutex;
    LAB_CHECK(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    err = pthread_cond_init(&s->more, &attr);
    LAB_CHECK(pthread_condattr_destroy(&attr));
    if (err)
        goto out_destroy_mutex;
    s->value = value;
    s->bound = bound;
    *out = s;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&s->mu));
out_free:
    free(s);
    return -err;
}

int
semaphore_new(struct semaphore **out, int value)
{
    return make(out, value, INT_MAX);
}

int
semaphore_new_bounded(struct semaphore **out, int value)
{
    return make(out, value, value);
}

int
semaphore_acquire(struct semaphore *s, double timeout)
{
    (void)s;
    (void)timeout;
    /* TODO(06-E): wait (in a loop) while the value is 0, until the
     * deadline; take one unit. Python: Semaphore.acquire. Read
     * docs/06-locks.md#semaphore. */
    return -ENOSYS;
}

int
semaphore_release(struct semaphore *s, int n)
{
    (void)s;
    (void)n;
    /* TODO(06-E): add n units unless that passes s->bound, and wake
     * waiters, in one critical section. Python: Semaphore.release(n). Read
     * docs/06-locks.md#bounded. */
    return -ENOSYS;
}

int
semaphore_value(struct semaphore *s)
{
    int v;

    if (s == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&s->mu));
    v = s->value;
    LAB_CHECK(pthread_mutex_unlock(&s->mu));
    return v;
}

void
semaphore_free(struct semaphore *s)
{
    if (s == NULL)
        return;
    (void)pthread_cond_destroy(&s->more);
    (void)pthread_mutex_destroy(&s->mu);
    free(s);
}
