/*
 * thread.h - a thread as an object: start, join with a timeout, names,
 * the current thread, the live-thread list, daemons (lab 05, parts A-E).
 * Python: threading.Thread, current_thread(), enumerate().  Where C
 * differs from Python, the function says so; docs/05-threads.md has the
 * side-by-side version.
 */
#ifndef LAB_THREAD_H
#define LAB_THREAD_H

#include <stdbool.h>
#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Longest thread name, including the terminating NUL. */
#define THREAD_NAME_MAX 64

struct thread;                  /* opaque: only thread_* look inside */

/* The function a thread runs.  Python's target returns nothing useful
 * either: a thread's result travels through memory the caller owns. */
typedef void thread_target(void *arg);

/* Python's keyword arguments.  Pass NULL for all defaults. */
struct thread_options {
    const char *name;           /* NULL: "Thread-N", N counting from 1 */
    bool daemon;                /* not waited for by thread_shutdown() */
};

/* The "subclass overriding run()" form: a table of methods. */
struct thread_ops {
    /* Runs in the new thread; `self` is the thread's own object. */
    void (*run)(struct thread *self, void *ctx);
    /* Called once when the object is released; may be NULL. */
    void (*free_ctx)(void *ctx);
};

/* One line of thread_enumerate(): a copy, safe after the thread ends. */
struct thread_info {
    char name[THREAD_NAME_MAX];
    unsigned long ident;
    bool daemon;
};

/*
 * thread_new - make a thread object that will run target(arg).
 * Python:  Thread(target=f, args=(...), name=None, daemon=None)
 *          C has no tuples or kwargs: pack the arguments into one struct
 *          and pass its address.  daemon defaults to false (Python
 *          inherits the creating thread's flag).
 * Returns: 0; -EINVAL if out or target is NULL; -ENAMETOOLONG if
 *          opts->name does not fit in THREAD_NAME_MAX; -ENOMEM.  On
 *          failure *out is NULL and nothing was allocated.
 * Owns:    gives *out (free with thread_free()); keeps arg until the
 *          target returns; borrows opts and opts->name (copied).
 * Threads: any thread.
 */
int thread_new(struct thread **out, thread_target *target, void *arg, const struct thread_options *opts);

/*
 * thread_new_ops - make a thread object whose thread runs ops->run(self, ctx).
 * Python:  class Worker(Thread): def run(self): ...
 * Returns: 0; -EINVAL if out, ops or ops->run is NULL; -ENAMETOOLONG;
 *          -ENOMEM.  On failure *out is NULL and the caller keeps ctx.
 * Owns:    gives *out (free with thread_free()); keeps ops until the
 *          object is released; takes ctx on success (passed to
 *          ops->free_ctx when the object is released); borrows opts.
 * Threads: any thread.
 */
int thread_new_ops(struct thread **out, const struct thread_ops *ops, void *ctx, const struct thread_options *opts);

/*
 * thread_start - create the thread and run the target in it.
 * Python:  Thread.start()
 * Returns: 0 once the thread exists and is listed by thread_enumerate();
 *          -EINVAL if t is NULL or was already started (Python:
 *          RuntimeError "threads can only be started once"); -EAGAIN or
 *          -ENOMEM from pthread_create.  A failed start leaves no thread
 *          and no trace in the list.
 * Owns:    borrows t.
 * Threads: any thread.
 */
int thread_start(struct thread *t);

/*
 * thread_join - wait until the thread has ended.
 * Python:  Thread.join(timeout=None) -> None
 * Returns: 0 once the target has returned and the thread is reaped (at
 *          once if it already was); -ETIMEDOUT if `timeout` seconds passed
 *          first (Python returns None either way: C says which); -EINVAL
 *          if t is NULL, not started (Python: RuntimeError "cannot join
 *          thread before it is started"), not made by thread_start (the
 *          main thread), is the calling thread itself (Python:
 *          "cannot join current thread"), or timeout is NaN.
 *          LAB_FOREVER (any negative value) waits without limit.
 * Owns:    borrows t.
 * Threads: any thread; several threads may join one thread at once.
 */
int thread_join(struct thread *t, double timeout);

/*
 * thread_is_alive - has the thread started and not yet ended?
 * Python:  Thread.is_alive()
 * Returns: true from thread_start() until the target returns; false
 *          before start, after the end, and for NULL.  Always true for
 *          the main thread.
 * Owns:    borrows t.
 * Threads: any thread.
 */
bool thread_is_alive(struct thread *t);

/* thread_name - Python: Thread.name.  "" for NULL; "MainThread" for the
 * main thread.  Owns: borrows t; the string lives as long as t. */
const char *thread_name(const struct thread *t);

/*
 * thread_ident - Python: Thread.ident.
 * Returns: a non-zero number once started, unique among live threads
 *          (it stays readable after the end and may be reused by a later
 *          thread, as in Python); 0 before start and for NULL (Python:
 *          None).  Cannot fail.
 * Owns:    borrows t.
 */
unsigned long thread_ident(struct thread *t);

/* thread_daemon - Python: Thread.daemon.  False for NULL.  Set once,
 * through thread_options, before start.  Cannot fail. */
bool thread_daemon(const struct thread *t);

/*
 * thread_current - the calling thread's object.
 * Python:  threading.current_thread()
 * Returns: the object of a thread made by thread_start(); for the main
 *          thread, a static object named "MainThread"; for any other
 *          thread (made by plain pthread_create), an object named
 *          "Dummy-N" that lives until that thread ends (Python's
 *          _DummyThread).  NULL only if that object cannot be allocated.
 * Owns:    the result is borrowed: valid while the calling thread runs.
 * Threads: any thread.
 */
struct thread *thread_current(void);

/*
 * thread_enumerate - copy the list of live threads.
 * Python:  threading.enumerate()
 * Returns: 0, with up to `max` entries in `out` and the number of live
 *          threads in *count (which may exceed max: call again with more
 *          room).  The main thread is always listed; a started thread is
 *          listed from thread_start() until its target returns, so a
 *          joined thread is never listed.  -EINVAL if count is NULL, or
 *          out is NULL while max > 0.
 * Owns:    borrows out and count.
 * Threads: any thread, at any time (the list has its own lock).
 */
int thread_enumerate(struct thread_info *out, size_t max, size_t *count);

/*
 * thread_shutdown - what Python does at interpreter exit: wait until
 * every started non-daemon thread has ended.  Daemon threads are left
 * running.
 * Python:  threading._shutdown()
 * Returns: 0 when no started non-daemon thread is alive (the calling
 *          thread aside); -ETIMEDOUT if some still were after `timeout`
 *          seconds (LAB_FOREVER: no limit); -EINVAL for a NaN timeout.
 * Threads: any thread.  The objects stay the caller's to join and free.
 */
int thread_shutdown(double timeout);

/*
 * thread_free - release t.
 * Python:  dropping the last reference to a Thread object.
 * Owns:    takes t.  A thread that has ended is reaped first.  A thread
 *          that still runs is not waited for (C cannot stop a thread
 *          safely): it is detached, and its object is released when its
 *          target returns.  Calls ops->free_ctx(ctx) for an ops object
 *          when the object is released.  NULL and the main thread's or a
 *          dummy's object are no-ops.
 * Threads: no other thread may be using t (the thread itself aside).
 */
void thread_free(struct thread *t);

#endif /* LAB_THREAD_H */
