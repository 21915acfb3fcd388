/*
 * demo_bank.c - the notes' bank account: 100 threads each deposit 1 with
 * a read, a pause and a write.  Without a lock (written here, the notes'
 * first version) most deposits are lost; with account_deposit the
 * balance is exactly 100.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "account.h"

#define THREADS 100

/* The notes' first Account: no lock.  Relaxed atomics keep each read and
 * write whole (a plain long here would be undefined behaviour in C) but
 * do nothing to keep the read-pause-write together. */
static atomic_long unlocked_balance;

static void *
deposit_unlocked(void *arg)
{
    long seen = atomic_load_explicit(&unlocked_balance, memory_order_relaxed);

    (void)arg;
    sched_yield();              /* the notes' time.sleep(0.01) */
    atomic_store_explicit(&unlocked_balance, seen + 1, memory_order_relaxed);
    return NULL;
}

static void *
deposit_locked(void *arg)
{
    return (void *)(long)account_deposit(arg, 1);
}

/* run_threads - THREADS threads of fn(arg); returns how many failed. */
static int
run_threads(void *(*fn)(void *), void *arg)
{
    pthread_t t[THREADS];
    int failed = 0;

    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, fn, arg) != 0)
            return THREADS;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        failed += ret != NULL;
    }
    return failed;
}

int
main(void)
{
    struct account *a = NULL;
    long balance = -1;

    run_threads(deposit_unlocked, NULL);
    printf("without a lock:   balance %ld (want %d)\n", atomic_load(&unlocked_balance), THREADS);
    if (account_new(&a, 0) != 0)
        return 1;
    if (run_threads(deposit_locked, a) != 0 ||
        account_balance(a, &balance) != 0) {
        printf("account_deposit failed (not implemented yet? see TODO(06-B))\n");
        account_free(a);
        return 1;
    }
    printf("with the account's lock: balance %ld (want %d)\n", balance, THREADS);
    account_free(a);
    return balance == THREADS ? 0 : 1;
}
