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

static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* cond_init_monotonic - timed waits on CLOCK_MONOTONIC.  Returns 0 or a
 * positive pthread error. */
static int
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
static struct timespec
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

static void
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
static struct tpool_result *
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
static void
record(struct tjob *job)
{
    struct tpool_result *r = job->res;

    if (!r->is_map) {
        r->status = job->status;
        r->len = job->len;
    } else if (job->status != 0 && job->fail_index < r->fail_index) {
        r->fail_index = job->fail_index;
        r->status = job->status;
    }
    free(job->items);
    free(job);
    if (--r->pending > 0)
        return;
    if (r->cb != NULL)
        r->cb(r->status, r->out, r->is_map ? r->n * r->result_size : r->len,
              r->cb_arg);       /* DOC: 03-pool#callbacks */
    LAB_CHECK(pthread_mutex_lock(&res_mu));
    r->ready = true;
    LAB_CHECK(pthread_cond_broadcast(&res_cv));
    LAB_CHECK(pthread_mutex_unlock(&res_mu));
    result_unref(r);
}

/* ---- threads --------------------------------------------------------- */

/* run_job - run every item of job, writing into its result's slots.
 * The worker thread that took it, no lock held. */
static void
run_job(struct tjob *job)
{
    struct tpool_result *r = job->res;

    job->status = 0;
    job->fail_index = SIZE_MAX;
    for (size_t i = 0; i < job->count; i++) {
        size_t len = 0;
        unsigned char *slot = r->out + (r->is_map ? (job->first + i) *
                                        r->result_size : 0);
        int st = job->fn(job->items + i * job->item_size, job->item_size,
                         slot, r->result_size, &len);

        if (len > r->result_size)
            st = -EMSGSIZE;
        if (st != 0 && job->fail_index == SIZE_MAX) {
            job->status = st;
            job->fail_index = job->first + i;
        }
        job->len = len;
    }
}

/* finish_locked - put job on the finished list.  mu held. */
static void
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

static void *
worker_main(void *arg)
{
    struct tpool *p = arg;

    if (p->init != NULL)
        p->init(p->initarg);
    LAB_CHECK(pthread_mutex_lock(&p->mu));
    for (;;) {
        struct tjob *job;

        while (p->head == NULL && p->state == TPOOL_RUNNING)
            LAB_CHECK(pthread_cond_wait(&p->work, &p->mu));
        if (p->head == NULL || p->state == TPOOL_TERMINATED)
            break;
        job = p->head;
        p->head = job->next;
        if (p->head == NULL)
            p->tail = NULL;
        LAB_CHECK(pthread_mutex_unlock(&p->mu));
        run_job(job);
        LAB_CHECK(pthread_mutex_lock(&p->mu));
        finish_locked(p, job);
    }
    p->running--;
    LAB_CHECK(pthread_cond_signal(&p->finished));
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    return NULL;
}

/* handler_main - the result thread: record finished jobs until every
 * worker has exited and nothing is left. */
static void *
handler_main(void *arg)
{
    struct tpool *p = arg;

    LAB_CHECK(pthread_mutex_lock(&p->mu));
    for (;;) {
        struct tjob *job;

        while (p->done_head == NULL && p->running > 0)
            LAB_CHECK(pthread_cond_wait(&p->finished, &p->mu));
        if (p->done_head == NULL)
            break;
        job = p->done_head;
        p->done_head = job->next;
        if (p->done_head == NULL)
            p->done_tail = NULL;
        LAB_CHECK(pthread_mutex_unlock(&p->mu));
        record(job);
        LAB_CHECK(pthread_mutex_lock(&p->mu));
    }
    p->exited = true;
    LAB_CHECK(pthread_cond_broadcast(&p->exited_cv));
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    return NULL;
}

/* ---- making and ending ----------------------------------------------- */

static int
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

static void
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
static void
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
static int
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
    struct tpool *p = NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int n = opts != NULL ? opts->processes : 0;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (n < 0)
        return -EINVAL;
    if (n == 0)
        n = cpus > 0 ? (int)cpus : 1;
    err = tpool_alloc(&p, n, opts);
    if (err)
        return err;
    err = start_threads(p);
    if (err) {
        tpool_release(p);
        return err;
    }
    *out = p;
    return 0;
}

int
tpool_processes(const struct tpool *p)
{
    return p == NULL ? 0 : p->nthreads;
}

/* ---- submitting -------------------------------------------------------- */

static struct tjob *
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

static void
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
static int
submit(struct tpool *p, struct tpool_result *r, struct tjob *first,
       struct tjob *last, struct tpool_result **out)
{
    int err = 0;

    LAB_CHECK(pthread_mutex_lock(&p->mu));
    if (p->state != TPOOL_RUNNING) {
        err = -EINVAL;
    } else {
        if (p->tail != NULL)
            p->tail->next = first;
        else
            p->head = first;
        p->tail = last;
        LAB_CHECK(pthread_cond_broadcast(&p->work));
    }
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    if (err) {
        free_tjobs(first);
        r->refs = 1;
        result_unref(r);
        return err;
    }
    *out = r;
    return 0;
}

int
tpool_apply_async(struct tpool *p, pool_func *fn, const void *arg,
                  size_t arg_len, pool_callback *cb, void *cb_arg,
                  struct tpool_result **out)
{
    struct tpool_result *r;
    struct tjob *job;

    if (out != NULL)
        *out = NULL;
    if (p == NULL || fn == NULL || out == NULL ||
        (arg == NULL && arg_len > 0) || arg_len > POOL_ARG_MAX)
        return -EINVAL;
    r = result_new(cb, cb_arg);
    if (r == NULL)
        return -ENOMEM;
    r->result_size = POOL_RESULT_MAX;
    r->out = malloc(POOL_RESULT_MAX);
    job = r->out != NULL ? tjob_new(r, fn, arg, arg_len, 0, 1) : NULL;
    if (job == NULL) {
        r->refs = 1;
        result_unref(r);
        return -ENOMEM;
    }
    r->pending = 1;
    return submit(p, r, job, job, out);
}

/* map_tjobs - one job per chunk (one empty job for n == 0).  Returns 0
 * or -ENOMEM (nothing left). */
static int
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
    struct tpool_result *r;
    struct tjob *first;
    struct tjob *last;

    if (out != NULL)
        *out = NULL;
    if (p == NULL || fn == NULL || out == NULL ||
        (n > 0 && (items == NULL || results == NULL)) ||
        item_size > POOL_ARG_MAX || result_size == 0 ||
        result_size > POOL_RESULT_MAX)
        return -EINVAL;
    r = result_new(cb, cb_arg);
    if (r == NULL)
        return -ENOMEM;
    r->is_map = true;
    r->out = results;
    r->result_size = result_size;
    r->n = n;
    if (chunksize == 0) {
        size_t per = (size_t)p->nthreads * 4;
        chunksize = n > 0 ? (n + per - 1) / per : 1;
    }
    if (map_tjobs(r, fn, items, item_size, chunksize, &first, &last)) {
        r->refs = 1;
        result_unref(r);
        return -ENOMEM;
    }
    return submit(p, r, first, last, out);
}

int
tpool_apply(struct tpool *p, pool_func *fn, const void *arg, size_t arg_len,
            void *out, size_t out_cap, size_t *out_len)
{
    struct tpool_result *r;
    int err = tpool_apply_async(p, fn, arg, arg_len, NULL, NULL, &r);

    if (err)
        return err;
    err = tpool_result_get(r, out, out_cap, out_len, LAB_FOREVER);
    tpool_result_free(r);
    return err;
}

int
tpool_map(struct tpool *p, pool_func *fn, const void *items,
          size_t item_size, size_t n, void *results, size_t result_size,
          size_t chunksize)
{
    struct tpool_result *r;
    int err = tpool_map_async(p, fn, items, item_size, n, results,
                              result_size, chunksize, NULL, NULL, &r);

    if (err)
        return err;
    err = tpool_result_get(r, NULL, 0, NULL, LAB_FOREVER);
    tpool_result_free(r);
    return err;
}

/* ---- results ----------------------------------------------------------- */

bool
tpool_result_ready(struct tpool_result *r)
{
    bool ready;

    if (r == NULL)
        return false;
    LAB_CHECK(pthread_mutex_lock(&res_mu));
    ready = r->ready;
    LAB_CHECK(pthread_mutex_unlock(&res_mu));
    return ready;
}

int
tpool_result_wait(struct tpool_result *r, double timeout)
{
    struct timespec deadline;
    int err = 0;

    if (r == NULL || isnan(timeout))
        return -EINVAL;
    if (timeout >= 0)
        deadline = deadline_ts(timeout);
    LAB_CHECK(pthread_mutex_lock(&res_mu));
    while (!r->ready && err == 0) {
        if (timeout < 0)
            LAB_CHECK(pthread_cond_wait(&res_cv, &res_mu));
        else
            err = pthread_cond_timedwait(&res_cv, &res_mu, &deadline);
    }
    err = r->ready ? 0 : -ETIMEDOUT;
    LAB_CHECK(pthread_mutex_unlock(&res_mu));
    return err;
}

int
tpool_result_get(struct tpool_result *r, void *out, size_t out_cap,
                 size_t *out_len, double timeout)
{
    int err = tpool_result_wait(r, timeout);

    if (err)
        return err;
    if (r->is_map || r->status != 0) {
        if (out_len != NULL)
            *out_len = 0;
        return r->status;
    }
    if (r->len > out_cap || (out == NULL && r->len > 0))
        return -EMSGSIZE;
    if (r->len > 0)
        memcpy(out, r->out, r->len);
    if (out_len != NULL)
        *out_len = r->len;
    return 0;
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
static void
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

static int
set_state(struct tpool *p, enum tpool_state to)
{
    int err = 0;

    if (p == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&p->mu));
    if (to == TPOOL_CLOSED && p->state == TPOOL_TERMINATED)
        err = -EINVAL;
    else if (p->state < to)
        p->state = to;
    if (err == 0 && to == TPOOL_TERMINATED)
        cancel_queue_locked(p);
    LAB_CHECK(pthread_cond_broadcast(&p->work));
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    return err;
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
    bool first;

    if (p == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&p->mu));
    if (p->state == TPOOL_RUNNING) {
        LAB_CHECK(pthread_mutex_unlock(&p->mu));
        return -EINVAL;
    }
    while (!p->exited)
        LAB_CHECK(pthread_cond_wait(&p->exited_cv, &p->mu));
    first = !p->joined;
    p->joined = true;
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    if (!first)
        return 0;
    for (int i = 0; i < p->nthreads; i++)
        LAB_CHECK(pthread_join(p->threads[i], NULL));
    LAB_CHECK(pthread_join(p->handler, NULL));
    return 0;
}

void
tpool_free(struct tpool *p)
{
    if (p == NULL)
        return;
    (void)tpool_terminate(p);
    (void)tpool_join(p);
    tpool_release(p);
}
