/*
 * barrier.h - a meeting point for a fixed number of threads, which a
 * timeout or an abort can break (lab 07, part C).
 * Python: threading.Barrier.  Where C differs from Python, the function
 * says so; docs/07-event.md has the side-by-side version.
 */
#ifndef LAB_BARRIER_H
#define LAB_BARRIER_H

#include <stdbool.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct barrier;                 /* opaque: only barrier_* look inside */

/* The action the last thread to arrive runs once per cycle, before any
 * waiter is let go.  Return 0, or a negative errno to break the barrier
 * (Python: the action raises). */
typedef int barrier_action(void *arg);

/*
 * barrier_new - make a barrier for `parties` threads.
 * Python:  threading.Barrier(parties, action=None, timeout=None)
 *          C keeps no default timeout: each barrier_wait() takes its own.
 * Returns: 0; -EINVAL if out is NULL or parties is 0 (Python:
 *          ValueError); -ENOMEM.  On failure *out is NULL.
 * Owns:    gives *out to the caller, who frees it with barrier_free();
 *          keeps action and arg until barrier_free().
 */
int barrier_new(struct barrier **out, unsigned parties, barrier_action *action, void *arg);

/*
 * barrier_wait - arrive, and wait until `parties` threads have arrived.
 * Python:  Barrier.wait(timeout=None) -> int
 * Returns: 0 with *index set to the arrival order in this cycle, 0 for
 *          the first thread and parties - 1 for the last (the one that ran
 *          the action), as Python returns it;
 *          -ETIMEDOUT if `timeout` seconds passed first: this thread breaks
 *          the barrier (Python raises BrokenBarrierError; C says which);
 *          -ECANCELED if the barrier is or becomes broken (abort, another
 *          thread's timeout, a failing action) or is reset while this
 *          thread waits (Python: BrokenBarrierError);
 *          the action's own error for the thread that ran it;
 *          -EINVAL if b is NULL or timeout is NaN.  LAB_FOREVER waits
 *          without limit.  index may be NULL.  After a cycle completes the
 *          barrier is ready for the next one.
 * Owns:    borrows b and index.
 * Threads: any thread.  The action runs without the barrier's lock held.
 */
int barrier_wait(struct barrier *b, unsigned *index, double timeout);

/*
 * barrier_abort - break the barrier: every waiter, and every later wait,
 * returns -ECANCELED until barrier_reset().
 * Python:  Barrier.abort()
 * Returns: 0; -EINVAL if b is NULL.
 * Owns:    borrows b.
 */
int barrier_abort(struct barrier *b);

/*
 * barrier_reset - back to the empty, unbroken state.  Threads waiting now
 * return -ECANCELED; the barrier is usable again once they have left.
 * Python:  Barrier.reset()
 * Returns: 0; -EINVAL if b is NULL.
 * Owns:    borrows b.
 */
int barrier_reset(struct barrier *b);

/* barrier_parties - Python: Barrier.parties.  0 for NULL.  Cannot fail. */
unsigned barrier_parties(const struct barrier *b);

/* barrier_n_waiting - Python: Barrier.n_waiting: threads waiting in the
 * cycle now filling.  0 for NULL.  Cannot fail. */
unsigned barrier_n_waiting(const struct barrier *b);

/* barrier_broken - Python: Barrier.broken.  False for NULL.  Cannot fail. */
bool barrier_broken(const struct barrier *b);

/*
 * barrier_free - release b.
 * Owns:    takes b.  NULL is a no-op.
 * Threads: no thread may be waiting on b or about to use it.
 */
void barrier_free(struct barrier *b);

#endif /* LAB_BARRIER_H */
