/*
 * bench_co.c - what a coroutine switch and a spawn+join cost (lab 11).
 * Python twin: bench_co.py (greenlet's switch, gevent.spawn + join).
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "co.h"
#include "cosched.h"

#define SWITCH_ROUNDS 2000000
#define SPAWN_ROUNDS 100000

static void
fail(const char *what)
{
    fprintf(stderr, "bench_co: %s failed\n", what);
    exit(1);
}

/* bounce - yield back to the parent forever. */
static void *
bounce(void *arg)
{
    for (;;)
        co_yield(arg, NULL);
    return NULL;
}

/* switch_ns - nanoseconds per switch: main <-> a coroutine, with a value
 * passed each way (two switches per round trip). */
static double
switch_ns(void)
{
    struct co *co;
    double t0;
    double took;

    if (co_new(&co, bounce, NULL) != 0)
        fail("co_new");
    t0 = kit_now();
    for (long i = 0; i < SWITCH_ROUNDS; i++) {
        void *back;
        if (co_switch(co, (void *)i, &back) != 0)
            fail("co_switch");
    }
    took = kit_now() - t0;
    co_free(co);
    return took / (2.0 * SWITCH_ROUNDS) * 1e9;
}

static void *
noop(struct co_hub *hub, void *arg)
{
    (void)hub;
    return arg;
}

/* spawn_join_rate - tasks spawned, joined and freed per second. */
static double
spawn_join_rate(void)
{
    struct co_hub *hub;
    double t0;

    if (co_hub_new(&hub) != 0)
        fail("co_hub_new");
    t0 = kit_now();
    for (int i = 0; i < SPAWN_ROUNDS; i++) {
        struct co_task *t;
        if (co_spawn(hub, &t, noop, NULL) != 0 ||
            co_join(t, LAB_FOREVER) != 0)
            fail("co_spawn + co_join");
        co_task_free(t);
    }
    t0 = kit_now() - t0;
    co_hub_free(hub);
    return SPAWN_ROUNDS / t0;
}

int
main(void)
{
    printf("bench\tco_switch\t%.1f\tns\tone switch (ping-pong with a value each way, per switch)\n",
           switch_ns());
    printf("bench\tco_spawn_join\t%.0f\ttasks/s\tspawn(noop) + join, one at a time\n",
           spawn_join_rate());
    return 0;
}
