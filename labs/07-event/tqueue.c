/*
 * tqueue.c - queue.Queue, LifoQueue and PriorityQueue in C: one mutex,
 * three condition variables (not empty, not full, all tasks done), and a
 * store that is a ring, a stack or a binary heap depending on the kind.
 *
 * DESIGN
 *
 * Every slot holds the item and a sequence number taken at put().  The
 * heap orders by cmp first and by that number second, so items that tie
 * come out in the order they went in (a heap alone does not keep it).
 * The store grows by doubling, up to maxsize when there is one.
 * `unfinished` counts puts minus task_done() calls; join() waits for 0.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tqueue.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* Timeouts longer than this wait without limit (no time_t overflow). */
#define TQUEUE_MAX_TIMEOUT_S 1e9

/* Slots of the first allocation. */
#define TQUEUE_FIRST_CAP 16

struct slot {
    void *item;
    unsigned long seq;          /* put order: the priority tie-break */
};

struct tqueue {
    /* Set by tqueue_new() and read-only afterwards. */
    enum tqueue_kind kind;
    size_t maxsize;             /* 0: unbounded */
    tqueue_cmp *cmp;

    pthread_mutex_t mu;         /* guards everything below */
    pthread_cond_t not_empty;   /* signalled by put */
    pthread_cond_t not_full;    /* signalled by get */
    pthread_cond_t all_done;    /* broadcast when unfinished drops to 0 */
    struct slot *slots;
    size_t cap;
    size_t count;
    size_t head;                /* FIFO: the oldest slot of the ring */
    unsigned long next_seq;
    unsigned long unfinished;   /* Python's unfinished_tasks */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static __attribute__((unused)) void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* deadline_after - the CLOCK_MONOTONIC time `timeout` seconds from now,
 * into *ts.  Returns false (no deadline) for a negative or huge timeout.
 * Cannot fail. */
static __attribute__((unused)) bool
deadline_after(double timeout, struct timespec *ts)
{
    double whole;
    double frac;

    if (timeout < 0 || timeout > TQUEUE_MAX_TIMEOUT_S)
        return false;
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

/* cond_wait_until - one wait on c, until `deadline` (NULL: no limit).
 * mu held on entry and on return.  Returns 0 (woken, maybe spuriously)
 * or ETIMEDOUT (positive, as pthread says). */
static __attribute__((unused)) int
cond_wait_until(pthread_cond_t *c, pthread_mutex_t *mu,
                const struct timespec *deadline)
{
    int err;

    if (deadline == NULL) {
        LAB_CHECK(pthread_cond_wait(c, mu));
        return 0;
    }
    err = pthread_cond_timedwait(c, mu, deadline);
    if (err != 0 && err != ETIMEDOUT)
        lab_check_failed("pthread_cond_timedwait", err, __FILE__, __LINE__);
    return err;
}

/* init_conds - the three condition variables, on CLOCK_MONOTONIC.
 * Returns 0 or a negative errno (then none is left initialised). */
static __attribute__((unused)) int
init_conds(struct tqueue *q)
{
    pthread_cond_t *conds[] = { &q->not_empty, &q->not_full, &q->all_done };
    pthread_condattr_t attr;
    int err;
    int i;

    err = pthread_condattr_init(&attr);
    if (err)
        return -err;
    err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    for (i = 0; err == 0 && i < 3; i++) {
        err = pthread_cond_init(conds[i], &attr);
        if (err)
            break;
    }
    while (err && i-- > 0)
        pthread_cond_destroy(conds[i]);
    pthread_condattr_destroy(&attr);
    return -err;
}

/* ---- the store: ring (FIFO), stack (LIFO), heap (PRIORITY) ---------- */

/* before - does slot a come out before slot b?  Ties go by put order. */
static __attribute__((unused)) bool
before(const struct tqueue *q, const struct slot *a, const struct slot *b)
{
    /* TODO(07-D): compare with cmp, and break ties by the put sequence
     * number. Python: heapq with (priority, count, item). Read
     * docs/07-event.md#stable. */
    (void)q;
    (void)a;
    (void)b;
    return false;
}

/* swap_slots - exchange slots i and j. */
static __attribute__((unused)) void
swap_slots(struct slot *s, size_t i, size_t j)
{
    struct slot tmp = s[i];

    s[i] = s[j];
    s[j] = tmp;
}

/* sift_up - restore the heap after a new last slot. */
static __attribute__((unused)) void
sift_up(struct tqueue *q, size_t i)
{
    while (i > 0 && before(q, &q->slots[i], &q->slots[(i - 1) / 2])) {
        swap_slots(q->slots, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

/* sift_down - restore the heap after a new root. */
static __attribute__((unused)) void
sift_down(struct tqueue *q, size_t i)
{
    for (;;) {
        size_t left = 2 * i + 1;
        size_t best = i;

        if (left < q->count && before(q, &q->slots[left], &q->slots[best]))
            best = left;
        if (left + 1 < q->count &&
            before(q, &q->slots[left + 1], &q->slots[best]))
            best = left + 1;
        if (best == i)
            return;
        swap_slots(q->slots, i, best);
        i = best;
    }
}

/* store_grow - make room for one more slot.  Returns 0 or -ENOMEM (the
 * store is unchanged then). */
static __attribute__((unused)) int
store_grow(struct tqueue *q)
{
    size_t cap = q->cap ? q->cap * 2 : TQUEUE_FIRST_CAP;
    struct slot *s;

    if (q->count < q->cap)
        return 0;
    if (q->maxsize > 0 && cap > q->maxsize)
        cap = q->maxsize;
    if (cap > SIZE_MAX / sizeof(*s))
        return -ENOMEM;
    s = malloc(cap * sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < q->count; i++)   /* unwraps a FIFO ring */
        s[i] = q->slots[(q->head + i) % q->cap];
    free(q->slots);
    q->slots = s;
    q->cap = cap;
    q->head = 0;
    return 0;
}

/* store_push - add item (room is there: store_grow succeeded). */
static __attribute__((unused)) void
store_push(struct tqueue *q, void *item)
{
    /* TODO(07-D): add the item as the newest slot of the ring (FIFO), the top
     * of the stack (LIFO) or a leaf of the heap (PRIORITY, then sift_up).
     * Python: Queue._put(item). Read docs/07-event.md#kinds. */
    (void)q;
    (void)item;
}

/* store_pop - remove and return the next item.  count > 0. */
static __attribute__((unused)) void *
store_pop(struct tqueue *q)
{
    /* TODO(07-D): remove the oldest (FIFO), newest (LIFO) or smallest
     * (PRIORITY: root, last slot to the root, sift_down) item. Python:
     * Queue._get(). Read docs/07-event.md#kinds. */
    (void)q;
    return NULL;
}

/* is_full_locked - at maxsize?  mu held. */
static __attribute__((unused)) bool
is_full_locked(const struct tqueue *q)
{
    return q->maxsize > 0 && q->count >= q->maxsize;
}

/* ---- the contract ---------------------------------------------------- */

int
tqueue_new(struct tqueue **out, enum tqueue_kind kind, long maxsize,
           tqueue_cmp *cmp)
{
    /* TODO(07-D): check kind and cmp, allocate, init the mutex and the three
     * condition variables; *out = NULL on failure. Python:
     * queue.Queue(maxsize). Read docs/07-event.md#kinds. */
    (void)out;
    (void)kind;
    (void)maxsize;
    (void)cmp;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
tqueue_put(struct tqueue *q, void *item, bool block, double timeout)
{
    /* TODO(07-D): wait in a loop while full (-EAGAIN without block,
     * -ETIMEDOUT at the deadline), grow, push, count a task, signal
     * not_empty. Python: Queue.put(item, block, timeout). Read
     * docs/07-event.md#wait-loop. */
    (void)q;
    (void)item;
    (void)block;
    (void)timeout;
    return -ENOSYS;
}

int
tqueue_put_nowait(struct tqueue *q, void *item)
{
    /* TODO(07-D): put without blocking. Python: Queue.put_nowait(item). Read
     * docs/07-event.md#nowait. */
    (void)q;
    (void)item;
    return -ENOSYS;
}

int
tqueue_get(struct tqueue *q, void **item, bool block, double timeout)
{
    /* TODO(07-D): wait in a loop while empty (-EAGAIN without block,
     * -ETIMEDOUT at the deadline), pop, signal not_full. Python:
     * Queue.get(block, timeout). Read docs/07-event.md#wait-loop. */
    (void)q;
    (void)item;
    (void)block;
    (void)timeout;
    return -ENOSYS;
}

int
tqueue_get_nowait(struct tqueue *q, void **item)
{
    /* TODO(07-D): get without blocking. Python: Queue.get_nowait(). Read
     * docs/07-event.md#nowait. */
    (void)q;
    (void)item;
    return -ENOSYS;
}

int
tqueue_task_done(struct tqueue *q)
{
    /* TODO(07-E): -EINVAL when nothing is unfinished; else count down and
     * wake every joiner at 0. Python: Queue.task_done(). Read
     * docs/07-event.md#task-done. */
    (void)q;
    return -ENOSYS;
}

int
tqueue_join(struct tqueue *q, double timeout)
{
    /* TODO(07-E): wait in a loop until nothing is unfinished, or -ETIMEDOUT
     * at the deadline. Python: Queue.join(). Read
     * docs/07-event.md#task-done. */
    (void)q;
    (void)timeout;
    return -ENOSYS;
}

size_t
tqueue_qsize(struct tqueue *q)
{
    /* TODO(07-D): the count, read under the lock. Python: Queue.qsize(). Read
     * docs/07-event.md#maxsize. */
    (void)q;
    return 0;
}

bool
tqueue_empty(struct tqueue *q)
{
    /* TODO(07-D): is the count 0?. Python: Queue.empty(). Read
     * docs/07-event.md#maxsize. */
    (void)q;
    return false;
}

bool
tqueue_full(struct tqueue *q)
{
    /* TODO(07-D): is a bounded queue at maxsize? read under the lock. Python:
     * Queue.full(). Read docs/07-event.md#maxsize. */
    (void)q;
    return false;
}

void
tqueue_free(struct tqueue *q)
{
    /* TODO(07-D): destroy the condition variables and the mutex, free the
     * slots and the queue; NULL is a no-op. Python: del q. Read
     * docs/07-event.md#free. */
    (void)q;
}
