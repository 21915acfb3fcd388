/*
 * demo_yield.c - the notes' first coroutine: two tasks take turns, each
 * running until its yield, driven by a loop in main (lab 11, part A).
 * Python:  t1 = task_1(); t2 = task_2(); while True: next(t1); next(t2)
 *          (here 3 turns each, and no time.sleep: it would only slow
 *          the printing down).
 */
#include <stdio.h>

#include "co.h"

#define TURNS 3

/* task - print its name, then yield to main; forever. */
static void *
task(void *arg)
{
    const char *name = arg;

    for (;;) {
        printf("---%s---\n", name);
        co_yield(NULL, NULL);
    }
    return NULL;
}

int
main(void)
{
    struct co *t1 = NULL;
    struct co *t2 = NULL;
    int err = co_new(&t1, task, NULL);

    if (err == 0)
        err = co_new(&t2, task, NULL);
    /* The first switch starts a task with its argument; later ones
     * resume it where it yielded (the value is then ignored). */
    for (int i = 0; i < TURNS && err == 0; i++) {
        err = co_switch(t1, "1", NULL);
        if (err == 0)
            err = co_switch(t2, "2", NULL);
    }
    co_free(t1);
    co_free(t2);
    if (err != 0)
        fprintf(stderr, "demo_yield: error %d\n", err);
    return err != 0;
}
