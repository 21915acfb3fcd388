/*
 * test_condition.c - functional tests of condition.h: the lock, wait with
 * a timeout, notify(n), notify_all, wait_for with a predicate
 * (lab 06, part F).
 *
 * "All five threads are waiting" is a state no event announces: the test
 * reads the waiters' own count under the condition's lock with
 * kit_wait_until (a waiter counts itself and waits without letting the
 * lock go in between).  Every other order comes from pipes.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "condition.h"

TestSuite(condition, .timeout = 30);

#define WAITERS 5

static struct condition *
make(void)
{
    struct condition *c = NULL;
    int err = condition_new(&c);

    cr_assert(eq(int, err, 0), "condition_new(&c): expected 0, got %s", kit_errname(err));
    return c;
}

static void
lock(struct condition *c)
{
    int err = condition_acquire(c, LAB_FOREVER);

    cr_assert(eq(int, err, 0), "condition_acquire(c, LAB_FOREVER): expected 0, got %s. See docs/06-locks.md#condition", kit_errname(err));
}

static void
unlock(struct condition *c)
{
    int err = condition_release(c);

    cr_assert(eq(int, err, 0), "condition_release(c) by the holder: expected 0, got %s. See docs/06-locks.md#condition", kit_errname(err));
}

/* Catches: the stub.  Mirrors COND-02. */
KIT_TEST(condition, wait_and_notify_without_the_lock_fail_with_eperm)
{
    struct condition *c = make();
    int err = condition_wait(c, 0);

    kit_require_impl(err, "condition_wait", "06-F");
    cr_expect(eq(int, err, -EPERM), "condition_wait(c, 0) without holding the lock: expected -EPERM (Python: RuntimeError), got %s. See docs/06-locks.md#condition", kit_errname(err));
    err = condition_notify(c, 1);
    cr_expect(eq(int, err, -EPERM), "condition_notify(c, 1) without the lock: expected -EPERM, got %s. See docs/06-locks.md#condition", kit_errname(err));
    err = condition_notify_all(c);
    cr_expect(eq(int, err, -EPERM), "condition_notify_all(c) without the lock: expected -EPERM, got %s. See docs/06-locks.md#condition", kit_errname(err));
    err = condition_release(c);
    cr_expect(eq(int, err, -EPERM), "condition_release(c) without the lock: expected -EPERM, got %s. See docs/06-locks.md#condition", kit_errname(err));
    lock(c);
    err = condition_notify(c, 3);
    cr_expect(eq(int, err, 0), "condition_notify(c, 3) with nobody waiting: expected 0 (Python: a no-op), got %s. See docs/06-locks.md#notify", kit_errname(err));
    err = condition_notify(c, -1);
    cr_expect(eq(int, err, -EINVAL), "condition_notify(c, -1): expected -EINVAL, got %s. See docs/06-locks.md#notify", kit_errname(err));
    unlock(c);
    condition_free(c);
}

/* Another thread's attempt at the lock. */
struct attempt {
    struct condition *c;
    double timeout;
    int err;
    double waited;
};

static void *
try_lock(void *arg)
{
    struct attempt *a = arg;
    double t0 = kit_now();

    a->err = condition_acquire(a->c, a->timeout);
    a->waited = kit_now() - t0;
    if (a->err == 0)
        (void)condition_release(a->c);
    return NULL;
}

static void
attempt_in_thread(struct attempt *a)
{
    pthread_t t;

    cr_assert(eq(int, pthread_create(&t, NULL, try_lock, a), 0), "test setup: pthread_create failed");
    pthread_join(t, NULL);
}

/* Catches: the stub.  Mirrors COND-01 and LOCK-09. */
KIT_TEST(condition, the_lock_excludes_other_threads_and_is_not_reentrant)
{
    struct condition *c = make();
    struct attempt a = { .c = c, .timeout = 0.1 };
    int err = condition_acquire(c, 0);

    kit_require_impl(err, "condition_acquire", "06-F");
    cr_assert(eq(int, err, 0), "condition_acquire(c, 0) on a free lock: expected 0, got %s. See docs/06-locks.md#condition", kit_errname(err));
    err = condition_acquire(c, 0);
    cr_expect(eq(int, err, -EDEADLK), "condition_acquire(c, 0) by the holder: expected -EDEADLK, got %s. See docs/06-locks.md#condition", kit_errname(err));
    attempt_in_thread(&a);
    cr_expect(eq(int, a.err, -ETIMEDOUT), "condition_acquire(c, 0.1) in another thread while held: expected -ETIMEDOUT, got %s. See docs/06-locks.md#condition", kit_errname(a.err));
    cr_expect(a.waited >= 0.1 && a.waited < 5.0, "condition_acquire(c, 0.1) returned after %.3f s: expected at least 0.1 s. See docs/06-locks.md#condition", a.waited);
    unlock(c);
    a.timeout = 0;
    attempt_in_thread(&a);
    cr_expect(eq(int, a.err, 0), "condition_acquire(c, 0) in another thread after the release: expected 0, got %s. See docs/06-locks.md#condition", kit_errname(a.err));
    condition_free(c);
}

/* Catches: the stub.  Mirrors COND-03. */
KIT_TEST(condition, wait_times_out_and_returns_holding_the_lock)
{
    struct condition *c = make();
    int err = condition_acquire(c, 0);
    double t0;
    double waited;

    kit_require_impl(err, "condition_acquire", "06-F");
    cr_assert(eq(int, err, 0), "condition_acquire(c, 0): expected 0, got %s", kit_errname(err));
    t0 = kit_now();
    err = condition_wait(c, 0.1);
    waited = kit_now() - t0;
    cr_expect(eq(int, err, -ETIMEDOUT), "condition_wait(c, 0.1) with no notify: expected -ETIMEDOUT (Python: False), got %s. See docs/06-locks.md#condition", kit_errname(err));
    cr_expect(waited >= 0.1 && waited < 5.0, "condition_wait(c, 0.1) returned after %.3f s: expected at least 0.1 s. See docs/06-locks.md#condition", waited);
    err = condition_release(c);
    cr_expect(eq(int, err, 0), "condition_release after a timed-out wait: expected 0 (wait takes the lock back before returning), got %s. See docs/06-locks.md#condition", kit_errname(err));
    condition_free(c);
}

/* A waiter that says (through a pipe) when it is about to wait. */
struct one_waiter {
    struct condition *c;
    int about[2];
    int err;
};

static void *
wait_once(void *arg)
{
    struct one_waiter *w = arg;
    char ch = 'w';

    w->err = condition_acquire(w->c, LAB_FOREVER);
    if (w->err != 0) {
        (void)kit_write_full(w->about[1], &ch, 1);
        return NULL;
    }
    (void)kit_write_full(w->about[1], &ch, 1);
    w->err = condition_wait(w->c, LAB_FOREVER);
    (void)condition_release(w->c);
    return NULL;
}

/* Catches: the stub.  Mirrors COND-01/COND-09: wait lets the lock go
 * while it sleeps (else nobody could ever notify). */
KIT_TEST(condition, wait_lets_the_lock_go_and_notify_wakes_it_with_0)
{
    struct one_waiter w = { .c = make() };
    pthread_t t;
    char ch;
    int err = condition_acquire(w.c, 0);

    kit_require_impl(err, "condition_acquire", "06-F");
    unlock(w.c);
    cr_assert(eq(int, pipe2(w.about, O_CLOEXEC), 0), "test setup: pipe2: %s", strerror(errno));
    cr_assert(eq(int, pthread_create(&t, NULL, wait_once, &w), 0), "test setup: pthread_create failed");
    cr_assert(eq(long, (long)kit_read_full(w.about[0], &ch, 1, 10.0), 1L), "test setup: the waiter never reported");
    err = condition_acquire(w.c, 5.0);
    cr_expect(eq(int, err, 0), "condition_acquire(c, 5.0) while another thread waits in condition_wait: expected 0 (the waiter lets the lock go), got %s. See docs/06-locks.md#condition", kit_errname(err));
    if (err == 0) {
        err = condition_notify(w.c, 1);
        cr_expect(eq(int, err, 0), "condition_notify(c, 1): expected 0, got %s. See docs/06-locks.md#notify", kit_errname(err));
        unlock(w.c);
    }
    pthread_join(t, NULL);
    cr_expect(eq(int, w.err, 0), "condition_wait(c, LAB_FOREVER) ended by a notify: expected 0 (Python: True), got %s. See docs/06-locks.md#notify", kit_errname(w.err));
    close(w.about[0]);
    close(w.about[1]);
    condition_free(w.c);
}

/* Five waiters; each records the phase it woke in. */
struct crowd {
    struct condition *c;
    /* c's lock guards: */
    int waiting;
    int woke;
    int phase;
    int seen[WAITERS];
    int err[WAITERS];
};

struct member {
    struct crowd *k;
    int i;
};

static void *
wait_in_crowd(void *arg)
{
    struct member *m = arg;
    struct crowd *k = m->k;

    if (condition_acquire(k->c, LAB_FOREVER) != 0)
        return NULL;
    k->waiting++;
    k->err[m->i] = condition_wait(k->c, LAB_FOREVER);
    k->seen[m->i] = k->phase;
    k->woke++;
    (void)condition_release(k->c);
    return NULL;
}

/* count_at_least - read a crowd count under the lock. */
static int
crowd_read(struct crowd *k, const int *field)
{
    int v = -1;

    if (condition_acquire(k->c, 5.0) == 0) {
        v = *field;
        (void)condition_release(k->c);
    }
    return v;
}

static bool
all_waiting(void *arg)
{
    struct crowd *k = arg;

    return crowd_read(k, &k->waiting) == WAITERS;
}

static bool
two_woke(void *arg)
{
    struct crowd *k = arg;

    return crowd_read(k, &k->woke) >= 2;
}

/* Catches: the stub.  Mirrors COND-04 and COND-05: notify(2) wakes
 * exactly two, notify_all the rest, each wait returning 0. */
KIT_TEST(condition, notify_2_wakes_exactly_two_of_five_and_notify_all_the_rest)
{
    struct crowd k = { .c = make() };
    struct member m[WAITERS];
    pthread_t t[WAITERS];
    int in_phase_1 = 0;
    int err = condition_acquire(k.c, 0);

    kit_require_impl(err, "condition_acquire", "06-F");
    unlock(k.c);
    for (int i = 0; i < WAITERS; i++) {
        m[i] = (struct member){ &k, i };
        cr_assert(eq(int, pthread_create(&t[i], NULL, wait_in_crowd, &m[i]), 0), "test setup: pthread_create failed");
    }
    cr_assert(kit_wait_until(all_waiting, &k, 10.0), "test setup: the five waiters never all waited. See docs/06-locks.md#condition");
    lock(k.c);
    k.phase = 1;
    err = condition_notify(k.c, 2);
    cr_expect(eq(int, err, 0), "condition_notify(c, 2): expected 0, got %s. See docs/06-locks.md#notify", kit_errname(err));
    unlock(k.c);
    cr_assert(kit_wait_until(two_woke, &k, 10.0), "after condition_notify(c, 2) two of five waiters must wake, but fewer did. See docs/06-locks.md#notify");
    lock(k.c);
    k.phase = 2;
    err = condition_notify_all(k.c);
    cr_expect(eq(int, err, 0), "condition_notify_all(c): expected 0, got %s. See docs/06-locks.md#notify", kit_errname(err));
    unlock(k.c);
    for (int i = 0; i < WAITERS; i++) {
        pthread_join(t[i], NULL);
        in_phase_1 += k.seen[i] == 1;
        cr_expect(eq(int, k.err[i], 0), "condition_wait in waiter %d: expected 0 (notified), got %s. See docs/06-locks.md#notify", i, kit_errname(k.err[i]));
    }
    cr_expect(eq(int, in_phase_1, 2), "notify(c, 2) with five waiters: expected exactly 2 to wake before notify_all, got %d (a waiter woke without being notified, or notify woke too many). See docs/06-locks.md#no-spurious", in_phase_1);
    cr_expect(eq(int, k.woke, WAITERS), "after notify_all every waiter must have woken: %d of %d did. See docs/06-locks.md#notify", k.woke, WAITERS);
    condition_free(k.c);
}

/* wait_for's predicate reports each call on a pipe ('p'); the waiter
 * reports its return ('r'). */
struct stepper {
    struct condition *c;
    int state;                  /* guarded by c's lock */
    int calls;                  /* guarded by c's lock */
    int seen;
    int err;
    int events[2];
};

static bool
state_is_2(void *arg)
{
    struct stepper *s = arg;
    char ch = 'p';

    s->calls++;
    (void)kit_write_full(s->events[1], &ch, 1);
    return s->state == 2;
}

static void *
wait_for_2(void *arg)
{
    struct stepper *s = arg;
    char ch = 'r';

    s->err = condition_acquire(s->c, LAB_FOREVER);
    if (s->err == 0) {
        s->err = condition_wait_for(s->c, state_is_2, s, LAB_FOREVER);
        s->seen = s->state;
        (void)condition_release(s->c);
    }
    (void)kit_write_full(s->events[1], &ch, 1);
    return NULL;
}

/* step - wait for the waiter's next event; if it is a predicate call,
 * take the lock (so the waiter is waiting again), set the state, notify. */
static bool
step(struct stepper *s, int state)
{
    char ch = 0;

    cr_assert(eq(long, (long)kit_read_full(s->events[0], &ch, 1, 10.0), 1L), "the waiter went silent: no predicate call and no return within 10 s. See docs/06-locks.md#wait-for");
    if (ch != 'p')
        return false;
    lock(s->c);
    s->state = state;
    cr_expect(eq(int, condition_notify(s->c, 1), 0), "condition_notify(c, 1): expected 0. See docs/06-locks.md#notify");
    unlock(s->c);
    return true;
}

/* Catches: wait_for_if.patch.  Mirrors COND-07: after a wakeup the
 * predicate is checked again, and a false one means wait again. */
KIT_TEST(condition, wait_for_checks_again_after_every_wakeup)
{
    struct stepper s = { .c = make() };
    pthread_t t;
    bool waited_again;
    int err = condition_acquire(s.c, 0);

    kit_require_impl(err, "condition_acquire", "06-F");
    unlock(s.c);
    cr_assert(eq(int, pipe2(s.events, O_CLOEXEC), 0), "test setup: pipe2: %s", strerror(errno));
    cr_assert(eq(int, pthread_create(&t, NULL, wait_for_2, &s), 0), "test setup: pthread_create failed");
    (void)step(&s, 1);          /* first check false; wake it with state 1 */
    waited_again = step(&s, 2); /* second check still false: must wait */
    pthread_join(t, NULL);
    cr_expect(waited_again, "condition_wait_for returned %s after one wakeup although its predicate was still false: a wakeup only means \"check again\". See docs/06-locks.md#wait-for", kit_errname(s.err));
    cr_expect(eq(int, s.err, 0), "condition_wait_for(c, state == 2, LAB_FOREVER): expected 0, got %s. See docs/06-locks.md#wait-for", kit_errname(s.err));
    cr_expect(eq(int, s.seen, 2), "the state when condition_wait_for returned: expected 2, got %d. See docs/06-locks.md#wait-for", s.seen);
    cr_expect(eq(int, s.calls, 3), "predicate calls: expected 3 (before waiting, after each of two wakeups), got %d. See docs/06-locks.md#wait-for", s.calls);
    close(s.events[0]);
    close(s.events[1]);
    condition_free(s.c);
}

static bool
never(void *arg)
{
    int *calls = arg;

    (*calls)++;
    return false;
}

static bool
always(void *arg)
{
    (void)arg;
    return true;
}

/* Catches: the stub.  Mirrors COND-08. */
KIT_TEST(condition, wait_for_times_out_when_the_predicate_stays_false)
{
    struct condition *c = make();
    int calls = 0;
    double t0;
    double waited;
    int err = condition_acquire(c, 0);

    kit_require_impl(err, "condition_acquire", "06-F");
    t0 = kit_now();
    err = condition_wait_for(c, never, &calls, 0.1);
    waited = kit_now() - t0;
    cr_expect(eq(int, err, -ETIMEDOUT), "condition_wait_for(c, never, 0.1): expected -ETIMEDOUT (Python: False), got %s. See docs/06-locks.md#wait-for", kit_errname(err));
    cr_expect(waited >= 0.1 && waited < 5.0, "condition_wait_for(c, never, 0.1) returned after %.3f s: expected at least 0.1 s. See docs/06-locks.md#wait-for", waited);
    cr_expect(calls >= 2, "the predicate must be checked before waiting and again after the timeout: %d call(s). See docs/06-locks.md#wait-for", calls);
    err = condition_wait_for(c, always, NULL, 0);
    cr_expect(eq(int, err, 0), "condition_wait_for(c, always, 0): expected 0 at once, got %s. See docs/06-locks.md#wait-for", kit_errname(err));
    unlock(c);
    err = condition_wait_for(c, always, NULL, 0);
    cr_expect(eq(int, err, -EPERM), "condition_wait_for without the lock: expected -EPERM, got %s. See docs/06-locks.md#wait-for", kit_errname(err));
    condition_free(c);
}
