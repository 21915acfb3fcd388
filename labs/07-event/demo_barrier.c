/*
 * demo_barrier.c - three runners wait at the start line (a Barrier of 3);
 * the last to arrive fires the starting gun (the action), and each runner
 * prints the index barrier_wait gave it.  Then a barrier that only two of
 * three threads reach: the timeout breaks it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "barrier.h"

struct runner {
    struct barrier *b;
    int id;
    unsigned index;
    int err;
};

static int
fire_gun(void *arg)
{
    (void)arg;
    printf("bang! (the last runner to arrive fired the gun)\n");
    return 0;
}

static void *
run(void *arg)
{
    struct runner *r = arg;

    r->err = barrier_wait(r->b, &r->index, 5.0);
    return NULL;
}

/* race - three runner threads through one barrier cycle. */
static int
race(void)
{
    struct runner r[3];
    pthread_t t[3];
    struct barrier *b;

    if (barrier_new(&b, 3, fire_gun, NULL) != 0)
        return 1;
    for (int i = 0; i < 3; i++) {
        r[i] = (struct runner){ .b = b, .id = i + 1 };
        if (pthread_create(&t[i], NULL, run, &r[i]) != 0) {
            barrier_abort(b);   /* release the runners already waiting */
            for (int k = 0; k < i; k++)
                pthread_join(t[k], NULL);
            barrier_free(b);
            return 1;
        }
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        printf("runner %d: barrier_wait returned %d, index %u\n",
               r[i].id, r[i].err, r[i].index);
    }
    barrier_free(b);
    return r[0].err || r[1].err || r[2].err;
}

/* broken - only two of three arrive; a 0.1 s timeout breaks the barrier. */
static int
broken(void)
{
    struct runner r = { .id = 1 };
    pthread_t t;
    int err;

    if (barrier_new(&r.b, 3, NULL, NULL) != 0)
        return 1;
    if (pthread_create(&t, NULL, run, &r) != 0) {
        barrier_free(r.b);
        return 1;
    }
    err = barrier_wait(r.b, NULL, 0.1);
    pthread_join(t, NULL);
    printf("with 2 of 3 parties: main got %s, the other runner got %s; broken = %d\n",
           err == -ETIMEDOUT ? "-ETIMEDOUT" : strerror(-err),
           r.err == -ECANCELED ? "-ECANCELED" : strerror(-r.err),
           barrier_broken(r.b));
    barrier_free(r.b);
    return err != -ETIMEDOUT;
}

int
main(void)
{
    if (race() != 0 || broken() != 0) {
        fprintf(stderr, "demo_barrier: unexpected result\n");
        return 1;
    }
    return 0;
}
