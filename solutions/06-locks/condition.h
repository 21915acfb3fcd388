/*
 * condition.h - a lock plus a queue of threads waiting for some state of
 * the data the lock guards (lab 06, part F).
 * Python:  threading.Condition (over a plain Lock).  Like CPython, and
 *          unlike a bare pthread_cond_t, a wait never ends spuriously, and
 *          waiters are woken first come, first served.
 */
#ifndef LAB_CONDITION_H
#define LAB_CONDITION_H

#include <stdbool.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct condition;               /* opaque: only condition_* look inside */

/* The state a waiter waits for.  Called with the condition's lock held
 * by the calling thread; it may read the data that lock guards, and must
 * not call condition_* on the same condition. */
typedef bool condition_predicate(void *arg);

/*
 * condition_new - make a condition with its own lock, free.
 * Python:  threading.Condition(threading.Lock())
 * Returns: 0; -EINVAL if out is NULL; -ENOMEM or -EAGAIN.  On failure
 *          *out is NULL.
 * Owns:    gives *out to the caller, who frees it with condition_free().
 */
int condition_new(struct condition **out);

/*
 * condition_acquire - take the condition's lock, waiting at most
 * `timeout` seconds.
 * Python:  Condition.acquire(timeout=-1) -> bool, or `with cond:`
 * Returns: 0 once held; -ETIMEDOUT if another thread held it all along
 *          (timeout 0 tries once); -EDEADLK if the calling thread holds it
 *          already (Python's default Condition() uses an RLock and would
 *          nest; over a Lock it would block for ever); -EINVAL if c is
 *          NULL or timeout is NaN.  LAB_FOREVER waits without limit.
 * Owns:    borrows c.
 */
int condition_acquire(struct condition *c, double timeout);

/*
 * condition_release - give the lock back.
 * Python:  Condition.release()
 * Returns: 0; -EPERM if the calling thread does not hold it (Python:
 *          RuntimeError); -EINVAL if c is NULL.
 * Owns:    borrows c.
 */
int condition_release(struct condition *c);

/*
 * condition_wait - release the lock, sleep until notified or until
 * `timeout` seconds pass, then take the lock again before returning.
 * Python:  Condition.wait(timeout=None) -> bool
 * Returns: 0 if notified (Python: True); -ETIMEDOUT if not (Python:
 *          False); either way the caller holds the lock again.  -EPERM if
 *          the calling thread does not hold the lock (Python:
 *          RuntimeError "cannot wait on un-acquired lock"); -EINVAL if c
 *          is NULL or timeout is NaN.  Taking the lock back is not
 *          limited by the timeout, as in Python.
 * Owns:    borrows c.
 * Threads: never returns 0 without a notify (no spurious wakeups).
 */
int condition_wait(struct condition *c, double timeout);

/*
 * condition_wait_for - wait until pred(arg) is true, checking it first
 * and again after every wakeup, for at most `timeout` seconds in all.
 * Python:  Condition.wait_for(predicate, timeout=None) -> bool
 * Returns: 0 once pred returned true (at once if it already is);
 *          -ETIMEDOUT if it was still false when checked after the
 *          deadline (Python returns that last value, False).  The caller
 *          holds the lock on return.  -EPERM if the calling thread does
 *          not hold the lock; -EINVAL if c or pred is NULL or timeout is
 *          NaN.
 * Owns:    borrows c; keeps pred and arg for the call.
 */
int condition_wait_for(struct condition *c, condition_predicate *pred, void *arg, double timeout);

/*
 * condition_notify - wake up to `n` waiting threads, longest waiting
 * first.  The lock stays held: the woken threads run once it is released.
 * Python:  Condition.notify(n=1)
 * Returns: 0 (also when nobody waits); -EPERM if the calling thread does
 *          not hold the lock (Python: RuntimeError "cannot notify on
 *          un-acquired lock"); -EINVAL if c is NULL or n < 0.
 * Owns:    borrows c.
 */
int condition_notify(struct condition *c, int n);

/* condition_notify_all - wake every waiting thread.  Python:
 * Condition.notify_all().  Returns and Owns as condition_notify(). */
int condition_notify_all(struct condition *c);

/*
 * condition_free - release the condition.  NULL is a no-op.
 * Owns:    takes c.
 * Threads: no thread may hold its lock, wait on it, or use it afterwards.
 */
void condition_free(struct condition *c);

#endif /* LAB_CONDITION_H */
