/*
 * scenario_locks.c - small, real uses of every lab 06 object from several
 * threads, for the race tier (Helgrind, DRD, TSan), and one thread going
 * through every call for the memory tier (memcheck).
 *
 *   counter    the three fixes, 2 threads x 200 increments each.
 *   account    8 threads deposit 1 at once; then one thread moves money
 *              A->B and, after it ended, another moves it B->A (both lock
 *              orders happen, without any chance of a real deadlock, so a
 *              tool that tracks lock order always sees an inversion);
 *              then two threads move A->B at once while a third deposits.
 *   rlock      2 threads take an RLock twice and change plain data.
 *   semaphore  Semaphore(1) used as a lock around plain data, a
 *              Semaphore(0) handing a value from one thread to another,
 *              and two Semaphore(0) passing a turn back and forth (each
 *              release then wakes a thread that really waits).
 *   condition  a one-slot hand-off of 50 values under a Condition.
 *   lifecycle  one thread: every call once, timeouts and errors included.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "account.h"
#include "condition.h"
#include "counter.h"
#include "rlock.h"
#include "semaphore.h"

#define ROUNDS 50

static void
start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(t, NULL, fn, arg);

    kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
}

/* ---- counter -------------------------------------------------------- */

static void
case_counter(void)
{
    const enum counter_strategy fixes[] = {
        COUNTER_LOCK_EACH, COUNTER_LOCK_BATCH, COUNTER_ATOMIC,
    };

    for (int i = 0; i < 3; i++) {
        long total = -1;
        int err = counter_run(fixes[i], 2, 200, 16, &total);

        kit_scen_require_impl(err, "counter_run", "06-A");
        kit_scen_check(err == 0 && total == 400, "counter_run(%s, 2, 200): expected 0 and 400, got %s and %ld", counter_strategy_name(fixes[i]), kit_errname(err), total);
    }
}

/* ---- account -------------------------------------------------------- */

struct bank {
    struct account *a;
    struct account *b;
};

static void *
deposit_one(void *arg)
{
    struct bank *k = arg;

    kit_scen_check(account_deposit(k->a, 1) == 0, "account_deposit failed");
    return NULL;
}

static void *
a_to_b(void *arg)
{
    struct bank *k = arg;

    for (int i = 0; i < ROUNDS; i++)
        kit_scen_check(account_transfer(k->a, k->b, 2) == 0, "account_transfer(a, b, 2) failed");
    return NULL;
}

static void *
b_to_a(void *arg)
{
    struct bank *k = arg;

    for (int i = 0; i < ROUNDS; i++)
        kit_scen_check(account_transfer(k->b, k->a, 1) == 0, "account_transfer(b, a, 1) failed");
    return NULL;
}

static void *
deposit_b(void *arg)
{
    struct bank *k = arg;

    for (int i = 0; i < ROUNDS; i++)
        kit_scen_check(account_deposit(k->b, 1) == 0, "account_deposit(b, 1) failed");
    return NULL;
}

/* run_one - start fn on k and wait for it to end. */
static void
run_one(void *(*fn)(void *), struct bank *k)
{
    pthread_t t;

    start(&t, fn, k);
    pthread_join(t, NULL);
}

static void
case_account(void)
{
    struct bank k = { NULL, NULL };
    pthread_t t[8];
    long a = -1;
    long b = -1;
    int err;

    kit_scen_check(account_new(&k.a, 0) == 0 && account_new(&k.b, 0) == 0, "account_new failed");
    err = account_deposit(k.a, 1000);
    kit_scen_require_impl(err, "account_deposit", "06-B");
    for (int i = 0; i < 8; i++)
        start(&t[i], deposit_one, &k);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    run_one(a_to_b, &k);        /* locks a, then b (or the global order) */
    run_one(b_to_a, &k);        /* locks b, then a (or the global order) */
    start(&t[0], a_to_b, &k);
    start(&t[1], a_to_b, &k);
    start(&t[2], deposit_b, &k);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    kit_scen_check(account_balance(k.a, &a) == 0 && account_balance(k.b, &b) == 0, "account_balance failed");
    kit_scen_check(a + b == 1008 + ROUNDS, "expected a + b = %d, got %ld + %ld", 1008 + ROUNDS, a, b);
    account_free(k.a);
    account_free(k.b);
}

/* ---- rlock ---------------------------------------------------------- */

struct guarded {
    struct rlock *l;
    struct semaphore *s;
    long data;                  /* guarded by l (or s) */
};

static void *
rlock_worker(void *arg)
{
    struct guarded *g = arg;

    for (int i = 0; i < ROUNDS; i++) {
        kit_scen_check(rlock_acquire(g->l, LAB_FOREVER) == 0, "rlock_acquire failed");
        kit_scen_check(rlock_acquire(g->l, 1.0) == 0, "nested rlock_acquire failed");
        g->data++;
        kit_scen_check(rlock_count(g->l) == 2 && rlock_is_owned(g->l), "count 2 and owned expected");
        kit_scen_check(rlock_release(g->l) == 0 && rlock_release(g->l) == 0, "rlock_release failed");
    }
    return NULL;
}

static void
case_rlock(void)
{
    struct guarded g = { NULL, NULL, 0 };
    pthread_t t[2];
    int err;

    kit_scen_check(rlock_new(&g.l) == 0, "rlock_new failed");
    err = rlock_acquire(g.l, 0);
    kit_scen_require_impl(err, "rlock_acquire", "06-D");
    kit_scen_check(err == 0 && rlock_release(g.l) == 0, "acquire + release failed");
    start(&t[0], rlock_worker, &g);
    start(&t[1], rlock_worker, &g);
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
    kit_scen_check(g.data == 2 * ROUNDS, "expected %d, got %ld", 2 * ROUNDS, g.data);
    rlock_free(g.l);
}

/* ---- semaphore ------------------------------------------------------ */

static void *
sem_worker(void *arg)
{
    struct guarded *g = arg;

    for (int i = 0; i < ROUNDS; i++) {
        kit_scen_check(semaphore_acquire(g->s, LAB_FOREVER) == 0, "semaphore_acquire failed");
        g->data++;
        kit_scen_check(semaphore_release(g->s, 1) == 0, "semaphore_release failed");
    }
    return NULL;
}

struct handoff {
    struct semaphore *ready;
    long value;                 /* written before release, read after acquire */
};

static void *
hand_over(void *arg)
{
    struct handoff *h = arg;

    h->value = 42;
    kit_scen_check(semaphore_release(h->ready, 1) == 0, "semaphore_release failed");
    return NULL;
}

/* Two semaphores passing the turn back and forth: every acquire but the
 * first few finds 0 and waits, so each release wakes a waiter.  The
 * acquires have a (generous) limit so that a lost wakeup costs seconds,
 * not the harness's whole Valgrind deadline. */
#define TURNS 10
#define TURN_LIMIT_S 2.0
struct pingpong {
    struct semaphore *ping;
    struct semaphore *pong;
    long turns;                 /* changed only by the turn's holder */
};

static void *
ponger(void *arg)
{
    struct pingpong *p = arg;

    for (int i = 0; i < TURNS; i++) {
        kit_scen_check(semaphore_acquire(p->ping, TURN_LIMIT_S) == 0, "semaphore_acquire(ping, %.0f): no turn came (a lost wakeup?)", TURN_LIMIT_S);
        p->turns++;
        kit_scen_check(semaphore_release(p->pong, 1) == 0, "semaphore_release(pong) failed");
    }
    return NULL;
}

static void
ping_pong(void)
{
    struct pingpong p = { NULL, NULL, 0 };
    pthread_t t;

    kit_scen_check(semaphore_new(&p.ping, 0) == 0 && semaphore_new(&p.pong, 0) == 0, "semaphore_new failed");
    start(&t, ponger, &p);
    for (int i = 0; i < TURNS; i++) {
        kit_scen_check(semaphore_release(p.ping, 1) == 0, "semaphore_release(ping) failed");
        kit_scen_check(semaphore_acquire(p.pong, TURN_LIMIT_S) == 0, "semaphore_acquire(pong, %.0f): no turn came (a lost wakeup?)", TURN_LIMIT_S);
        p.turns++;
    }
    pthread_join(t, NULL);
    kit_scen_check(p.turns == 2 * TURNS, "ping-pong turns: expected %d, got %ld", 2 * TURNS, p.turns);
    semaphore_free(p.ping);
    semaphore_free(p.pong);
}

static void
case_semaphore(void)
{
    struct guarded g = { NULL, NULL, 0 };
    struct handoff h = { NULL, 0 };
    pthread_t t[3];
    int err;

    kit_scen_check(semaphore_new(&g.s, 1) == 0 && semaphore_new(&h.ready, 0) == 0, "semaphore_new failed");
    err = semaphore_acquire(g.s, 0);
    kit_scen_require_impl(err, "semaphore_acquire", "06-E");
    kit_scen_check(err == 0 && semaphore_release(g.s, 1) == 0, "acquire + release failed");
    start(&t[0], sem_worker, &g);
    start(&t[1], sem_worker, &g);
    start(&t[2], hand_over, &h);
    kit_scen_check(semaphore_acquire(h.ready, LAB_FOREVER) == 0, "semaphore_acquire(ready) failed");
    kit_scen_check(h.value == 42, "the value handed over: expected 42, got %ld", h.value);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    kit_scen_check(g.data == 2 * ROUNDS, "expected %d, got %ld", 2 * ROUNDS, g.data);
    semaphore_free(g.s);
    semaphore_free(h.ready);
    ping_pong();
}

/* ---- condition ------------------------------------------------------ */

struct slot {
    struct condition *c;
    bool full;                  /* guarded by c's lock */
    long value;                 /* guarded by c's lock */
};

static bool
is_full(void *arg)
{
    return ((struct slot *)arg)->full;
}

static bool
is_empty(void *arg)
{
    return !((struct slot *)arg)->full;
}

static void *
put_values(void *arg)
{
    struct slot *s = arg;

    for (long i = 1; i <= ROUNDS; i++) {
        kit_scen_check(condition_acquire(s->c, LAB_FOREVER) == 0, "condition_acquire failed");
        kit_scen_check(condition_wait_for(s->c, is_empty, s, LAB_FOREVER) == 0, "wait_for(is_empty) failed");
        s->value = i;
        s->full = true;
        kit_scen_check(condition_notify(s->c, 1) == 0, "condition_notify failed");
        kit_scen_check(condition_release(s->c) == 0, "condition_release failed");
    }
    return NULL;
}

static void
case_condition(void)
{
    struct slot s = { NULL, false, 0 };
    pthread_t t;
    long sum = 0;
    int err;

    kit_scen_check(condition_new(&s.c) == 0, "condition_new failed");
    err = condition_acquire(s.c, 0);
    kit_scen_require_impl(err, "condition_acquire", "06-F");
    kit_scen_check(err == 0 && condition_release(s.c) == 0, "acquire + release failed");
    start(&t, put_values, &s);
    for (int i = 0; i < ROUNDS; i++) {
        kit_scen_check(condition_acquire(s.c, LAB_FOREVER) == 0, "condition_acquire failed");
        kit_scen_check(condition_wait_for(s.c, is_full, &s, LAB_FOREVER) == 0, "wait_for(is_full) failed");
        sum += s.value;
        s.full = false;
        kit_scen_check(condition_notify_all(s.c) == 0, "condition_notify_all failed");
        kit_scen_check(condition_release(s.c) == 0, "condition_release failed");
    }
    pthread_join(t, NULL);
    kit_scen_check(sum == (long)ROUNDS * (ROUNDS + 1) / 2, "sum of the values handed over: expected %d, got %ld", ROUNDS * (ROUNDS + 1) / 2, sum);
    condition_free(s.c);
}

/* ---- lifecycle (memcheck) ------------------------------------------- */

static void
lifecycle_locks(void)
{
    struct account *a = NULL;
    struct account *b = NULL;
    struct rlock *l = NULL;
    long total = 0;
    int err = counter_run(COUNTER_LOCK_BATCH, 2, 10, 3, &total);

    kit_scen_require_impl(err, "counter_run", "06-A");
    kit_scen_check(err == 0 && total == 20, "counter_run(COUNTER_LOCK_BATCH, 2, 10, 3): expected 0 and 20, got %s and %ld", kit_errname(err), total);
    kit_scen_check(counter_run(COUNTER_LOCK_EACH, 0, 10, 3, &total) == -EINVAL, "counter_run with 0 threads: expected -EINVAL");
    kit_scen_check(account_new(&a, 5) == 0 && account_new(&b, 5) == 0, "account_new failed");
    kit_scen_check(account_deposit(a, 1) == 0 && account_transfer(a, b, 6) == 0, "deposit + transfer failed");
    kit_scen_check(account_acquire(a, 0.01) == 0 && account_acquire(a, 0) == -EDEADLK, "acquire, then acquire again: expected 0, -EDEADLK");
    kit_scen_check(account_release(a) == 0 && account_release(a) == -EPERM, "release twice: expected 0, -EPERM");
    account_free(a);
    account_free(b);
    account_free(NULL);
    kit_scen_check(rlock_new(&l) == 0 && rlock_acquire(l, 0) == 0 && rlock_acquire(l, 0.01) == 0, "rlock acquire twice failed");
    kit_scen_check(rlock_release(l) == 0 && rlock_release(l) == 0 && rlock_release(l) == -EPERM, "rlock releases: expected 0, 0, -EPERM");
    rlock_free(l);
    rlock_free(NULL);
}

static void
lifecycle_sync(void)
{
    struct semaphore *s = NULL;
    struct condition *c = NULL;

    kit_scen_check(semaphore_new_bounded(&s, 1) == 0, "semaphore_new_bounded failed");
    kit_scen_check(semaphore_acquire(s, 0) == 0 && semaphore_acquire(s, 0.01) == -ETIMEDOUT, "acquire: expected 0, then -ETIMEDOUT");
    kit_scen_check(semaphore_release(s, 1) == 0 && semaphore_release(s, 1) == -EOVERFLOW, "release: expected 0, then -EOVERFLOW");
    semaphore_free(s);
    semaphore_free(NULL);
    kit_scen_check(condition_new(&c) == 0 && condition_acquire(c, 0) == 0, "condition_new + acquire failed");
    kit_scen_check(condition_wait(c, 0.01) == -ETIMEDOUT, "wait(0.01) with no notify: expected -ETIMEDOUT");
    kit_scen_check(condition_notify_all(c) == 0 && condition_release(c) == 0, "notify_all + release failed");
    kit_scen_check(condition_wait(c, 0) == -EPERM, "wait without the lock: expected -EPERM");
    condition_free(c);
    condition_free(NULL);
}

int
main(int argc, char **argv)
{
    const char *c = argc == 2 ? argv[1] : "";

    if (strcmp(c, "counter") == 0) {
        case_counter();
    } else if (strcmp(c, "account") == 0) {
        case_account();
    } else if (strcmp(c, "rlock") == 0) {
        case_rlock();
    } else if (strcmp(c, "semaphore") == 0) {
        case_semaphore();
    } else if (strcmp(c, "condition") == 0) {
        case_condition();
    } else if (strcmp(c, "lifecycle") == 0) {
        lifecycle_locks();
        lifecycle_sync();
    } else {
        fprintf(stderr, "usage: %s counter|account|rlock|semaphore|condition|lifecycle\n", argv[0]);
        return 2;
    }
    return 0;
}
