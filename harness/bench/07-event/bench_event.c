/*
 * bench_event.c - an Event ping-pong between two threads (round trips per
 * second) and items per second through a queue from one producer thread
 * to one consumer thread (lab 07).  Python twin: bench_event.py.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "event.h"
#include "tqueue.h"

#define ROUNDS 20000
#define ITEMS 500000

struct pair {
    struct event *ping;
    struct event *pong;
};

static void *
ponger(void *arg)
{
    struct pair *p = arg;

    for (int i = 0; i < ROUNDS; i++) {
        if (event_wait(p->ping, LAB_FOREVER) != 0 || event_clear(p->ping) != 0 ||
            event_set(p->pong) != 0)
            exit(1);
    }
    return NULL;
}

/* ping_pong_rate - round trips per second: set ping, wait pong, clear. */
static double
ping_pong_rate(void)
{
    struct pair p;
    pthread_t t;
    double t0;

    if (event_new(&p.ping) != 0 || event_new(&p.pong) != 0 ||
        pthread_create(&t, NULL, ponger, &p) != 0)
        exit(1);
    t0 = kit_now();
    for (int i = 0; i < ROUNDS; i++) {
        if (event_set(p.ping) != 0 || event_wait(p.pong, LAB_FOREVER) != 0 ||
            event_clear(p.pong) != 0)
            exit(1);
    }
    t0 = kit_now() - t0;
    pthread_join(t, NULL);
    event_free(p.ping);
    event_free(p.pong);
    return ROUNDS / t0;
}

static void *
consumer(void *arg)
{
    void *item;

    for (int i = 0; i < ITEMS; i++)
        if (tqueue_get(arg, &item, true, LAB_FOREVER) != 0)
            exit(1);
    return NULL;
}

/* queue_rate - items per second, one producer (this thread), one consumer. */
static double
queue_rate(void)
{
    static int value;
    struct tqueue *q;
    pthread_t t;
    double t0;

    if (tqueue_new(&q, TQUEUE_FIFO, 0, NULL) != 0 ||
        pthread_create(&t, NULL, consumer, q) != 0)
        exit(1);
    t0 = kit_now();
    for (int i = 0; i < ITEMS; i++)
        if (tqueue_put(q, &value, true, LAB_FOREVER) != 0)
            exit(1);
    pthread_join(t, NULL);
    t0 = kit_now() - t0;
    tqueue_free(q);
    return ITEMS / t0;
}

int
main(void)
{
    printf("bench\tevent_ping_pong\t%.0f\tround trips/s\tEvent set/wait/clear ping-pong between 2 threads\n", ping_pong_rate());
    printf("bench\tqueue_thread_to_thread\t%.0f\titems/s\tQueue() put by one thread, get by another\n", queue_rate());
    return 0;
}
