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
__attribute__((unused)) static bool
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

/* mine - does the calling thread hold the lock?  mu must be held. */
__attribute__((unused)) static bool
mine(const struct condition *c)
{
    return c->held && pthread_equal(c->holder, pthread_self());
}

/* take_lock - wait until the lock is free (or the deadline), then hold
 * it.  mu must be held.  Returns 0 or -ETIMEDOUT. */
__attribute__((unused)) static int
take_lock(struct condition *c, const struct timespec *deadline)
{
    (void)c;
    (void)deadline;
    /* TODO(06-F): wait (in a loop) until the caller-visible lock is free or
     * the deadline, then hold it. Python: Lock.acquire. Read
     * docs/06-locks.md#condition. */
    return -ENOSYS;
}

/* drop_lock - let the lock go and wake one thread waiting for it.  mu
 * must be held, and the calling thread must hold the lock. */
__attribute__((unused)) static void
drop_lock(struct condition *c)
{
    c->held = false;
    LAB_CHECK(pthread_cond_signal(&c->lock_freed));
}

/* unlink_waiter - take w out of the queue, if it is still there.  mu
 * must be held. */
__attribute__((unused)) static void
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
__attribute__((unused)) static int
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
__attribute__((unused)) static int
wait_locked(struct condition *c, const struct timespec *deadline)
{
    (void)c;
    (void)deadline;
    /* TODO(06-F): queue a waiter, let the lock go, sleep until notified or
     * the deadline, unqueue if not notified, take the lock back. Python:
     * Condition.wait. Read docs/06-locks.md#no-spurious. */
    return -ENOSYS;
}

/* wait_deadline - condition_wait with an absolute deadline (NULL: none).
 * Returns as condition_wait. */
__attribute__((unused)) static int
wait_deadline(struct condition *c, const struct timespec *deadline)
{
    (void)c;
    (void)deadline;
    /* TODO(06-F): under mu: -EPERM unless the caller holds the lock, else
     * wait_locked. Python: Condition.wait. Read docs/06-locks.md#condition.
     * */
    return -ENOSYS;
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
    (void)c;
    (void)timeout;
    /* TODO(06-F): check the arguments; -EDEADLK for the holder, else
     * take_lock by the deadline. Python: Condition.acquire. Read
     * docs/06-locks.md#condition. */
    return -ENOSYS;
}

int
condition_release(struct condition *c)
{
    (void)c;
    /* TODO(06-F): -EPERM unless the caller holds the lock; else drop_lock.
     * Python: Condition.release. Read docs/06-locks.md#condition. */
    return -ENOSYS;
}

int
condition_wait(struct condition *c, double timeout)
{
    (void)c;
    (void)timeout;
    /* TODO(06-F): check the arguments, wait_deadline. Python:
     * Condition.wait(timeout). Read docs/06-locks.md#condition. */
    return -ENOSYS;
}

int
condition_wait_for(struct condition *c, condition_predicate *pred,
                   void *arg, double timeout)
{
    (void)c;
    (void)pred;
    (void)arg;
    (void)timeout;
    /* TODO(06-F): check pred first and again after every wakeup until true
     * or timed out. Python: Condition.wait_for. Read
     * docs/06-locks.md#wait-for. */
    return -ENOSYS;
}

int
condition_notify(struct condition *c, int n)
{
    (void)c;
    (void)n;
    /* TODO(06-F): holder only; pop up to n waiters first come first served,
     * flag and signal each. Python: Condition.notify(n). Read
     * docs/06-locks.md#notify. */
    return -ENOSYS;
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
