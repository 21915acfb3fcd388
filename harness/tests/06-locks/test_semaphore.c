/*
 * test_semaphore.c - functional tests of semaphore.h: Semaphore and
 * BoundedSemaphore, acquire with a timeout, release(n), the bound
 * (lab 06, part E).
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "semaphore.h"

TestSuite(semaphore, .timeout = 30);

#define WAITERS 3

static struct semaphore *
make(int value, bool bounded)
{
    struct semaphore *s = NULL;
    int err = bounded ? semaphore_new_bounded(&s, value)
                      : semaphore_new(&s, value);

    cr_assert(eq(int, err, 0), "semaphore_new%s(&s, %d): expected 0, got %s", bounded ? "_bounded" : "", value, kit_errname(err));
    return s;
}

/* Catches: the stub.  Mirrors SEM-02 and SEM-11. */
KIT_TEST(semaphore, acquire_takes_units_until_none_is_left)
{
    struct semaphore *s = make(2, false);
    int err = semaphore_acquire(s, 0);

    kit_require_impl(err, "semaphore_acquire", "06-E");
    cr_expect(eq(int, err, 0), "semaphore_acquire(Semaphore(2), 0), first: expected 0, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    err = semaphore_acquire(s, 0);
    cr_expect(eq(int, err, 0), "semaphore_acquire(Semaphore(2), 0), second: expected 0, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    err = semaphore_acquire(s, 0);
    cr_expect(eq(int, err, -ETIMEDOUT), "semaphore_acquire(Semaphore(2), 0), third: expected -ETIMEDOUT (Python: False), got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    cr_expect(eq(int, semaphore_value(s), 0), "the value after two acquires of Semaphore(2): expected 0, got %d. See docs/06-locks.md#semaphore", semaphore_value(s));
    semaphore_free(s);
}

/* Catches: the stub.  Mirrors SEM-03. */
KIT_TEST(semaphore, acquire_times_out_when_the_value_stays_0)
{
    struct semaphore *s = make(0, false);
    double t0 = kit_now();
    int err = semaphore_acquire(s, 0.1);
    double waited = kit_now() - t0;

    kit_require_impl(err, "semaphore_acquire", "06-E");
    cr_expect(eq(int, err, -ETIMEDOUT), "semaphore_acquire(Semaphore(0), 0.1): expected -ETIMEDOUT, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    cr_expect(waited >= 0.1 && waited < 5.0, "semaphore_acquire(Semaphore(0), 0.1) returned after %.3f s: expected at least 0.1 s. See docs/06-locks.md#semaphore", waited);
    cr_expect(eq(int, semaphore_value(s), 0), "a timed-out acquire takes nothing: expected value 0, got %d. See docs/06-locks.md#semaphore", semaphore_value(s));
    err = semaphore_acquire(s, NAN);
    cr_expect(eq(int, err, -EINVAL), "semaphore_acquire(s, NAN): expected -EINVAL, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    semaphore_free(s);
}

/* Threads blocked in acquire(LAB_FOREVER), each reporting on a pipe. */
struct waiters {
    struct semaphore *s;
    int done[2];
    int err[WAITERS];
    pthread_t t[WAITERS];
};

struct waiter_arg {
    struct waiters *w;
    int i;
};

static void *
wait_unit(void *arg)
{
    struct waiter_arg *a = arg;
    char c = 'w';

    a->w->err[a->i] = semaphore_acquire(a->w->s, LAB_FOREVER);
    (void)kit_write_full(a->w->done[1], &c, 1);
    return NULL;
}

/* Catches: the stub.  Mirrors SEM-08/SEM-09: release(n) lets exactly n
 * blocked acquirers through. */
KIT_TEST(semaphore, release_n_lets_exactly_n_waiters_through)
{
    struct waiters w = { .s = make(0, false) };
    struct waiter_arg args[WAITERS];
    char buf[WAITERS];
    ssize_t n;
    int err = semaphore_acquire(w.s, 0);

    kit_require_impl(err, "semaphore_acquire", "06-E");
    cr_assert(eq(int, pipe2(w.done, O_CLOEXEC), 0), "test setup: pipe2: %s", strerror(errno));
    for (int i = 0; i < WAITERS; i++) {
        args[i] = (struct waiter_arg){ &w, i };
        cr_assert(eq(int, pthread_create(&w.t[i], NULL, wait_unit, &args[i]), 0), "test setup: pthread_create failed");
    }
    err = semaphore_release(w.s, 2);
    cr_expect(eq(int, err, 0), "semaphore_release(s, 2): expected 0, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    n = kit_read_full(w.done[0], buf, 2, 10.0);
    cr_expect(eq(long, (long)n, 2L), "after release(s, 2) two blocked acquirers must return: %ld did. See docs/06-locks.md#semaphore", (long)n);
    n = kit_read_full(w.done[0], buf, 1, 0.2);
    cr_expect(eq(long, (long)n, (long)-ETIMEDOUT), "after release(s, 2) the third acquirer must keep waiting, but it returned. See docs/06-locks.md#semaphore");
    err = semaphore_release(w.s, 1);
    cr_expect(eq(int, err, 0), "semaphore_release(s, 1): expected 0, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    for (int i = 0; i < WAITERS; i++) {
        pthread_join(w.t[i], NULL);
        cr_expect(eq(int, w.err[i], 0), "semaphore_acquire(LAB_FOREVER) in waiter %d: expected 0, got %s. See docs/06-locks.md#semaphore", i, kit_errname(w.err[i]));
    }
    cr_expect(eq(int, semaphore_value(w.s), 0), "three releases, three acquires: expected value 0, got %d. See docs/06-locks.md#semaphore", semaphore_value(w.s));
    close(w.done[0]);
    close(w.done[1]);
    semaphore_free(w.s);
}

/* Catches: the stub.  Mirrors SEM-05: a plain Semaphore has no bound. */
KIT_TEST(semaphore, plain_semaphore_grows_past_its_start_value)
{
    struct semaphore *s = make(1, false);
    int err = semaphore_release(s, 1);

    kit_require_impl(err, "semaphore_release", "06-E");
    cr_expect(eq(int, err, 0), "semaphore_release(Semaphore(1), 1) without an acquire: expected 0 (allowed), got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    err = semaphore_release(s, 2);
    cr_expect(eq(int, err, 0), "semaphore_release(s, 2): expected 0, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    cr_expect(eq(int, semaphore_value(s), 4), "Semaphore(1) after releases of 1 and 2: expected value 4, got %d. See docs/06-locks.md#semaphore", semaphore_value(s));
    semaphore_free(s);
}

/* Catches: bounded_without_bound.patch.  Mirrors SEM-06. */
KIT_TEST(semaphore, bounded_release_past_the_bound_fails_with_eoverflow)
{
    struct semaphore *s = make(2, true);
    int err = semaphore_acquire(s, 0);

    kit_require_impl(err, "semaphore_acquire", "06-E");
    cr_assert(eq(int, err, 0), "semaphore_acquire(BoundedSemaphore(2), 0): expected 0, got %s. See docs/06-locks.md#bounded", kit_errname(err));
    err = semaphore_release(s, 2);
    cr_expect(eq(int, err, -EOVERFLOW), "semaphore_release(s, 2) with one unit out of BoundedSemaphore(2): expected -EOVERFLOW (Python: ValueError), got %s. See docs/06-locks.md#bounded", kit_errname(err));
    cr_expect(eq(int, semaphore_value(s), 1), "a refused release changes nothing: expected value 1, got %d. See docs/06-locks.md#bounded", semaphore_value(s));
    err = semaphore_release(s, 1);
    cr_expect(eq(int, err, 0), "semaphore_release(s, 1) giving back the unit taken: expected 0, got %s. See docs/06-locks.md#bounded", kit_errname(err));
    err = semaphore_release(s, 1);
    cr_expect(eq(int, err, -EOVERFLOW), "semaphore_release(s, 1) on a full BoundedSemaphore(2): expected -EOVERFLOW, got %s. See docs/06-locks.md#bounded", kit_errname(err));
    cr_expect(eq(int, semaphore_value(s), 2), "the value stays at its bound: expected 2, got %d. See docs/06-locks.md#bounded", semaphore_value(s));
    semaphore_free(s);
}

/* Catches: the stub.  Mirrors SEM-01 and release's ValueError for n < 1. */
KIT_TEST(semaphore, bad_values_fail_with_einval)
{
    struct semaphore *s = make(1, false);
    struct semaphore *t = NULL;
    int err = semaphore_release(s, 0);

    kit_require_impl(err, "semaphore_release", "06-E");
    cr_expect(eq(int, err, -EINVAL), "semaphore_release(s, 0): expected -EINVAL (Python: ValueError), got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    err = semaphore_release(NULL, 1);
    cr_expect(eq(int, err, -EINVAL), "semaphore_release(NULL, 1): expected -EINVAL, got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    err = semaphore_release(s, INT_MAX);
    cr_expect(eq(int, err, -EOVERFLOW), "semaphore_release(Semaphore(1), INT_MAX): expected -EOVERFLOW, got %s. See docs/06-locks.md#bounded", kit_errname(err));
    err = semaphore_new(&t, -1);
    cr_expect(eq(int, err, -EINVAL), "semaphore_new(&s, -1): expected -EINVAL (Python: ValueError), got %s. See docs/06-locks.md#semaphore", kit_errname(err));
    cr_expect(eq(ptr, t, NULL), "a failed semaphore_new leaves *out NULL. See docs/06-locks.md#semaphore");
    semaphore_free(s);
}
