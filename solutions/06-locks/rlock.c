/*
 * rlock.c - a re-entrant lock built from a mutex and a condition
 * variable: an owner, a count, and a wait for the count to reach 0.
 *
 * The mutex `mu` is held only for a few instructions inside each call;
 * the lock the caller "holds" is the pair (owner, count).  Waiters sleep
 * on `freed`, and re-check count after every wakeup: another thread may
 * take the lock between the signal and the waiter's return, and
 * pthread_cond_timedwait may wake up with nothing signalled.
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

#include "rlock.h"

/* Timeouts longer than this (about 31 years) wait without limit. */
#define RLOCK_TIMEOUT_MAX_S 1e9

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

struct rlock {
    pthread_mutex_t mu;         /* guards owner and count */
    pthread_cond_t freed;       /* signalled when count drops to 0 */
    pthread_t owner;            /* meaningful only while count > 0 */
    int count;                  /* 0: free; else the owner's depth */
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
static bool
deadline_after(double timeout, struct timespec *ts)
{
    time_t whole = (time_t)timeout;

    if (timeout < 0 || timeout > RLOCK_TIMEOUT_MAX_S)
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
static int
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

/* owned_by_me - does the calling thread own l?  mu must be held. */
static bool
owned_by_me(const struct rlock *l)
{
    return l->count > 0 && pthread_equal(l->owner, pthread_self());
}

int
rlock_new(struct rlock **out)
{
    pthread_condattr_t attr;
    struct rlock *l;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        return -ENOMEM;
    err = pthread_mutex_init(&l->mu, NULL);
    if (err)
        goto out_free;
    err = pthread_condattr_init(&attr);
    if (err)
        goto out_destroy_mutex;
    LAB_CHECK(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    err = pthread_cond_init(&l->freed, &attr);
    LAB_CHECK(pthread_condattr_destroy(&attr));
    if (err)
        goto out_destroy_mutex;
    *out = l;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&l->mu));
out_free:
    free(l);
    return -err;
}

int
rlock_acquire(struct rlock *l, double timeout)
{
    struct timespec ts;
    const struct timespec *deadline;
    int err = 0;

    if (l == NULL || isnan(timeout))
        return -EINVAL;
    deadline = deadline_after(timeout, &ts) ? &ts : NULL;
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    if (owned_by_me(l)) {       /* DOC: 06-locks#re-entry */
        if (l->count == INT_MAX)
            err = -EOVERFLOW;
        else
            l->count++;
        goto out_unlock;
    }
    while (l->count > 0 && err == 0)    /* DOC: 06-locks#wait-loop */
        err = wait_until(&l->freed, &l->mu, deadline);
    if (l->count == 0) {
        l->owner = pthread_self();
        l->count = 1;
        err = 0;
    }
out_unlock:
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    return err;
}

int
rlock_release(struct rlock *l)
{
    int err = 0;

    if (l == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    if (!owned_by_me(l)) {      /* DOC: 06-locks#owner */
        err = -EPERM;
    } else {
        l->count--;
        if (l->count == 0)
            LAB_CHECK(pthread_cond_signal(&l->freed));
    }
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    return err;
}

bool
rlock_is_owned(struct rlock *l)
{
    bool mine;

    if (l == NULL)
        return false;
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    mine = owned_by_me(l);
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    return mine;
}

int
rlock_count(struct rlock *l)
{
    int n;

    if (l == NULL)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    n = owned_by_me(l) ? l->count : 0;
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    return n;
}

void
rlock_free(struct rlock *l)
{
    if (l == NULL)
        return;
    (void)pthread_cond_destroy(&l->freed);
    (void)pthread_mutex_destroy(&l->mu);
    free(l);
}
