/*
 * demo_deadlock.c - two threads, two accounts, opposite order: each takes
 * its first lock, then waits for the other's.  Timed acquires let the
 * demo see the deadlock and end by itself; then account_transfer, which
 * takes the locks in one global order, moves money both ways at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "account.h"

#define TRANSFERS 100000

struct side {
    struct account *first;
    struct account *second;
    const char *name;
    pthread_barrier_t *both;    /* meets the other thread, twice */
    int err;
};

/* take_in_my_order - lock first, wait for the other thread to hold its
 * first too, try for second for one second, and let go of first only
 * when the other thread has tried too. */
static void *
take_in_my_order(void *arg)
{
    struct side *s = arg;

    s->err = account_acquire(s->first, LAB_FOREVER);
    if (s->err != 0)
        return NULL;
    pthread_barrier_wait(s->both);
    s->err = account_acquire(s->second, 1.0);
    pthread_barrier_wait(s->both);
    if (s->err == 0)
        account_release(s->second);
    account_release(s->first);
    return NULL;
}

/* show_deadlock - AB in one thread, BA in the other. */
static void
show_deadlock(struct account *a, struct account *b)
{
    pthread_barrier_t both;
    struct side s[2] = {{a, b, "A then B", &both, 0}, {b, a, "B then A", &both, 0}};
    pthread_t t[2];

    pthread_barrier_init(&both, NULL, 2);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, take_in_my_order, &s[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&both);
    for (int i = 0; i < 2; i++)
        printf("thread locking %s: %s\n", s[i].name, s[i].err == -ETIMEDOUT ? "held its first lock, waited 1 s for the second: stuck" : s[i].err == 0 ? "got both" : "error");
    if (s[0].err == -ETIMEDOUT && s[1].err == -ETIMEDOUT)
        printf("=> deadlock: each held the lock the other waited for (without the timeout, for ever)\n");
}

struct mover {
    struct account *from;
    struct account *to;
    int err;
};

static void *
move_many(void *arg)
{
    struct mover *m = arg;

    for (int i = 0; i < TRANSFERS && m->err == 0; i++)
        m->err = account_transfer(m->from, m->to, 1);
    return NULL;
}

/* show_ordered - TRANSFERS each way at once with account_transfer. */
static int
show_ordered(struct account *a, struct account *b)
{
    struct mover m[2] = {{a, b, 0}, {b, a, 0}};
    pthread_t t[2];
    long ba = 0;
    long bb = 0;

    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, move_many, &m[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    if (m[0].err || m[1].err || account_balance(a, &ba) ||
        account_balance(b, &bb)) {
        printf("account_transfer failed (not implemented yet? see TODO(06-C))\n");
        return 1;
    }
    printf("ordered locks: %d transfers each way at once, balances %ld + %ld = %ld\n", TRANSFERS, ba, bb, ba + bb);
    return ba + bb == 200 ? 0 : 1;
}

int
main(void)
{
    struct account *a = NULL;
    struct account *b = NULL;
    int bad = 1;

    if (account_new(&a, 100) == 0 && account_new(&b, 100) == 0) {
        show_deadlock(a, b);
        bad = show_ordered(a, b);
    }
    account_free(a);
    account_free(b);
    return bad;
}
