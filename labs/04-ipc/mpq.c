/*
 * mpq.c (stub) - multiprocessing.Queue in C: a ring of fixed-size slots in
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
static void __attribute__((unused))
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
    /* TODO(04-A): make mu process-shared, robust and error-checking, and both
     * condvars process-shared on CLOCK_MONOTONIC. Python: (done for you by
     * multiprocessing). Read docs/04-ipc.md#robust. */
    (void)sh;
    return -ENOSYS;
}

int
mpq_new(struct mpq **out, size_t maxsize, size_t msg_max)
{
    /* TODO(04-A): map the shared header and slots (MAP_SHARED, anonymous), fill
     * in the sizes and init the sync objects; *out = NULL on failure. Python:
     * multiprocessing.Queue(maxsize). Read docs/04-ipc.md#shared-memory. */
    (void)maxsize;
    (void)msg_max;
    (void)init_sync;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/* recovered - the previous holder died with mu: the counters are always
 * consistent (see DESIGN), so wake everyone it may have robbed of a
 * wakeup and mark the mutex consistent.  mu held. */
static void
recovered(struct mpq_shared *sh)
{
    /* TODO(04-A): the last holder died with the lock: wake every waiter and
     * mark the mutex consistent. Python: (none: Python has no robust locks).
     * Read docs/04-ipc.md#robust. */
    (void)sh;
}

/* lock - take mu, repairing after a dead owner.  Returns 0, -EDEADLK,
 * or -ENOTRECOVERABLE. */
static int
lock(struct mpq_shared *sh)
{
    /* TODO(04-A): take the mutex; on EOWNERDEAD repair with recovered() and
     * carry on. Python: with q.mutex. Read docs/04-ipc.md#robust. */
    (void)sh;
    (void)recovered;
    return -ENOSYS;
}

/* wait_on - wait on cv until woken or the deadline `ts` (NULL: none).
 * mu held on entry and on return.  Returns 0, -ETIMEDOUT or
 * -ENOTRECOVERABLE. */
static int
wait_on(struct mpq_shared *sh, pthread_cond_t *cv, const struct timespec *ts)
{
    /* TODO(04-A): wait on cv until woken or the deadline; EOWNERDEAD is
     * repaired as in lock(). Python: Condition.wait(timeout). Read
     * docs/04-ipc.md#wait-loop. */
    (void)sh;
    (void)cv;
    (void)ts;
    return -ENOSYS;
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
    /* TODO(04-A): wait in a loop while full (or -EAGAIN for nowait), copy into
     * slot added % maxsize, commit by bumping added, wake the consumers.
     * Python: Queue.put(obj, block, timeout).
     * Read docs/04-ipc.md#put-and-get. */
    (void)q;
    (void)msg;
    (void)len;
    (void)timeout;
    (void)nowait;
    (void)check_args;
    (void)deadline_ts;
    (void)slot;
    return -ENOSYS;
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
    /* TODO(04-A): copy the oldest message out (or -EMSGSIZE, leaving it),
     * commit by bumping taken, wake the producers. Python: Queue.get(). Read
     * docs/04-ipc.md#commit. */
    (void)sh;
    (void)buf;
    (void)cap;
    (void)len;
    return -ENOSYS;
}

/* get_common - wait for a message as put_common waits for a slot. */
static int
get_common(struct mpq *q, void *buf, size_t cap, size_t *len,
           double timeout, int nowait)
{
    /* TODO(04-A): wait in a loop while empty (or -EAGAIN for nowait), then
     * take_locked(). Python: Queue.get(block, timeout). Read
     * docs/04-ipc.md#put-and-get. */
    (void)q;
    (void)buf;
    (void)cap;
    (void)len;
    (void)timeout;
    (void)nowait;
    (void)wait_on;
    (void)take_locked;
    return -ENOSYS;
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
    /* TODO(04-A): added - taken, read under the lock. Python: Queue.qsize().
     * Read docs/04-ipc.md#put-and-get. */
    (void)q;
    return 0;
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
    /* TODO(04-A): lock() the queue for the caller. Python:
     * queue.Queue.mutex.acquire(). Read docs/04-ipc.md#robust. */
    (void)q;
    (void)lock;
    return -ENOSYS;
}

int
mpq_unlock(struct mpq *q)
{
    /* TODO(04-A): unlock it, returning -EPERM if the caller does not hold it.
     * Python: queue.Queue.mutex.release(). Read docs/04-ipc.md#robust. */
    (void)q;
    return -ENOSYS;
}

int
mpq_close(struct mpq *q)
{
    /* TODO(04-A): mark this handle closed. Python: Queue.close(). Read
     * docs/04-ipc.md#put-and-get. */
    (void)q;
    return -ENOSYS;
}

void
mpq_free(struct mpq *q)
{
    if (q == NULL)
        return;
    munmap(q->sh, q->map_len);
    free(q);
}
