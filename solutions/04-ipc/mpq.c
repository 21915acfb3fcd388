/*
 * mpq.c - multiprocessing.Queue in C: a ring of fixed-size slots in
 * MAP_SHARED memory, guarded by a process-shared robust mutex, with two
 * process-shared condition variables (not_empty, not_full).
 *
 * DESIGN
 *
 * A process may die at any instruction, also while it holds the lock.
 * The robust mutex then hands the next locker EOWNERDEAD, and that locker
 * must be able to trust the queue.  So the shared state is two counters
 * that only grow, `added` and `taken`, and each operation commits with one
 * store: a put copies its message into slot added % maxsize first and
 * then bumps `added`; a get copies slot taken % maxsize out first and then
 * bumps `taken`.  A death before the bump leaves the queue as it was (the
 * put did not happen, or the message is still there for someone else); a
 * death after it leaves a finished operation.  A message whose put
 * returned is therefore never lost.  Repair after EOWNERDEAD is only a
 * broadcast: the dead process may have swallowed a wakeup.
 *
 * Waiters are woken with broadcast, never signal: a waiter killed inside
 * pthread_cond_wait() still counts in glibc's waiter groups, and a signal
 * sent to that group would be lost.  For the same reason the condition
 * variables are never destroyed (pthread_cond_destroy() waits for every
 * waiter, dead ones too): the memory is unmapped instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "mpq.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* The shared part, at the start of the mapping; the slots follow it. */
struct mpq_shared {
    /* mu guards everything below it.  Robust and process-shared. */
    pthread_mutex_t mu;
    pthread_cond_t not_empty;   /* broadcast when `added` grows */
    pthread_cond_t not_full;    /* broadcast when `taken` grows */
    uint64_t added;             /* messages ever put (commit of a put) */
    uint64_t taken;             /* messages ever got (commit of a get) */
    /* Set by mpq_new() and read-only afterwards. */
    size_t maxsize;
    size_t msg_max;
    size_t slot_size;           /* sizeof(uint64_t) + msg_max, aligned */
};

/* This process's handle (private memory: copied by fork). */
struct mpq {
    struct mpq_shared *sh;
    size_t map_len;
    int closed;                 /* mpq_close() was called here */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* deadline_ts - the absolute CLOCK_MONOTONIC time `timeout` s from now. */
static struct timespec
deadline_ts(double timeout)
{
    struct timespec ts;
    double whole;
    double frac;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (timeout > 1e9)
        timeout = 1e9;
    frac = modf(timeout, &whole);
    ts.tv_sec += (time_t)whole;
    ts.tv_nsec += (long)(frac * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* slot - the bytes of slot `n % maxsize`: a uint64_t length, then data. */
static unsigned char *
slot(struct mpq_shared *sh, uint64_t n)
{
    unsigned char *base = (unsigned char *)(sh + 1);

    return base + (n % sh->maxsize) * sh->slot_size;
}

/* init_sync - make mu robust + process-shared + error-checking, and the
 * condvars process-shared on CLOCK_MONOTONIC.  Returns 0 or -errno. */
static int
init_sync(struct mpq_shared *sh)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int err;

    LAB_CHECK(pthread_mutexattr_init(&ma));
    LAB_CHECK(pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED));
    LAB_CHECK(pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST));
    LAB_CHECK(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK));
    err = -pthread_mutex_init(&sh->mu, &ma);    /* DOC: 04-ipc#robust */
    LAB_CHECK(pthread_mutexattr_destroy(&ma));
    if (err)
        return err;
    LAB_CHECK(pthread_condattr_init(&ca));
    LAB_CHECK(pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED));
    LAB_CHECK(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
    err = -pthread_cond_init(&sh->not_empty, &ca);
    if (err == 0)
        err = -pthread_cond_init(&sh->not_full, &ca);
    LAB_CHECK(pthread_condattr_destroy(&ca));
    return err;
}

int
mpq_new(struct mpq **out, size_t maxsize, size_t msg_max)
{
    struct mpq *q;
    size_t slot_size;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (msg_max == 0)
        return -EINVAL;
    if (maxsize == 0)
        maxsize = MPQ_DEFAULT_MAXSIZE;
    slot_size = (sizeof(uint64_t) + msg_max + 7) & ~(size_t)7;
    if (slot_size < msg_max || maxsize > (SIZE_MAX / 2) / slot_size)
        return -ENOMEM;
    q = calloc(1, sizeof(*q));
    if (q == NULL)
        return -ENOMEM;
    q->map_len = sizeof(struct mpq_shared) + maxsize * slot_size;
    q->sh = mmap(NULL, q->map_len, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (q->sh == MAP_FAILED) {
        err = -errno;
        goto out_free;
    }
    q->sh->maxsize = maxsize;
    q->sh->msg_max = msg_max;
    q->sh->slot_size = slot_size;
    err = init_sync(q->sh);
    if (err)
        goto out_unmap;
    *out = q;
    return 0;

out_unmap:
    munmap(q->sh, q->map_len);
out_free:
    free(q);
    return err;
}

/* recovered - the previous holder died with mu: the counters are always
 * consistent (see DESIGN), so wake everyone it may have robbed of a
 * wakeup and mark the mutex consistent.  mu held. */
static void
recovered(struct mpq_shared *sh)
{
    LAB_CHECK(pthread_cond_broadcast(&sh->not_empty));
    LAB_CHECK(pthread_cond_broadcast(&sh->not_full));
    LAB_CHECK(pthread_mutex_consistent(&sh->mu));   /* DOC: 04-ipc#robust */
}

/* lock - take mu, repairing after a dead owner.  Returns 0, -EDEADLK,
 * or -ENOTRECOVERABLE. */
static int
lock(struct mpq_shared *sh)
{
    int err = pthread_mutex_lock(&sh->mu);

    if (err == EOWNERDEAD) {
        recovered(sh);
        err = 0;
    }
    return -err;
}

/* wait_on - wait on cv until woken or the deadline `ts` (NULL: none).
 * mu held on entry and on return.  Returns 0, -ETIMEDOUT or
 * -ENOTRECOVERABLE. */
static int
wait_on(struct mpq_shared *sh, pthread_cond_t *cv, const struct timespec *ts)
{
    int err;

    if (ts == NULL)
        err = pthread_cond_wait(cv, &sh->mu);
    else
        err = pthread_cond_timedwait(cv, &sh->mu, ts);
    if (err == EOWNERDEAD) {
        recovered(sh);
        err = 0;
    }
    return -err;
}

/* check_args - the checks common to put and get.  Returns 0 or -EINVAL. */
static int
check_args(const struct mpq *q, const void *buf, size_t len, double timeout)
{
    if (q == NULL || q->closed || isnan(timeout))
        return -EINVAL;
    if (buf == NULL && len > 0)
        return -EINVAL;
    return 0;
}

/*
 * put_common - wait for a free slot (timeout < 0: forever; `nowait`: not
 * at all), then copy the message in and commit it by bumping `added`.
 */
static int
put_common(struct mpq *q, const void *msg, size_t len, double timeout,
           int nowait)
{
    struct mpq_shared *sh;
    struct timespec ts;
    int err = check_args(q, msg, len, timeout);

    if (err)
        return err;
    sh = q->sh;
    if (len > sh->msg_max)
        return -EMSGSIZE;
    if (timeout >= 0)
        ts = deadline_ts(timeout);
    err = lock(sh);
    if (err)
        return err;
    while (err == 0 && sh->added - sh->taken == sh->maxsize) {
        if (nowait)
            err = -EAGAIN;
        else
            err = wait_on(sh, &sh->not_full, timeout >= 0 ? &ts : NULL);
    }
    if (err == 0) {
        unsigned char *s = slot(sh, sh->added);
        uint64_t n = len;
        memcpy(s, &n, sizeof(n));
        if (len > 0)
            memcpy(s + sizeof(n), msg, len);
        sh->added++;                            /* DOC: 04-ipc#commit */
        LAB_CHECK(pthread_cond_broadcast(&sh->not_empty));
    }
    LAB_CHECK(pthread_mutex_unlock(&sh->mu));
    return err;
}

int
mpq_put(struct mpq *q, const void *msg, size_t len, double timeout)
{
    return put_common(q, msg, len, timeout, 0);
}

int
mpq_put_nowait(struct mpq *q, const void *msg, size_t len)
{
    return put_common(q, msg, len, 0, 1);
}

/* take_locked - copy the oldest message out and commit by bumping
 * `taken`, or report -EMSGSIZE leaving it in place.  mu held. */
static int
take_locked(struct mpq_shared *sh, void *buf, size_t cap, size_t *len)
{
    unsigned char *s = slot(sh, sh->taken);
    uint64_t n;

    memcpy(&n, s, sizeof(n));
    *len = (size_t)n;
    if (n > cap)
        return -EMSGSIZE;
    if (n > 0)
        memcpy(buf, s + sizeof(n), (size_t)n);
    sh->taken++;                                /* DOC: 04-ipc#commit */
    LAB_CHECK(pthread_cond_broadcast(&sh->not_full));
    return 0;
}

/* get_common - wait for a message as put_common waits for a slot. */
static int
get_common(struct mpq *q, void *buf, size_t cap, size_t *len,
           double timeout, int nowait)
{
    struct mpq_shared *sh;
    struct timespec ts;
    int err = check_args(q, buf, cap, timeout);

    if (err)
        return err;
    if (len == NULL)
        return -EINVAL;
    sh = q->sh;
    if (timeout >= 0)
        ts = deadline_ts(timeout);
    err = lock(sh);
    if (err)
        return err;
    while (err == 0 && sh->added == sh->taken) {  /* DOC: 04-ipc#wait-loop */
        if (nowait)
            err = -EAGAIN;
        else
            err = wait_on(sh, &sh->not_empty, timeout >= 0 ? &ts : NULL);
    }
    if (err == 0)
        err = take_locked(sh, buf, cap, len);
    LAB_CHECK(pthread_mutex_unlock(&sh->mu));
    return err;
}

int
mpq_get(struct mpq *q, void *buf, size_t cap, size_t *len, double timeout)
{
    return get_common(q, buf, cap, len, timeout, 0);
}

int
mpq_get_nowait(struct mpq *q, void *buf, size_t cap, size_t *len)
{
    return get_common(q, buf, cap, len, 0, 1);
}

size_t
mpq_qsize(struct mpq *q)
{
    size_t n;

    if (q == NULL || q->closed || lock(q->sh) != 0)
        return 0;
    n = (size_t)(q->sh->added - q->sh->taken);
    LAB_CHECK(pthread_mutex_unlock(&q->sh->mu));
    return n;
}

bool
mpq_empty(struct mpq *q)
{
    return mpq_qsize(q) == 0;
}

bool
mpq_full(struct mpq *q)
{
    return q != NULL && !q->closed && mpq_qsize(q) == q->sh->maxsize;
}

int
mpq_lock(struct mpq *q)
{
    if (q == NULL || q->closed)
        return -EINVAL;
    return lock(q->sh);
}

int
mpq_unlock(struct mpq *q)
{
    if (q == NULL || q->closed)
        return -EINVAL;
    return -pthread_mutex_unlock(&q->sh->mu);
}

int
mpq_close(struct mpq *q)
{
    if (q == NULL)
        return -EINVAL;
    q->closed = 1;
    return 0;
}

void
mpq_free(struct mpq *q)
{
    if (q == NULL)
        return;
    munmap(q->sh, q->map_len);
    free(q);
}
