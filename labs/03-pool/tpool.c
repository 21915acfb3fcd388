/*
 * tpool.c - ThreadPool in C: worker threads take jobs from one queue,
 * one result thread runs the callbacks and marks results ready.
 *
 * DESIGN
 *
 * One mutex, `mu`, guards the queue of jobs, the list of finished jobs
 * and the pool's state.  A worker takes a job under mu, runs it without
 * the lock (writing only into that job and its own result slots), then
 * puts it on the finished list.  The result thread alone turns finished
 * jobs into outcomes (status, lowest failing index), runs the callback
 * and marks the result ready, as pool.c's collector does: so callbacks
 * never run at the same time, and each has finished before get()
 * returns.  Lock order: pool mu, then a result's mu.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tpool.h"

#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

enum tpool_state {
    TPOOL_RUNNING,
    TPOOL_CLOSED,
    TPOOL_TERMINATED,
};

/* A job: a whole apply, or one chunk of a map. */
struct tjob {
    struct tjob *next;          /* queue or finished-list link (pool mu) */
    struct tpool_result *res;
    pool_func *fn;
    unsigned char *items;       /* copied arguments */
    size_t item_size;
    size_t first;
    size_t count;
    /* Written by the one worker that runs it, read by the result thread
     * after it took the job off the finished list (mu orders them). */
    int status;                 /* lowest failing item's status */
    size_t fail_index;
    size_t len;                 /* apply: result bytes */
};

struct tpool_result {
    /* Set when made, read-only afterwards. */
    bool is_map;
    pool_callback *cb;
    void *cb_arg;
    unsigned char *out;         /* map: the caller's array; apply: ours */
    size_t result_size;         /* bytes per item (apply: POOL_RESULT_MAX) */
    size_t n;

    /* The result thread's alone before `ready`; read-only after. */
    size_t pending;
    size_t fail_index;
    int status;
    size_t len;

    /* res_mu guards: */
    bool ready;
    int refs;                   /* the caller's handle + the pool's */
};

/*
 * One lock and one condition variable for every result, made before
 * main() and never destroyed: a result may outlive its pool, and a
 * per-result mutex would have to be destroyed by whichever thread drops
 * the last reference, right after another thread unlocked it (legal, but
 * Helgrind cannot order glibc's last write inside that unlock).  Waiters
 * re-check their own result's `ready` after every broadcast.
 */
static pthread_mutex_t res_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t res_cv;

struct tpool {
    /* Set by tpool_new, read-only afterwards. */
    int nthreads;
    pool_initializer *init;
    void *initarg;
    pthread_t *threads;
    pthread_t handler;

    /* mu guards the fields below. */
    pthread_mutex_t mu;
    pthread_cond_t work;        /* workers: a job or a state change */
    pthread_cond_t finished;    /* result thread: a job done, or exits */
    pthread_cond_t exited_cv;   /* joiners: the result thread ended */
    enum tpool_state state;
    struct tjob *head;          /* queued */
    struct tjob *tail;
    struct tjob *done_head;     /* finished, outcome not yet recorded */
    struct tjob *done_tail;
    int running;                /* worker threads not yet exited */
    bool exited;
    bool joined;
};

__attribute__((unused)) static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* cond_init_monotonic - timed waits on CLOCK_MONOTONIC.  Returns 0 or a
 * positive pthread error. */
__attribute__((unused)) static int
cond_init_monotonic(pthread_cond_t *cv)
{
    pthread_condattr_t attr;
    int err = pthread_condattr_init(&attr);

    if (err)
        return err;
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (err == 0)
        err = pthread_cond_init(cv, &attr);
    pthread_condattr_destroy(&attr);
    return err;
}

/* results_init - make res_cv (monotonic clock) before main() runs.
 * Aborts only if the system cannot make a condition variable. */
__attribute__((constructor)) static void
results_init(void)
{
    LAB_CHECK(cond_init_monotonic(&res_cv));
}

/* deadline_ts - CLOCK_MONOTONIC now + timeout.  Cannot fail. */
__attribute__((unused)) static struct timespec
deadline_ts(double timeout)
{
    struct timespec ts;
    double whole = (double)(time_t)timeout;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)whole;
    ts.tv_nsec += (long)((timeout - whole) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* ---- results ----------------------------------------------------------- */

__attribute__((unused)) static void
result_unref(struct tpool_result *r)
{
    int left;

    LAB_CHECK(pthread_mutex_lock(&res_mu));
    left = --r->refs;
    LAB_CHECK(pthread_mutex_unlock(&res_mu));
    if (left > 0)
        return;
    if (!r->is_map)
        free(r->out);
    free(r);
}

/* result_new - two references (caller + pool).  NULL when out of memory. */
__attribute__((unused)) static struct tpool_result *
result_new(pool_callback *cb, void *cb_arg)
{
    struct tpool_result *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->cb = cb;
    r->cb_arg = cb_arg;
    r->refs = 2;
    r->fail_index = SIZE_MAX;
    return r;
}

/* record - fold a finished job into its result; the last one runs the
 * callback and marks the result ready.  Result thread only, no lock. */
__attribute__((unused)) static void
record(struct tjob *job)
{
    /* TODO(03-F): fold a finished job into its result; after the last:
     * callback, then ready under res_mu. Read docs/03-pool.md#thread-pool */
    (void)job;
}

/* ---- threads --------------------------------------------------------- */

/* run_job - run every item of job, writing into its result's slots.
 * The worker thread that took it, no lock held. */
__attribute__((unused)) static void
run_job(struct tjob *job)
{
    /* TODO(03-F): run every item of the job into its result slots; keep the
     * lowest failing status. Read docs/03-pool.md#thread-pool */
    (void)job;
}

/* finish_locked - put job on the finished list.  mu held. */
__attribute__((unused)) static void
finish_locked(struct tpool *p, struct tjob *job)
{
    job->next = NULL;
    if (p->done_tail != NULL)
        p->done_tail->next = job;
    else
        p->done_head = job;
    p->done_tail = job;
    LAB_CHECK(pthread_cond_signal(&p->finished));
}

__attribute__((unused)) static void *
worker_main(void *arg)
{
    /* TODO(03-F): initializer, then take jobs under mu until closed-and-empty
     * or terminated; run without the lock; finish_locked. Python: ThreadPool
     * worker. Read docs/03-pool.md#thread-pool */
    (void)arg;
    return NULL;
}

/* handler_main - the result thread: record finished jobs until every
 * worker has exited and nothing is left. */
__attribute__((unused)) static void *
handler_main(void *arg)
{
    /* TODO(03-F): the one result thread: record finished jobs until every
     * worker exited and none is left; then `exited`. Read
     * docs/03-pool.md#callbacks */
    (void)arg;
    return NULL;
}

/* ---- making and ending ----------------------------------------------- */

__attribute__((unused)) static int
tpool_alloc(struct tpool **out, int n, const struct pool_options *opts)
{
    struct tpool *p = calloc(1, sizeof(*p));
    int err = -ENOMEM;

    if (p == NULL)
        return -ENOMEM;
    p->threads = calloc((size_t)n, sizeof(*p->threads));
    if (p->threads == NULL)
        goto out_free;
    err = -pthread_mutex_init(&p->mu, NULL);
    if (err)
        goto out_free;
    err = -pthread_cond_init(&p->work, NULL);
    if (err)
        goto out_destroy_mutex;
    err = -pthread_cond_init(&p->finished, NULL);
    if (err)
        goto out_destroy_work;
    err = -pthread_cond_init(&p->exited_cv, NULL);
    if (err)
        goto out_destroy_finished;
    p->nthreads = n;
    p->init = opts != NULL ? opts->initializer : NULL;
    p->initarg = opts != NULL ? opts->initarg : NULL;
    *out = p;
    return 0;

out_destroy_finished:
    LAB_CHECK(pthread_cond_destroy(&p->finished));
out_destroy_work:
    LAB_CHECK(pthread_cond_destroy(&p->work));
out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&p->mu));
out_free:
    free(p->threads);
    free(p);
    return err;
}

__attribute__((unused)) static void
tpool_release(struct tpool *p)
{
    LAB_CHECK(pthread_cond_destroy(&p->exited_cv));
    LAB_CHECK(pthread_cond_destroy(&p->finished));
    LAB_CHECK(pthread_cond_destroy(&p->work));
    LAB_CHECK(pthread_mutex_destroy(&p->mu));
    free(p->threads);
    free(p);
}

/* stop_started - end the first `started` workers of a pool whose start
 * failed. */
__attribute__((unused)) static void
stop_started(struct tpool *p, int started)
{
    LAB_CHECK(pthread_mutex_lock(&p->mu));
    p->state = TPOOL_TERMINATED;
    LAB_CHECK(pthread_cond_broadcast(&p->work));
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    for (int j = 0; j < started; j++)
        LAB_CHECK(pthread_join(p->threads[j], NULL));
}

/* start_threads - the workers, then the result thread.  On failure every
 * thread started is stopped and joined.  Returns 0 or -errno. */
__attribute__((unused)) static int
start_threads(struct tpool *p)
{
    int started = 0;
    int err = 0;

    while (started < p->nthreads && err == 0) {
        LAB_CHECK(pthread_mutex_lock(&p->mu));
        p->running++;           /* counted before it can exit */
        LAB_CHECK(pthread_mutex_unlock(&p->mu));
        err = -pthread_create(&p->threads[started], NULL, worker_main, p);
        if (err == 0)
            started++;
    }
    if (err == 0)
        err = -pthread_create(&p->handler, NULL, handler_main, p);
    if (err)
        stop_started(p, started);
    return err;
}

int
tpool_new(struct tpool **out, const struct pool_options *opts)
{
    /* TODO(03-F): check opts (0: CPU count), tpool_alloc, start_threads.
     * Python: ThreadPool(processes). Read docs/03-pool.md#thread-pool */
    if (out != NULL)
        *out = NULL;
    (void)out;
    (void)opts;
    return -ENOSYS;
}

int
tpool_processes(const struct tpool *p)
{
    /* TODO(03-F): the number of worker threads. Read
     * docs/03-pool.md#thread-pool */
    (void)p;
    return -ENOSYS;
}

/* ---- submitting -------------------------------------------------------- */

__attribute__((unused)) static struct tjob *
tjob_new(struct tpool_result *r, pool_func *fn, const void *items,
         size_t item_size, size_t first, size_t count)
{
    struct tjob *job = calloc(1, sizeof(*job));

    if (job == NULL)
        return NULL;
    job->items = malloc(count * item_size + 1);
    if (job->items == NULL) {
        free(job);
        return NULL;
    }
    if (count * item_size > 0)
        memcpy(job->items, (const unsigned char *)items + first * item_size,
               count * item_size);
    job->res = r;
    job->fn = fn;
    job->item_size = item_size;
    job->first = first;
    job->count = count;
    return job;
}

__attribute__((unused)) static void
free_tjobs(struct tjob *list)
{
    while (list != NULL) {
        struct tjob *next = list->next;

        free(list->items);
        free(list);
        list = next;
    }
}

/* submit - queue r's jobs if the pool runs; on error free everything.
 * Returns 0 or -EINVAL. */
__attribute__((unused)) static int
submit(struct tpool *p, struct tpool_result *r, struct tjob *first,
       struct tjob *last, struct tpool_result **out)
{
    /* TODO(03-F): queue the jobs under mu if RUNNING and broadcast `work`;
     * else free everything and return -EINVAL. Read
     * docs/03-pool.md#thread-pool */
    (void)p;
    (void)r;
    (void)first;
    (void)last;
    (void)out;
    return -ENOSYS;
}

int
tpool_apply_async(struct tpool *p, pool_func *fn, const void *arg,
                  size_t arg_len, pool_callback *cb, void *cb_arg,
                  struct tpool_result **out)
{
    /* TODO(03-F): validate, result with its own result buffer, one job,
     * submit. Python: ThreadPool.apply_async. Read docs/03-pool.md#thread-pool
     * */
    (void)p;
    (void)fn;
    (void)arg;
    (void)arg_len;
    (void)cb;
    (void)cb_arg;
    (void)out;
    return -ENOSYS;
}

/* map_tjobs - one job per chunk (one empty job for n == 0).  Returns 0
 * or -ENOMEM (nothing left). */
__attribute__((unused)) static int
map_tjobs(struct tpool_result *r, pool_func *fn, const void *items,
          size_t item_size, size_t chunk, struct tjob **first,
          struct tjob **last)
{
    size_t i = 0;

    *first = *last = NULL;
    do {
        size_t count = r->n - i < chunk ? r->n - i : chunk;
        struct tjob *job = tjob_new(r, fn, items, item_size, i, count);

        if (job == NULL) {
            free_tjobs(*first);
            return -ENOMEM;
        }
        if (*last != NULL)
            (*last)->next = job;
        else
            *first = job;
        *last = job;
        r->pending++;
        i += count;
    } while (i < r->n);
    return 0;
}

int
tpool_map_async(struct tpool *p, pool_func *fn, const void *items,
                size_t item_size, size_t n, void *results,
                size_t result_size, size_t chunksize, pool_callback *cb,
                void *cb_arg, struct tpool_result **out)
{
    /* TODO(03-F): validate, map result over the caller's array, chunks,
     * submit. Python: ThreadPool.map_async. Read docs/03-pool.md#thread-pool
     * */
    (void)p;
    (void)fn;
    (void)items;
    (void)item_size;
    (void)n;
    (void)results;
    (void)result_size;
    (void)chunksize;
    (void)cb;
    (void)cb_arg;
    (void)out;
    return -ENOSYS;
}

int
tpool_apply(struct tpool *p, pool_func *fn, const void *arg, size_t arg_len,
            void *out, size_t out_cap, size_t *out_len)
{
    /* TODO(03-F): apply_async + get + free. Read docs/03-pool.md#thread-pool
     * */
    (void)p;
    (void)fn;
    (void)arg;
    (void)arg_len;
    (void)out;
    (void)out_cap;
    (void)out_len;
    return -ENOSYS;
}

int
tpool_map(struct tpool *p, pool_func *fn, const void *items,
          size_t item_size, size_t n, void *results, size_t result_size,
          size_t chunksize)
{
    /* TODO(03-F): map_async + get + free. Read docs/03-pool.md#thread-pool */
    (void)p;
    (void)fn;
    (void)items;
    (void)item_size;
    (void)n;
    (void)results;
    (void)result_size;
    (void)chunksize;
    return -ENOSYS;
}

/* ---- results ----------------------------------------------------------- */

bool
tpool_result_ready(struct tpool_result *r)
{
    /* TODO(03-F): as pool_result_ready. Read docs/03-pool.md#get-timeout */
    (void)r;
    return false;
}

int
tpool_result_wait(struct tpool_result *r, double timeout)
{
    /* TODO(03-F): as pool_result_wait. Read docs/03-pool.md#get-timeout */
    (void)r;
    (void)timeout;
    return -ENOSYS;
}

int
tpool_result_get(struct tpool_result *r, void *out, size_t out_cap,
                 size_t *out_len, double timeout)
{
    /* TODO(03-F): as pool_result_get. Read docs/03-pool.md#get-timeout */
    (void)r;
    (void)out;
    (void)out_cap;
    (void)out_len;
    (void)timeout;
    return -ENOSYS;
}

void
tpool_result_free(struct tpool_result *r)
{
    if (r != NULL)
        result_unref(r);
}

/* ---- close, terminate, join, free ----------------------------------- */

/* cancel_queue_locked - every queued job goes to the finished list as
 * cancelled.  mu held. */
__attribute__((unused)) static void
cancel_queue_locked(struct tpool *p)
{
    while (p->head != NULL) {
        struct tjob *job = p->head;

        p->head = job->next;
        job->status = -ECANCELED;
        job->fail_index = job->first;
        job->len = 0;
        finish_locked(p, job);
    }
    p->tail = NULL;
}

__attribute__((unused)) static int
set_state(struct tpool *p, enum tpool_state to)
{
    /* TODO(03-F): state change under mu; terminate cancels the queue
     * (cancel_queue_locked); broadcast `work`. Read docs/03-pool.md#terminate
     * */
    (void)p;
    (void)to;
    return -ENOSYS;
}

int
tpool_close(struct tpool *p)
{
    return set_state(p, TPOOL_CLOSED);
}

int
tpool_terminate(struct tpool *p)
{
    return set_state(p, TPOOL_TERMINATED);
}

int
tpool_join(struct tpool *p)
{
    /* TODO(03-F): -EINVAL while RUNNING; wait for `exited`; the first joiner
     * joins every thread. Read docs/03-pool.md#close-join */
    (void)p;
    return -ENOSYS;
}

void
tpool_free(struct tpool *p)
{
    /* TODO(03-F): terminate, join, release; NULL is a no-op. Read
     * docs/03-pool.md#free */
    (void)p;
}
