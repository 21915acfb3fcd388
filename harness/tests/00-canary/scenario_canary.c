/*
 * scenario_canary.c - programs whose verdict is known, so the self-test
 * can prove each detector still works on this machine before any
 * student is blamed (DESIGN section 5, step 4).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

#define ROUNDS 1000

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *
add_racy(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++)
        counter++;
    return NULL;
}

static void *
add_locked(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock_a);
        counter++;
        pthread_mutex_unlock(&lock_a);
    }
    return NULL;
}

static void
run_pair(void *(*fn)(void *))
{
    pthread_t t[2];

    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, fn, NULL) != 0)
            kit_scen_fail("pthread_create failed");
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
}

/* lock_in_order - take two locks in the given order, then release. */
static void *
lock_ab(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock_a);
    pthread_mutex_lock(&lock_b);
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void *
lock_ba(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock_b);
    pthread_mutex_lock(&lock_a);
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
    return NULL;
}

/* Both orders run, one after the other: never deadlocks, but the
 * inversion is there for Helgrind and TSan to see. */
static void
lock_order(void)
{
    pthread_t t;

    pthread_create(&t, NULL, lock_ab, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, lock_ba, NULL);
    pthread_join(t, NULL);
}

/* A real AB/BA deadlock: each thread holds one lock, then waits for the
 * other, behind a barrier so the cycle always forms. */
static pthread_barrier_t both_hold;

static void *
hold_a_want_b(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock_a);
    pthread_barrier_wait(&both_hold);
    pthread_mutex_lock(&lock_b);
    return NULL;
}

static void *
hold_b_want_a(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock_b);
    pthread_barrier_wait(&both_hold);
    pthread_mutex_lock(&lock_a);
    return NULL;
}

static void
deadlock(void)
{
    pthread_t t[2];

    pthread_barrier_init(&both_hold, NULL, 2);
    pthread_create(&t[0], NULL, hold_a_want_b, NULL);
    pthread_create(&t[1], NULL, hold_b_want_a, NULL);
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
}

/* One item, two consumers, woken by broadcast: with `if` instead of
 * `while` around the wait, the second consumer takes an empty slot. */
static pthread_cond_t item_ready = PTHREAD_COND_INITIALIZER;
static int items;
static int stolen;
static bool use_if;

static void *
consume(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock_a);
    if (use_if) {
        if (items == 0)
            pthread_cond_wait(&item_ready, &lock_a);
    } else {
        while (items == 0)
            pthread_cond_wait(&item_ready, &lock_a);
    }
    if (items == 0)
        stolen++;
    else
        items--;
    pthread_mutex_unlock(&lock_a);
    return NULL;
}

static void
cond_round(void)
{
    pthread_t t[2];

    items = 0;
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, consume, NULL);
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&lock_a);
        items++;
        pthread_cond_broadcast(&item_ready);
        pthread_mutex_unlock(&lock_a);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
}

static void
cond_rounds(bool with_if)
{
    use_if = with_if;
    for (int i = 0; i < kit_scen_repeat(50); i++)
        cond_round();
    kit_scen_check(stolen == 0, "%d consumer(s) woke to an empty queue and took an item that was not there", stolen);
}

int
main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";

    if (strcmp(c, "racy_counter") == 0)
        run_pair(add_racy);
    else if (strcmp(c, "locked_counter") == 0)
        run_pair(add_locked);
    else if (strcmp(c, "lock_order") == 0)
        lock_order();
    else if (strcmp(c, "leak") == 0)
        counter = (long)(malloc(64) != NULL); /* the pointer is dropped */
    else if (strcmp(c, "no_leak") == 0)
        free(malloc(64));
    else if (strcmp(c, "deadlock") == 0)
        deadlock();
    else if (strcmp(c, "cond_if") == 0)
        cond_rounds(true);
    else if (strcmp(c, "cond_while") == 0)
        cond_rounds(false);
    else
        return 2;
    return 0;
}
