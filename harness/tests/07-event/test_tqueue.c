/*
 * test_tqueue.c - functional tests of tqueue.h (lab 07, parts D and E):
 * the three kinds, maxsize, blocking with timeouts, the nowait forms,
 * task_done and join.
 *
 * A thread that must already be blocked announces its tid through a pipe
 * and the test waits until /proc shows it asleep ('S'), as in
 * test_event.c; no test sleeps to get an order.
 */
#define _GNU_SOURCE     /* pipe2, gettid */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "tqueue.h"

TestSuite(tqueue, .timeout = 20);

/* Tasks in the join test. */
#define TASKS 10

/* ---- helpers ---------------------------------------------------------- */

/* wait_asleep - block until the thread that wrote its tid to fd sleeps. */
static void
wait_asleep(int fd, const char *what)
{
    pid_t tid = 0;
    ssize_t n = kit_read_full(fd, &tid, sizeof(tid), 10.0);

    cr_assert(eq(sz, (size_t)n, sizeof(tid)), "test setup: a thread never sent its tid");
    cr_assert(kit_wait_asleep(tid, 10.0), "test setup: thread %d never blocked in %s. See docs/07-event.md#wait-loop", (int)tid, what);
}

/* A priority item: the key orders, the id tells equal keys apart. */
struct prio_item {
    int key;
    int id;
};

static int
cmp_key(const void *a, const void *b)
{
    const struct prio_item *x = a;
    const struct prio_item *y = b;

    return (x->key > y->key) - (x->key < y->key);
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a;
    int y = *(const int *)b;

    return (x > y) - (x < y);
}

static struct tqueue *
new_queue(enum tqueue_kind kind, long maxsize, tqueue_cmp *cmp)
{
    struct tqueue *q = NULL;
    int err = tqueue_new(&q, kind, maxsize, cmp);

    kit_require_impl(err, "tqueue_new", "07-D");
    cr_assert(eq(int, err, 0), "tqueue_new(&q, kind %d, %ld, cmp): expected 0, got %s. See docs/07-event.md#kinds", (int)kind, maxsize, kit_errname(err));
    return q;
}

/* A thread that announces itself, then does one blocking put or get. */
struct blocker {
    struct tqueue *q;
    int fd;
    bool is_put;
    void *item;                 /* put: what; get: what came */
    int err;
};

static void *
blocker_thread(void *arg)
{
    struct blocker *b = arg;
    pid_t tid = gettid();

    if (kit_write_full(b->fd, &tid, sizeof(tid)) != 0) {
        b->err = -EIO;
        return NULL;
    }
    if (b->is_put)
        b->err = tqueue_put(b->q, b->item, true, 10.0);
    else
        b->err = tqueue_get(b->q, &b->item, true, 10.0);
    return NULL;
}

/* start_blocker - a thread blocked in put(item) or get on q. */
static void
start_blocker(struct blocker *b, pthread_t *t, struct tqueue *q, bool is_put, void *item)
{
    int fds[2];

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed: %s", strerror(errno));
    *b = (struct blocker){ .q = q, .fd = fds[1], .is_put = is_put, .item = item, .err = 1 };
    cr_assert(eq(int, pthread_create(t, NULL, blocker_thread, b), 0), "test setup: pthread_create failed");
    wait_asleep(fds[0], is_put ? "tqueue_put on a full queue" : "tqueue_get on an empty queue");
    close(fds[0]);
    close(fds[1]);
}

/* ---- part D: kinds, maxsize, blocking, nowait ------------------------- */

/* Catches: the stub.  Mirrors Q-01 with the notes' values. */
KIT_TEST(tqueue, fifo_lifo_and_priority_give_their_orders)
{
    static int v[3] = { 111, 333, 222 };
    static const int want[3][3] = { { 111, 333, 222 }, { 222, 333, 111 }, { 111, 222, 333 } };
    static const char *const names[3] = { "TQUEUE_FIFO", "TQUEUE_LIFO", "TQUEUE_PRIORITY" };
    enum tqueue_kind kinds[3] = { TQUEUE_FIFO, TQUEUE_LIFO, TQUEUE_PRIORITY };

    for (int k = 0; k < 3; k++) {
        struct tqueue *q = new_queue(kinds[k], 0, kinds[k] == TQUEUE_PRIORITY ? cmp_int : NULL);
        for (int i = 0; i < 3; i++)
            cr_assert(eq(int, tqueue_put(q, &v[i], true, LAB_FOREVER), 0), "tqueue_put on an unbounded %s: expected 0. See docs/07-event.md#kinds", names[k]);
        for (int i = 0; i < 3; i++) {
            void *item = NULL;
            int err = tqueue_get(q, &item, true, LAB_FOREVER);
            cr_assert(eq(int, err, 0), "tqueue_get on a %s holding items: expected 0, got %s", names[k], kit_errname(err));
            cr_expect(eq(int, *(int *)item, want[k][i]), "%s: put 111, 333, 222; get number %d gave %d, expected %d. See docs/07-event.md#kinds", names[k], i + 1, *(int *)item, want[k][i]);
        }
        tqueue_free(q);
    }
}

/* Catches: priority_not_stable.patch.  Equal keys keep the put order. */
KIT_TEST(tqueue, priority_ties_come_out_in_insertion_order)
{
    static const int keys[12] = { 5, 1, 5, 1, 3, 5, 1, 3, 5, 1, 3, 5 };
    struct prio_item items[12];
    struct tqueue *q = new_queue(TQUEUE_PRIORITY, 0, cmp_key);
    int last_key = -1;
    int last_id = -1;

    for (int i = 0; i < 12; i++) {
        items[i] = (struct prio_item){ .key = keys[i], .id = i };
        cr_assert(eq(int, tqueue_put_nowait(q, &items[i]), 0), "tqueue_put_nowait on an unbounded priority queue: expected 0");
    }
    for (int i = 0; i < 12; i++) {
        struct prio_item *it = NULL;
        cr_assert(eq(int, tqueue_get_nowait(q, (void **)&it), 0), "tqueue_get_nowait with %d items left: expected 0", 12 - i);
        cr_assert(it->key >= last_key, "priority queue gave key %d after key %d: smallest first. See docs/07-event.md#kinds", it->key, last_key);
        if (it->key == last_key)
            cr_assert(it->id > last_id, "two items with key %d came out as put number %d after put number %d: equal priorities must come out in insertion order. See docs/07-event.md#stable", it->key, it->id + 1, last_id + 1);
        last_key = it->key;
        last_id = it->id;
    }
    tqueue_free(q);
}

/* Catches: the stub.  Mirrors Q-02, Q-03 (the nowait forms), Q-06. */
KIT_TEST(tqueue, maxsize_makes_the_queue_full_and_nowait_fails_with_eagain)
{
    int v[6] = { 0, 1, 2, 3, 4, 5 };
    struct tqueue *q = new_queue(TQUEUE_FIFO, 5, NULL);
    struct tqueue *u = new_queue(TQUEUE_FIFO, -5, NULL);
    double t0;
    int err;

    cr_expect(tqueue_empty(q) && !(tqueue_full(q)), "a new Queue(5): expected empty() true and full() false. See docs/07-event.md#maxsize");
    for (int i = 0; i < 4; i++)
        cr_assert(eq(int, tqueue_put_nowait(q, &v[i]), 0), "tqueue_put_nowait number %d into Queue(5): expected 0", i + 1);
    cr_expect(tqueue_qsize(q) == 4 && !tqueue_full(q), "Queue(5) after 4 puts: expected qsize 4 and not full, got qsize %zu. See docs/07-event.md#maxsize", tqueue_qsize(q));
    cr_assert(eq(int, tqueue_put(q, &v[4], true, LAB_FOREVER), 0), "the 5th put into Queue(5): expected 0");
    cr_expect(tqueue_full(q) && !(tqueue_empty(q)), "Queue(5) after 5 puts: expected full() true, empty() false. See docs/07-event.md#maxsize");
    err = tqueue_put_nowait(q, &v[5]);
    cr_expect(eq(int, err, -EAGAIN), "tqueue_put_nowait on a full queue: expected -EAGAIN (Python: queue.Full), got %s. See docs/07-event.md#nowait", kit_errname(err));
    t0 = kit_now();
    err = tqueue_put(q, &v[5], false, 10.0);
    cr_expect(eq(int, err, -EAGAIN), "tqueue_put(q, x, false, 10.0) on a full queue: expected -EAGAIN at once (the timeout is ignored without block), got %s. See docs/07-event.md#nowait", kit_errname(err));
    cr_expect(kit_now() - t0 < 5.0, "tqueue_put(q, x, false, 10.0) blocked for %.2f s. See docs/07-event.md#nowait", kit_now() - t0);
    for (int i = 0; i < 100; i++)
        cr_assert(eq(int, tqueue_put_nowait(u, &v[0]), 0), "tqueue_put_nowait number %d into Queue(-5): expected 0 (maxsize <= 0 is unbounded). See docs/07-event.md#maxsize", i + 1);
    cr_expect(false == (tqueue_full(u)), "Queue(-5) with 100 items: full() must stay false. See docs/07-event.md#maxsize");
    tqueue_free(q);
    tqueue_free(u);
}

/* Catches: the stub.  Mirrors Q-03 and Q-04 (the timed forms). */
KIT_TEST(tqueue, timed_put_and_get_time_out_on_full_and_empty)
{
    int v = 7;
    void *item = &v;
    struct tqueue *q = new_queue(TQUEUE_LIFO, 1, NULL);
    double t0 = kit_now();
    double took;
    int err = tqueue_get(q, &item, true, 0.2);

    took = kit_now() - t0;
    cr_expect(eq(int, err, -ETIMEDOUT), "tqueue_get(q, &item, true, 0.2) on an empty queue: expected -ETIMEDOUT (Python: queue.Empty), got %s. See docs/07-event.md#timeouts", kit_errname(err));
    cr_expect(took >= 0.195 && took < 5.0, "tqueue_get(..., 0.2) returned after %.3f s, expected about 0.2 s. See docs/07-event.md#timeouts", took);
    err = tqueue_get_nowait(q, &item);
    cr_expect(eq(int, err, -EAGAIN), "tqueue_get_nowait on an empty queue: expected -EAGAIN (Python: queue.Empty), got %s. See docs/07-event.md#nowait", kit_errname(err));
    cr_assert(eq(int, tqueue_put(q, &v, true, 0), 0), "tqueue_put into an empty Queue(1): expected 0");
    t0 = kit_now();
    err = tqueue_put(q, &v, true, 0.2);
    took = kit_now() - t0;
    cr_expect(eq(int, err, -ETIMEDOUT), "tqueue_put(q, x, true, 0.2) on a full queue: expected -ETIMEDOUT (Python: queue.Full), got %s. See docs/07-event.md#timeouts", kit_errname(err));
    cr_expect(took >= 0.195 && took < 5.0, "tqueue_put(..., 0.2) returned after %.3f s, expected about 0.2 s. See docs/07-event.md#timeouts", took);
    cr_expect(eq(int, tqueue_put(NULL, &v, true, 0), -EINVAL), "tqueue_put(NULL, ...): expected -EINVAL");
    cr_expect(eq(int, tqueue_get(q, NULL, true, 0), -EINVAL), "tqueue_get(q, NULL, ...): expected -EINVAL");
    cr_expect(eq(int, tqueue_get(q, &item, true, NAN), -EINVAL), "tqueue_get(q, &item, true, NAN): expected -EINVAL");
    tqueue_free(q);
}

/* Catches: get_forgets_not_full.patch (get never wakes a blocked put).
 * Mirrors Q-07. */
KIT_TEST(tqueue, blocked_put_returns_when_a_get_makes_room)
{
    int a = 1;
    int b = 2;
    struct tqueue *q = new_queue(TQUEUE_FIFO, 1, NULL);
    struct blocker bl;
    pthread_t t;
    void *item = NULL;

    cr_assert(eq(int, tqueue_put_nowait(q, &a), 0), "tqueue_put_nowait into an empty Queue(1): expected 0");
    start_blocker(&bl, &t, q, true, &b);
    cr_assert(eq(int, tqueue_get_nowait(q, &item), 0), "tqueue_get_nowait on a full Queue(1): expected 0");
    pthread_join(t, NULL);
    cr_expect(eq(int, bl.err, 0), "a put blocked on a full Queue(1), then a get made room: expected the put to return 0, got %s (get must signal not_full). See docs/07-event.md#wait-loop", kit_errname(bl.err));
    cr_expect(eq(ptr, item, &a), "the get took the wrong item");
    tqueue_free(q);
}

/* Catches: the stub.  Mirrors Q-07 the other way round. */
KIT_TEST(tqueue, blocked_get_returns_the_item_a_put_brings)
{
    int a = 1;
    struct tqueue *q = new_queue(TQUEUE_FIFO, 0, NULL);
    struct blocker bl;
    pthread_t t;

    start_blocker(&bl, &t, q, false, NULL);
    cr_assert(eq(int, tqueue_put(q, &a, true, LAB_FOREVER), 0), "tqueue_put: expected 0");
    pthread_join(t, NULL);
    cr_expect(eq(int, bl.err, 0), "a get blocked on an empty queue, then a put: expected the get to return 0, got %s. See docs/07-event.md#wait-loop", kit_errname(bl.err));
    cr_expect(eq(ptr, bl.item, &a), "the blocked get returned %p, expected the item put (%p)", bl.item, (void *)&a);
    tqueue_free(q);
}

/* Catches: the stub.  -EINVAL for bad kinds and comparison functions. */
KIT_TEST(tqueue, new_rejects_a_bad_kind_or_comparison)
{
    struct tqueue *q = (struct tqueue *)&q;
    int err = tqueue_new(&q, TQUEUE_PRIORITY, 0, NULL);

    kit_require_impl(err, "tqueue_new", "07-D");
    cr_expect(eq(int, err, -EINVAL), "tqueue_new(&q, TQUEUE_PRIORITY, 0, NULL): expected -EINVAL (a priority queue needs cmp), got %s. See docs/07-event.md#kinds", kit_errname(err));
    cr_expect(q == NULL, "tqueue_new failed but left *out non-NULL");
    err = tqueue_new(&q, TQUEUE_FIFO, 0, cmp_int);
    cr_expect(eq(int, err, -EINVAL), "tqueue_new(&q, TQUEUE_FIFO, 0, cmp): expected -EINVAL, got %s. See docs/07-event.md#kinds", kit_errname(err));
    err = tqueue_new(&q, (enum tqueue_kind)7, 0, NULL);
    cr_expect(eq(int, err, -EINVAL), "tqueue_new(&q, 7, 0, NULL): expected -EINVAL, got %s. See docs/07-event.md#kinds", kit_errname(err));
}

/* ---- part E: task_done and join ---------------------------------------- */

/* Catches: the stub.  Mirrors Q-08. */
KIT_TEST(tqueue, task_done_more_often_than_put_fails_with_einval)
{
    int v = 1;
    void *item;
    struct tqueue *q = new_queue(TQUEUE_FIFO, 0, NULL);
    int err = tqueue_task_done(q);

    cr_expect(eq(int, err, -EINVAL), "tqueue_task_done on a fresh queue: expected -EINVAL (Python: ValueError), got %s. See docs/07-event.md#task-done", kit_errname(err));
    cr_assert(eq(int, tqueue_put_nowait(q, &v), 0), "tqueue_put_nowait: expected 0");
    cr_assert(eq(int, tqueue_get_nowait(q, &item), 0), "tqueue_get_nowait: expected 0");
    cr_expect(eq(int, tqueue_task_done(q), 0), "tqueue_task_done after one put: expected 0. See docs/07-event.md#task-done");
    err = tqueue_task_done(q);
    cr_expect(eq(int, err, -EINVAL), "a second tqueue_task_done after one put: expected -EINVAL (called too many times), got %s. See docs/07-event.md#task-done", kit_errname(err));
    tqueue_free(q);
}

/* Catches: the stub.  Mirrors Q-09: join returns at once when nothing
 * is unfinished, and waits (with a timeout in C) while something is. */
KIT_TEST(tqueue, join_returns_at_once_with_nothing_unfinished)
{
    int v = 1;
    void *item;
    struct tqueue *q = new_queue(TQUEUE_FIFO, 0, NULL);
    int err = tqueue_join(q, LAB_FOREVER);

    cr_expect(eq(int, err, 0), "tqueue_join on a fresh queue: expected 0 at once, got %s. See docs/07-event.md#task-done", kit_errname(err));
    cr_assert(eq(int, tqueue_put_nowait(q, &v), 0), "tqueue_put_nowait: expected 0");
    cr_assert(eq(int, tqueue_get_nowait(q, &item), 0), "tqueue_get_nowait: expected 0");
    err = tqueue_join(q, 0.05);
    cr_expect(eq(int, err, -ETIMEDOUT), "tqueue_join(q, 0.05) with one item taken but not task_done: expected -ETIMEDOUT, got %s (get alone does not finish a task). See docs/07-event.md#task-done", kit_errname(err));
    cr_assert(eq(int, tqueue_task_done(q), 0), "tqueue_task_done: expected 0");
    cr_expect(eq(int, tqueue_join(q, 0), 0), "tqueue_join after the task_done: expected 0. See docs/07-event.md#task-done");
    tqueue_free(q);
}

/* The worker of the join test: takes TASKS items once the main thread
 * is blocked in join, then calls task_done for each. */
struct worker {
    struct tqueue *q;
    pid_t main_tid;
    int err;
};

static void *
worker_thread(void *arg)
{
    struct worker *w = arg;
    void *item;

    for (int i = 0; i < TASKS; i++)
        if ((w->err = tqueue_get(w->q, &item, true, 10.0)) != 0)
            return NULL;
    if (!kit_wait_asleep(w->main_tid, 10.0)) {
        w->err = -ETIMEDOUT;
        return NULL;
    }
    for (int i = 0; i < TASKS && w->err == 0; i++)
        w->err = tqueue_task_done(w->q);
    return NULL;
}

/* Catches: task_done_never_wakes_join.patch.  The worker finishes its
 * tasks only once join is blocked: the last task_done must wake it. */
KIT_TEST(tqueue, join_wakes_when_the_last_task_is_done)
{
    int v[TASKS];
    struct tqueue *q = new_queue(TQUEUE_FIFO, 0, NULL);
    struct worker w = { .q = q, .main_tid = gettid() };
    pthread_t t;
    int err;

    for (int i = 0; i < TASKS; i++)
        cr_assert(eq(int, tqueue_put_nowait(q, &v[i]), 0), "tqueue_put_nowait: expected 0");
    cr_assert(eq(int, pthread_create(&t, NULL, worker_thread, &w), 0), "test setup: pthread_create failed");
    double took;
    double t0 = kit_now();

    err = tqueue_join(q, 5.0);
    took = kit_now() - t0;
    pthread_join(t, NULL);
    cr_assert(eq(int, w.err, 0), "the worker's get/task_done failed: %s", kit_errname(w.err));
    cr_expect(eq(int, err, 0), "tqueue_join(q, 5.0) while a worker did all %d tasks: expected 0, got %s. See docs/07-event.md#task-done", TASKS, kit_errname(err));
    cr_expect(took < 4.0, "tqueue_join(q, 5.0) returned %.2f s after it started, though the worker finished its tasks as soon as join blocked: the last task_done must wake every joiner (broadcast); a joiner nobody wakes returns only at its deadline. See docs/07-event.md#task-done", took);
    tqueue_free(q);
}
