/*
 * demo_gevent.c - the notes' gevent example: three tasks print a counter
 * and sleep, and the hub interleaves them (lab 11, part B).
 * Python:  g1 = gevent.spawn(f1, 5) ... g1.join(); g2.join(); g3.join()
 *          with gevent.sleep(0.5) (here 0.05 s, to finish quickly).
 */
#include <stdio.h>

#include "cosched.h"

#define COUNT 5
#define NAP 0.05

/* worker - print "name i" COUNT times, sleeping NAP between. */
static void *
worker(struct co_hub *hub, void *arg)
{
    const char *name = arg;

    for (int i = 0; i < COUNT; i++) {
        printf("%s %d\n", name, i);
        co_sleep(hub, NAP);
    }
    return NULL;
}

int
main(void)
{
    static char *const names[] = {"f1", "f2", "f3"};
    struct co_task *g[3] = {NULL, NULL, NULL};
    struct co_hub *hub;
    int err = co_hub_new(&hub);

    for (int i = 0; i < 3 && err == 0; i++)
        err = co_spawn(hub, &g[i], worker, names[i]);
    for (int i = 0; i < 3 && err == 0; i++)
        err = co_join(g[i], LAB_FOREVER);
    for (int i = 0; i < 3; i++)
        co_task_free(g[i]);
    co_hub_free(hub);
    if (err != 0)
        fprintf(stderr, "demo_gevent: error %d\n", err);
    return err != 0;
}
