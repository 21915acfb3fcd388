/*
 * account.h - the notes' bank account: a balance under its own lock, a
 * deposit that reads, pauses and writes, and transfers between two
 * accounts that take both locks in one global order (lab 06, parts B, C).
 * Python:  class Account with a threading.Lock, as in the notes.
 */
#ifndef LAB_ACCOUNT_H
#define LAB_ACCOUNT_H

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct account;                 /* opaque: only account_* look inside */

/*
 * account_new - open an account holding `balance`.
 * Python:  Account() (the notes start at 0)
 * Returns: 0; -EINVAL if out is NULL; -ENOMEM.  On failure *out is NULL.
 * Owns:    gives *out to the caller, who frees it with account_free().
 */
int account_new(struct account **out, long balance);

/*
 * account_deposit - add `amount` (negative: take it away) the notes' way:
 * read the balance, pause (the notes sleep; C yields the CPU), write the
 * new balance, all while holding the account's lock.
 * Python:  with self._lock: new = self._balance + money; time.sleep(0.01);
 *          self._balance = new
 * Returns: 0; -EINVAL if a is NULL; -EOVERFLOW if the balance would leave
 *          the range of long (nothing changes); -EDEADLK if the calling
 *          thread holds the account's lock through account_acquire()
 *          (Python would block for ever on its own Lock).
 * Owns:    borrows a.
 * Threads: any thread; 100 threads depositing 1 at once add exactly 100.
 */
int account_deposit(struct account *a, long amount);

/*
 * account_balance - read the balance under the account's lock.
 * Python:  Account.balance (a property)
 * Returns: 0 and *balance; -EINVAL if a or balance is NULL; -EDEADLK if
 *          the calling thread holds the account's lock.
 * Owns:    borrows a and balance.
 */
int account_balance(struct account *a, long *balance);

/*
 * account_acquire - take the account's lock, waiting at most `timeout`
 * seconds, so a caller can do several steps as one.
 * Python:  account._lock.acquire(timeout=t) -> bool
 * Returns: 0 once held; -ETIMEDOUT if another thread still held it when
 *          the time ran out (timeout 0 tries once: Python's
 *          acquire(blocking=False)); -EDEADLK if the calling thread
 *          already holds it (a Lock is not re-entrant); -EINVAL if a is
 *          NULL or timeout is NaN.  LAB_FOREVER (any negative value)
 *          waits without limit.  The deadline is on CLOCK_REALTIME
 *          (pthread_mutex_timedlock), so a clock step moves it.
 * Owns:    borrows a.
 */
int account_acquire(struct account *a, double timeout);

/*
 * account_release - give back the lock taken with account_acquire().
 * Python:  account._lock.release()
 * Returns: 0; -EPERM if the calling thread does not hold it (C differs:
 *          any thread may release a Python Lock, only the holder may
 *          unlock a pthread mutex); -EINVAL if a is NULL.
 * Owns:    borrows a.
 */
int account_release(struct account *a);

/*
 * account_transfer - move `amount` from one account to another as one
 * step: no thread ever sees the money in both or in neither.  Both locks
 * are taken in one global order (the order the accounts were made), so
 * transfers in opposite directions at the same time cannot deadlock.
 * Balances may go below zero.
 * Python:  first, second = sorted((src, dst), key=id)
 *          with first._lock, second._lock: src._balance -= amount; ...
 * Returns: 0; -EINVAL if either is NULL, from == to, or amount < 0;
 *          -EOVERFLOW if a balance would leave the range of long (nothing
 *          moves); -EDEADLK if the calling thread holds either lock.
 * Owns:    borrows from and to.
 * Threads: any thread; any number of transfers in any directions at once.
 */
int account_transfer(struct account *from, struct account *to, long amount);

/*
 * account_free - close the account.  NULL is a no-op.
 * Owns:    takes a.
 * Threads: no thread may be using a or holding its lock.
 */
void account_free(struct account *a);

#endif /* LAB_ACCOUNT_H */
