/*
 * scenario_barrier.c - threads meeting at a barrier cycle after cycle,
 * for the ordering, race and memory tiers of lab 07 (part C).
 *
 *   cycles   two threads pass a 2-party barrier many times.  No thread
 *            leaves cycle k before the other has arrived at it, the two
 *            indices of a cycle are 0 and 1, and the action has run
 *            exactly k + 1 times when cycle k lets them go.  Then a
 *            3-party barrier that only two threads reach: the one with a
 *            timeout gets -ETIMEDOUT, the other -ECANCELED, and after
 *            barrier_reset the barrier works again.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "barrier.h"

/* Most cycles a run records. */
#define MAX_CYCLES 200

struct meet {
    struct barrier *b;
    int cycles;
    int actions;                /* written by the action only */
    pthread_mutex_t mu;         /* guards arrived */
    int arrived[2];             /* the last cycle each thread reached */
    unsigned index[2][MAX_CYCLES];
    int bad[2];                 /* first failure seen by each thread */
    int bad_err[2];
};

static int
count_action(void *arg)
{
    struct meet *m = arg;

    m->actions++;
    return 0;
}

/* walk - one thread's cycles.  Records the first thing that went wrong
 * (1: an error, 2: the other had not arrived, 3: action count). */
static void
walk(struct meet *m, int me)
{
    for (int k = 0; k < m->cycles; k++) {
        int other;
        int err;

        pthread_mutex_lock(&m->mu);
        m->arrived[me] = k;
        pthread_mutex_unlock(&m->mu);
        err = barrier_wait(m->b, &m->index[me][k], 10.0);
        if (err != 0 && m->bad[me] == 0) {
            m->bad[me] = 1;
            m->bad_err[me] = err;
        }
        pthread_mutex_lock(&m->mu);
        other = m->arrived[1 - me];
        pthread_mutex_unlock(&m->mu);
        if (err == 0 && other < k && m->bad[me] == 0)
            m->bad[me] = 2;
        if (err == 0 && m->actions != k + 1 && m->bad[me] == 0)
            m->bad[me] = 3;
    }
}

static void *
walker(void *arg)
{
    walk(arg, 1);
    return NULL;
}

static void
check_walk(const struct meet *m)
{
    for (int me = 0; me < 2; me++) {
        kit_scen_check(m->bad[me] != 1, "thread %d: barrier_wait(b, &index, 10.0) failed with %s, expected 0", me, kit_errname(m->bad_err[me]));
        kit_scen_check(m->bad[me] != 2, "thread %d left a cycle of a 2-party barrier before the other thread had arrived at it", me);
        kit_scen_check(m->bad[me] != 3, "thread %d: when a cycle let it go, the action had not run exactly once per cycle so far", me);
    }
    for (int k = 0; k < m->cycles; k++)
        kit_scen_check(m->index[0][k] + m->index[1][k] == 1 && m->index[0][k] != m->index[1][k], "cycle %d: indices %u and %u, expected 0 and 1 (the arrival order)", k, m->index[0][k], m->index[1][k]);
}

/* One thread of the broken part. */
struct breaker {
    struct barrier *b;
    double timeout;
    int err;
};

static void *
wait_short(void *arg)
{
    struct breaker *w = arg;

    w->err = barrier_wait(w->b, NULL, w->timeout);
    return NULL;
}

static void
case_broken(void)
{
    struct breaker w[2];
    pthread_t t;
    struct barrier *b;
    int timeouts = 0;

    kit_scen_check(barrier_new(&b, 3, NULL, NULL) == 0, "barrier_new(3) failed");
    /* One short timeout only: two waiters timing out at once can make
     * glibc broadcast from inside the wait, which Helgrind reports. */
    w[0] = (struct breaker){ .b = b, .timeout = 0.02 };
    w[1] = (struct breaker){ .b = b, .timeout = LAB_FOREVER };
    kit_scen_check(pthread_create(&t, NULL, wait_short, &w[1]) == 0, "pthread_create failed");
    wait_short(&w[0]);
    pthread_join(t, NULL);
    for (int i = 0; i < 2; i++) {
        kit_scen_check(w[i].err == -ETIMEDOUT || w[i].err == -ECANCELED, "barrier_wait on a 3-party barrier reached by 2 threads: expected -ETIMEDOUT or -ECANCELED, got %s", kit_errname(w[i].err));
        timeouts += w[i].err == -ETIMEDOUT;
    }
    kit_scen_check(w[0].err == -ETIMEDOUT && timeouts == 1, "the thread with the 0.02 s timeout got %s and the one without got %s: expected -ETIMEDOUT and -ECANCELED (the timeout breaks the barrier for everyone)", kit_errname(w[0].err), kit_errname(w[1].err));
    kit_scen_check(barrier_broken(b), "barrier_broken after a timeout: expected true");
    kit_scen_check(barrier_reset(b) == 0 && !barrier_broken(b), "barrier_reset did not mend the barrier");
    barrier_free(b);
}

static void
case_cycles(void)
{
    struct meet m = { .cycles = kit_scen_repeat(40) };
    pthread_t t;
    int err;

    if (m.cycles > MAX_CYCLES)
        m.cycles = MAX_CYCLES;
    pthread_mutex_init(&m.mu, NULL);
    err = barrier_new(&m.b, 2, count_action, &m);
    kit_scen_require_impl(err, "barrier_new", "07-C");
    kit_scen_check(err == 0, "barrier_new(2): expected 0, got %s", kit_errname(err));
    kit_scen_check(pthread_create(&t, NULL, walker, &m) == 0, "pthread_create failed");
    walk(&m, 0);
    pthread_join(t, NULL);
    check_walk(&m);
    kit_scen_check(m.actions == m.cycles, "the action ran %d times in %d cycles", m.actions, m.cycles);
    barrier_free(m.b);
    pthread_mutex_destroy(&m.mu);
    case_broken();
}

int
main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "cycles") != 0) {
        fprintf(stderr, "usage: %s cycles\n", argv[0]);
        return 2;
    }
    case_cycles();
    return 0;
}
