/*
 * tpool.h - the same pool interface over threads of this process
 * (lab 03, part F).
 * Python: multiprocessing.pool.ThreadPool.  Tasks, callbacks and the
 * initializer have pool.h's types, so one task runs in either pool.
 * docs/03-pool.md#when-each-fits says which to choose.
 *
 * Where C differs from the process pool: a task shares the caller's
 * memory (no copy is needed, but every shared object needs a lock), a
 * task that crashes takes the whole program with it, and terminate
 * cannot stop a task that is running: it waits for it.
 */
#ifndef LAB_TPOOL_H
#define LAB_TPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "pool.h"

struct tpool;                   /* opaque: only tpool_* look inside */
struct tpool_result;            /* opaque: one pending result */

/*
 * tpool_new - start `opts->processes` worker threads (0: the number of
 * CPUs) and the pool's result thread.
 * Python:  ThreadPool(processes=None, initializer=None, initargs=())
 * Returns: 0; -EINVAL if out is NULL or opts->processes is negative;
 *          -EAGAIN, -ENOMEM from pthread_create.  On failure *out is NULL
 *          and no thread is left.
 * Owns:    gives *out (free with tpool_free()); keeps opts->initarg until
 *          tpool_free(); borrows opts.
 * Threads: any thread.  The initializer runs once in each worker thread.
 */
int tpool_new(struct tpool **out, const struct pool_options *opts);

/* tpool_processes - how many worker threads.  0 for NULL.  Cannot fail. */
int tpool_processes(const struct tpool *p);

/*
 * tpool_apply_async - queue fn(arg); return at once with a handle.
 * Python:  ThreadPool.apply_async(func, args=(), callback=None, ...)
 * Returns: 0; -EINVAL as pool_apply_async() (NULL p, fn or out, arg_len
 *          > POOL_ARG_MAX, pool not running); -ENOMEM.  After an error cb
 *          is never called.
 * Owns:    borrows arg (copied); gives *out (tpool_result_free()); keeps
 *          cb_arg until the callback has run.
 * Threads: any thread.  cb runs on the pool's one result thread.
 */
int tpool_apply_async(struct tpool *p, pool_func *fn, const void *arg, size_t arg_len, pool_callback *cb, void *cb_arg, struct tpool_result **out);

/*
 * tpool_apply - run fn(arg) on a worker thread and wait.
 * Python:  ThreadPool.apply(func, args=())
 * Returns: as pool_apply() (no -ECHILD: a crash ends the program).
 * Owns:    borrows arg, out and out_len (out_len may be NULL).
 */
int tpool_apply(struct tpool *p, pool_func *fn, const void *arg, size_t arg_len, void *out, size_t out_cap, size_t *out_len);

/*
 * tpool_map_async - as pool_map_async(), on threads: results in input
 * order in `results`, chunks of `chunksize` items (0: Python's default).
 * Python:  ThreadPool.map_async(func, iterable, chunksize=None, ...)
 * Returns: as pool_map_async().
 * Owns:    borrows items (copied); keeps results until ready; gives *out.
 */
int tpool_map_async(struct tpool *p, pool_func *fn, const void *items, size_t item_size, size_t n, void *results, size_t result_size, size_t chunksize, pool_callback *cb, void *cb_arg, struct tpool_result **out);

/* tpool_map - tpool_map_async() and wait.  Python: ThreadPool.map().
 * Returns as pool_map().  Owns: borrows items and results. */
int tpool_map(struct tpool *p, pool_func *fn, const void *items, size_t item_size, size_t n, void *results, size_t result_size, size_t chunksize);

/* tpool_result_ready - Python: AsyncResult.ready().  False for NULL. */
bool tpool_result_ready(struct tpool_result *r);

/* tpool_result_wait - as pool_result_wait().  Returns 0, -ETIMEDOUT,
 * -EINVAL.  Owns: borrows r. */
int tpool_result_wait(struct tpool_result *r, double timeout);

/* tpool_result_get - as pool_result_get(): the task's status and result,
 * -ETIMEDOUT, -ECANCELED (terminated before it started), -EMSGSIZE,
 * -EINVAL.  Owns: borrows r, out and out_len. */
int tpool_result_get(struct tpool_result *r, void *out, size_t out_cap, size_t *out_len, double timeout);

/* tpool_result_free - drop the caller's handle (as pool_result_free).
 * Owns: takes r.  NULL is a no-op. */
void tpool_result_free(struct tpool_result *r);

/* tpool_close - Python: ThreadPool.close().  Returns 0; -EINVAL for NULL
 * or a terminated pool. */
int tpool_close(struct tpool *p);

/*
 * tpool_terminate - drop every queued task (-ECANCELED); tasks already
 * running finish (a thread cannot be killed safely).
 * Python:  ThreadPool.terminate()
 * Returns: 0; -EINVAL for NULL.
 */
int tpool_terminate(struct tpool *p);

/* tpool_join - wait for every thread of the pool to end.  Python:
 * ThreadPool.join().  Returns 0; -EINVAL for NULL or a pool neither
 * closed nor terminated.  A second join returns 0 at once. */
int tpool_join(struct tpool *p);

/* tpool_free - terminate (if live), join, release.  Owns: takes p.
 * NULL is a no-op.  No other thread may be using p. */
void tpool_free(struct tpool *p);

#endif /* LAB_TPOOL_H */
