/*
 * barrier.c - threading.Barrier in C: threads meet in cycles of
 * `parties`; a timeout, an abort or a failing action breaks the barrier.
 *
 * DESIGN
 *
 * The states follow CPython's Barrier.  A cycle FILLS until the last
 * thread arrives.  That thread runs the action (state ACTION, without the
 * lock), then lets everyone go (DRAINING).  The cycle's threads leave one
 * by one; the last to leave makes the barrier FILLING again.  Threads
 * that arrive while a cycle runs its action or drains wait at the door
 * (enter_locked), so a fast thread never joins the cycle it just left.
 * BROKEN lasts until reset; RESETTING drains like DRAINING, but every
 * thread still inside returns -ECANCELED.  `count` is the number of
 * threads inside barrier_wait past the door.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barrier.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* Timeouts longer than this wait without limit (no time_t overflow). */
#define BARRIER_MAX_TIMEOUT_S 1e9

enum barrier_state {
    BARRIER_FILLING,            /* threads arrive and wait */
    BARRIER_ACTION,             /* all arrived; the last runs the action */
    BARRIER_DRAINING,           /* released; the cycle's threads leave */
    BARRIER_RESETTING,          /* reset with threads inside; they leave */
    BARRIER_BROKEN,             /* until barrier_reset() */
};

struct barrier {
    /* Set by barrier_new() and read-only afterwards. */
    unsigned parties;
    barrier_action *action;
    void *arg;

    pthread_mutex_t mu;         /* guards state and count */
    pthread_cond_t changed;     /* broadcast on every state change */
    enum barrier_state state;
    unsigned count;             /* threads inside, past the door */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static __attribute__((unused)) void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* deadline_after - the CLOCK_MONOTONIC time `timeout` seconds from now,
 * into *ts.  Returns false (no deadline) for a negative or huge timeout.
 * Cannot fail. */
static __attribute__((unused)) bool
deadline_after(double timeout, struct timespec *ts)
{
    double whole;
    double frac;

    if (timeout < 0 || timeout > BARRIER_MAX_TIMEOUT_S)
        return false;
    clock_gettime(CLOCK_MONOTONIC, ts);
    frac = modf(timeout, &whole);
    ts->tv_sec += (time_t)whole;
    ts->tv_nsec += (long)(frac * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
    return true;
}

/* cond_wait_until - one wait on c, until `deadline` (NULL: no limit).
 * mu held on entry and on return.  Returns 0 (woken, maybe spuriously)
 * or ETIMEDOUT (positive, as pthread says). */
static __attribute__((unused)) int
cond_wait_until(pthread_cond_t *c, pthread_mutex_t *mu,
                const struct timespec *deadline)
{
    int err;

    if (deadline == NULL) {
        LAB_CHECK(pthread_cond_wait(c, mu));
        return 0;
    }
    err = pthread_cond_timedwait(c, mu, deadline);
    if (err != 0 && err != ETIMEDOUT)
        lab_check_failed("pthread_cond_timedwait", err, __FILE__, __LINE__);
    return err;
}

/* set_state_locked - move to `state` and tell every waiter.  mu held. */
static __attribute__((unused)) void
set_state_locked(struct barrier *b, enum barrier_state state)
{
    b->state = state;
    LAB_CHECK(pthread_cond_broadcast(&b->changed));
}

int
barrier_new(struct barrier **out, unsigned parties, barrier_action *action,
            void *arg)
{
    /* TODO(07-C): allocate a FILLING barrier for parties threads (0 parties:
     * -EINVAL); monotonic condition variable. Python:
     * threading.Barrier(parties, action). Read docs/07-event.md#barrier. */
    (void)out;
    (void)parties;
    (void)action;
    (void)arg;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/* enter_locked - wait at the door while a cycle finishes, then refuse a
 * broken barrier.  mu held.  Returns 0 or -ECANCELED. */
static __attribute__((unused)) int
enter_locked(struct barrier *b)
{
    /* TODO(07-C): wait while a cycle runs its action, drains or resets;
     * refuse a broken barrier with -ECANCELED. Python: Barrier._enter(). Read
     * docs/07-event.md#broken. */
    (void)b;
    return -ENOSYS;
}

/* release_locked - the last thread's part: run the action without the
 * lock, then let the cycle go (or break it).  mu held.  Returns 0, the
 * action's error, or -ECANCELED if an abort or reset came meanwhile. */
static __attribute__((unused)) int
release_locked(struct barrier *b)
{
    /* TODO(07-C): the last thread: run the action without the lock, then
     * DRAINING (or BROKEN if it failed, -ECANCELED if aborted meanwhile).
     * Python: Barrier._release(). Read docs/07-event.md#barrier. */
    (void)b;
    return -ENOSYS;
}

/* wait_released_locked - an early thread waits for the last one.  mu
 * held.  Returns 0 when released, -ETIMEDOUT (this thread broke the
 * barrier) or -ECANCELED (broken or reset by someone else). */
static __attribute__((unused)) int
wait_released_locked(struct barrier *b, const struct timespec *deadline)
{
    /* TODO(07-C): wait while FILLING or ACTION; a timeout while FILLING
     * breaks the barrier and returns -ETIMEDOUT. Python:
     * Barrier._wait(timeout). Read docs/07-event.md#broken. */
    (void)b;
    (void)deadline;
    return -ENOSYS;
}

/* exit_locked - leave; the last thread out of a finished or reset cycle
 * opens the door for the next one.  mu held. */
static __attribute__((unused)) void
exit_locked(struct barrier *b)
{
    /* TODO(07-C): count this thread out; the last one out of a drained or
     * reset cycle makes the barrier FILLING again. Python: Barrier._exit().
     * Read docs/07-event.md#barrier. */
    (void)b;
}

int
barrier_wait(struct barrier *b, unsigned *index, double timeout)
{
    /* TODO(07-C): enter, take an index, release or wait, exit; all under the
     * lock, with one deadline. Python: Barrier.wait(timeout). Read
     * docs/07-event.md#barrier. */
    (void)b;
    (void)index;
    (void)timeout;
    return -ENOSYS;
}

int
barrier_abort(struct barrier *b)
{
    /* TODO(07-C): break the barrier and wake every waiter. Python:
     * Barrier.abort(). Read docs/07-event.md#broken. */
    (void)b;
    return -ENOSYS;
}

int
barrier_reset(struct barrier *b)
{
    /* TODO(07-C): FILLING if nobody is inside, else RESETTING unless a cycle
     * is draining. Python: Barrier.reset(). Read docs/07-event.md#broken. */
    (void)b;
    return -ENOSYS;
}

unsigned
barrier_parties(const struct barrier *b)
{
    return b == NULL ? 0 : b->parties;
}

unsigned
barrier_n_waiting(const struct barrier *b)
{
    /* TODO(07-C): the count while FILLING, else 0, read under the lock.
     * Python: Barrier.n_waiting. Read docs/07-event.md#barrier. */
    (void)b;
    return 0;
}

bool
barrier_broken(const struct barrier *b)
{
    /* TODO(07-C): is the state BROKEN? read under the lock. Python:
     * Barrier.broken. Read docs/07-event.md#broken. */
    (void)b;
    return false;
}

void
barrier_free(struct barrier *b)
{
    /* TODO(07-C): destroy the condition variable and mutex, free; NULL is a
     * no-op. Python: del barrier. Read docs/07-event.md#barrier. */
    (void)b;
}
