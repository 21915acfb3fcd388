/*
 * pool.h - a pool of worker processes that run tasks and send results
 * back (lab 03, parts A-E).
 * Python: multiprocessing.Pool and its AsyncResult.  Where C differs from
 * Python, the function says so; docs/03-pool.md has the side-by-side
 * version.
 *
 * A worker is a forked copy of the program, so a task is a function
 * pointer (valid in the worker: same program, same addresses) and an
 * argument copied as bytes.  Results come back as bytes over a socket.
 * Nothing is pickled: arguments and results are plain bytes, at most
 * POOL_ARG_MAX and POOL_RESULT_MAX of them.
 */
#ifndef LAB_POOL_H
#define LAB_POOL_H

#include <stdbool.h>
#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Largest argument of one task (apply) or one item (map), in bytes. */
#define POOL_ARG_MAX 16384

/* Largest result of one task (apply) or one item (map), in bytes. */
#define POOL_RESULT_MAX 16384

struct pool;                    /* opaque: only pool_* look inside */
struct pool_result;             /* opaque: one pending result */

/*
 * A task.  Runs in a worker process (or a tpool thread) with `arg_len`
 * bytes at `arg`, writes at most `out_cap` bytes of result at `out` and
 * their count into *out_len (0 on entry).  Returns 0, or a negative errno
 * that reaches pool_result_get() as the task's failure (Python: the
 * exception the task raised).
 */
typedef int pool_func(const void *arg, size_t arg_len, void *out, size_t out_cap, size_t *out_len);

/*
 * A completion callback.  Runs in the parent, on the pool's one result
 * thread, once per pool_apply_async()/pool_map_async(), before the result
 * becomes ready: `status` is what pool_result_get() will return, and
 * `result`/`len` the bytes (an apply's result, or a map's whole results
 * array).  It must be quick and must not call back into the pool's
 * blocking functions.  Python: callback= and error_callback= in one.
 */
typedef void pool_callback(int status, const void *result, size_t len, void *arg);

/* Runs once in each worker before its first task (Python: initializer).
 * Also in every replacement worker. */
typedef void pool_initializer(void *arg);

/* Python's keyword arguments.  NULL means all defaults. */
struct pool_options {
    int processes;                  /* workers; 0: the number of CPUs */
    pool_initializer *initializer;  /* NULL: none */
    void *initarg;                  /* passed to initializer */
};

/*
 * pool_new - start a pool of worker processes.
 * Python:  Pool(processes=None, initializer=None, initargs=())
 * Returns: 0; -EINVAL if out is NULL or opts->processes is negative
 *          (Python: ValueError "Number of processes must be at least 1");
 *          -EAGAIN, -ENOMEM, -EMFILE from fork, socketpair or
 *          pthread_create.  On failure *out is NULL and no worker is left.
 * Owns:    gives *out (free with pool_free()); keeps opts->initarg until
 *          pool_free() (replacement workers run the initializer too);
 *          borrows opts.
 * Threads: any thread.  Workers are forked before the pool's result
 *          thread starts; they never start threads.
 */
int pool_new(struct pool **out, const struct pool_options *opts);

/* pool_processes - how many workers the pool keeps (Python: the
 * `processes` it was made with).  0 for NULL.  Cannot fail. */
int pool_processes(const struct pool *p);

/*
 * pool_apply_async - queue fn(arg) and return at once with a handle.
 * Python:  Pool.apply_async(func, args=(), callback=None,
 *          error_callback=None) -> AsyncResult
 * Returns: 0; -EINVAL if p, fn or out is NULL, arg is NULL with arg_len
 *          > 0, or arg_len > POOL_ARG_MAX; -EINVAL after pool_close() or
 *          pool_terminate() (Python: ValueError "Pool not running");
 *          -ENOMEM.  After an error cb is never called (R17).
 * Owns:    borrows arg (copied before return); gives *out (free with
 *          pool_result_free(), before or after it is ready); keeps cb_arg
 *          until the callback has run.
 * Threads: any thread.  cb runs on the pool's result thread.
 */
int pool_apply_async(struct pool *p, pool_func *fn, const void *arg, size_t arg_len, pool_callback *cb, void *cb_arg, struct pool_result **out);

/*
 * pool_apply - run fn(arg) in a worker and wait for its result.
 * Python:  Pool.apply(func, args=()) -> result
 * Returns: the task's return value (0 or its negative errno), with the
 *          result copied to out and its length in *out_len; -ECHILD if the
 *          worker died while running it (Python hangs); -EMSGSIZE if the
 *          result is longer than out_cap; -ECANCELED if the pool was
 *          terminated first; and the errors of pool_apply_async().
 * Owns:    borrows arg, out and out_len (out_len may be NULL).
 * Threads: any thread.
 */
int pool_apply(struct pool *p, pool_func *fn, const void *arg, size_t arg_len, void *out, size_t out_cap, size_t *out_len);

/*
 * pool_map_async - apply fn to each of `n` items of `item_size` bytes at
 * `items`, in chunks of `chunksize` items per message, writing item i's
 * result into results + i * result_size: input order, whatever the
 * completion order.
 * Python:  Pool.map_async(func, iterable, chunksize=None, callback=None,
 *          error_callback=None) -> AsyncResult
 *          chunksize 0 is Python's default: n / (4 * workers), rounded up.
 * Returns: 0; -EINVAL if p, fn or out is NULL, items or results is NULL
 *          with n > 0, item_size > POOL_ARG_MAX, result_size is 0 or >
 *          POOL_RESULT_MAX, or the pool is not running; -ENOMEM.  After
 *          an error cb is never called.
 * Owns:    borrows items (copied before return); keeps results until the
 *          handle is ready (or pool_free()); gives *out; keeps cb_arg.
 * Threads: any thread.  cb gets the whole results array once.
 */
int pool_map_async(struct pool *p, pool_func *fn, const void *items, size_t item_size, size_t n, void *results, size_t result_size, size_t chunksize, pool_callback *cb, void *cb_arg, struct pool_result **out);

/*
 * pool_map - pool_map_async() and wait for the whole result.
 * Python:  Pool.map(func, iterable, chunksize=None) -> list
 * Returns: 0 when every item succeeded; otherwise the failure of the
 *          lowest failing index (a task's negative errno, or -ECHILD if
 *          its worker died), after every chunk has come back (Python:
 *          raises the first error, and the pool stays usable); the errors
 *          of pool_map_async().
 * Owns:    borrows items and results.
 */
int pool_map(struct pool *p, pool_func *fn, const void *items, size_t item_size, size_t n, void *results, size_t result_size, size_t chunksize);

/* pool_result_ready - Python: AsyncResult.ready().  True once the task
 * has finished and its callback has run.  False for NULL.  Cannot fail. */
bool pool_result_ready(struct pool_result *r);

/*
 * pool_result_wait - block until the result is ready or `timeout` passes.
 * Python:  AsyncResult.wait(timeout=None)
 * Returns: 0 when ready; -ETIMEDOUT if not ready in time (Python just
 *          returns); -EINVAL for NULL or a NaN timeout.  LAB_FOREVER
 *          waits without limit.
 * Threads: any number of threads may wait on one result.
 */
int pool_result_wait(struct pool_result *r, double timeout);

/*
 * pool_result_get - wait as pool_result_wait(), then give the outcome.
 * Python:  AsyncResult.get(timeout=None)
 * Returns: the task's status (0, or its negative errno; a map's lowest
 *          failing item), with an apply's result bytes copied to out and
 *          their count in *out_len; -ECHILD if a worker died while running
 *          it (and it was replaced); -ECANCELED if the pool was terminated
 *          before it finished (Python: never ready); -ETIMEDOUT if not
 *          ready in time (Python: multiprocessing.TimeoutError; the task
 *          goes on, a later get may succeed); -EMSGSIZE if the result is
 *          longer than out_cap; -EINVAL for NULL r or a NaN timeout.
 *          For a map, out may be NULL: the results are in its array.
 * Owns:    borrows r, out and out_len (both may be NULL).
 */
int pool_result_get(struct pool_result *r, void *out, size_t out_cap, size_t *out_len, double timeout);

/* pool_result_free - drop the caller's handle.  A task still running
 * finishes (its callback still runs); its result is then thrown away.
 * Owns: takes r.  NULL is a no-op. */
void pool_result_free(struct pool_result *r);

/*
 * pool_close - accept no more tasks; the workers exit once every queued
 * task has finished.
 * Python:  Pool.close()
 * Returns: 0 (also when already closed); -EINVAL for NULL or a
 *          terminated pool.
 */
int pool_close(struct pool *p);

/*
 * pool_terminate - stop now: every worker is killed (SIGKILL) and
 * reaped, and every unfinished task completes with -ECANCELED (its
 * callback runs with that status).
 * Python:  Pool.terminate() (Python's results are never ready)
 * Returns: 0 (also when already terminated); -EINVAL for NULL.
 *          Returns before the workers are gone: pool_join() waits.
 */
int pool_terminate(struct pool *p);

/*
 * pool_join - wait until every worker has exited and been reaped, and
 * the result thread has ended.
 * Python:  Pool.join()
 * Returns: 0; -EINVAL for NULL, or if neither pool_close() nor
 *          pool_terminate() was called (Python: ValueError "Pool is still
 *          running").  Never waits forever on a crashed worker: its task
 *          fails with -ECHILD and the queue goes on.
 * Threads: any thread; a second join returns 0 at once.
 */
int pool_join(struct pool *p);

/*
 * pool_free - terminate (if still live), join, and release the pool.
 * Python:  the end of `with Pool() as p:` (which calls terminate()).
 * Owns:    takes p.  Result handles stay valid until pool_result_free().
 * Threads: no other thread may be using p.  NULL is a no-op.
 */
void pool_free(struct pool *p);

#endif /* LAB_POOL_H */
