/*
 * test_barrier.c - functional tests of barrier.h (lab 07, part C).
 *
 * A thread that must already be waiting announces its tid through a pipe
 * and the test waits until /proc shows it asleep ('S'), as in
 * test_event.c; no test sleeps to get an order.
 */
#define _GNU_SOURCE     /* pipe2, gettid */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "barrier.h"

TestSuite(barrier, .timeout = 20);

/* Cycles in the index test. */
#define CYCLES 20

/* ---- helpers ---------------------------------------------------------- */

/* wait_asleep - block until the thread that wrote its tid to fd sleeps. */
static void
wait_asleep(int fd)
{
    pid_t tid = 0;
    ssize_t n = kit_read_full(fd, &tid, sizeof(tid), 10.0);

    cr_assert(eq(sz, (size_t)n, sizeof(tid)), "test setup: a waiting thread never sent its tid");
    cr_assert(kit_wait_asleep(tid, 10.0), "test setup: thread %d never blocked in barrier_wait (does it return before all parties arrived?). See docs/07-event.md#barrier", (int)tid);
}

/* One thread at the barrier. */
struct party {
    struct barrier *b;
    int fd;                     /* write end for the tid, or -1 */
    double timeout;
    int cycles;
    unsigned index[CYCLES];
    int err;
};

static void *
party_thread(void *arg)
{
    struct party *p = arg;
    pid_t tid = gettid();

    if (p->fd >= 0 && kit_write_full(p->fd, &tid, sizeof(tid)) != 0) {
        p->err = -EIO;
        return NULL;
    }
    for (int k = 0; k < p->cycles; k++) {
        p->err = barrier_wait(p->b, &p->index[k], p->timeout);
        if (p->err != 0)
            break;
    }
    return NULL;
}

static struct barrier *
new_barrier(unsigned parties, barrier_action *action, void *arg)
{
    struct barrier *b = NULL;
    int err = barrier_new(&b, parties, action, arg);

    kit_require_impl(err, "barrier_new", "07-C");
    cr_assert(eq(int, err, 0), "barrier_new(&b, %u, ...): expected 0, got %s. See docs/07-event.md#barrier", parties, kit_errname(err));
    return b;
}

/* start_blocked - one thread blocked in barrier_wait(b, timeout). */
static void
start_blocked(struct party *p, pthread_t *t, struct barrier *b, double timeout)
{
    int fds[2];

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed: %s", strerror(errno));
    *p = (struct party){ .b = b, .fd = fds[1], .timeout = timeout, .cycles = 1, .err = 1 };
    cr_assert(eq(int, pthread_create(t, NULL, party_thread, p), 0), "test setup: pthread_create failed");
    wait_asleep(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

/* The action of the index test: counts cycles (runs in one thread at a
 * time, with everyone else still waiting). */
static int
count_cycle(void *arg)
{
    (*(int *)arg)++;
    return 0;
}

/* The action of the failing-action test. */
static int
fail_action(void *arg)
{
    (void)arg;
    return -EIO;
}

/* ---- tests -------------------------------------------------------------- */

/* Catches: the stub.  Python: ValueError for parties < 1. */
KIT_TEST(barrier, new_with_zero_parties_fails_with_einval)
{
    struct barrier *b = (struct barrier *)&b;
    int err = barrier_new(&b, 0, NULL, NULL);

    kit_require_impl(err, "barrier_new", "07-C");
    cr_expect(eq(int, err, -EINVAL), "barrier_new(&b, 0, NULL, NULL): expected -EINVAL (Python: ValueError), got %s. See docs/07-event.md#barrier", kit_errname(err));
    cr_expect(b == NULL, "barrier_new failed but left *out non-NULL. See docs/07-event.md#barrier");
}

/* Catches: the stub.  Three parties, CYCLES cycles: each cycle hands out
 * 0, 1 and 2 (the arrival order) and the action runs once per cycle. */
KIT_TEST(barrier, each_cycle_hands_out_indices_0_to_parties_minus_1)
{
    int actions = 0;
    struct barrier *b = new_barrier(3, count_cycle, &actions);
    struct party p[3];
    pthread_t t[2];

    for (int i = 0; i < 3; i++)
        p[i] = (struct party){ .b = b, .fd = -1, .timeout = 10.0, .cycles = CYCLES };
    for (int i = 0; i < 2; i++)
        cr_assert(eq(int, pthread_create(&t[i], NULL, party_thread, &p[i]), 0), "test setup: pthread_create failed");
    party_thread(&p[2]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++)
        cr_assert(eq(int, p[i].err, 0), "barrier_wait(b, &index, 10.0) in party %d: expected 0, got %s. See docs/07-event.md#barrier", i, kit_errname(p[i].err));
    for (int k = 0; k < CYCLES; k++) {
        unsigned mask = (1u << p[0].index[k]) | (1u << p[1].index[k]) | (1u << p[2].index[k]);
        cr_assert(eq(u32, mask, 7), "cycle %d: indices %u, %u, %u; expected 0, 1 and 2 once each (Python: the arrival order). See docs/07-event.md#barrier", k, p[0].index[k], p[1].index[k], p[2].index[k]);
    }
    cr_expect(eq(int, actions, CYCLES), "the action ran %d times in %d cycles, expected once per cycle. See docs/07-event.md#barrier", actions, CYCLES);
    barrier_free(b);
}

/* Catches: the stub.  A waiter blocks until the last party arrives;
 * n_waiting counts it meanwhile. */
KIT_TEST(barrier, waiter_blocks_until_the_last_party_arrives)
{
    struct barrier *b = new_barrier(2, NULL, NULL);
    struct party p;
    pthread_t t;
    unsigned index = 9;
    int err;

    start_blocked(&p, &t, b, 10.0);
    cr_expect(eq(u32, barrier_n_waiting(b), 1), "barrier_n_waiting with one thread blocked: expected 1, got %u. See docs/07-event.md#barrier", barrier_n_waiting(b));
    cr_expect(eq(u32, barrier_parties(b), 2), "barrier_parties: expected 2, got %u", barrier_parties(b));
    err = barrier_wait(b, &index, 10.0);
    pthread_join(t, NULL);
    cr_expect(eq(int, err, 0), "barrier_wait as the last party: expected 0, got %s. See docs/07-event.md#barrier", kit_errname(err));
    cr_expect(eq(u32, index, 1), "index of the last party of 2: expected 1, got %u. See docs/07-event.md#barrier", index);
    cr_expect(eq(int, p.err, 0), "the blocked party's barrier_wait: expected 0, got %s", kit_errname(p.err));
    cr_expect(eq(u32, p.index[0], 0), "index of the first party: expected 0, got %u", p.index[0]);
    cr_expect(eq(u32, barrier_n_waiting(b), 0), "barrier_n_waiting after the cycle: expected 0");
    barrier_free(b);
}

/* Catches: the stub.  Mirrors CPython's test_timeout: the thread that
 * times out breaks the barrier for everyone waiting. */
KIT_TEST(barrier, timeout_breaks_the_barrier_for_every_waiter)
{
    struct barrier *b = new_barrier(3, NULL, NULL);
    struct party p;
    pthread_t t;
    double t0 = kit_now();
    int err;

    start_blocked(&p, &t, b, LAB_FOREVER);
    err = barrier_wait(b, NULL, 0.1);
    pthread_join(t, NULL);
    cr_expect(eq(int, err, -ETIMEDOUT), "barrier_wait(b, NULL, 0.1) with 2 of 3 parties: expected -ETIMEDOUT, got %s. See docs/07-event.md#broken", kit_errname(err));
    cr_expect(kit_now() - t0 >= 0.095, "barrier_wait(b, NULL, 0.1) returned after %.3f s, before its timeout", kit_now() - t0);
    cr_expect(eq(int, p.err, -ECANCELED), "the other waiter (LAB_FOREVER) after the timeout: expected -ECANCELED (Python: BrokenBarrierError), got %s. See docs/07-event.md#broken", kit_errname(p.err));
    cr_expect(barrier_broken(b), "barrier_broken after a timeout: expected true. See docs/07-event.md#broken");
    barrier_free(b);
}

/* Catches: timeout_does_not_break.patch (the timed-out thread leaves the
 * barrier whole, so the next wait blocks again instead of failing). */
KIT_TEST(barrier, wait_after_a_timeout_fails_with_ecanceled_at_once)
{
    struct barrier *b = new_barrier(2, NULL, NULL);
    double t0;
    int err;

    err = barrier_wait(b, NULL, 0.05);
    cr_assert(eq(int, err, -ETIMEDOUT), "barrier_wait(b, NULL, 0.05) alone at a 2-party barrier: expected -ETIMEDOUT, got %s. See docs/07-event.md#broken", kit_errname(err));
    t0 = kit_now();
    err = barrier_wait(b, NULL, 0.05);
    cr_expect(eq(int, err, -ECANCELED), "barrier_wait on the barrier the timeout broke: expected -ECANCELED at once (Python: BrokenBarrierError), got %s. See docs/07-event.md#broken", kit_errname(err));
    cr_expect(kit_now() - t0 < 0.04, "barrier_wait on a broken barrier took %.3f s: it must fail at the door, not wait. See docs/07-event.md#broken", kit_now() - t0);
    barrier_free(b);
}

/* Catches: the stub.  abort() releases the waiters with -ECANCELED;
 * reset() makes the barrier usable again. */
KIT_TEST(barrier, abort_releases_waiters_and_reset_mends_it)
{
    struct barrier *b = new_barrier(2, NULL, NULL);
    struct party p;
    pthread_t t;
    int err;

    start_blocked(&p, &t, b, LAB_FOREVER);
    cr_assert(eq(int, barrier_abort(b), 0), "barrier_abort(b): expected 0. See docs/07-event.md#broken");
    pthread_join(t, NULL);
    cr_expect(eq(int, p.err, -ECANCELED), "a waiter when barrier_abort ran: expected -ECANCELED, got %s. See docs/07-event.md#broken", kit_errname(p.err));
    cr_expect(barrier_broken(b), "barrier_broken after abort: expected true");
    cr_assert(eq(int, barrier_reset(b), 0), "barrier_reset(b): expected 0. See docs/07-event.md#broken");
    cr_expect(false == (barrier_broken(b)), "barrier_broken after reset: expected false. See docs/07-event.md#broken");
    start_blocked(&p, &t, b, 10.0);
    err = barrier_wait(b, NULL, 10.0);
    pthread_join(t, NULL);
    cr_expect(eq(int, err, 0), "a full cycle after reset: expected 0, got %s. See docs/07-event.md#broken", kit_errname(err));
    cr_expect(eq(int, p.err, 0), "the other party of the cycle after reset: expected 0, got %s", kit_errname(p.err));
    barrier_free(b);
}

/* Catches: the stub.  A failing action breaks the barrier: the last
 * thread gets the action's error, the others -ECANCELED. */
KIT_TEST(barrier, failing_action_breaks_the_barrier)
{
    struct barrier *b = new_barrier(2, fail_action, NULL);
    struct party p;
    pthread_t t;
    int err;

    start_blocked(&p, &t, b, 10.0);
    err = barrier_wait(b, NULL, 10.0);
    pthread_join(t, NULL);
    cr_expect(eq(int, err, -EIO), "barrier_wait for the thread whose action returned -EIO: expected -EIO, got %s. See docs/07-event.md#broken", kit_errname(err));
    cr_expect(eq(int, p.err, -ECANCELED), "the other waiter after a failing action: expected -ECANCELED, got %s. See docs/07-event.md#broken", kit_errname(p.err));
    cr_expect(barrier_broken(b), "barrier_broken after a failing action: expected true");
    barrier_free(b);
}
