/*
 * test_event.c - functional tests of event.h (lab 07, part A).
 *
 * A test that needs a thread to be already waiting when it acts learns
 * that from /proc: the thread sends its tid through a pipe just before it
 * calls event_wait, and the test waits until that thread is asleep ('S').
 * Nothing else in these threads can sleep, so 'S' means "blocked in the
 * wait"; no test sleeps to get an order.
 */
#define _GNU_SOURCE     /* pipe2, gettid */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "event.h"

TestSuite(event, .timeout = 20);

/* Waiting threads in the "every waiter" tests (EVT-05, EVT-06). */
#define WAITERS 5

/* Their timeout, and the (generous) time they get to wake after a set:
 * a waiter nobody woke returns only at its deadline. */
#define WAIT_S 5.0
#define WAKE_S 4.0

/* ---- helpers ---------------------------------------------------------- */

/* wait_asleep - block until the thread that wrote its tid to fd sleeps
 * (kit_thread_blocked would be the shared name for this). */
static void
wait_asleep(int fd)
{
    pid_t tid = 0;
    ssize_t n = kit_read_full(fd, &tid, sizeof(tid), 10.0);

    cr_assert(eq(sz, (size_t)n, sizeof(tid)), "test setup: a waiting thread never sent its tid");
    cr_assert(kit_wait_asleep(tid, 10.0), "test setup: thread %d never blocked (is event_wait returning at once on a clear event?). See docs/07-event.md#wait", (int)tid);
}

/* One waiting thread: announces itself, then waits. */
struct waiter {
    struct event *ev;
    int fd;                     /* write end for the tid */
    double timeout;
    int err;
};

static void *
wait_thread(void *arg)
{
    struct waiter *w = arg;
    pid_t tid = gettid();

    if (kit_write_full(w->fd, &tid, sizeof(tid)) != 0) {
        w->err = -EIO;
        return NULL;
    }
    w->err = event_wait(w->ev, w->timeout);
    return NULL;
}

/*
 * Freezing waiters: a waiter blocked in the condition wait gets SIGUSR1;
 * its handler says so through freeze_ack and then blocks reading
 * freeze_gate.  The waiter is still a waiter of the condition variable,
 * but it cannot take the mutex back until the test thaws it, so a
 * set(); clear() pair runs entirely before any waiter looks again: the
 * race of gh-57711 happens every time instead of now and then.
 */
static int freeze_ack = -1;
static int freeze_gate = -1;

static void
on_freeze(int sig)
{
    int saved = errno;
    char c = 'f';

    (void)sig;
    if (write(freeze_ack, &c, 1) < 0)
        c = 0;
    while (read(freeze_gate, &c, 1) < 0 && errno == EINTR)
        continue;
    errno = saved;
}

/* freeze - stop every waiter inside its wait (see above). */
static void
freeze(pthread_t *t, int n, int ack[2], int gate[2])
{
    struct sigaction sa = { .sa_handler = on_freeze };
    char c;

    cr_assert(eq(int, pipe2(ack, O_CLOEXEC), 0), "test setup: pipe2 failed");
    cr_assert(eq(int, pipe2(gate, O_CLOEXEC), 0), "test setup: pipe2 failed");
    freeze_ack = ack[1];
    freeze_gate = gate[0];
    sigemptyset(&sa.sa_mask);
    cr_assert(eq(int, sigaction(SIGUSR1, &sa, NULL), 0), "test setup: sigaction failed");
    for (int i = 0; i < n; i++)
        cr_assert(eq(int, pthread_kill(t[i], SIGUSR1), 0), "test setup: pthread_kill failed");
    for (int i = 0; i < n; i++)
        cr_assert(eq(sz, (size_t)kit_read_full(ack[0], &c, 1, 10.0), 1), "test setup: a waiter never entered the freeze handler");
}

/* thaw - let the frozen waiters go on, and close the pipes. */
static void
thaw(int n, int ack[2], int gate[2])
{
    char go[WAITERS] = { 0 };

    cr_assert(eq(int, kit_write_full(gate[1], go, (size_t)n), 0), "test setup: could not thaw the waiters");
    close(ack[0]);
    close(ack[1]);
    close(gate[0]);
    close(gate[1]);
}

/* new_event - event_new, or fail with "not implemented". */
static struct event *
new_event(void)
{
    struct event *ev = NULL;
    int err = event_new(&ev);

    kit_require_impl(err, "event_new", "07-A");
    cr_assert(eq(int, err, 0), "event_new(&ev): expected 0, got %s. See docs/07-event.md#new", kit_errname(err));
    cr_assert(ev != NULL, "event_new returned 0 but left *out NULL. See docs/07-event.md#new");
    return ev;
}

/* start_waiters - WAITERS threads blocked in event_wait(ev, timeout). */
static void
start_waiters(struct event *ev, struct waiter *w, pthread_t *t, double timeout)
{
    int fds[2];

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed: %s", strerror(errno));
    for (int i = 0; i < WAITERS; i++) {
        w[i] = (struct waiter){ .ev = ev, .fd = fds[1], .timeout = timeout, .err = 1 };
        cr_assert(eq(int, pthread_create(&t[i], NULL, wait_thread, &w[i]), 0), "test setup: pthread_create failed");
    }
    for (int i = 0; i < WAITERS; i++)
        wait_asleep(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

/* ---- tests -------------------------------------------------------------- */

/* Catches: the stub.  Mirrors EVT-01. */
KIT_TEST(event, new_event_is_clear_and_wait_0_times_out_at_once)
{
    struct event *ev = new_event();
    double t0;
    int err;

    cr_expect(false == (event_is_set(ev)), "event_is_set on a new event: expected false. See docs/07-event.md#new");
    t0 = kit_now();
    err = event_wait(ev, 0);
    cr_expect(eq(int, err, -ETIMEDOUT), "event_wait(ev, 0) on a clear event: expected -ETIMEDOUT (Python returns False), got %s. See docs/07-event.md#wait", kit_errname(err));
    cr_expect(kit_now() - t0 < 1.0, "event_wait(ev, 0) took %.3f s: a zero timeout must not block. See docs/07-event.md#wait", kit_now() - t0);
    event_free(ev);
}

/* Catches: the stub.  Mirrors EVT-02. */
KIT_TEST(event, wait_times_out_when_never_set)
{
    struct event *ev = new_event();
    double t0 = kit_now();
    int err = event_wait(ev, 0.2);
    double took = kit_now() - t0;

    cr_assert(eq(int, err, -ETIMEDOUT), "event_wait(ev, 0.2) on a clear event: expected -ETIMEDOUT (Python returns False), got %s. See docs/07-event.md#wait", kit_errname(err));
    cr_expect(took >= 0.195 && took < 5.0, "event_wait(ev, 0.2) returned after %.3f s: expected about 0.2 s (a spurious wakeup must not end it early). See docs/07-event.md#wait", took);
    event_free(ev);
}

/* Catches: the stub.  Mirrors EVT-03 and EVT-04. */
KIT_TEST(event, set_and_clear_change_is_set_and_wait)
{
    struct event *ev = new_event();
    int err;

    cr_assert(eq(int, event_set(ev), 0), "event_set(ev): expected 0. See docs/07-event.md#set");
    cr_expect(event_is_set(ev), "event_is_set after event_set: expected true. See docs/07-event.md#set");
    err = event_wait(ev, LAB_FOREVER);
    cr_expect(eq(int, err, 0), "event_wait(ev, LAB_FOREVER) on a set event: expected 0 at once, got %s. See docs/07-event.md#wait", kit_errname(err));
    cr_expect(eq(int, event_set(ev), 0), "event_set twice: expected 0 (idempotent). See docs/07-event.md#set");
    cr_expect(eq(int, event_clear(ev), 0), "event_clear(ev): expected 0. See docs/07-event.md#clear");
    cr_expect(false == (event_is_set(ev)), "event_is_set after event_clear: expected false. See docs/07-event.md#clear");
    cr_expect(eq(int, event_clear(ev), 0), "event_clear twice: expected 0 (idempotent). See docs/07-event.md#clear");
    err = event_wait(ev, 0.01);
    cr_expect(eq(int, err, -ETIMEDOUT), "event_wait(ev, 0.01) after clear: expected -ETIMEDOUT, got %s. See docs/07-event.md#clear", kit_errname(err));
    event_free(ev);
}

/* Catches: set_signals_one.patch (signal wakes one waiter, not all).
 * Mirrors EVT-05. */
KIT_TEST(event, set_wakes_every_waiter)
{
    struct event *ev = new_event();
    struct waiter w[WAITERS];
    pthread_t t[WAITERS];

    double took;
    double t0;

    start_waiters(ev, w, t, WAIT_S);
    t0 = kit_now();
    cr_assert(eq(int, event_set(ev), 0), "event_set(ev): expected 0. See docs/07-event.md#set");
    for (int i = 0; i < WAITERS; i++)
        pthread_join(t[i], NULL);
    took = kit_now() - t0;
    for (int i = 0; i < WAITERS; i++)
        cr_expect(eq(int, w[i].err, 0), "event_wait(ev, %.0f) in waiting thread %d of %d, then event_set: expected 0, got %s. See docs/07-event.md#set", WAIT_S, i + 1, WAITERS, kit_errname(w[i].err));
    cr_expect(took < WAKE_S, "the %d threads in event_wait(ev, %.0f) took %.2f s to return after event_set: set must wake every waiter at once (broadcast, not signal); a waiter left asleep only returns at its deadline. See docs/07-event.md#set", WAITERS, WAIT_S, took);
    event_free(ev);
}

/* Catches: wait_rechecks_flag.patch (a waiter that wakes after the clear
 * sees the flag false and sleeps on).  Mirrors EVT-06 (gh-57711).  The
 * waiters are frozen inside their wait while set(); clear() runs. */
KIT_TEST(event, set_then_clear_at_once_still_wakes_every_waiter)
{
    struct event *ev = new_event();
    struct waiter w[WAITERS];
    pthread_t t[WAITERS];

    int set_err;
    int clear_err;
    int ack[2];
    int gate[2];

    start_waiters(ev, w, t, WAIT_S);
    freeze(t, WAITERS, ack, gate);
    set_err = event_set(ev);
    clear_err = event_clear(ev);    /* before any waiter can look again */
    thaw(WAITERS, ack, gate);
    cr_expect(eq(int, set_err, 0), "event_set(ev): expected 0, got %s. See docs/07-event.md#set", kit_errname(set_err));
    cr_expect(eq(int, clear_err, 0), "event_clear(ev): expected 0, got %s. See docs/07-event.md#clear", kit_errname(clear_err));
    for (int i = 0; i < WAITERS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < WAITERS; i++)
        cr_expect(eq(int, w[i].err, 0), "thread %d of %d was blocked in event_wait(ev, 5) when event_set(ev); event_clear(ev) ran: expected 0 (the set happened while it waited), got %s. See docs/07-event.md#generation", i + 1, WAITERS, kit_errname(w[i].err));
    event_free(ev);
}

/* Catches: the stub.  A timed wait that is set in time returns 0 and
 * does not wait for its deadline. */
KIT_TEST(event, timed_wait_returns_0_when_set_in_time)
{
    struct event *ev = new_event();
    struct waiter w[WAITERS];
    pthread_t t[WAITERS];
    double t0;

    start_waiters(ev, w, t, 10.0);
    t0 = kit_now();
    cr_assert(eq(int, event_set(ev), 0), "event_set(ev): expected 0. See docs/07-event.md#set");
    for (int i = 0; i < WAITERS; i++)
        pthread_join(t[i], NULL);
    cr_expect(kit_now() - t0 < 5.0, "event_wait(ev, 10.0) waiters took %.2f s to return after event_set: they must wake at once. See docs/07-event.md#wait", kit_now() - t0);
    for (int i = 0; i < WAITERS; i++)
        cr_expect(eq(int, w[i].err, 0), "event_wait(ev, 10.0) in thread %d, set in time: expected 0, got %s. See docs/07-event.md#wait", i + 1, kit_errname(w[i].err));
    event_free(ev);
}

/* Catches: the stub.  NULL and NaN are caller errors, not crashes. */
KIT_TEST(event, null_event_and_nan_timeout_fail_with_einval)
{
    struct event *ev = new_event();
    int err;

    err = event_wait(ev, NAN);
    cr_expect(eq(int, err, -EINVAL), "event_wait(ev, NAN): expected -EINVAL, got %s. See docs/07-event.md#wait", kit_errname(err));
    err = event_wait(NULL, 0.1);
    cr_expect(eq(int, err, -EINVAL), "event_wait(NULL, 0.1): expected -EINVAL, got %s. See docs/07-event.md#wait", kit_errname(err));
    cr_expect(eq(int, event_set(NULL), -EINVAL), "event_set(NULL): expected -EINVAL. See docs/07-event.md#set");
    cr_expect(eq(int, event_clear(NULL), -EINVAL), "event_clear(NULL): expected -EINVAL. See docs/07-event.md#clear");
    cr_expect(eq(int, event_new(NULL), -EINVAL), "event_new(NULL): expected -EINVAL. See docs/07-event.md#new");
    cr_expect(false == (event_is_set(NULL)), "event_is_set(NULL): expected false. See docs/07-event.md#new");
    event_free(NULL);
    event_free(ev);
}
