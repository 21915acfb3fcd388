/*
 * mpq.h - a bounded queue of byte messages shared by processes (lab 04,
 * part A).
 * Python: multiprocessing.Queue.  Where C differs from Python, the
 * function says so; docs/04-ipc.md has the side-by-side version.
 */
#ifndef LAB_MPQ_H
#define LAB_MPQ_H

#include <stdbool.h>
#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Slots used when mpq_new() is given maxsize 0 (Python: unbounded). */
#define MPQ_DEFAULT_MAXSIZE 1024

struct mpq;                     /* opaque: only mpq_* functions look inside */

/*
 * mpq_new - make an empty queue in shared memory that processes forked
 * after this call share.
 * Python:  multiprocessing.Queue(maxsize=0)
 *          C has no pickling: a message is `len` bytes, at most msg_max.
 *          maxsize 0 means MPQ_DEFAULT_MAXSIZE (shared memory has a size,
 *          so the queue is always bounded).
 * Returns: 0; -EINVAL if out is NULL or msg_max is 0; -ENOMEM (also when
 *          maxsize * msg_max does not fit in memory).  On failure *out is
 *          NULL.  Nothing is created in /dev/shm.
 * Owns:    gives *out to the caller, who frees it with mpq_free() (each
 *          process that holds a copy frees its own).
 */
int mpq_new(struct mpq **out, size_t maxsize, size_t msg_max);

/*
 * mpq_put - append one message, waiting while the queue is full.
 * Python:  Queue.put(obj, block=True, timeout=None)
 * Returns: 0 once the message is in the queue (from then on it is never
 *          lost, even if this process dies); -ETIMEDOUT if still full
 *          after `timeout` seconds (Python: queue.Full); -EMSGSIZE if
 *          len > msg_max; -EINVAL if q is NULL, msg is NULL with len > 0,
 *          the handle is closed (Python: ValueError) or timeout is NaN;
 *          -ENOTRECOVERABLE if the queue is broken.  LAB_FOREVER waits
 *          without limit.
 * Owns:    borrows q and msg (the bytes are copied).
 * Threads: any thread of any process sharing the queue.
 */
int mpq_put(struct mpq *q, const void *msg, size_t len, double timeout);

/* mpq_put_nowait - mpq_put without waiting: -EAGAIN when full (Python:
 * put_nowait() raising queue.Full).  Otherwise as mpq_put(). */
int mpq_put_nowait(struct mpq *q, const void *msg, size_t len);

/*
 * mpq_get - remove the oldest message, waiting while the queue is empty.
 * Python:  Queue.get(block=True, timeout=None)
 * Returns: 0 with the message copied into buf and its length in *len;
 *          -ETIMEDOUT if still empty after `timeout` seconds (Python:
 *          queue.Empty); -EMSGSIZE if the oldest message is longer than
 *          cap (it stays in the queue; *len says how long it is); -EINVAL
 *          if q or len is NULL, buf is NULL with cap > 0, the handle is
 *          closed or timeout is NaN; -ENOTRECOVERABLE.
 * Owns:    borrows q, buf and len.
 * Threads: any thread of any process sharing the queue.  Messages from
 *          one producer arrive in the order it put them.
 */
int mpq_get(struct mpq *q, void *buf, size_t cap, size_t *len, double timeout);

/* mpq_get_nowait - mpq_get without waiting: -EAGAIN when empty (Python:
 * get_nowait() raising queue.Empty).  Otherwise as mpq_get(). */
int mpq_get_nowait(struct mpq *q, void *buf, size_t cap, size_t *len);

/*
 * mpq_qsize - how many messages are in the queue right now.
 * Python:  Queue.qsize()  (exact here: there is no feeder thread)
 * Returns: the count, or 0 for NULL or a closed handle.  Cannot fail.
 * Owns:    borrows q.
 */
size_t mpq_qsize(struct mpq *q);

/* mpq_empty - Python: Queue.empty().  True for NULL.  Owns: borrows q. */
bool mpq_empty(struct mpq *q);

/* mpq_full - Python: Queue.full().  False for NULL.  Owns: borrows q. */
bool mpq_full(struct mpq *q);

/*
 * mpq_lock - take the queue's lock by hand, to look at several things at
 * once (or, in the tests, to die holding it).  mpq_unlock gives it back.
 * Python:  queue.Queue.mutex (multiprocessing.Queue hides its lock)
 * Returns: 0 (also when the previous holder died with the lock: the
 *          queue was repaired first); -EINVAL for NULL or a closed
 *          handle; -EDEADLK if this thread holds it already;
 *          -ENOTRECOVERABLE.  mpq_unlock: 0, or -EPERM if the caller
 *          does not hold it.
 * Owns:    borrows q.
 * Threads: no other mpq_* call on q while holding it (it would deadlock).
 */
int mpq_lock(struct mpq *q);
int mpq_unlock(struct mpq *q);

/*
 * mpq_close - this process will put and get no more through q.
 * Python:  Queue.close()
 * Returns: 0; -EINVAL for NULL.  Other processes are not affected; later
 *          put/get through this handle return -EINVAL.
 * Owns:    borrows q.
 */
int mpq_close(struct mpq *q);

/*
 * mpq_free - release this process's handle and mapping.  The shared
 * memory goes away with the last process that maps it.
 * Owns:    takes q.  NULL is a no-op.
 * Threads: no other thread may be using q.
 */
void mpq_free(struct mpq *q);

#endif /* LAB_MPQ_H */
