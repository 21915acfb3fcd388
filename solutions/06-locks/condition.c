/*
 * condition.c - Python's Condition: a lock, and a first-come first-served
 * queue of waiters, each woken by its own flag.
 *
 * DESIGN
 *
 * The lock the caller holds between condition_acquire() and
 * condition_release() is the pair (held, holder), guarded by the internal
 * mutex `mu`, which itself is held only inside a call.  That lets every
 * call check that the caller holds the lock (-EPERM otherwise), as Python
 * does, and lets wait release it and take it back.
 *
 * A waiter lives on the waiting thread's stack: its own condition
 * variable and a `notified` flag, linked into the queue.  notify pops up
 * to n waiters, sets their flags and signals each one, all under `mu`.
 * A waiter sleeps while its flag is false, so a spurious wakeup of the
 * pthread condition variable never reaches the caller, and notify(2)
 * wakes exactly two (CPython gives the same guarantees with one lock per
 * waiter).  A waiter that times out unlinks itself.
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

#include "condition.h"

/* Timeouts longer than this (about 31 years) wait without limit. */
#define CONDITION_TIMEOUT_MAX_S 1e9

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* One waiting thread, on its own stack while it waits. */
struct waiter {
    pthread_cond_t wake;        /* signalled by notify, once */
    bool notified;              /* set by notify; guarded by mu */
    struct waiter *next;        /* guarded by mu */
};

struct condition {
    pthread_mutex_t mu;         /* guards every field below */
    pthread_cond_t lock_freed;  /* signalled when held goes false */
    bool held;                  /* the caller-visible lock */
    pthread_t holder;           /* meaningful only while held */
    struct waiter *head;        /* longest waiting first */
    struct waiter *tail;
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

    if (timeout < 0 || timeout > CONDITION_TIMEOUT_MAX_S)
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

/* mine - does the calling thread hold the lock?  mu must be held. */
static bool
mine(const struct condition *c)
{
    return c->held && pthread_equal(c->holder, pthread_self());
}

/* take_lock - wait until the lock is free (or the deadline), then hold
 * it.  mu must be held.  Returns 0 or -ETIMEDOUT. */
static int
take_lock(struct condition *c, const struct timespec *deadline)
{
    int err = 0;

    while (c->held && err == 0)
        err = wait_until(&c->lock_freed, &c->mu, deadline);
    if (c->held)
        return err;
    c->held = true;
    c->holder = pthread_self();
    return 0;
}

/* drop_lock - let the lock go and wake one thread waiting for it.  mu
 * must be held, and the calling thread must hold the lock. */
static void
drop_lock(struct condition *c)
{
    c->held = false;
    LAB_CHECK(pthread_cond_signal(&c->lock_freed));
}

/* unlink_waiter - take w out of the queue, if it is still there.  mu
 * must be held. */
static void
unlink_waiter(struct condition *c, struct waiter *w)
{
    struct waiter **pp = &c->head;
    struct waiter *prev = NULL;

    while (*pp != NULL && *pp != w) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (*pp == NULL)
        return;
    *pp = w->next;
    if (c->tail == w)
        c->tail = prev;
}

/* init_wake - a condition variable on CLOCK_MONOTONIC.  Returns 0 or
 * -errno. */
static int
init_wake(pthread_cond_t *cv)
{
    pthread_condattr_t attr;
    int err = pthread_condattr_init(&attr);

    if (err)
        return -err;
    LAB_CHECK(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    err = pthread_cond_init(cv, &attr);
    LAB_CHECK(pthread_condattr_destroy(&attr));
    return -err;
}

/* wait_locked - queue up, let the lock go, sleep until notified or the
 * deadline, and hold the lock again.  mu must be held, and the calling
 * thread must hold the lock.  Returns 0 (notified), -ETIMEDOUT, or
 * -errno if no condition variable could be made (nothing changed). */
static int
wait_locked(struct condition *c, const struct timespec *deadline)
{
    struct waiter w = { .notified = false, .next = NULL };
    int err = init_wake(&w.wake);

    if (err)
        return err;
    if (c->tail != NULL)
        c->tail->next = &w;
    else
        c->head = &w;
    c->tail = &w;
    drop_lock(c);
    while (!w.notified && err == 0)     /* DOC: 06-locks#no-spurious */
        err = wait_until(&w.wake, &c->mu, deadline);
    if (!w.notified)
        unlink_waiter(c, &w);
    (void)take_lock(c, NULL);   /* no deadline, as in Python */
    LAB_CHECK(pthread_cond_destroy(&w.wake));
    return w.notified ? 0 : -ETIMEDOUT;
}

/* wait_deadline - condition_wait with an absolute deadline (NULL: none).
 * Returns as condition_wait. */
static int
wait_deadline(struct condition *c, const struct timespec *deadline)
{
    int err;

    LAB_CHECK(pthread_mutex_lock(&c->mu));
    err = mine(c) ? wait_locked(c, deadline) : -EPERM;
    LAB_CHECK(pthread_mutex_unlock(&c->mu));
    return err;
}

int
condition_new(struct condition **out)
{
    struct condition *c;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -ENOMEM;
    err = -pthread_mutex_init(&c->mu, NULL);
    if (err)
        goto out_free;
    err = init_wake(&c->lock_freed);
    if (err)
        goto out_destroy_mutex;
    *out = c;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&c->mu));
out_free:
    free(c);
    return err;
}

int
condition_acquire(struct condition *c, double timeout)
{
    struct timespec ts;
    const struct timespec *deadline;
    int err;

    if (c == NULL || isnan(timeout))
        return -EINVAL;
    deadline = deadline_after(timeout, &ts) ? &ts : NULL;
    LAB_CHECK(pthread_mutex_lock(&c->mu));
    err = mine(c) ? -EDEADLK : take_lock(c, deadline);
    LAB_CHECK(pthread_mutex_unlock(&c->mu));
    return err;
}

int
condition_release(struct condition *c)
{
    int err = 0;

    if (c == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&c->mu));
    if (mine(c))
        drop_lock(c);
    else
        err = -EPERM;
    LAB_CHECK(pthread_mutex_unlock(&c->mu));
    return err;
}

int
condition_wait(struct condition *c, double timeout)
{
    struct timespec ts;

    if (c == NULL || isnan(timeout))
        return -EINVAL;
    return wait_deadline(c, deadline_after(timeout, &ts) ? &ts : NULL);
}

int
condition_wait_for(struct condition *c, condition_predicate *pred,
                   void *arg, double timeout)
{
    struct timespec ts;
    const struct timespec *deadline;
    bool ok;
    int err = 0;

    if (c == NULL || pred == NULL || isnan(timeout))
        return -EINVAL;
    deadline = deadline_after(timeout, &ts) ? &ts : NULL;
    LAB_CHECK(pthread_mutex_lock(&c->mu));
    ok = mine(c);
    LAB_CHECK(pthread_mutex_unlock(&c->mu));
    if (!ok)
        return -EPERM;
    /* pred runs without mu (only the caller's lock is held), so it may
     * take as long as it likes. */
    while (!(ok = pred(arg)) && err == 0)   /* DOC: 06-locks#wait-for */
        err = wait_deadline(c, deadline);
    return ok ? 0 : err;
}

int
condition_notify(struct condition *c, int n)
{
    int err = 0;

    if (c == NULL || n < 0)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&c->mu));
    if (!mine(c)) {
        err = -EPERM;
        goto out_unlock;
    }
    while (n-- > 0 && c->head != NULL) {
        struct waiter *w = c->head;

        c->head = w->next;
        if (c->head == NULL)
            c->tail = NULL;
        w->notified = true;     /* DOC: 06-locks#notify */
        LAB_CHECK(pthread_cond_signal(&w->wake));
    }
out_unlock:
    LAB_CHECK(pthread_mutex_unlock(&c->mu));
    return err;
}

int
condition_notify_all(struct condition *c)
{
    return condition_notify(c, INT_MAX);
}

void
condition_free(struct condition *c)
{
    if (c == NULL)
        return;
    (void)pthread_cond_destroy(&c->lock_freed);
    (void)pthread_mutex_destroy(&c->mu);
    free(c);
}
