/*
 * rlock.h - a re-entrant lock: the thread that holds it may take it again,
 * and must release it as many times (lab 06, part D).
 * Python:  threading.RLock.
 */
#ifndef LAB_RLOCK_H
#define LAB_RLOCK_H

#include <stdbool.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct rlock;                   /* opaque: only rlock_* look inside */

/*
 * rlock_new - make a free re-entrant lock.
 * Python:  threading.RLock()
 * Returns: 0; -EINVAL if out is NULL; -ENOMEM or -EAGAIN.  On failure
 *          *out is NULL.
 * Owns:    gives *out to the caller, who frees it with rlock_free().
 */
int rlock_new(struct rlock **out);

/*
 * rlock_acquire - take the lock: at once if it is free or the calling
 * thread owns it (the count goes up by one), else wait until it is free
 * or `timeout` seconds pass.
 * Python:  RLock.acquire(blocking=True, timeout=-1) -> bool
 * Returns: 0 once owned; -ETIMEDOUT if another thread still owned it when
 *          the time ran out (timeout 0 tries once: acquire(False));
 *          -EOVERFLOW if the owner's count is already INT_MAX; -EINVAL if
 *          l is NULL or timeout is NaN.  LAB_FOREVER (any negative value)
 *          waits without limit.  A timed-out call changes nothing.
 * Owns:    borrows l.
 * Threads: any thread; a spurious wakeup never ends the wait early.
 */
int rlock_acquire(struct rlock *l, double timeout);

/*
 * rlock_release - undo one rlock_acquire() of the calling thread; the
 * lock is free again when the count reaches 0.
 * Python:  RLock.release()
 * Returns: 0; -EPERM if the calling thread does not own it, whether
 *          another thread does or nobody does (Python: RuntimeError
 *          "cannot release un-acquired lock"); -EINVAL if l is NULL.
 * Owns:    borrows l.
 */
int rlock_release(struct rlock *l);

/* rlock_is_owned - does the calling thread own l?  Python:
 * RLock._is_owned().  False for NULL.  Owns: borrows l.  Cannot fail. */
bool rlock_is_owned(struct rlock *l);

/* rlock_count - how many times the calling thread holds l: 0 when another
 * thread or nobody owns it.  Python: RLock._recursion_count().  0 for
 * NULL.  Owns: borrows l.  Cannot fail. */
int rlock_count(struct rlock *l);

/*
 * rlock_free - release the lock object.  NULL is a no-op.
 * Owns:    takes l.
 * Threads: no thread may own l, wait for it, or use it afterwards.
 */
void rlock_free(struct rlock *l);

#endif /* LAB_RLOCK_H */
