/*
 * scenario_threads.c - generators used from two threads at once, for the
 * ordering tier (schedule noise), the race tier (Helgrind, DRD, TSan)
 * and memcheck (lab 10, parts B-E).
 *
 *   handoff  two threads each drive private Fibonacci generators, and
 *            take turns on one shared counting generator: a mutex and a
 *            condition variable pass it back and forth, so calls on it
 *            never overlap.  Every value must be exact.  Nothing of the
 *            generator machinery may be shared between the threads:
 *            a global "current caller" or "current generator" is a data
 *            race the tools report on every run, and under noise it
 *            resumes the wrong stack.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fibgen.h"
#include "gen.h"
#include "kit.h"

/* Turns each thread takes on the shared generator, per round. */
#define TURNS 20

/* Numbers each private generator gives. */
#define FIBS 30

struct shared {
    pthread_mutex_t mu;         /* guards turn and counter's calls */
    pthread_cond_t changed;
    int turn;                   /* 0 or 1: whose go it is */
    struct gen *counter;        /* yields 0, 1, 2, ... */
    struct kit_gate gate;
    char fail[200];             /* first failure, written under mu */
};

struct worker {
    struct shared *s;
    int id;
};

/* Body: yield 0, 1, 2, ... until closed. */
static int
count_up(struct gen *g, void *arg)
{
    (void)arg;
    for (intptr_t i = 0;; i++) {
        void *sent;
        int err = gen_yield(g, (void *)i, &sent);
        if (err)
            return err == -ECANCELED ? 0 : err;
    }
}

static void
fail_locked(struct shared *s, const char *msg)
{
    if (s->fail[0] == '\0')
        snprintf(s->fail, sizeof(s->fail), "%s", msg);
}

/* private_fib - run a whole fib_gen(FIBS) and check every number. */
static int
private_fib(void)
{
    struct gen *g;
    long a = 0;
    long b = 1;
    long v;
    int err = fibgen_new(&g, FIBS);

    if (err)
        return err;
    for (int i = 0; i < FIBS && err == 0; i++) {
        err = fibgen_next(g, &v);
        if (err == 0 && v != a)
            err = -EBADMSG;
        long next = a + b;
        a = b;
        b = next;
    }
    gen_free(g);
    return err;
}

/* take_turn - wait for our turn, take one value from the shared counter
 * (it must be `want`), pass the turn on. */
static void
take_turn(struct worker *w, intptr_t want)
{
    struct shared *s = w->s;
    void *v = NULL;
    int err;

    pthread_mutex_lock(&s->mu);
    while (s->turn != w->id)
        pthread_cond_wait(&s->changed, &s->mu);
    err = gen_next(s->counter, &v);
    if (err)
        fail_locked(s, "gen_next on the shared generator failed");
    else if ((intptr_t)v != want)
        fail_locked(s, "the shared generator gave a wrong value after moving between threads");
    s->turn = 1 - w->id;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;

    kit_gate_wait(&w->s->gate);
    for (int i = 0; i < TURNS; i++) {
        int err = private_fib();
        if (err) {
            pthread_mutex_lock(&w->s->mu);
            fail_locked(w->s, err == -EBADMSG ? "a private generator gave a wrong number while the other thread ran its own" : "a private generator failed while the other thread ran its own");
            pthread_mutex_unlock(&w->s->mu);
        }
        take_turn(w, 2 * i + w->id);
    }
    return NULL;
}

/* one_round - the handoff case once. */
static void
one_round(void)
{
    struct shared s = { .turn = 0 };
    struct worker w[2] = { { &s, 0 }, { &s, 1 } };
    pthread_t th[2];
    int err = gen_new(&s.counter, count_up, NULL, 0);

    kit_scen_require_impl(err, "gen_new", "10-B");
    kit_scen_check(err == 0, "gen_new: %s", kit_errname(err));
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.changed, NULL);
    kit_gate_init(&s.gate, 2);
    for (int i = 0; i < 2; i++) {
        err = pthread_create(&th[i], NULL, worker_main, &w[i]);
        kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    kit_scen_check(s.fail[0] == '\0', "%s. See docs/10-generators.md#threads", s.fail);
    gen_free(s.counter);
    kit_gate_destroy(&s.gate);
    pthread_cond_destroy(&s.changed);
    pthread_mutex_destroy(&s.mu);
}

int
main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "handoff") != 0) {
        fprintf(stderr, "usage: %s handoff\n", argv[0]);
        return 2;
    }
    for (int r = kit_scen_repeat(3); r > 0; r--)
        one_round();
    return 0;
}
