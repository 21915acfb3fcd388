/*
 * thread.c (stub) - threading.Thread in C: a pthread wrapped in an object with
 * a name, an ident, a timed join, and a lock-protected list of live
 * threads.
 *
 * DESIGN
 *
 * join(timeout) cannot be pthread_join: it has no timeout, and the
 * non-portable pthread_timedjoin_np is invisible to Helgrind and DRD
 * (they report a race on everything the thread wrote).  So the thread
 * itself announces its end: after the target returns it sets state ENDED
 * under the object's mutex and broadcasts `ended`.  join() waits for that
 * on a CLOCK_MONOTONIC condition variable with a deadline, and only then
 * calls a plain pthread_join(), which returns at once.  One joiner (the
 * "reaper") does the pthread_join; the others wait for JOINED.
 *
 * The list of live threads (the registry) has its own mutex, reg_mu.  A
 * thread is linked by thread_start() before the creator unlocks the
 * object, and unlinked by the thread itself before it says ENDED, so a
 * joined thread is never listed.  Lock order: an object's mu before
 * reg_mu; the end of a thread takes them one after the other, never both.
 *
 * The main thread and threads made by plain pthread_create have objects
 * too (kind MAIN and DUMMY), so thread_current() works everywhere.  The
 * main thread's object is set up by a constructor, before main() runs,
 * while the process has one thread: no lazy initialisation to race on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "thread.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

enum thread_state {
    THREAD_NEW,                 /* made, not started */
    THREAD_STARTED,             /* the target may be running */
    THREAD_ENDED,               /* the target returned; not yet reaped */
    THREAD_JOINED,              /* pthread_join done */
};

enum thread_kind {
    KIND_LAB,                   /* made by thread_new*() */
    KIND_MAIN,                  /* the main thread's static object */
    KIND_DUMMY,                 /* a thread made by plain pthread_create */
};

struct thread {
    /* Set by thread_new*() and read-only afterwards: no lock needed. */
    char name[THREAD_NAME_MAX];
    bool daemon;
    enum thread_kind kind;
    const struct thread_ops *ops;
    thread_target *target;      /* thread_new() objects only */
    void *ctx;                  /* the target's arg, or the ops' ctx */

    /* reg_mu guards: */
    struct thread *reg_next;    /* list of live threads */

    /* mu guards the fields below. */
    pthread_mutex_t mu;
    pthread_cond_t ended;       /* broadcast on ENDED and on JOINED */
    enum thread_state state;
    bool reaping;               /* a joiner is in pthread_join() */
    bool detached;              /* freed while running: self-release */
    pthread_t tid;              /* STARTED and later */
    unsigned long ident;        /* written once, before the thread is
                                 * listed; read under mu or reg_mu */
};

/* reg_mu guards the registry and the name counters; reg_changed is
 * broadcast whenever a thread leaves the list. */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reg_changed;
static struct thread *reg_head;
/* N of the last "Thread-N" and of the last "Dummy-N": */
static unsigned long reg_counter __attribute__((unused));
static unsigned long dummy_counter __attribute__((unused));

/* Set up by thread_init() before main(); read-only afterwards. */
static struct thread main_thread;
static pthread_t main_tid;
static pthread_key_t self_key;          /* the calling thread's object */

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static __attribute__((unused)) void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* deadline_after - the absolute CLOCK_MONOTONIC time `timeout` seconds
 * from now into *ts.  Returns false (no deadline) for a negative
 * timeout.  Cannot fail. */
static __attribute__((unused)) bool
deadline_after(double timeout, struct timespec *ts)
{
    double whole;
    double frac;

    if (timeout < 0)
        return false;
    if (timeout > 1e9)
        timeout = 1e9;          /* about 30 years: forever in practice */
    clock_gettime(CLOCK_MONOTONIC, ts);
    frac = modf(timeout, &whole);
    ts->tv_sec += (time_t)whole;
    ts->tv_nsec += (long)(frac * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
    return true;
}

/* timed_wait - one wait on cv: untimed when has_deadline is false.
 * Returns 0 (woken, maybe spuriously) or -ETIMEDOUT. */
static __attribute__((unused)) int
timed_wait(pthread_cond_t *cv, pthread_mutex_t *mu, bool has_deadline,
           const struct timespec *deadline)
{
    int err;

    if (!has_deadline) {
        LAB_CHECK(pthread_cond_wait(cv, mu));
        return 0;
    }
    err = pthread_cond_timedwait(cv, mu, deadline);
    if (err == ETIMEDOUT)
        return -ETIMEDOUT;
    if (err != 0)
        lab_check_failed("pthread_cond_timedwait", err, __FILE__, __LINE__);
    return 0;
}

/* cond_init_monotonic - a condition variable whose timed waits use
 * CLOCK_MONOTONIC.  Returns 0 or a negative pthread error. */
static __attribute__((unused)) int
cond_init_monotonic(pthread_cond_t *cv)
{
    pthread_condattr_t attr;
    int err;

    err = pthread_condattr_init(&attr);
    if (err)
        return -err;
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (err == 0)
        err = pthread_cond_init(cv, &attr);
    LAB_CHECK(pthread_condattr_destroy(&attr));
    return -err;
}

/* ---- the registry: live threads ------------------------------------- */

/* registry_link - list t.  Takes reg_mu (t->mu may be held). */
static __attribute__((unused)) void
registry_link(struct thread *t)
{
    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    t->reg_next = reg_head;
    reg_head = t;
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
}

/* registry_unlink - forget t and wake thread_shutdown().  Takes reg_mu. */
static __attribute__((unused)) void
registry_unlink(struct thread *t)
{
    struct thread **pp;

    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    for (pp = &reg_head; *pp != NULL; pp = &(*pp)->reg_next) {
        if (*pp == t) {
            *pp = t->reg_next;
            break;
        }
    }
    LAB_CHECK(pthread_cond_broadcast(&reg_changed));
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
}

/* object_release - destroy t's sync objects, hand ctx to free_ctx, free.
 * Nobody else may use t any more.  Cannot fail. */
static __attribute__((unused)) void
object_release(struct thread *t)
{
    LAB_CHECK(pthread_cond_destroy(&t->ended));
    LAB_CHECK(pthread_mutex_destroy(&t->mu));
    if (t->ops != NULL && t->ops->free_ctx != NULL)
        t->ops->free_ctx(t->ctx);
    free(t);
}

/* dummy_release - the key's destructor: a plain pthread that asked for
 * thread_current() has ended; unlist and free its dummy object. */
static void
dummy_release(void *p)
{
    struct thread *t = p;

    if (t == NULL || t->kind != KIND_DUMMY)
        return;
    registry_unlink(t);
    object_release(t);
}

/* thread_init - before main(): the main thread's object, the key and the
 * registry's condition variable.  Aborts if the system cannot make them
 * (nothing can work without them). */
__attribute__((constructor)) static void
thread_init(void)
{
    main_tid = pthread_self();
    snprintf(main_thread.name, sizeof(main_thread.name), "MainThread");
    main_thread.kind = KIND_MAIN;
    main_thread.state = THREAD_STARTED;
    main_thread.tid = main_tid;
    main_thread.ident = (unsigned long)main_tid;
    LAB_CHECK(pthread_mutex_init(&main_thread.mu, NULL));
    LAB_CHECK(-cond_init_monotonic(&main_thread.ended));
    LAB_CHECK(-cond_init_monotonic(&reg_changed));
    LAB_CHECK(pthread_key_create(&self_key, dummy_release));
    reg_head = &main_thread;
}

/* ---- making the object ---------------------------------------------- */

/* run_target - the run() of every thread_new() object: call the target
 * (Python's default Thread.run). */
static __attribute__((unused)) void
run_target(struct thread *self, void *arg)
{
    self->target(arg);
}

static const struct thread_ops target_ops __attribute__((unused)) = {
    .run = run_target,
    .free_ctx = NULL,
};

/* thread_alloc - allocate and name a NEW object of kind `kind`.  Returns
 * 0, -ENAMETOOLONG, -ENOMEM or a pthread init error.  Gives *out. */
static __attribute__((unused)) int
thread_alloc(struct thread **out, enum thread_kind kind,
             const struct thread_options *opts)
{
    /* TODO(05-A): allocate a NEW object: check the name length, init its mutex
     * and CLOCK_MONOTONIC condvar, name it "Thread-N" (counter under reg_mu)
     * unless named. Python: Thread.__init__. Read docs/05-threads.md#names. */
    (void)out;
    (void)kind;
    (void)opts;
    return -ENOSYS;
}

int
thread_new(struct thread **out, thread_target *target, void *arg,
           const struct thread_options *opts)
{
    /* TODO(05-A): reject a NULL out or target (setting *out = NULL first),
     * then allocate a KIND_LAB object that runs target(arg) through
     * target_ops. Python: Thread(target=f, args=...). Read
     * docs/05-threads.md#new. */
    (void)out;
    (void)target;
    (void)arg;
    (void)opts;
    return -ENOSYS;
}

int
thread_new_ops(struct thread **out, const struct thread_ops *ops, void *ctx,
               const struct thread_options *opts)
{
    /* TODO(05-E): like thread_new, with the caller's run() table and ctx.
     * Python: class MyThread(Thread): def run(self). Read
     * docs/05-threads.md#run-table. */
    (void)out;
    (void)ops;
    (void)ctx;
    (void)opts;
    return -ENOSYS;
}

/* ---- running: start, the thread's own side -------------------------- */

/* finish - the thread's last steps: leave the list, say ENDED, and
 * release the object if it was freed while running.  Cannot fail. */
static __attribute__((unused)) void
finish(struct thread *t)
{
    /* TODO(05-B): the thread's last steps: unlist it FIRST, then set ENDED and
     * broadcast under its mutex; release the object if it was detached.
     * Python: Thread._bootstrap_inner's end. Read
     * docs/05-threads.md#unlist-before-ended. */
    (void)t;
}

/* trampoline - what pthread_create runs: wait until thread_start() has
 * published the object, run it, finish. */
static __attribute__((unused)) void *
trampoline(void *arg)
{
    /* TODO(05-A): remember the object for thread_current, wait for start() to
     * release the mutex, run ops->run(t, ctx), forget the object, finish.
     * Python: Thread._bootstrap. Read docs/05-threads.md#start. */
    (void)arg;
    return NULL;
}

int
thread_start(struct thread *t)
{
    /* TODO(05-A): start a NEW thread once (-EINVAL otherwise): pthread_create
     * under the mutex, record tid and ident, set STARTED, list it. Python:
     * Thread.start. Read docs/05-threads.md#start-once. */
    (void)t;
    return -ENOSYS;
}

/* ---- waiting and reaping ------------------------------------------- */

/* reap_locked - after ENDED: pthread_join once (one reaper; the others
 * wait for it).  t->mu held; returns with it held, state JOINED. */
static __attribute__((unused)) void
reap_locked(struct thread *t)
{
    /* TODO(05-B): while ENDED: one joiner calls pthread_join without the lock
     * and sets JOINED; the others wait on `ended`. Python:
     * Thread._wait_for_tstate_lock. Read docs/05-threads.md#join. */
    (void)t;
}

/* is_self - is t the calling thread's own object? */
static __attribute__((unused)) bool
is_self(const struct thread *t)
{
    return pthread_getspecific(self_key) == t;
}

int
thread_join(struct thread *t, double timeout)
{
    /* TODO(05-B): reject NULL, NaN, non-lab objects and self; NEW is -EINVAL;
     * wait on `ended` until not STARTED or the deadline (-ETIMEDOUT); then
     * reap. Python: Thread.join(timeout). Read docs/05-threads.md#join. */
    (void)t;
    (void)timeout;
    return -ENOSYS;
}

bool
thread_is_alive(struct thread *t)
{
    /* TODO(05-B): true for MAIN and DUMMY objects; else STARTED, read under
     * the mutex. Python: Thread.is_alive. Read docs/05-threads.md#lifecycle.
     * */
    (void)t;
    return false;
}

/* ---- plain accessors ------------------------------------------------ */

const char *
thread_name(const struct thread *t)
{
    return t == NULL ? "" : t->name;
}

unsigned long
thread_ident(struct thread *t)
{
    /* TODO(05-A): the ident under the mutex (0 for NULL or before start).
     * Python: Thread.ident. Read docs/05-threads.md#ident. */
    (void)t;
    return 0;
}

bool
thread_daemon(const struct thread *t)
{
    return t != NULL && t->daemon;
}

/* ---- the current thread and the list -------------------------------- */

/* make_dummy - the object of a plain pthread, listed until it ends.
 * Returns NULL when out of memory. */
static __attribute__((unused)) struct thread *
make_dummy(void)
{
    /* TODO(05-C): a KIND_DUMMY object for a plain pthread: daemon, named
     * Dummy-N, ident pthread_self(), stored in self_key (its destructor
     * unlists it), listed. Python: threading._DummyThread. Read
     * docs/05-threads.md#current. */
    return NULL;
}

struct thread *
thread_current(void)
{
    /* TODO(05-C): the object in self_key; else the main thread's if this is
     * main_tid; else a new dummy. Python: threading.current_thread(). Read
     * docs/05-threads.md#current. */
    return NULL;
}

int
thread_enumerate(struct thread_info *out, size_t max, size_t *count)
{
    /* TODO(05-C): under reg_mu, copy name/ident/daemon of up to max listed
     * threads and count them all. Python: threading.enumerate(). Read
     * docs/05-threads.md#enumerate. */
    (void)out;
    (void)max;
    (void)count;
    return -ENOSYS;
}

/* waits_for_locked - is there a live non-daemon lab thread other than
 * `self`?  reg_mu held. */
static __attribute__((unused)) bool
waits_for_locked(const struct thread *self)
{
    /* TODO(05-D): is a listed KIND_LAB thread other than self not a daemon?
     * reg_mu held. Python: threading._shutdown. Read
     * docs/05-threads.md#daemon. */
    (void)self;
    return false;
}

int
thread_shutdown(double timeout)
{
    /* TODO(05-D): wait on reg_changed under reg_mu while a non-daemon lab
     * thread is listed, up to the deadline (-ETIMEDOUT). Python:
     * threading._shutdown(). Read docs/05-threads.md#daemon. */
    (void)timeout;
    return -ENOSYS;
}

void
thread_free(struct thread *t)
{
    /* TODO(05-A): lab objects only: detach a STARTED thread (it releases
     * itself at the end); else reap it and release the object. Python: del t.
     * Read docs/05-threads.md#free-detaches. */
    (void)t;
}
