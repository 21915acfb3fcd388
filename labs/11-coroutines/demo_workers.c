/*
 * demo_workers.c - the notes' last gevent example: three workers that
 * sleep random times, run once with a blocking sleep and once with the
 * hub's sleep (lab 11, parts B and C).
 * Python:  monkey.patch_all(); gevent.joinall([gevent.spawn(
 *          coroutine_work, "work1"), ...]) with time.sleep(random.random())
 *          (here 4 naps of 10-50 ms each).  Without the patch,
 *          time.sleep blocks the thread and the workers take the sum of
 *          their naps; with it, about the longest worker's total.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cosched.h"

#define WORKERS 3
#define NAPS 4

struct work {
    const char *name;
    double nap[NAPS];           /* seconds */
    int patched;                /* 1: co_sleep, 0: nanosleep */
};

static double
clock_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* coroutine_work - print, then nap; NAPS times. */
static void *
coroutine_work(struct co_hub *hub, void *arg)
{
    struct work *w = arg;

    for (int i = 0; i < NAPS; i++) {
        printf("  %s %d\n", w->name, i);
        if (w->patched) {
            co_sleep(hub, w->nap[i]);
        } else {
            struct timespec ts = {0, (long)(w->nap[i] * 1e9)};
            nanosleep(&ts, NULL);       /* blocks the whole thread */
        }
    }
    printf("  ------ %s finished ------\n", w->name);
    return NULL;
}

/* run_all - spawn the workers, joinall, return the seconds it took. */
static double
run_all(struct work *w)
{
    struct co_task *t[WORKERS] = {NULL};
    struct co_hub *hub;
    double t0 = clock_s();
    int err = co_hub_new(&hub);

    for (int i = 0; i < WORKERS && err == 0; i++)
        err = co_spawn(hub, &t[i], coroutine_work, &w[i]);
    if (err == 0)
        err = co_joinall(t, WORKERS, LAB_FOREVER, NULL);
    for (int i = 0; i < WORKERS; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
    return err == 0 ? clock_s() - t0 : -1;
}

/* make_work - random naps; returns the sum and sets *longest. */
static double
make_work(struct work *w, double *longest)
{
    static const char *const names[WORKERS] = {"work1", "work2", "work3"};
    double sum = 0;

    *longest = 0;
    for (int i = 0; i < WORKERS; i++) {
        double total = 0;
        w[i].name = names[i];
        w[i].patched = 0;
        for (int j = 0; j < NAPS; j++) {
            w[i].nap[j] = 0.010 + (rand() % 41) / 1000.0;
            total += w[i].nap[j];
        }
        sum += total;
        *longest = total > *longest ? total : *longest;
    }
    return sum;
}

int
main(void)
{
    struct work w[WORKERS];
    double longest;
    double sum;
    double blocking;
    double patched;

    srand(11);
    sum = make_work(w, &longest);
    printf("blocking sleep (no monkey patching):\n");
    blocking = run_all(w);
    for (int i = 0; i < WORKERS; i++)
        w[i].patched = 1;
    printf("co_sleep (what monkey.patch_all gives):\n");
    patched = run_all(w);
    printf("naps: sum %.3f s, longest worker %.3f s\n", sum, longest);
    printf("blocking: %.3f s   co_sleep: %.3f s\n", blocking, patched);
    return blocking < 0 || patched < 0 || patched >= sum;
}
