/*
 * demo_greenlet.c - the notes' greenlet example: two coroutines switch to
 * each other by name and print A B A B (lab 11, part A).
 * Python:  gr1 = greenlet(test_1); gr2 = greenlet(test_2); gr1.switch()
 */
#include <stdio.h>

#include "co.h"

#define ROUNDS 3

static struct co *gr1;
static struct co *gr2;

/* test_1 - print A, then let gr2 run; ROUNDS times. */
static void *
test_1(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        printf("---A---\n");
        co_switch(gr2, NULL, NULL);
    }
    return arg;
}

/* test_2 - print B, then let gr1 run; forever (freed suspended). */
static void *
test_2(void *arg)
{
    for (;;) {
        printf("---B---\n");
        co_switch(gr1, NULL, NULL);
    }
    return arg;
}

int
main(void)
{
    int err = co_new(&gr1, test_1, NULL);

    if (err == 0)
        err = co_new(&gr2, test_2, NULL);
    if (err == 0)
        err = co_switch(gr1, NULL, NULL);
    if (err != 0) {
        fprintf(stderr, "demo_greenlet: error %d\n", err);
        return 1;
    }
    printf("gr1 finished (dead=%d), gr2 still suspended (active=%d)\n",
           co_dead(gr1), co_active(gr2));
    co_free(gr1);
    co_free(gr2);
    return 0;
}
