/*
 * pool.c - multiprocessing.Pool in C: forked workers fed over sockets,
 * one result thread in the parent, results that never hang.
 *
 * DESIGN
 *
 * Each worker is a forked child with one end of a socketpair; the parent
 * keeps the other.  A task travels as one message: a header (the function
 * pointer, valid in the child because fork copied the program, and the
 * item count and sizes) followed by the items.  The reply is one record
 * per item: status, length, bytes.
 *
 * One thread, the collector, owns the workers: it alone forks
 * replacements, sends tasks, reads replies, reaps, and runs callbacks.
 * Callers only touch the queue of jobs under `mu`, then wake the
 * collector through a pipe (the pipe carries no data: everything it
 * announces is read under `mu`).  Because one thread runs every
 * callback, callbacks never run at the same time as each other; each
 * runs before its result is marked ready, so when get() returns the
 * callback has finished (Python's POOL-06).
 *
 * A worker that dies shows up as EOF on its socket: the collector reaps
 * it, fails its job's items with -ECHILD and forks a replacement.  So no
 * caller waits forever for a task that will never come back.
 *
 * Worker forks are serialised by fork_mu, so a socket end meant for one
 * worker is never inherited by another.  Lock order: pool mu, then a
 * result's mu; fork_mu is never held with either.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

enum pool_state {
    POOL_RUNNING,               /* accepts tasks */
    POOL_CLOSED,                /* finishes the queue, then stops */
    POOL_TERMINATED,            /* kills the workers now */
};

/* Parent -> worker: the head of a task message; the items follow. */
struct task_head {
    pool_func *fn;              /* valid in the child: fork copied us */
    uint32_t count;             /* items in this chunk */
    uint32_t item_size;         /* bytes per item */
    uint32_t result_cap;        /* room for each item's result */
};

/* How many jobs one worker may hold when the queue is longer than the
 * pool (a backlog): sending ahead saves a round trip per task. */
#define POOL_PIPELINE 8

/* Worker -> parent: a reply starts with its length in bytes (uint32_t);
 * then one reply_head per item, each followed by `len` result bytes. */
struct reply_head {
    int32_t status;
    uint32_t len;
};

/* One message's worth of work: a whole apply, or one chunk of a map. */
struct job {
    struct job *next;           /* queue link (pool mu) */
    struct pool_result *res;
    size_t first;               /* index of its first item in res */
    size_t count;
    unsigned char *msg;         /* task_head + items, sent as is */
    size_t msg_len;
};

/* A worker slot.  Jobs given to it wait in a FIFO: the first is the one
 * it is running, `unsent` the first not yet written to its socket. */
struct worker {
    pid_t pid;                  /* 0: empty slot */
    int fd;                     /* the parent's end of the socketpair */
    struct job *first;          /* given to it, oldest first */
    struct job *last;
    struct job *unsent;
    int inflight;               /* jobs in the FIFO */
};

struct pool_result {
    /* Set when made, read-only afterwards. */
    bool is_map;
    pool_callback *cb;
    void *cb_arg;
    unsigned char *results;     /* map: the caller's array */
    size_t result_size;         /* map: bytes per item */
    size_t n;                   /* map: items */

    /* Written by the collector only, before `ready`; read by others only
     * after they saw `ready` under mu. */
    size_t pending;             /* jobs not yet back */
    size_t fail_index;          /* map: lowest failing item so far */
    int status;
    unsigned char *data;        /* apply: the result (malloc) */
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

struct pool {
    /* Set by pool_new(), read-only afterwards. */
    int nworkers;
    pool_initializer *init;
    void *initarg;
    int wake[2];                /* callers -> collector: "look at mu" */
    pthread_t collector;

    /* The collector's alone (pool_new before it starts, pool_free after
     * it is joined). */
    struct worker *workers;

    /* mu guards the fields below. */
    pthread_mutex_t mu;
    pthread_cond_t exited_cv;   /* broadcast when the collector ends */
    enum pool_state state;
    struct job *head;           /* queued, not yet given to a worker */
    struct job *tail;
    size_t queued;              /* jobs in that queue */
    bool exited;
    bool joined;
};

/* Serialises socketpair + fork + close across every pool. */
__attribute__((unused))
static pthread_mutex_t fork_mu = PTHREAD_MUTEX_INITIALIZER;

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
__attribute__((unused)) static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* ---- small tools: time and whole reads and writes -------------------- */

/* deadline_ts - the CLOCK_MONOTONIC time `timeout` seconds from now.
 * Cannot fail. */
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

/* cond_init_monotonic - a condition variable whose timed waits use
 * CLOCK_MONOTONIC.  Returns 0 or a positive pthread error. */
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

/* read_all - read exactly len bytes.  Returns 0, -EPIPE at EOF (the
 * peer is gone), or -errno. */
__attribute__((unused)) static int
read_all(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EPIPE;
        got += (size_t)n;
    }
    return 0;
}

/* send_all - send all len bytes on a socket, without SIGPIPE.  Returns 0
 * or -errno (-EPIPE: the peer is gone). */
__attribute__((unused)) static int
send_all(int fd, const void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = send(fd, (const char *)buf + done, len - done,
                         MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        done += (size_t)n;
    }
    return 0;
}

/* wake_collector - make the collector's poll() return.  Cannot fail: a
 * full pipe already holds a wake-up. */
__attribute__((unused)) static void
wake_collector(struct pool *p)
{
    ssize_t n;

    do
        n = write(p->wake[1], "w", 1);
    while (n < 0 && errno == EINTR);
}

/* ---- the worker: runs in the child --------------------------------- */

/* run_items - run fn over `count` items; build the reply in *out.
 * Returns 0 or -ENOMEM.  Gives *out. */
__attribute__((unused)) static int
run_items(const struct task_head *h, const unsigned char *items,
          unsigned char **out, size_t *out_len)
{
    size_t rec = sizeof(struct reply_head) + h->result_cap;
    unsigned char *buf = malloc(sizeof(uint32_t) + h->count * rec);
    size_t used = sizeof(uint32_t);
    uint32_t total;

    if (buf == NULL)
        return -ENOMEM;
    for (uint32_t i = 0; i < h->count; i++) {
        struct reply_head rh;
        size_t len = 0;
        unsigned char *data = buf + used + sizeof(rh);

        rh.status = h->fn(items + (size_t)i * h->item_size, h->item_size,
                          data, h->result_cap, &len);
        if (len > h->result_cap) {
            len = 0;
            rh.status = -EMSGSIZE;
        }
        rh.len = (uint32_t)len;
        memcpy(buf + used, &rh, sizeof(rh));
        used += sizeof(rh) + len;
    }
    total = (uint32_t)(used - sizeof(total));
    memcpy(buf, &total, sizeof(total));
    *out = buf;
    *out_len = used;
    return 0;
}

/* serve_one - read one task from fd, run it, send the reply.  Returns 0,
 * or -EPIPE when the parent said "no more" (EOF), or another -errno. */
__attribute__((unused)) static int
serve_one(int fd)
{
    /* TODO(03-A): read one task (head, then items), run it with run_items,
     * send the reply; -EPIPE at EOF. Python: the worker loop of Pool. Read
     * docs/03-pool.md#workers */
    (void)fd;
    return -ENOSYS;
}

/*
 * worker_main - the child's life: drop the other workers' sockets, run
 * the initializer, then serve tasks until EOF.  Does not return.
 */
__attribute__((unused)) static void
worker_main(struct pool *p, int self, int fd)
{
    /* TODO(03-A): in the child: close the sockets that are not ours, run the
     * initializer, serve tasks until EOF, then _exit. Python:
     * multiprocessing.pool.worker. Read docs/03-pool.md#initializer */
    (void)p;
    (void)self;
    (void)fd;
    _exit(0);
}

/* ---- the parent's side of a worker --------------------------------- */

/*
 * spawn_worker - fork worker slot `i` with its own socketpair.  Called by
 * pool_new before the collector starts, then by the collector only.
 * Returns 0 or -errno (the slot stays empty, nothing is left open).
 */
__attribute__((unused)) static int
spawn_worker(struct pool *p, int i)
{
    /* TODO(03-A): under fork_mu: socketpair, fork; the child runs worker_main,
     * the parent keeps sv[0] in slot i. Python: Pool._repopulate_pool. Read
     * docs/03-pool.md#workers */
    (void)p;
    (void)i;
    return -ENOSYS;
}

/* reap_worker - close slot i's socket and wait for its process.  Returns
 * nothing; the slot is empty afterwards. */
__attribute__((unused)) static void
reap_worker(struct pool *p, int i)
{
    int status;

    close(p->workers[i].fd);
    while (waitpid(p->workers[i].pid, &status, 0) < 0 && errno == EINTR)
        continue;
    p->workers[i].pid = 0;
    p->workers[i].fd = -1;
}

/* ---- results --------------------------------------------------------- */

/* result_new - a result with two references (caller + pool).  Returns
 * NULL when out of memory. */
__attribute__((unused)) static struct pool_result *
result_new(pool_callback *cb, void *cb_arg)
{
    struct pool_result *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->cb = cb;
    r->cb_arg = cb_arg;
    r->refs = 2;
    r->fail_index = SIZE_MAX;
    return r;
}

/* result_unref - drop one reference; the last one frees r. */
__attribute__((unused)) static void
result_unref(struct pool_result *r)
{
    int left;

    LAB_CHECK(pthread_mutex_lock(&res_mu));
    left = --r->refs;
    LAB_CHECK(pthread_mutex_unlock(&res_mu));
    if (left > 0)
        return;
    free(r->data);
    free(r);
}

/*
 * result_finish - the last job of r is back: run the callback, then mark
 * r ready and drop the pool's reference.  Collector thread only; no lock
 * held (the callback is user code, R22).
 */
__attribute__((unused)) static void
result_finish(struct pool_result *r)
{
    /* TODO(03-B): run the callback first, then mark the result ready under
     * res_mu and broadcast, then drop the pool reference. Python:
     * ApplyResult._set. Read docs/03-pool.md#callbacks */
    (void)r;
}

/* item_done - record item `index`'s outcome in r.  Collector only. */
__attribute__((unused)) static void
item_done(struct pool_result *r, size_t index, int status,
          const unsigned char *data, size_t len)
{
    /* TODO(03-C): record one item: an apply keeps its bytes and status; a map
     * writes results[index] and keeps the lowest failing index. Python:
     * MapResult._set. Read docs/03-pool.md#order */
    (void)r;
    (void)index;
    (void)status;
    (void)data;
    (void)len;
}

/* job_fail - every item of job ends with `status`; free the job and
 * finish its result if it was the last.  Collector only. */
__attribute__((unused)) static void
job_fail(struct job *job, int status)
{
    /* TODO(03-E): every item of the job gets `status`; free the job; finish
     * the result if it was its last job. Read docs/03-pool.md#crash */
    (void)job;
    (void)status;
}

/*
 * job_collect - read one reply from fd into job's result, then free the
 * job and finish the result if it was the last.  Returns 0, or -errno if
 * the worker is gone or broke the protocol (the job is then untouched).
 */
__attribute__((unused)) static int
job_collect(struct job *job, int fd)
{
    /* TODO(03-B): read one reply (total length, then a reply_head + bytes per
     * item) into the job's result; free the job; finish the result if last.
     * Read docs/03-pool.md#apply-async */
    (void)job;
    (void)fd;
    return -ENOSYS;
}

/* ---- the collector thread ------------------------------------------ */

/* fifo_pop - take the oldest job off worker w.  Collector only. */
__attribute__((unused)) static struct job *
fifo_pop(struct worker *w)
{
    struct job *job = w->first;

    w->first = job->next;
    if (w->first == NULL)
        w->last = NULL;
    if (w->unsent == job)
        w->unsent = w->first;
    job->next = NULL;
    w->inflight--;
    return job;
}

/* requeue - put jobs a dead worker never started back at the head of the
 * queue, in their order.  Collector only. */
__attribute__((unused)) static void
requeue(struct pool *p, struct job *list, struct job *last, size_t n)
{
    if (list == NULL)
        return;
    LAB_CHECK(pthread_mutex_lock(&p->mu));
    last->next = p->head;
    p->head = list;
    if (p->tail == NULL)
        p->tail = last;
    p->queued += n;
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
}

/*
 * worker_lost - slot i died or broke: reap it, fail the job it was
 * running with -ECHILD, requeue the ones behind it, and fork a
 * replacement.  Collector only.
 */
__attribute__((unused)) static void
worker_lost(struct pool *p, int i)
{
    /* TODO(03-E): a worker died: reap it, fail the job it was running with
     * -ECHILD, requeue the rest of its FIFO, fork a replacement. Python hangs
     * here. Read docs/03-pool.md#replace */
    (void)p;
    (void)i;
}

/* give - append job to worker w's FIFO.  p->mu held. */
__attribute__((unused)) static void
give(struct worker *w, struct job *job)
{
    if (w->last != NULL)
        w->last->next = job;
    else
        w->first = job;
    w->last = job;
    if (w->unsent == NULL)
        w->unsent = job;
    w->inflight++;
}

/* least_busy - the live worker with the fewest jobs below `limit`, or
 * NULL.  p->mu held. */
__attribute__((unused)) static struct worker *
least_busy(struct pool *p, int limit)
{
    struct worker *best = NULL;

    for (int i = 0; i < p->nworkers; i++) {
        struct worker *w = &p->workers[i];

        if (w->pid > 0 && w->inflight < limit &&
            (best == NULL || w->inflight < best->inflight))
            best = w;
    }
    return best;
}

/*
 * dispatch_locked - give queued jobs to workers: one each while the queue
 * is short, up to POOL_PIPELINE each when there is a backlog (sending is
 * done later, without the lock).  p->mu held.  Jobs with no items are
 * moved to *empty to be finished at once.
 */
__attribute__((unused)) static void
dispatch_locked(struct pool *p, struct job **empty)
{
    /* TODO(03-A): give queued jobs to the least busy live workers (1 each,
     * POOL_PIPELINE with a backlog); empty jobs go to *empty. Read
     * docs/03-pool.md#workers */
    (void)p;
    (void)empty;
}

/* all_idle - no job is out with a worker.  Collector only. */
__attribute__((unused)) static bool
all_idle(const struct pool *p)
{
    for (int i = 0; i < p->nworkers; i++) {
        if (p->workers[i].first != NULL)
            return false;
    }
    return true;
}

/* live_workers - how many slots hold a worker.  Collector only. */
__attribute__((unused)) static int
live_workers(const struct pool *p)
{
    int n = 0;

    for (int i = 0; i < p->nworkers; i++)
        n += p->workers[i].pid > 0;
    return n;
}

/*
 * next_step - under mu: decide what the collector does next.  Returns
 * the state to act on: POOL_RUNNING (serve), POOL_CLOSED (queue done:
 * stop), POOL_TERMINATED (kill).  Sets *empty to jobs with no items and
 * *orphans to queued jobs no worker can ever run (every fork failed).
 */
__attribute__((unused)) static enum pool_state
next_step(struct pool *p, struct job **empty, struct job **orphans)
{
    /* TODO(03-D): under mu: dispatch, orphan the queue if no worker lives, and
     * say whether to serve, stop (closed and drained) or kill. Read
     * docs/03-pool.md#close-join */
    (void)p;
    (void)empty;
    (void)orphans;
    return POOL_TERMINATED;
}

/* fail_list - fail every job of a list with `status`. */
__attribute__((unused)) static void
fail_list(struct job *list, int status)
{
    while (list != NULL) {
        struct job *next = list->next;

        job_fail(list, list->count == 0 ? 0 : status);
        list = next;
    }
}

/* send_jobs - write every job given to a worker but not yet sent.  A
 * worker that cannot take it is lost. */
__attribute__((unused)) static void
send_jobs(struct pool *p)
{
    for (int i = 0; i < p->nworkers; i++) {
        struct worker *w = &p->workers[i];

        while (w->unsent != NULL) {
            struct job *job = w->unsent;

            w->unsent = job->next;
            if (send_all(w->fd, job->msg, job->msg_len) != 0) {
                worker_lost(p, i);
                break;
            }
        }
    }
}

/*
 * wait_events - poll the workers and the wake pipe; collect one reply
 * per readable worker, and handle deaths.  Collector only, no lock held.
 */
__attribute__((unused)) static void
wait_events(struct pool *p, struct pollfd *fds)
{
    /* TODO(03-B): poll every worker socket and the wake pipe; drain the pipe;
     * collect one reply per readable worker; EOF means the worker is lost.
     * Read docs/03-pool.md#apply-async */
    (void)p;
    (void)fds;
}

/* kill_workers - SIGKILL and reap every worker; their jobs and the
 * queue end with -ECANCELED.  Collector only. */
__attribute__((unused)) static void
kill_workers(struct pool *p)
{
    /* TODO(03-D): SIGKILL and reap every worker; their jobs and every queued
     * job end with -ECANCELED. Python: Pool.terminate. Read
     * docs/03-pool.md#terminate */
    (void)p;
}

/* stop_workers - tell every idle worker "no more" (EOF) and reap it. */
__attribute__((unused)) static void
stop_workers(struct pool *p)
{
    /* TODO(03-D): shutdown(SHUT_WR) each worker's socket (it reads EOF and
     * exits), then reap it. Read docs/03-pool.md#close-join */
    (void)p;
}

/* collector_main - the pool's result thread: dispatch, collect, replace,
 * and at the end stop or kill the workers. */
__attribute__((unused)) static void *
collector_main(void *arg)
{
    /* TODO(03-B): loop: next_step, finish empty/orphaned jobs, send,
     * wait_events; at the end stop or kill the workers; set `exited` and
     * broadcast. Python: the result-handler thread. Read
     * docs/03-pool.md#callbacks */
    (void)arg;
    return NULL;
}

/* ---- making and ending the pool -------------------------------------- */

/* pool_alloc - the object with its locks, wake pipe and empty slots.
 * Returns 0 or -errno.  Gives *out. */
__attribute__((unused)) static int
pool_alloc(struct pool **out, int n, const struct pool_options *opts)
{
    struct pool *p = calloc(1, sizeof(*p));
    int err = -ENOMEM;

    if (p == NULL)
        return -ENOMEM;
    p->workers = calloc((size_t)n, sizeof(*p->workers));
    if (p->workers == NULL)
        goto out_free;
    if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        err = -errno;
        goto out_free;
    }
    err = -pthread_mutex_init(&p->mu, NULL);
    if (err)
        goto out_close_pipe;
    err = -pthread_cond_init(&p->exited_cv, NULL);
    if (err)
        goto out_destroy_mutex;
    p->nworkers = n;
    p->init = opts != NULL ? opts->initializer : NULL;
    p->initarg = opts != NULL ? opts->initarg : NULL;
    *out = p;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&p->mu));
out_close_pipe:
    close(p->wake[0]);
    close(p->wake[1]);
out_free:
    free(p->workers);
    free(p);
    return err;
}

/* pool_release - free what pool_alloc made.  No worker, no thread. */
__attribute__((unused)) static void
pool_release(struct pool *p)
{
    LAB_CHECK(pthread_cond_destroy(&p->exited_cv));
    LAB_CHECK(pthread_mutex_destroy(&p->mu));
    close(p->wake[0]);
    close(p->wake[1]);
    free(p->workers);
    free(p);
}

int
pool_new(struct pool **out, const struct pool_options *opts)
{
    /* TODO(03-A): check opts, 0 workers means the CPU count, pool_alloc, fork
     * every worker BEFORE starting the collector thread. Python:
     * Pool(processes, initializer, initargs). Read docs/03-pool.md#new */
    if (out != NULL)
        *out = NULL;
    (void)out;
    (void)opts;
    return -ENOSYS;
}

int
pool_processes(const struct pool *p)
{
    /* TODO(03-A): the number of workers (0 for NULL). Python: Pool._processes.
     * Read docs/03-pool.md#new */
    (void)p;
    return -ENOSYS;
}

/* ---- submitting ------------------------------------------------------ */

/* job_new - a job for `count` items of `item_size` bytes at `items`,
 * results of up to `result_cap` bytes.  Returns NULL when out of memory. */
__attribute__((unused)) static struct job *
job_new(struct pool_result *r, pool_func *fn, const void *items,
        size_t item_size, size_t first, size_t count, size_t result_cap)
{
    struct job *job = calloc(1, sizeof(*job));
    struct task_head h;

    if (job == NULL)
        return NULL;
    memset(&h, 0, sizeof(h));   /* padding too: it is sent as bytes */
    h.fn = fn;
    h.count = (uint32_t)count;
    h.item_size = (uint32_t)item_size;
    h.result_cap = (uint32_t)result_cap;
    job->msg_len = sizeof(h) + count * item_size;
    job->msg = malloc(job->msg_len);
    if (job->msg == NULL) {
        free(job);
        return NULL;
    }
    memcpy(job->msg, &h, sizeof(h));
    if (count * item_size > 0)
        memcpy(job->msg + sizeof(h),
               (const unsigned char *)items + first * item_size,
               count * item_size);
    job->res = r;
    job->first = first;
    job->count = count;
    return job;
}

/* free_jobs - free a list of jobs that was never queued. */
__attribute__((unused)) static void
free_jobs(struct job *list)
{
    while (list != NULL) {
        struct job *next = list->next;

        free(list->msg);
        free(list);
        list = next;
    }
}

/*
 * enqueue - append a list of jobs for a new result, if the pool runs.
 * Returns 0 or -EINVAL (closed or terminated: nothing was queued).
 */
__attribute__((unused)) static int
enqueue(struct pool *p, struct job *first, struct job *last, size_t n)
{
    /* TODO(03-B): append the jobs under mu if the pool is RUNNING (else
     * -EINVAL); wake the collector when the queue was empty. Read
     * docs/03-pool.md#apply-async */
    (void)p;
    (void)first;
    (void)last;
    (void)n;
    return -ENOSYS;
}

/* submit - queue the jobs of r (r->pending of them, linked from `first`)
 * and hand r to the caller.  On error frees everything.  Returns 0 or
 * -errno. */
__attribute__((unused)) static int
submit(struct pool *p, struct pool_result *r, struct job *first,
       struct job *last, struct pool_result **out)
{
    int err = enqueue(p, first, last, r->pending);

    if (err) {
        free_jobs(first);
        r->refs = 1;
        result_unref(r);
        return err;
    }
    *out = r;
    return 0;
}

int
pool_apply_async(struct pool *p, pool_func *fn, const void *arg,
                 size_t arg_len, pool_callback *cb, void *cb_arg,
                 struct pool_result **out)
{
    /* TODO(03-B): validate, make a result and one job, submit. Python:
     * Pool.apply_async. Read docs/03-pool.md#apply-async */
    (void)p;
    (void)fn;
    (void)arg;
    (void)arg_len;
    (void)cb;
    (void)cb_arg;
    (void)out;
    return -ENOSYS;
}

/* default_chunksize - Python's: n / (4 * workers), rounded up, >= 1. */
__attribute__((unused)) static size_t
default_chunksize(size_t n, int workers)
{
    size_t per = (size_t)workers * 4;
    size_t c = (n + per - 1) / per;

    return c > 0 ? c : 1;
}

/* map_jobs - split n items into chunks of `chunk` items: one job each (a
 * single empty job when n is 0).  Returns 0 or -ENOMEM (nothing left). */
__attribute__((unused)) static int
map_jobs(struct pool_result *r, pool_func *fn, const void *items,
         size_t item_size, size_t chunk, struct job **first,
         struct job **last)
{
    /* TODO(03-C): one job per chunk of `chunk` items (one empty job when n is
     * 0); count them in r->pending. Read docs/03-pool.md#chunksize */
    (void)r;
    (void)fn;
    (void)items;
    (void)item_size;
    (void)chunk;
    (void)first;
    (void)last;
    return -ENOSYS;
}

int
pool_map_async(struct pool *p, pool_func *fn, const void *items,
               size_t item_size, size_t n, void *results,
               size_t result_size, size_t chunksize, pool_callback *cb,
               void *cb_arg, struct pool_result **out)
{
    /* TODO(03-C): validate, make a map result over the caller's array, split
     * into chunks (0: default_chunksize), submit. Python: Pool.map_async. Read
     * docs/03-pool.md#map */
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
pool_apply(struct pool *p, pool_func *fn, const void *arg, size_t arg_len,
           void *out, size_t out_cap, size_t *out_len)
{
    /* TODO(03-A): apply_async, get with LAB_FOREVER, free the handle. Python:
     * Pool.apply. Read docs/03-pool.md#workers */
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
pool_map(struct pool *p, pool_func *fn, const void *items, size_t item_size,
         size_t n, void *results, size_t result_size, size_t chunksize)
{
    /* TODO(03-C): map_async, get with LAB_FOREVER, free the handle. Python:
     * Pool.map. Read docs/03-pool.md#map */
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

/* ---- waiting for a result -------------------------------------------- */

bool
pool_result_ready(struct pool_result *r)
{
    /* TODO(03-B): read `ready` under res_mu. Python: AsyncResult.ready. Read
     * docs/03-pool.md#get-timeout */
    (void)r;
    return false;
}

int
pool_result_wait(struct pool_result *r, double timeout)
{
    /* TODO(03-B): while not ready: wait on res_cv (timed, monotonic deadline
     * computed once); -ETIMEDOUT if still not ready. Python: AsyncResult.wait.
     * Read docs/03-pool.md#get-timeout */
    (void)r;
    (void)timeout;
    return -ENOSYS;
}

int
pool_result_get(struct pool_result *r, void *out, size_t out_cap,
                size_t *out_len, double timeout)
{
    /* TODO(03-B): wait, then return the status and copy an apply's bytes
     * (-EMSGSIZE if they do not fit). Python: AsyncResult.get. Read
     * docs/03-pool.md#get-timeout */
    (void)r;
    (void)out;
    (void)out_cap;
    (void)out_len;
    (void)timeout;
    return -ENOSYS;
}

void
pool_result_free(struct pool_result *r)
{
    if (r != NULL)
        result_unref(r);
}

/* ---- close, terminate, join, free ----------------------------------- */

/* set_state - move a live pool to `to` (CLOSED or TERMINATED) and wake
 * the collector.  Returns 0 or -EINVAL (closing a terminated pool). */
__attribute__((unused)) static int
set_state(struct pool *p, enum pool_state to)
{
    /* TODO(03-D): move RUNNING -> CLOSED or -> TERMINATED under mu (closing a
     * terminated pool is -EINVAL), then wake the collector. Read
     * docs/03-pool.md#close-join */
    (void)p;
    (void)to;
    return -ENOSYS;
}

int
pool_close(struct pool *p)
{
    return set_state(p, POOL_CLOSED);
}

int
pool_terminate(struct pool *p)
{
    return set_state(p, POOL_TERMINATED);
}

int
pool_join(struct pool *p)
{
    /* TODO(03-D): -EINVAL while RUNNING; wait for `exited`; the first joiner
     * pthread_joins the collector. Python: Pool.join. Read
     * docs/03-pool.md#close-join */
    (void)p;
    return -ENOSYS;
}

void
pool_free(struct pool *p)
{
    /* TODO(03-D): terminate, join, release; NULL is a no-op. Python: the end
     * of `with Pool()`. Read docs/03-pool.md#free */
    (void)p;
}

