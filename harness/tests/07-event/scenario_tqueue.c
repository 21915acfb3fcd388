/*
 * scenario_tqueue.c - queues shared by several threads, for the
 * ordering, race and memory tiers of lab 07 (parts D, E).
 *
 *   stealers   for each kind: two consumers block in get while the main
 *              thread puts into a small bounded queue and now and then
 *              takes an item itself with get_nowait.  A consumer woken for
 *              an item that the main thread took first must wait again:
 *              every item comes out exactly once.
 *   join       a producer, a consumer calling task_done, and the main
 *              thread in join: join returns only when all work is done.
 *   lifecycle  one thread: every call once, growth, free with items left.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "tqueue.h"

/* Items per stealers round, and the bound of its queue. */
#define ITEMS 120
#define BOUND 3
#define CONSUMERS 2

/* Items are pointers to ints; STOP compares after every item. */
static int values[ITEMS + 1];
static int stop_value = INT_MAX;

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a;
    int y = *(const int *)b;

    return (x > y) - (x < y);
}

/* One consumer's tally; read by main after the join. */
struct consumer {
    struct tqueue *q;
    int seen[ITEMS + 1];
    int bad_err;
};

static void *
consume(void *arg)
{
    struct consumer *c = arg;

    for (;;) {
        void *item = NULL;
        int err = tqueue_get(c->q, &item, true, LAB_FOREVER);
        if (err != 0) {
            c->bad_err = err;
            return NULL;
        }
        if (item == &stop_value)
            return NULL;
        (void)tqueue_qsize(c->q);   /* a look while others put and get */
        if (item == NULL || (int *)item < values || (int *)item > &values[ITEMS]) {
            c->bad_err = -EFAULT;
            return NULL;
        }
        c->seen[*(int *)item]++;
    }
}

/* make_queue - tqueue_new or fail the scenario. */
static struct tqueue *
make_queue(enum tqueue_kind kind, long maxsize)
{
    struct tqueue *q = NULL;
    int err = tqueue_new(&q, kind, maxsize, kind == TQUEUE_PRIORITY ? cmp_int : NULL);

    kit_scen_require_impl(err, "tqueue_new", "07-D");
    kit_scen_check(err == 0, "tqueue_new(kind %d, maxsize %ld): expected 0, got %s", (int)kind, maxsize, kit_errname(err));
    return q;
}

/* feed - put every item, taking one back now and then; then the stops. */
static void
feed(struct tqueue *q, int *stolen)
{
    for (int i = 1; i <= ITEMS; i++) {
        void *item;
        int err = tqueue_put(q, &values[i], true, LAB_FOREVER);

        kit_scen_check(err == 0, "tqueue_put(item %d, block, LAB_FOREVER): expected 0, got %s", i, kit_errname(err));
        if (i % 3 == 0 && tqueue_get_nowait(q, &item) == 0) {
            kit_scen_check(item != &stop_value && item != NULL, "tqueue_get_nowait returned an item that was never put");
            stolen[*(int *)item]++;
        }
    }
    for (int i = 0; i < CONSUMERS; i++)
        kit_scen_check(tqueue_put(q, &stop_value, true, LAB_FOREVER) == 0, "tqueue_put(stop) failed");
}

/* tally - every item must have come out exactly once. */
static void
tally(struct tqueue *q, struct consumer *c, int *stolen, int kind)
{
    void *item;

    while (tqueue_get_nowait(q, &item) == 0)
        if (item != &stop_value)
            stolen[*(int *)item]++;
    for (int i = 1; i <= ITEMS; i++) {
        int n = stolen[i];
        for (int k = 0; k < CONSUMERS; k++)
            n += c[k].seen[i];
        kit_scen_check(n == 1, "queue kind %d: item %d came out %d times, expected exactly once (a getter woken for an item someone else took must wait again: while, not if)", kind, i, n);
    }
}

static void
round_stealers(enum tqueue_kind kind)
{
    struct consumer c[CONSUMERS];
    pthread_t t[CONSUMERS];
    int stolen[ITEMS + 1] = { 0 };
    struct tqueue *q = make_queue(kind, BOUND);

    for (int k = 0; k < CONSUMERS; k++) {
        memset(&c[k], 0, sizeof(c[k]));
        c[k].q = q;
        kit_scen_check(pthread_create(&t[k], NULL, consume, &c[k]) == 0, "pthread_create failed");
    }
    feed(q, stolen);
    for (int k = 0; k < CONSUMERS; k++) {
        pthread_join(t[k], NULL);
        kit_scen_check(c[k].bad_err == 0, "consumer %d: tqueue_get(LAB_FOREVER) failed or returned a foreign item: %s", k, kit_errname(c[k].bad_err));
    }
    tally(q, c, stolen, (int)kind);
    tqueue_free(q);
}

static void
case_stealers(void)
{
    int rounds = kit_scen_repeat(2);

    for (int i = 0; i <= ITEMS; i++)
        values[i] = i;
    for (int r = 0; r < rounds; r++) {
        round_stealers(TQUEUE_FIFO);
        round_stealers(TQUEUE_LIFO);
        round_stealers(TQUEUE_PRIORITY);
    }
}

/* The join case's shared state: sum is written by the worker before
 * each task_done and read by main after join returned. */
struct job {
    struct tqueue *q;
    long sum;
    int items;
};

static void *
produce(void *arg)
{
    struct job *j = arg;

    for (int i = 1; i <= j->items; i++)
        if (tqueue_put(j->q, &values[i], true, LAB_FOREVER) != 0)
            return NULL;
    return NULL;
}

static void *
work(void *arg)
{
    struct job *j = arg;
    void *item;

    while (tqueue_get(j->q, &item, true, LAB_FOREVER) == 0) {
        if (item == &stop_value)
            return NULL;
        j->sum += *(int *)item;
        if (tqueue_task_done(j->q) != 0)
            return NULL;
    }
    return NULL;
}

static void
case_join(void)
{
    int rounds = kit_scen_repeat(5);

    for (int i = 0; i <= ITEMS; i++)
        values[i] = i;
    for (int r = 0; r < rounds; r++) {
        struct job j = { .q = make_queue(TQUEUE_FIFO, 2), .items = 40 };
        pthread_t p;
        pthread_t w;
        int err;

        kit_scen_check(pthread_create(&w, NULL, work, &j) == 0, "pthread_create failed");
        kit_scen_check(pthread_create(&p, NULL, produce, &j) == 0, "pthread_create failed");
        pthread_join(p, NULL);
        err = tqueue_join(j.q, 10.0);
        kit_scen_check(err == 0, "tqueue_join(q, 10.0) after 40 puts and a worker calling task_done: expected 0, got %s", kit_errname(err));
        kit_scen_check(j.sum == 40 * 41 / 2, "round %d: join returned while work was unfinished: sum %ld, expected %d", r, j.sum, 40 * 41 / 2);
        kit_scen_check(tqueue_put(j.q, &stop_value, true, LAB_FOREVER) == 0, "tqueue_put(stop) failed");
        pthread_join(w, NULL);
        tqueue_free(j.q);
    }
}

static void
case_lifecycle(void)
{
    enum tqueue_kind kinds[] = { TQUEUE_FIFO, TQUEUE_LIFO, TQUEUE_PRIORITY };
    void *item;

    for (int i = 0; i <= ITEMS; i++)
        values[i] = ITEMS - i;
    for (int k = 0; k < 3; k++) {
        struct tqueue *q = make_queue(kinds[k], 0);

        for (int i = 0; i < 50; i++)
            kit_scen_check(tqueue_put_nowait(q, &values[i]) == 0, "put_nowait on an unbounded queue failed");
        for (int i = 0; i < 20; i++)
            kit_scen_check(tqueue_get(q, &item, true, 0.0) == 0, "get on a non-empty queue failed");
        for (int i = 50; i < 70; i++)
            kit_scen_check(tqueue_put(q, &values[i], true, LAB_FOREVER) == 0, "put failed");
        kit_scen_check(tqueue_qsize(q) == 50, "qsize: expected 50, got %zu", tqueue_qsize(q));
        kit_scen_check(tqueue_task_done(q) == 0, "task_done failed");
        tqueue_free(q);         /* 50 items still inside */
    }
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s stealers|join|lifecycle\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "stealers") == 0)
        case_stealers();
    else if (strcmp(argv[1], "join") == 0)
        case_join();
    else if (strcmp(argv[1], "lifecycle") == 0)
        case_lifecycle();
    else
        return 2;
    return 0;
}
