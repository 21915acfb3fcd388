/*
 * demo_queues.c - the notes' three queues: put '11', 22 and {'num': 100}
 * into a Queue and a LifoQueue, and (10, 'Q'), (30, 'Z'), (20, 'A') into
 * a PriorityQueue, then take everything out again.
 */
#include <stdio.h>

#include "tqueue.h"

/* A priority queue entry: the notes' (priority, data) tuple. */
struct entry {
    int priority;
    const char *data;
};

static int
by_priority(const void *a, const void *b)
{
    const struct entry *x = a;
    const struct entry *y = b;

    return (x->priority > y->priority) - (x->priority < y->priority);
}

/* drain - get every item and print it with `show`. */
static int
drain(struct tqueue *q, const char *title, void (*show)(const void *))
{
    void *item;

    printf("%s:", title);
    while (tqueue_get_nowait(q, &item) == 0)
        show(item);
    printf("\n");
    return tqueue_empty(q) ? 0 : 1;
}

static void
show_text(const void *item)
{
    printf(" %s", (const char *)item);
}

static void
show_entry(const void *item)
{
    const struct entry *e = item;

    printf(" (%d, '%s')", e->priority, e->data);
}

/* fill_and_drain - one queue of `kind` with the notes' items. */
static int
fill_and_drain(enum tqueue_kind kind, const char *title)
{
    static char *items[] = { "'11'", "22", "{'num': 100}" };
    static struct entry entries[] = { { 10, "Q" }, { 30, "Z" }, { 20, "A" } };
    struct tqueue *q;
    bool prio = kind == TQUEUE_PRIORITY;
    int err = tqueue_new(&q, kind, 0, prio ? by_priority : NULL);

    for (int i = 0; err == 0 && i < 3; i++)
        err = tqueue_put(q, prio ? (void *)&entries[i] : items[i], true,
                         LAB_FOREVER);
    if (err == 0)
        err = drain(q, title, prio ? show_entry : show_text);
    tqueue_free(q);
    return err;
}

int
main(void)
{
    if (fill_and_drain(TQUEUE_FIFO, "Queue (first in, first out)") ||
        fill_and_drain(TQUEUE_LIFO, "LifoQueue (last in, first out)") ||
        fill_and_drain(TQUEUE_PRIORITY, "PriorityQueue (smallest first)")) {
        fprintf(stderr, "demo_queues: a queue call failed\n");
        return 1;
    }
    return 0;
}
