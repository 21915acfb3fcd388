/*
 * semaphore.h - a counter of free units that threads take and give back,
 * optionally bounded by its starting value (lab 06, part E).
 * Python:  threading.Semaphore and threading.BoundedSemaphore.  The prefix
 *          is semaphore_, not sem_, which belongs to POSIX <semaphore.h>.
 */
#ifndef LAB_SEMAPHORE_H
#define LAB_SEMAPHORE_H

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct semaphore;               /* opaque: only semaphore_* look inside */

/*
 * semaphore_new - make a semaphore holding `value` units, with no upper
 * bound: releases may raise it past its starting value.
 * Python:  threading.Semaphore(value=1)
 * Returns: 0; -EINVAL if out is NULL or value < 0 (Python: ValueError
 *          "semaphore initial value must be >= 0"); -ENOMEM or -EAGAIN.
 *          On failure *out is NULL.
 * Owns:    gives *out to the caller, who frees it with semaphore_free().
 */
int semaphore_new(struct semaphore **out, int value);

/*
 * semaphore_new_bounded - as semaphore_new, but the value may never rise
 * above `value`: releasing more than was taken is an error.
 * Python:  threading.BoundedSemaphore(value=1)
 * Returns: as semaphore_new.
 * Owns:    gives *out (free with semaphore_free()).
 */
int semaphore_new_bounded(struct semaphore **out, int value);

/*
 * semaphore_acquire - take one unit: at once if the value is above 0,
 * else wait until a release or until `timeout` seconds pass.
 * Python:  Semaphore.acquire(blocking=True, timeout=None) -> bool
 * Returns: 0 with one unit taken; -ETIMEDOUT if none came in time
 *          (timeout 0 tries once: acquire(False)); -EINVAL if s is NULL
 *          or timeout is NaN.  LAB_FOREVER (any negative value) waits
 *          without limit.  A timed-out call takes nothing.
 * Owns:    borrows s.
 * Threads: any thread; a spurious wakeup never ends the wait early, and a
 *          unit taken by another thread first sends the waiter back to
 *          waiting.
 */
int semaphore_acquire(struct semaphore *s, double timeout);

/*
 * semaphore_release - give back `n` units and wake up to n waiters.  Any
 * thread may release, also one that never acquired.
 * Python:  Semaphore.release(n=1)
 * Returns: 0; -EOVERFLOW if a bounded semaphore would rise above its
 *          starting value, or any semaphore above INT_MAX (Python:
 *          ValueError "Semaphore released too many times"); nothing is
 *          released then.  -EINVAL if s is NULL or n < 1 (Python:
 *          ValueError "n must be one or more").  EOVERFLOW, not EINVAL,
 *          because the arguments are fine: the value would pass its
 *          limit, which is what POSIX sem_post() reports with EOVERFLOW.
 * Owns:    borrows s.
 */
int semaphore_release(struct semaphore *s, int n);

/* semaphore_value - the units free now (a snapshot).  Python:
 * Semaphore._value.  Returns the value, or -EINVAL for NULL.  Owns:
 * borrows s. */
int semaphore_value(struct semaphore *s);

/*
 * semaphore_free - release the semaphore.  NULL is a no-op.
 * Owns:    takes s.
 * Threads: no thread may wait on s or use it afterwards.
 */
void semaphore_free(struct semaphore *s);

#endif /* LAB_SEMAPHORE_H */
