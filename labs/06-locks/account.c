/*
 * account.c - the notes' bank account: a balance guarded by the account's
 * own lock, a deposit that reads, pauses and writes inside that lock, and
 * transfers that take two locks in one global order.
 *
 * Lock order: of two accounts, the one made first (lower id) is locked
 * first.  Every function that holds two account locks takes them in that
 * order, so no cycle of waiting threads can form (docs: lock-order).
 * The mutexes are error-checking: a thread that locks an account it
 * already holds gets EDEADLK instead of hanging, and only the holder may
 * unlock.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"

/* Timeouts longer than this (about 31 years) wait without limit. */
#define ACCOUNT_TIMEOUT_MAX_S 1e9

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

struct account {
    unsigned long id;           /* lock order; set once by account_new */

    pthread_mutex_t mu;         /* guards balance; error-checking */
    long balance;
};

/* Ids in the order accounts are made: the global lock order. */
static atomic_ulong next_id;

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* add_fits - would a + b stay inside long?  Cannot fail. */
__attribute__((unused)) static bool
add_fits(long a, long b)
{
    return b >= 0 ? a <= LONG_MAX - b : a >= LONG_MIN - b;
}

/* pause_between - the notes' time.sleep(0.01) between the read and the
 * write: give the CPU away so another thread can run in the window. */
__attribute__((unused)) static void
pause_between(void)
{
    sched_yield();
}

/* realtime_after - the CLOCK_REALTIME time `timeout` s from now, for
 * pthread_mutex_timedlock().  Cannot fail. */
__attribute__((unused)) static struct timespec
realtime_after(double timeout)
{
    struct timespec ts;
    time_t whole = (time_t)timeout;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += whole;
    ts.tv_nsec += (long)((timeout - (double)whole) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int
account_new(struct account **out, long balance)
{
    pthread_mutexattr_t attr;
    struct account *a;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    a = malloc(sizeof(*a));
    if (a == NULL)
        return -ENOMEM;
    err = pthread_mutexattr_init(&attr);
    if (err == 0) {
        LAB_CHECK(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
        err = pthread_mutex_init(&a->mu, &attr);
        LAB_CHECK(pthread_mutexattr_destroy(&attr));
    }
    if (err) {
        free(a);
        return -err;
    }
    a->id = atomic_fetch_add(&next_id, 1);
    a->balance = balance;
    *out = a;
    return 0;
}

int
account_deposit(struct account *a, long amount)
{
    (void)a;
    (void)amount;
    /* TODO(06-B): under a's lock: read the balance, pause_between(), write
     * balance + amount; report a lock error, refuse overflow. Python:
     * Account.deposit. Read docs/06-locks.md#deposit. */
    return -ENOSYS;
}

int
account_balance(struct account *a, long *balance)
{
    int err;

    if (a == NULL || balance == NULL)
        return -EINVAL;
    err = pthread_mutex_lock(&a->mu);
    if (err)
        return -err;
    *balance = a->balance;
    LAB_CHECK(pthread_mutex_unlock(&a->mu));
    return 0;
}

int
account_acquire(struct account *a, double timeout)
{
    (void)a;
    (void)timeout;
    /* TODO(06-C): lock a->mu: no limit, or by a CLOCK_REALTIME deadline;
     * map the pthread error. Python: lock.acquire(timeout=t). Read
     * docs/06-locks.md#account-lock. */
    return -ENOSYS;
}

int
account_release(struct account *a)
{
    (void)a;
    /* TODO(06-C): unlock a->mu; only its holder may. Python:
     * lock.release(). Read docs/06-locks.md#account-lock. */
    return -ENOSYS;
}

/* move_locked - the transfer itself; both locks are held.  Returns 0 or
 * -EOVERFLOW (then nothing moved). */
__attribute__((unused)) static int
move_locked(struct account *from, struct account *to, long amount)
{
    (void)from;
    (void)to;
    (void)amount;
    /* TODO(06-C): with both locks held, move amount unless a balance would
     * overflow. Python: src._balance -= amount. Read
     * docs/06-locks.md#transfer. */
    return -ENOSYS;
}

int
account_transfer(struct account *from, struct account *to, long amount)
{
    (void)from;
    (void)to;
    (void)amount;
    /* TODO(06-C): check the arguments, lock both accounts in id order,
     * move, unlock in reverse. Python: with first._lock, second._lock. Read
     * docs/06-locks.md#lock-order. */
    return -ENOSYS;
}

void
account_free(struct account *a)
{
    if (a == NULL)
        return;
    (void)pthread_mutex_destroy(&a->mu);    /* EBUSY only if misused */
    free(a);
}
