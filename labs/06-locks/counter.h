/*
 * counter.h - the lost update on a shared counter, and three ways to fix
 * it (lab 06, part A).
 * Python:  threads doing `n += 1` on a global; the fix `with lock: n += 1`.
 *          docs/06-locks.md has the Python and the C side by side.
 */
#ifndef LAB_COUNTER_H
#define LAB_COUNTER_H

/* Most threads counter_run() starts. */
#define COUNTER_THREADS_MAX 64

/* How each thread adds its increments to the shared total. */
enum counter_strategy {
    COUNTER_UNSAFE,         /* read, add one, write back, no lock: the bug */
    COUNTER_LOCK_EACH,      /* a mutex around every increment */
    COUNTER_LOCK_BATCH,     /* count privately; add under the mutex per batch */
    COUNTER_ATOMIC,         /* one atomic read-modify-write per increment */
};

/*
 * counter_run - start `nthreads` threads that each add 1 to one shared
 * counter `per_thread` times with strategy `how`, join them all, and give
 * the final value in *total.
 * Python:  t = [Thread(target=f, args=(per_thread,)) for _ in range(n)];
 *          start all, join all, read the global.
 * Returns: 0 and *total; -EINVAL if total is NULL, `how` is not a strategy,
 *          nthreads is outside 1..COUNTER_THREADS_MAX, per_thread < 0, or
 *          how is COUNTER_LOCK_BATCH and batch < 1; -EOVERFLOW if
 *          nthreads * per_thread does not fit in a long; -EAGAIN or
 *          -ENOMEM when a thread cannot be made (the threads already
 *          started are joined first, and *total is not written).
 *          COUNTER_UNSAFE succeeds but its total is usually short: it is
 *          the notes' bug, kept for demo_lost_update, never graded.
 *          batch is the number of increments per lock for
 *          COUNTER_LOCK_BATCH and is ignored by the other strategies.
 * Owns:    borrows total.
 * Threads: any thread; each call has its own counter.
 */
int counter_run(enum counter_strategy how, int nthreads, long per_thread, long batch, long *total);

/* counter_strategy_name - "unsafe", "lock_each", "lock_batch", "atomic",
 * or "?" for anything else.  Returns a static string.  Cannot fail. */
const char *counter_strategy_name(enum counter_strategy how);

#endif /* LAB_COUNTER_H */
