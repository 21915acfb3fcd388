/*
 * tqueue.h - a queue of pointers shared by the threads of one process,
 * first-in first-out, last-in first-out or by priority (lab 07, parts D
 * and E).
 * Python: queue.Queue, queue.LifoQueue, queue.PriorityQueue.  Where C
 * differs from Python, the function says so; docs/07-event.md has the
 * side-by-side version.
 */
#ifndef LAB_TQUEUE_H
#define LAB_TQUEUE_H

#include <stdbool.h>
#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct tqueue;                  /* opaque: only tqueue_* look inside */

/* Which item tqueue_get() takes (Python: which class). */
enum tqueue_kind {
    TQUEUE_FIFO,                /* the oldest (queue.Queue) */
    TQUEUE_LIFO,                /* the newest (queue.LifoQueue) */
    TQUEUE_PRIORITY,            /* the smallest by cmp (PriorityQueue) */
};

/* Orders two items of a priority queue, as qsort's comparison does:
 * negative if a comes out before b, 0 for a tie, positive otherwise.
 * Python compares the items themselves with `<`. */
typedef int tqueue_cmp(const void *a, const void *b);

/*
 * tqueue_new - make an empty queue.
 * Python:  queue.Queue(maxsize=0), LifoQueue(maxsize=0),
 *          PriorityQueue(maxsize=0)
 * Returns: 0; -EINVAL if out is NULL, kind is not a tqueue_kind, kind is
 *          TQUEUE_PRIORITY and cmp is NULL, or kind is another and cmp is
 *          not NULL; -ENOMEM.  maxsize <= 0 means unbounded, as in Python.
 *          On failure *out is NULL.
 * Owns:    gives *out to the caller, who frees it with tqueue_free().
 * Threads: cmp is called with the queue's lock held, from any thread that
 *          puts or gets: it must be quick and must not use the queue.
 *          Items that compare equal come out in the order they were put
 *          (Python compares the payload next, so it gives no such promise).
 */
int tqueue_new(struct tqueue **out, enum tqueue_kind kind, long maxsize, tqueue_cmp *cmp);

/*
 * tqueue_put - add an item, waiting while the queue is full.
 * Python:  Queue.put(item, block=True, timeout=None)
 * Returns: 0 once the item is in the queue (it also counts as one more
 *          unfinished task); -EAGAIN if block is false and the queue is
 *          full (Python: queue.Full, at once; the timeout is ignored);
 *          -ETIMEDOUT if still full after `timeout` seconds (Python:
 *          queue.Full; C says which); -EINVAL if q is NULL or timeout is
 *          NaN; -ENOMEM (an unbounded queue could not grow).  LAB_FOREVER
 *          (any negative value) waits without limit; Python raises
 *          ValueError for a negative timeout.
 * Owns:    borrows q; keeps item until a tqueue_get() hands it out (the
 *          queue never looks at or frees what item points to).
 * Threads: any thread.
 */
int tqueue_put(struct tqueue *q, void *item, bool block, double timeout);

/* tqueue_put_nowait - Python: Queue.put_nowait(item), i.e.
 * tqueue_put(q, item, false, 0): -EAGAIN when full. */
int tqueue_put_nowait(struct tqueue *q, void *item);

/*
 * tqueue_get - take the next item (by kind), waiting while it is empty.
 * Python:  Queue.get(block=True, timeout=None) -> item
 * Returns: 0 with the item in *item; -EAGAIN if block is false and the
 *          queue is empty (Python: queue.Empty); -ETIMEDOUT if still empty
 *          after `timeout` seconds (Python: queue.Empty); -EINVAL if q or
 *          item is NULL or timeout is NaN.  LAB_FOREVER waits without
 *          limit.  On failure *item is left alone.
 * Owns:    borrows q and item; gives the item back to the caller.
 * Threads: any thread; each item goes to exactly one getter.
 */
int tqueue_get(struct tqueue *q, void **item, bool block, double timeout);

/* tqueue_get_nowait - Python: Queue.get_nowait(), i.e.
 * tqueue_get(q, item, false, 0): -EAGAIN when empty. */
int tqueue_get_nowait(struct tqueue *q, void **item);

/*
 * tqueue_task_done - say that one item taken earlier is fully handled.
 * Python:  Queue.task_done()
 * Returns: 0; -EINVAL if q is NULL or there is no unfinished task (more
 *          calls than puts: Python's ValueError "task_done() called too
 *          many times").  The last one wakes every tqueue_join().
 * Owns:    borrows q.
 * Threads: any thread.
 */
int tqueue_task_done(struct tqueue *q);

/*
 * tqueue_join - wait until every item ever put has been task_done.
 * Python:  Queue.join()  (no timeout in Python; pass LAB_FOREVER)
 * Returns: 0 (at once when nothing is unfinished); -ETIMEDOUT if tasks
 *          were still unfinished after `timeout` seconds; -EINVAL if q is
 *          NULL or timeout is NaN.
 * Owns:    borrows q.
 * Threads: any thread; several may join at once.
 */
int tqueue_join(struct tqueue *q, double timeout);

/* tqueue_qsize - Python: Queue.qsize().  Items in the queue now (0 for
 * NULL); by the time the caller looks it may have changed.  Cannot fail. */
size_t tqueue_qsize(struct tqueue *q);

/* tqueue_empty - Python: Queue.empty().  True for NULL.  A snapshot. */
bool tqueue_empty(struct tqueue *q);

/* tqueue_full - Python: Queue.full().  Always false when unbounded and
 * for NULL.  A snapshot. */
bool tqueue_full(struct tqueue *q);

/*
 * tqueue_free - release q.  Items still inside are not freed: the queue
 * never owned what they point to.
 * Owns:    takes q.  NULL is a no-op.
 * Threads: no thread may be waiting on q or about to use it.
 */
void tqueue_free(struct tqueue *q);

#endif /* LAB_TQUEUE_H */
