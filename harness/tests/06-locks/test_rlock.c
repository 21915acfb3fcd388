/*
 * test_rlock.c - functional tests of rlock.h: owner and count, re-entry,
 * release by a non-owner, acquire with a timeout (lab 06, part D).
 * Another thread's view is taken in a helper thread that the test joins;
 * a thread that must keep the lock waits on a pipe the test writes.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "rlock.h"

TestSuite(rlock, .timeout = 30);

static struct rlock *
make(void)
{
    struct rlock *l = NULL;
    int err = rlock_new(&l);

    cr_assert(eq(int, err, 0), "rlock_new(&l): expected 0, got %s", kit_errname(err));
    return l;
}

/* What another thread sees and gets. */
struct other {
    struct rlock *l;
    double timeout;
    int acquire_err;
    int release_err;
    bool owned;
    int count;
    double waited;
};

/* other_try - in another thread: look, try to release, try to acquire
 * with o->timeout; if it got the lock, release it again. */
static void *
other_try(void *arg)
{
    struct other *o = arg;
    double t0;

    o->owned = rlock_is_owned(o->l);
    o->count = rlock_count(o->l);
    o->release_err = rlock_release(o->l);
    t0 = kit_now();
    o->acquire_err = rlock_acquire(o->l, o->timeout);
    o->waited = kit_now() - t0;
    if (o->acquire_err == 0)
        (void)rlock_release(o->l);
    return NULL;
}

static void
in_other_thread(struct other *o)
{
    pthread_t t;

    cr_assert(eq(int, pthread_create(&t, NULL, other_try, o), 0), "test setup: pthread_create failed");
    pthread_join(t, NULL);
}

/* Catches: the stub.  Mirrors RLOCK-01 and RLOCK-04. */
KIT_TEST(rlock, owner_acquires_three_times_and_the_count_follows)
{
    struct rlock *l = make();
    int err = rlock_acquire(l, LAB_FOREVER);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire(l, LAB_FOREVER) on a free RLock: expected 0, got %s. See docs/06-locks.md#re-entry", kit_errname(err));
    for (int depth = 2; depth <= 3; depth++) {
        err = rlock_acquire(l, 0);
        cr_assert(eq(int, err, 0), "rlock_acquire(l, 0) by the owner, depth %d: expected 0 at once (re-entry), got %s. See docs/06-locks.md#re-entry", depth, kit_errname(err));
        cr_expect(eq(int, rlock_count(l), depth), "rlock_count after %d acquires: expected %d. See docs/06-locks.md#re-entry", depth, depth);
    }
    for (int depth = 2; depth >= 0; depth--) {
        err = rlock_release(l);
        cr_assert(eq(int, err, 0), "rlock_release(l) by the owner: expected 0, got %s. See docs/06-locks.md#re-entry", kit_errname(err));
        cr_expect(eq(int, rlock_count(l), depth), "rlock_count after a release: expected %d. See docs/06-locks.md#re-entry", depth);
    }
    cr_expect(not(rlock_is_owned(l)), "rlock_is_owned after the last release: expected false. See docs/06-locks.md#owner");
    rlock_free(l);
}

/* Catches: the stub.  Mirrors RLOCK-05 and the count half of RLOCK-04. */
KIT_TEST(rlock, another_thread_sees_it_not_owned_with_count_0)
{
    struct rlock *l = make();
    struct other o = { .l = l, .timeout = 0 };
    int err = rlock_acquire(l, LAB_FOREVER);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire: expected 0, got %s. See docs/06-locks.md#owner", kit_errname(err));
    (void)rlock_acquire(l, 0);
    cr_expect(rlock_is_owned(l), "rlock_is_owned in the owner: expected true. See docs/06-locks.md#owner");
    in_other_thread(&o);
    cr_expect(not(o.owned), "rlock_is_owned in another thread: expected false. See docs/06-locks.md#owner");
    cr_expect(eq(int, o.count, 0), "rlock_count in another thread while the owner holds it twice: expected 0, got %d. See docs/06-locks.md#owner", o.count);
    (void)rlock_release(l);
    (void)rlock_release(l);
    rlock_free(l);
}

/* Catches: release_any_thread.patch.  Mirrors RLOCK-03. */
KIT_TEST(rlock, release_by_another_thread_fails_with_eperm)
{
    struct rlock *l = make();
    struct other o = { .l = l, .timeout = 0 };
    int err = rlock_acquire(l, LAB_FOREVER);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire: expected 0, got %s. See docs/06-locks.md#owner", kit_errname(err));
    in_other_thread(&o);
    cr_expect(eq(int, o.release_err, -EPERM), "rlock_release(l) from a thread that does not own it: expected -EPERM (Python: RuntimeError), got %s. See docs/06-locks.md#owner", kit_errname(o.release_err));
    cr_expect(eq(int, rlock_count(l), 1), "the owner's count after another thread's refused release: expected 1, got %d. See docs/06-locks.md#owner", rlock_count(l));
    cr_expect(eq(int, rlock_release(l), 0), "rlock_release(l) by the owner: expected 0. See docs/06-locks.md#owner");
    rlock_free(l);
}

/* Catches: the stub.  Mirrors RLOCK-02. */
KIT_TEST(rlock, release_of_an_unowned_rlock_fails_with_eperm)
{
    struct rlock *l = make();
    int err = rlock_acquire(l, 0);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire(l, 0) on a free RLock: expected 0, got %s. See docs/06-locks.md#owner", kit_errname(err));
    cr_assert(eq(int, rlock_release(l), 0), "rlock_release after one acquire: expected 0. See docs/06-locks.md#owner");
    err = rlock_release(l);
    cr_expect(eq(int, err, -EPERM), "a second rlock_release after one acquire: expected -EPERM, got %s. See docs/06-locks.md#owner", kit_errname(err));
    cr_expect(eq(int, rlock_count(l), 0), "the count after a refused release: expected 0, got %d. See docs/06-locks.md#owner", rlock_count(l));
    rlock_free(l);
}

/* Catches: the stub.  Mirrors RLOCK-03 (second half) and LOCK-02. */
KIT_TEST(rlock, acquire_times_out_while_another_thread_owns_it)
{
    struct rlock *l = make();
    struct other o = { .l = l, .timeout = 0.1 };
    int err = rlock_acquire(l, LAB_FOREVER);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire: expected 0, got %s. See docs/06-locks.md#timeout", kit_errname(err));
    in_other_thread(&o);
    cr_expect(eq(int, o.acquire_err, -ETIMEDOUT), "rlock_acquire(l, 0.1) in another thread while the owner holds it: expected -ETIMEDOUT (Python: False), got %s. See docs/06-locks.md#timeout", kit_errname(o.acquire_err));
    cr_expect(o.waited >= 0.1 && o.waited < 5.0, "rlock_acquire(l, 0.1) returned after %.3f s: expected at least 0.1 s. See docs/06-locks.md#timeout", o.waited);
    o.timeout = 0;
    in_other_thread(&o);
    cr_expect(eq(int, o.acquire_err, -ETIMEDOUT), "rlock_acquire(l, 0) in another thread while the owner holds it: expected -ETIMEDOUT at once, got %s. See docs/06-locks.md#timeout", kit_errname(o.acquire_err));
    cr_expect(eq(int, rlock_count(l), 1), "the owner's count after two timed-out acquires elsewhere: expected 1. See docs/06-locks.md#timeout");
    cr_expect(eq(int, rlock_release(l), 0), "rlock_release by the owner: expected 0. See docs/06-locks.md#timeout");
    rlock_free(l);
}

/* A thread that blocks in rlock_acquire(LAB_FOREVER) and reports. */
struct blocked {
    struct rlock *l;
    int done[2];                /* waiter -> test, after acquire returns */
    int err;
};

static void *
acquire_and_report(void *arg)
{
    struct blocked *b = arg;
    char c = 'a';

    b->err = rlock_acquire(b->l, LAB_FOREVER);
    if (b->err == 0)
        (void)rlock_release(b->l);
    (void)kit_write_full(b->done[1], &c, 1);
    return NULL;
}

/* Catches: the stub.  Mirrors LOCK-07/LOCK-10: the waiter gets the lock
 * only after the owner's last release, not after the first. */
KIT_TEST(rlock, waiter_gets_it_only_after_the_last_release)
{
    struct blocked b = { .l = make() };
    pthread_t t;
    char c;
    ssize_t n;
    int err = rlock_acquire(b.l, LAB_FOREVER);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire: expected 0, got %s. See docs/06-locks.md#wait-loop", kit_errname(err));
    (void)rlock_acquire(b.l, 0);
    cr_assert(eq(int, pipe2(b.done, O_CLOEXEC), 0), "test setup: pipe2: %s", strerror(errno));
    cr_assert(eq(int, pthread_create(&t, NULL, acquire_and_report, &b), 0), "test setup: pthread_create failed");
    cr_assert(eq(int, rlock_release(b.l), 0), "rlock_release (1 of 2): expected 0. See docs/06-locks.md#wait-loop");
    n = kit_read_full(b.done[0], &c, 1, 0.2);
    cr_expect(eq(long, (long)n, (long)-ETIMEDOUT), "after the first of two releases the other thread's rlock_acquire must still wait, but it returned %s. See docs/06-locks.md#re-entry", kit_errname(b.err));
    cr_assert(eq(int, rlock_release(b.l), 0), "rlock_release (2 of 2): expected 0. See docs/06-locks.md#wait-loop");
    n = kit_read_full(b.done[0], &c, 1, 10.0);
    pthread_join(t, NULL);
    cr_expect(eq(long, (long)n, 1L), "the waiting thread never returned from rlock_acquire after the last release. See docs/06-locks.md#wait-loop");
    cr_expect(eq(int, b.err, 0), "rlock_acquire(LAB_FOREVER) in the waiting thread: expected 0, got %s. See docs/06-locks.md#wait-loop", kit_errname(b.err));
    close(b.done[0]);
    close(b.done[1]);
    rlock_free(b.l);
}

/* Catches: the stub. */
KIT_TEST(rlock, acquire_rejects_nan_and_null)
{
    struct rlock *l = make();
    int err = rlock_acquire(l, 0);

    kit_require_impl(err, "rlock_acquire", "06-D");
    cr_assert(eq(int, err, 0), "rlock_acquire(l, 0): expected 0, got %s", kit_errname(err));
    err = rlock_acquire(l, NAN);
    cr_expect(eq(int, err, -EINVAL), "rlock_acquire(l, NAN): expected -EINVAL, got %s. See docs/06-locks.md#timeout", kit_errname(err));
    cr_expect(eq(int, rlock_count(l), 1), "a refused acquire changes nothing: expected count 1. See docs/06-locks.md#timeout");
    err = rlock_acquire(NULL, 0);
    cr_expect(eq(int, err, -EINVAL), "rlock_acquire(NULL, 0): expected -EINVAL, got %s. See docs/06-locks.md#timeout", kit_errname(err));
    err = rlock_release(NULL);
    cr_expect(eq(int, err, -EINVAL), "rlock_release(NULL): expected -EINVAL, got %s. See docs/06-locks.md#owner", kit_errname(err));
    (void)rlock_release(l);
    rlock_free(l);
}
