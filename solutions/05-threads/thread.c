/*
 * thread.c - threading.Thread in C: a pthread wrapped in an object with
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
static unsigned long reg_counter;       /* N of the last "Thread-N" */
static unsigned long dummy_counter;     /* N of the last "Dummy-N" */

/* Set up by thread_init() before main(); read-only afterwards. */
static struct thread main_thread;
static pthread_t main_tid;
static pthread_key_t self_key;          /* the calling thread's object */

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* deadline_after - the absolute CLOCK_MONOTONIC time `timeout` seconds
 * from now into *ts.  Returns false (no deadline) for a negative
 * timeout.  Cannot fail. */
static bool
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
static int
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
static int
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
static void
registry_link(struct thread *t)
{
    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    t->reg_next = reg_head;
    reg_head = t;
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
}

/* registry_unlink - forget t and wake thread_shutdown().  Takes reg_mu. */
static void
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
static void
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
static void
run_target(struct thread *self, void *arg)
{
    self->target(arg);
}

static const struct thread_ops target_ops = {
    .run = run_target,
    .free_ctx = NULL,
};

/* thread_alloc - allocate and name a NEW object of kind `kind`.  Returns
 * 0, -ENAMETOOLONG, -ENOMEM or a pthread init error.  Gives *out. */
static int
thread_alloc(struct thread **out, enum thread_kind kind,
             const struct thread_options *opts)
{
    static const struct thread_options defaults = { .name = NULL };
    struct thread *t;
    int err;

    if (opts == NULL)
        opts = &defaults;
    if (opts->name != NULL && strlen(opts->name) >= THREAD_NAME_MAX)
        return -ENAMETOOLONG;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return -ENOMEM;
    err = -pthread_mutex_init(&t->mu, NULL);
    if (err)
        goto out_free;
    err = cond_init_monotonic(&t->ended);
    if (err)
        goto out_destroy_mutex;
    if (opts->name != NULL) {
        snprintf(t->name, sizeof(t->name), "%s", opts->name);
    } else {
        LAB_CHECK(pthread_mutex_lock(&reg_mu));
        snprintf(t->name, sizeof(t->name), "%s-%lu",
                 kind == KIND_DUMMY ? "Dummy" : "Thread",
                 kind == KIND_DUMMY ? ++dummy_counter : ++reg_counter);
        LAB_CHECK(pthread_mutex_unlock(&reg_mu));   /* DOC: 05-threads#names */
    }
    t->daemon = opts->daemon;
    t->kind = kind;
    t->state = THREAD_NEW;
    *out = t;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&t->mu));
out_free:
    free(t);
    return err;
}

int
thread_new(struct thread **out, thread_target *target, void *arg,
           const struct thread_options *opts)
{
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (target == NULL)
        return -EINVAL;
    err = thread_alloc(out, KIND_LAB, opts);
    if (err)
        return err;
    (*out)->ops = &target_ops;
    (*out)->target = target;
    (*out)->ctx = arg;
    return 0;
}

int
thread_new_ops(struct thread **out, const struct thread_ops *ops, void *ctx,
               const struct thread_options *opts)
{
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (ops == NULL || ops->run == NULL)
        return -EINVAL;
    err = thread_alloc(out, KIND_LAB, opts);
    if (err)
        return err;
    (*out)->ops = ops;
    (*out)->ctx = ctx;
    return 0;
}

/* ---- running: start, the thread's own side -------------------------- */

/* finish - the thread's last steps: leave the list, say ENDED, and
 * release the object if it was freed while running.  Cannot fail. */
static void
finish(struct thread *t)
{
    bool detached;

    registry_unlink(t);         /* DOC: 05-threads#unlist-before-ended */
    LAB_CHECK(pthread_mutex_lock(&t->mu));
    t->state = THREAD_ENDED;
    detached = t->detached;
    LAB_CHECK(pthread_cond_broadcast(&t->ended));
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    if (detached)
        object_release(t);
}

/* trampoline - what pthread_create runs: wait until thread_start() has
 * published the object, run it, finish. */
static void *
trampoline(void *arg)
{
    struct thread *t = arg;

    LAB_CHECK(pthread_setspecific(self_key, t));
    LAB_CHECK(pthread_mutex_lock(&t->mu));      /* start() holds it */
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    t->ops->run(t, t->ctx);
    LAB_CHECK(pthread_setspecific(self_key, NULL));
    finish(t);
    return NULL;
}

int
thread_start(struct thread *t)
{
    int err;

    if (t == NULL || t->kind != KIND_LAB)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&t->mu));
    if (t->state != THREAD_NEW) {
        err = -EINVAL;          /* DOC: 05-threads#start-once */
        goto out_unlock;
    }
    err = -pthread_create(&t->tid, NULL, trampoline, t);
    if (err)
        goto out_unlock;
    t->ident = (unsigned long)t->tid;
    t->state = THREAD_STARTED;
    registry_link(t);           /* listed before start() returns */
out_unlock:
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    return err;
}

/* ---- waiting and reaping ------------------------------------------- */

/* reap_locked - after ENDED: pthread_join once (one reaper; the others
 * wait for it).  t->mu held; returns with it held, state JOINED. */
static void
reap_locked(struct thread *t)
{
    while (t->state == THREAD_ENDED) {
        if (t->reaping) {
            LAB_CHECK(pthread_cond_wait(&t->ended, &t->mu));
            continue;
        }
        t->reaping = true;
        LAB_CHECK(pthread_mutex_unlock(&t->mu));
        LAB_CHECK(pthread_join(t->tid, NULL));  /* returns at once */
        LAB_CHECK(pthread_mutex_lock(&t->mu));
        t->reaping = false;
        t->state = THREAD_JOINED;
        LAB_CHECK(pthread_cond_broadcast(&t->ended));
    }
}

/* is_self - is t the calling thread's own object? */
static bool
is_self(const struct thread *t)
{
    return pthread_getspecific(self_key) == t;
}

int
thread_join(struct thread *t, double timeout)
{
    struct timespec deadline;
    bool timed;
    int err = 0;

    if (t == NULL || isnan(timeout) || t->kind != KIND_LAB || is_self(t))
        return -EINVAL;         /* DOC: 05-threads#join-rules */
    timed = deadline_after(timeout, &deadline);
    LAB_CHECK(pthread_mutex_lock(&t->mu));
    if (t->state == THREAD_NEW) {
        err = -EINVAL;
        goto out_unlock;
    }
    while (t->state == THREAD_STARTED && err == 0)  /* DOC: 05-threads#join */
        err = timed_wait(&t->ended, &t->mu, timed, &deadline);
    if (t->state != THREAD_STARTED) {
        err = 0;                /* ended just as the deadline passed */
        reap_locked(t);
    }
out_unlock:
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    return err;
}

bool
thread_is_alive(struct thread *t)
{
    bool alive;

    if (t == NULL)
        return false;
    if (t->kind != KIND_LAB)
        return true;
    LAB_CHECK(pthread_mutex_lock(&t->mu));
    alive = t->state == THREAD_STARTED;
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    return alive;
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
    unsigned long ident;

    if (t == NULL)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&t->mu));
    ident = t->ident;
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    return ident;
}

bool
thread_daemon(const struct thread *t)
{
    return t != NULL && t->daemon;
}

/* ---- the current thread and the list -------------------------------- */

/* make_dummy - the object of a plain pthread, listed until it ends.
 * Returns NULL when out of memory. */
static struct thread *
make_dummy(void)
{
    static const struct thread_options dummy_opts = { .daemon = true };
    struct thread *t;

    if (thread_alloc(&t, KIND_DUMMY, &dummy_opts) != 0)
        return NULL;
    t->tid = pthread_self();
    t->ident = (unsigned long)t->tid;
    t->state = THREAD_STARTED;
    if (pthread_setspecific(self_key, t) != 0) {
        object_release(t);
        return NULL;
    }
    registry_link(t);
    return t;
}

struct thread *
thread_current(void)
{
    struct thread *t = pthread_getspecific(self_key);

    if (t != NULL)
        return t;
    if (pthread_equal(pthread_self(), main_tid))
        return &main_thread;    /* DOC: 05-threads#current */
    return make_dummy();
}

int
thread_enumerate(struct thread_info *out, size_t max, size_t *count)
{
    struct thread *t;
    size_t n = 0;

    if (count == NULL || (out == NULL && max > 0))
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&reg_mu));   /* DOC: 05-threads#enumerate */
    for (t = reg_head; t != NULL; t = t->reg_next) {
        if (n < max) {
            snprintf(out[n].name, sizeof(out[n].name), "%s", t->name);
            out[n].ident = t->ident;
            out[n].daemon = t->daemon;
        }
        n++;
    }
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
    *count = n;
    return 0;
}

/* waits_for_locked - is there a live non-daemon lab thread other than
 * `self`?  reg_mu held. */
static bool
waits_for_locked(const struct thread *self)
{
    const struct thread *t;

    for (t = reg_head; t != NULL; t = t->reg_next) {
        if (t->kind == KIND_LAB && !t->daemon && t != self)
            return true;
    }
    return false;
}

int
thread_shutdown(double timeout)
{
    struct thread *self = pthread_getspecific(self_key);
    struct timespec deadline;
    bool timed;
    int err = 0;

    if (isnan(timeout))
        return -EINVAL;
    timed = deadline_after(timeout, &deadline);
    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    while (waits_for_locked(self) && err == 0)  /* DOC: 05-threads#daemon */
        err = timed_wait(&reg_changed, &reg_mu, timed, &deadline);
    if (!waits_for_locked(self))
        err = 0;
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
    return err;
}

void
thread_free(struct thread *t)
{
    if (t == NULL || t->kind != KIND_LAB)
        return;
    LAB_CHECK(pthread_mutex_lock(&t->mu));
    if (t->state == THREAD_STARTED) {
        /* DOC: 05-threads#free-detaches */
        t->detached = true;
        LAB_CHECK(pthread_detach(t->tid));
        LAB_CHECK(pthread_mutex_unlock(&t->mu));
        return;
    }
    reap_locked(t);
    LAB_CHECK(pthread_mutex_unlock(&t->mu));
    object_release(t);
}
