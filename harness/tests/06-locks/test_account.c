/*
 * test_account.c - functional tests of account.h: the notes' deposit with
 * its pause, the account's lock used directly, and transfers that take
 * two locks in one order (lab 06, parts B and C).
 *
 * A thread that must hold a lock while the test looks reports "holding"
 * through a pipe and keeps the lock until the test writes to a second
 * pipe: the order comes from the pipes, never from sleeping.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "account.h"

TestSuite(account, .timeout = 30);

#define DEPOSITORS 100
#define TRANSFERS 20000

/* A thread that holds an account's lock until told to let go. */
struct holder {
    struct account *a;
    int ready[2];               /* holder -> test: "I hold it" */
    int go[2];                  /* test -> holder: "release it" */
    int acquire_err;
    int release_err;
    pthread_t tid;
};

static void *
holder_main(void *arg)
{
    struct holder *h = arg;
    char c = 'h';

    h->acquire_err = account_acquire(h->a, LAB_FOREVER);
    (void)kit_write_full(h->ready[1], &c, 1);
    (void)kit_read_full(h->go[0], &c, 1, 20.0);
    h->release_err = h->acquire_err == 0 ? account_release(h->a) : 0;
    return NULL;
}

/* holder_start - start a holder on a and wait until it holds the lock. */
static void
holder_start(struct holder *h, struct account *a)
{
    char c;

    h->a = a;
    cr_assert(eq(int, pipe2(h->ready, O_CLOEXEC), 0), "test setup: pipe2: %s", strerror(errno));
    cr_assert(eq(int, pipe2(h->go, O_CLOEXEC), 0), "test setup: pipe2: %s", strerror(errno));
    cr_assert(eq(int, pthread_create(&h->tid, NULL, holder_main, h), 0), "test setup: pthread_create failed");
    cr_assert(eq(long, (long)kit_read_full(h->ready[0], &c, 1, 10.0), 1L), "test setup: the holder thread never reported");
    cr_assert(eq(int, h->acquire_err, 0), "account_acquire(a, LAB_FOREVER) in a second thread: expected 0, got %s. See docs/06-locks.md#account-lock", kit_errname(h->acquire_err));
}

/* holder_finish - tell the holder to release, join it, close the pipes. */
static void
holder_finish(struct holder *h)
{
    char c = 'g';

    (void)kit_write_full(h->go[1], &c, 1);
    pthread_join(h->tid, NULL);
    for (int i = 0; i < 2; i++) {
        close(h->ready[i]);
        close(h->go[i]);
    }
    cr_expect(eq(int, h->release_err, 0), "account_release(a) by the thread that acquired it: expected 0, got %s. See docs/06-locks.md#account-lock", kit_errname(h->release_err));
}

static long
balance_of(struct account *a)
{
    long b = LONG_MIN;
    int err = account_balance(a, &b);

    cr_assert(eq(int, err, 0), "account_balance(a, &b): expected 0, got %s. See docs/06-locks.md#deposit", kit_errname(err));
    return b;
}

static struct account *
open_account(long balance)
{
    struct account *a = NULL;
    int err = account_new(&a, balance);

    cr_assert(eq(int, err, 0), "account_new(&a, %ld): expected 0, got %s", balance, kit_errname(err));
    return a;
}

/* ---- part B: deposit ------------------------------------------------ */

/* Catches: the stub. */
KIT_TEST(account, deposit_adds_to_the_balance)
{
    struct account *a = open_account(10);
    int err = account_deposit(a, 5);

    kit_require_impl(err, "account_deposit", "06-B");
    cr_assert(eq(int, err, 0), "account_deposit(a, 5): expected 0, got %s. See docs/06-locks.md#deposit", kit_errname(err));
    cr_expect(eq(long, balance_of(a), 15), "10 + 5: expected a balance of 15. See docs/06-locks.md#deposit");
    err = account_deposit(a, -3);
    cr_expect(eq(int, err, 0), "account_deposit(a, -3): expected 0 (a negative deposit takes money out), got %s. See docs/06-locks.md#deposit", kit_errname(err));
    cr_expect(eq(long, balance_of(a), 12), "15 - 3: expected a balance of 12. See docs/06-locks.md#deposit");
    account_free(a);
}

static void *
deposit_one(void *arg)
{
    return (void *)(long)account_deposit(arg, 1);
}

/* Catches: the stub.  The notes' example: 100 threads, one deposit each. */
KIT_TEST(account, hundred_threads_depositing_one_make_exactly_100)
{
    struct account *a = open_account(0);
    pthread_t t[DEPOSITORS];
    int err = account_deposit(a, 0);

    kit_require_impl(err, "account_deposit", "06-B");
    for (int i = 0; i < DEPOSITORS; i++)
        cr_assert(eq(int, pthread_create(&t[i], NULL, deposit_one, a), 0), "test setup: pthread_create failed");
    for (int i = 0; i < DEPOSITORS; i++) {
        void *ret;

        pthread_join(t[i], &ret);
        cr_expect(eq(long, (long)ret, 0L), "account_deposit(a, 1) in thread %d: expected 0, got %s. See docs/06-locks.md#deposit", i, kit_errname((int)(long)ret));
    }
    cr_expect(eq(long, balance_of(a), DEPOSITORS), "100 threads each deposited 1: expected exactly 100; a smaller balance means deposits overwrote each other. See docs/06-locks.md#deposit");
    account_free(a);
}

/* Catches: the stub. */
KIT_TEST(account, deposit_rejects_null_and_overflow)
{
    struct account *a = open_account(LONG_MAX - 1);
    int err = account_deposit(a, 1);

    kit_require_impl(err, "account_deposit", "06-B");
    cr_assert(eq(int, err, 0), "account_deposit(a at LONG_MAX - 1, 1): expected 0, got %s. See docs/06-locks.md#deposit", kit_errname(err));
    err = account_deposit(a, 1);
    cr_expect(eq(int, err, -EOVERFLOW), "account_deposit(a at LONG_MAX, 1): expected -EOVERFLOW, got %s. See docs/06-locks.md#deposit", kit_errname(err));
    cr_expect(eq(long, balance_of(a), LONG_MAX), "a refused deposit changes nothing: expected LONG_MAX. See docs/06-locks.md#deposit");
    err = account_deposit(NULL, 1);
    cr_expect(eq(int, err, -EINVAL), "account_deposit(NULL, 1): expected -EINVAL, got %s. See docs/06-locks.md#deposit", kit_errname(err));
    account_free(a);
}

/* ---- part C: the lock itself, transfers ----------------------------- */

/* Catches: the stub.  Mirrors LOCK-02 and LOCK-08. */
KIT_TEST(account, acquire_times_out_while_another_thread_holds_it)
{
    struct account *a = open_account(0);
    struct holder h;
    double t0;
    double waited;
    int err = account_acquire(a, 0);

    kit_require_impl(err, "account_acquire", "06-C");
    cr_assert(eq(int, err, 0), "account_acquire(a, 0) on a free lock: expected 0, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    cr_assert(eq(int, account_release(a), 0), "account_release(a) after account_acquire: expected 0. See docs/06-locks.md#account-lock");
    holder_start(&h, a);
    t0 = kit_now();
    err = account_acquire(a, 0.1);
    waited = kit_now() - t0;
    cr_expect(eq(int, err, -ETIMEDOUT), "account_acquire(a, 0.1) while another thread holds it: expected -ETIMEDOUT (Python returns False), got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    cr_expect(waited >= 0.095 && waited < 5.0, "account_acquire(a, 0.1) returned after %.3f s: expected about 0.1 s. See docs/06-locks.md#account-lock", waited);
    err = account_acquire(a, 0);
    cr_expect(eq(int, err, -ETIMEDOUT), "account_acquire(a, 0) while another thread holds it: expected -ETIMEDOUT at once, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    holder_finish(&h);
    err = account_acquire(a, 0);
    cr_expect(eq(int, err, 0), "account_acquire(a, 0) after the holder released: expected 0 (a timed-out acquire leaves nothing behind), got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    if (err == 0)
        (void)account_release(a);
    account_free(a);
}

/* Catches: the stub.  Mirrors LOCK-09: a Lock is not re-entrant. */
KIT_TEST(account, holder_locking_again_gets_edeadlk)
{
    struct account *a = open_account(7);
    long b = 0;
    int err = account_acquire(a, LAB_FOREVER);

    kit_require_impl(err, "account_acquire", "06-C");
    cr_assert(eq(int, err, 0), "account_acquire(a, LAB_FOREVER): expected 0, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    err = account_acquire(a, 0.05);
    cr_expect(eq(int, err, -EDEADLK), "account_acquire(a, 0.05) by the thread holding it: expected -EDEADLK, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    err = account_deposit(a, 1);
    cr_expect(eq(int, err, -EDEADLK), "account_deposit(a, 1) by the thread holding a's lock: expected -EDEADLK, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    err = account_balance(a, &b);
    cr_expect(eq(int, err, -EDEADLK), "account_balance(a) by the thread holding a's lock: expected -EDEADLK, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    cr_expect(eq(int, account_release(a), 0), "account_release(a) by the holder: expected 0. See docs/06-locks.md#account-lock");
    cr_expect(eq(long, balance_of(a), 7), "the refused deposit must change nothing: expected 7. See docs/06-locks.md#account-lock");
    account_free(a);
}

static void *
release_it(void *arg)
{
    return (void *)(long)account_release(arg);
}

/* Catches: the stub.  C differs from LOCK-05: only the holder unlocks. */
KIT_TEST(account, release_by_another_thread_fails_with_eperm)
{
    struct account *a = open_account(0);
    pthread_t t;
    void *ret = NULL;
    int err = account_acquire(a, LAB_FOREVER);

    kit_require_impl(err, "account_acquire", "06-C");
    cr_assert(eq(int, err, 0), "account_acquire(a, LAB_FOREVER): expected 0, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    cr_assert(eq(int, pthread_create(&t, NULL, release_it, a), 0), "test setup: pthread_create failed");
    pthread_join(t, &ret);
    cr_expect(eq(int, (int)(long)ret, -EPERM), "account_release(a) from a thread that does not hold it: expected -EPERM, got %s. See docs/06-locks.md#account-lock", kit_errname((int)(long)ret));
    err = account_release(a);
    cr_expect(eq(int, err, 0), "account_release(a) by the holder afterwards: expected 0, got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    err = account_release(a);
    cr_expect(eq(int, err, -EPERM), "account_release(a) of a free lock: expected -EPERM (Python: RuntimeError), got %s. See docs/06-locks.md#account-lock", kit_errname(err));
    account_free(a);
}

/* Catches: the stub. */
KIT_TEST(account, transfer_moves_money_and_keeps_the_total)
{
    struct account *a = open_account(100);
    struct account *b = open_account(5);
    int err = account_transfer(a, b, 30);

    kit_require_impl(err, "account_transfer", "06-C");
    cr_assert(eq(int, err, 0), "account_transfer(a, b, 30): expected 0, got %s. See docs/06-locks.md#transfer", kit_errname(err));
    cr_expect(eq(long, balance_of(a), 70), "a after giving 30 of 100: expected 70. See docs/06-locks.md#transfer");
    cr_expect(eq(long, balance_of(b), 35), "b after getting 30 on top of 5: expected 35. See docs/06-locks.md#transfer");
    err = account_transfer(b, a, 50);
    cr_expect(eq(int, err, 0), "account_transfer(b, a, 50) (more than b has: balances may go below zero): expected 0, got %s. See docs/06-locks.md#transfer", kit_errname(err));
    cr_expect(eq(long, balance_of(b), -15), "b after giving 50 of 35: expected -15. See docs/06-locks.md#transfer");
    account_free(a);
    account_free(b);
}

/* Catches: the stub. */
KIT_TEST(account, transfer_rejects_same_account_negative_amount_and_overflow)
{
    struct account *a = open_account(LONG_MAX);
    struct account *b = open_account(LONG_MAX);
    int err = account_transfer(a, b, 0);

    kit_require_impl(err, "account_transfer", "06-C");
    cr_assert(eq(int, err, 0), "account_transfer(a, b, 0): expected 0, got %s. See docs/06-locks.md#transfer", kit_errname(err));
    err = account_transfer(a, a, 1);
    cr_expect(eq(int, err, -EINVAL), "account_transfer(a, a, 1): expected -EINVAL (locking a twice would deadlock), got %s. See docs/06-locks.md#transfer", kit_errname(err));
    err = account_transfer(a, b, -1);
    cr_expect(eq(int, err, -EINVAL), "account_transfer(a, b, -1): expected -EINVAL, got %s. See docs/06-locks.md#transfer", kit_errname(err));
    err = account_transfer(NULL, b, 1);
    cr_expect(eq(int, err, -EINVAL), "account_transfer(NULL, b, 1): expected -EINVAL, got %s. See docs/06-locks.md#transfer", kit_errname(err));
    err = account_transfer(a, b, 1);
    cr_expect(eq(int, err, -EOVERFLOW), "account_transfer(a, b at LONG_MAX, 1): expected -EOVERFLOW, got %s. See docs/06-locks.md#transfer", kit_errname(err));
    cr_expect(eq(long, balance_of(a), LONG_MAX), "a refused transfer moves nothing: expected a to keep LONG_MAX. See docs/06-locks.md#transfer");
    account_free(a);
    account_free(b);
}

struct mover {
    struct account *from;
    struct account *to;
    int err;
};

static void *
move_many(void *arg)
{
    struct mover *m = arg;

    for (int i = 0; i < TRANSFERS && m->err == 0; i++)
        m->err = account_transfer(m->from, m->to, 1 + i % 3);
    return NULL;
}

/* Catches: the stub.  Two threads, opposite directions, at once.  With
 * transfer_unordered.patch this deadlocks when both threads get their
 * first lock in the same instant (then the watchdog prints each thread,
 * the mutex it waits for and its holder, and the cycle); on a busy
 * machine that is rare, which is why that mutant names the Helgrind
 * check and the ordering tier adds noise. */
KIT_TEST(account, transfers_both_ways_at_once_conserve_money)
{
    struct account *a = open_account(1000);
    struct account *b = open_account(1000);
    struct mover m[2] = { { a, b, 0 }, { b, a, 0 } };
    pthread_t t[2];
    int err = account_transfer(a, b, 0);

    kit_require_impl(err, "account_transfer", "06-C");
    for (int i = 0; i < 2; i++)
        cr_assert(eq(int, pthread_create(&t[i], NULL, move_many, &m[i]), 0), "test setup: pthread_create failed");
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    cr_expect(eq(int, m[0].err, 0), "account_transfer(a, b, ...) in a loop: expected 0 every time, got %s. See docs/06-locks.md#transfer", kit_errname(m[0].err));
    cr_expect(eq(int, m[1].err, 0), "account_transfer(b, a, ...) in a loop: expected 0 every time, got %s. See docs/06-locks.md#transfer", kit_errname(m[1].err));
    cr_expect(eq(long, balance_of(a) + balance_of(b), 2000), "%d transfers each way: expected the total to stay 2000. See docs/06-locks.md#transfer", TRANSFERS);
    cr_expect(eq(long, balance_of(a), 1000), "the same amounts went each way: expected a to end at 1000. See docs/06-locks.md#lock-order");
    account_free(a);
    account_free(b);
}
