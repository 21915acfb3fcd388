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
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* deadline_after - the CLOCK_MONOTONIC time `timeout` seconds from now,
 * into *ts.  Returns false (no deadline) for a negative or huge timeout.
 * Cannot fail. */
static bool
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
static int
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
static void
set_state_locked(struct barrier *b, enum barrier_state state)
{
    b->state = state;
    LAB_CHECK(pthread_cond_broadcast(&b->changed));
}

int
barrier_new(struct barrier **out, unsigned parties, barrier_action *action,
            void *arg)
{
    pthread_condattr_t attr;
    struct barrier *b;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (parties == 0)
        return -EINVAL;
    b = calloc(1, sizeof(*b));
    if (b == NULL)
        return -ENOMEM;
    b->parties = parties;
    b->action = action;
    b->arg = arg;
    b->state = BARRIER_FILLING;
    err = pthread_condattr_init(&attr);
    if (err)
        goto out_free;
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (err == 0)
        err = pthread_cond_init(&b->changed, &attr);
    pthread_condattr_destroy(&attr);
    if (err)
        goto out_free;
    err = pthread_mutex_init(&b->mu, NULL);
    if (err)
        goto out_destroy_cond;
    *out = b;
    return 0;

out_destroy_cond:
    pthread_cond_destroy(&b->changed);
out_free:
    free(b);
    return -err;
}

/* enter_locked - wait at the door while a cycle finishes, then refuse a
 * broken barrier.  mu held.  Returns 0 or -ECANCELED. */
static int
enter_locked(struct barrier *b)
{
    while (b->state == BARRIER_ACTION || b->state == BARRIER_DRAINING ||
           b->state == BARRIER_RESETTING)
        (void)cond_wait_until(&b->changed, &b->mu, NULL);
    if (b->state == BARRIER_BROKEN)
        return -ECANCELED;      /* DOC: 07-event#broken */
    return 0;
}

/* release_locked - the last thread's part: run the action without the
 * lock, then let the cycle go (or break it).  mu held.  Returns 0, the
 * action's error, or -ECANCELED if an abort or reset came meanwhile. */
static int
release_locked(struct barrier *b)
{
    int err = 0;

    if (b->action != NULL) {
        set_state_locked(b, BARRIER_ACTION);
        LAB_CHECK(pthread_mutex_unlock(&b->mu));
        err = b->action(b->arg);    /* R22: never call out under a lock */
        LAB_CHECK(pthread_mutex_lock(&b->mu));
        if (b->state != BARRIER_ACTION)
            return -ECANCELED;
        if (err != 0) {
            set_state_locked(b, BARRIER_BROKEN);
            return err < 0 ? err : -ECANCELED;
        }
    }
    set_state_locked(b, BARRIER_DRAINING);
    return 0;
}

/* wait_released_locked - an early thread waits for the last one.  mu
 * held.  Returns 0 when released, -ETIMEDOUT (this thread broke the
 * barrier) or -ECANCELED (broken or reset by someone else). */
static int
wait_released_locked(struct barrier *b, const struct timespec *deadline)
{
    while (b->state == BARRIER_FILLING || b->state == BARRIER_ACTION) {
        int err = cond_wait_until(&b->changed, &b->mu, deadline);
        if (err != ETIMEDOUT)
            continue;
        if (b->state == BARRIER_FILLING) {
            set_state_locked(b, BARRIER_BROKEN);
            return -ETIMEDOUT;
        }
        deadline = NULL;        /* all arrived: the action decides */
    }
    return b->state == BARRIER_DRAINING ? 0 : -ECANCELED;
}

/* exit_locked - leave; the last thread out of a finished or reset cycle
 * opens the door for the next one.  mu held. */
static void
exit_locked(struct barrier *b)
{
    b->count--;
    if (b->count == 0 && (b->state == BARRIER_DRAINING ||
                          b->state == BARRIER_RESETTING))
        set_state_locked(b, BARRIER_FILLING);
}

int
barrier_wait(struct barrier *b, unsigned *index, double timeout)
{
    struct timespec ts;
    const struct timespec *deadline;
    unsigned me = 0;
    int err;

    if (b == NULL || isnan(timeout))
        return -EINVAL;
    deadline = deadline_after(timeout, &ts) ? &ts : NULL;
    LAB_CHECK(pthread_mutex_lock(&b->mu));
    err = enter_locked(b);
    if (err == 0) {
        me = b->count++;
        if (b->count == b->parties)
            err = release_locked(b);
        else
            err = wait_released_locked(b, deadline);
        exit_locked(b);
    }
    LAB_CHECK(pthread_mutex_unlock(&b->mu));
    if (err == 0 && index != NULL)
        *index = me;
    return err;
}

int
barrier_abort(struct barrier *b)
{
    if (b == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&b->mu));
    set_state_locked(b, BARRIER_BROKEN);
    LAB_CHECK(pthread_mutex_unlock(&b->mu));
    return 0;
}

int
barrier_reset(struct barrier *b)
{
    if (b == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&b->mu));
    if (b->count == 0)
        set_state_locked(b, BARRIER_FILLING);
    else if (b->state != BARRIER_DRAINING)
        set_state_locked(b, BARRIER_RESETTING);
    LAB_CHECK(pthread_mutex_unlock(&b->mu));
    return 0;
}

unsigned
barrier_parties(const struct barrier *b)
{
    return b == NULL ? 0 : b->parties;
}

unsigned
barrier_n_waiting(const struct barrier *b)
{
    struct barrier *m = (struct barrier *)b;    /* the lock is not the value */
    unsigned n;

    if (m == NULL)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&m->mu));
    n = m->state == BARRIER_FILLING ? m->count : 0;
    LAB_CHECK(pthread_mutex_unlock(&m->mu));
    return n;
}

bool
barrier_broken(const struct barrier *b)
{
    struct barrier *m = (struct barrier *)b;    /* the lock is not the value */
    bool broken;

    if (m == NULL)
        return false;
    LAB_CHECK(pthread_mutex_lock(&m->mu));
    broken = m->state == BARRIER_BROKEN;
    LAB_CHECK(pthread_mutex_unlock(&m->mu));
    return broken;
}

void
barrier_free(struct barrier *b)
{
    if (b == NULL)
        return;
    LAB_CHECK(pthread_cond_destroy(&b->changed));
    LAB_CHECK(pthread_mutex_destroy(&b->mu));
    free(b);
}
