/*
 * event.c - threading.Event in C: a flag under a mutex, a condition
 * variable to wait on, and a generation counter so that a set() is never
 * lost to a clear() that follows it at once.
 *
 * DESIGN
 *
 * A waiter cannot decide "was I woken by a set?" by looking at the flag
 * after it wakes: set(); clear() may both run before the woken thread
 * gets the mutex back, and the flag is false again.  So every set() that
 * changes the flag also bumps `gen`.  A waiter notes `gen` when it starts
 * waiting and stops as soon as `gen` differs: that set() happened while it
 * waited, whatever the flag says now.  clear() never touches `gen`.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* Timeouts longer than this wait without limit (no time_t overflow). */
#define EVENT_MAX_TIMEOUT_S 1e9

struct event {
    pthread_mutex_t mu;         /* guards flag and gen */
    pthread_cond_t changed;     /* broadcast by event_set (monotonic) */
    bool flag;                  /* Python's _flag */
    unsigned long gen;          /* bumped by every set that sets the flag */
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

    if (timeout < 0 || timeout > EVENT_MAX_TIMEOUT_S)
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

/* init_monotonic_cond - a condition variable whose timed waits use
 * CLOCK_MONOTONIC.  Returns 0 or a negative errno. */
static int
init_monotonic_cond(pthread_cond_t *c)
{
    pthread_condattr_t attr;
    int err;

    err = pthread_condattr_init(&attr);
    if (err)
        return -err;
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (err == 0)
        err = pthread_cond_init(c, &attr);
    pthread_condattr_destroy(&attr);
    return -err;
}

int
event_new(struct event **out)
{
    struct event *ev;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    ev = calloc(1, sizeof(*ev));
    if (ev == NULL)
        return -ENOMEM;
    err = -pthread_mutex_init(&ev->mu, NULL);
    if (err)
        goto out_free;
    err = init_monotonic_cond(&ev->changed);
    if (err)
        goto out_destroy_mutex;
    *out = ev;
    return 0;

out_destroy_mutex:
    pthread_mutex_destroy(&ev->mu);
out_free:
    free(ev);
    return err;
}

int
event_set(struct event *ev)
{
    if (ev == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&ev->mu));
    if (!ev->flag) {
        ev->flag = true;
        ev->gen++;              /* DOC: 07-event#generation */
        LAB_CHECK(pthread_cond_broadcast(&ev->changed));
    }
    LAB_CHECK(pthread_mutex_unlock(&ev->mu));
    return 0;
}

int
event_clear(struct event *ev)
{
    if (ev == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&ev->mu));
    ev->flag = false;
    LAB_CHECK(pthread_mutex_unlock(&ev->mu));
    return 0;
}

int
event_wait(struct event *ev, double timeout)
{
    struct timespec ts;
    const struct timespec *deadline;
    unsigned long gen;
    int err = 0;

    if (ev == NULL || isnan(timeout))
        return -EINVAL;
    deadline = deadline_after(timeout, &ts) ? &ts : NULL;
    LAB_CHECK(pthread_mutex_lock(&ev->mu));
    if (!ev->flag) {
        gen = ev->gen;
        /* DOC: 07-event#wait */
        while (ev->gen == gen && err == 0)
            err = cond_wait_until(&ev->changed, &ev->mu, deadline);
        if (ev->gen != gen)
            err = 0;            /* set while we waited: even at the deadline */
    }
    LAB_CHECK(pthread_mutex_unlock(&ev->mu));
    return err ? -ETIMEDOUT : 0;
}

bool
event_is_set(const struct event *ev)
{
    struct event *e = (struct event *)ev;   /* the lock is not the value */
    bool flag;

    if (e == NULL)
        return false;
    LAB_CHECK(pthread_mutex_lock(&e->mu));
    flag = e->flag;
    LAB_CHECK(pthread_mutex_unlock(&e->mu));
    return flag;
}

void
event_free(struct event *ev)
{
    if (ev == NULL)
        return;
    LAB_CHECK(pthread_cond_destroy(&ev->changed));
    LAB_CHECK(pthread_mutex_destroy(&ev->mu));
    free(ev);
}
