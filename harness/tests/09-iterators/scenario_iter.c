/*
 * scenario_iter.c - iterators for the ordering, race and memory tiers of
 * lab 09.  The lab is single-threaded: nothing here shares an iterator
 * or a container between threads.  The threads are there to expose
 * state shared by accident (a static cursor, a global counter), which no
 * correct iterator has.
 *
 *   two_threads  each of two threads, released together by a start gate,
 *                walks its own container with two interleaved iterators
 *                and runs its own fib chain, checking every item; noise
 *                points sit between the calls.  Repeated in-process.
 *   chains       one thread: adapter chains over fib and names, freed
 *                before, at and after their end, a failing map inside a
 *                collect, and refused constructors: for memcheck.
 *   lifetime     one thread: containers freed before their iterators,
 *                iterators freed half-way, a stale iterator: for memcheck.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "fib.h"
#include "iter.h"
#include "names.h"

/* Names per container in two_threads. */
#define NAMES_PER_THREAD 6

/* What each two_threads worker reports back (read after join). */
struct worker {
    int id;
    struct kit_gate *gate;
    char fail[256];             /* "" when everything matched */
};

/* expect_ok - record the first failure of a worker. */
static bool
expect_ok(struct worker *w, bool ok, const char *what, int err)
{
    if (!ok && w->fail[0] == '\0')
        snprintf(w->fail, sizeof(w->fail), "thread %d: %s (%s)", w->id,
                 what, kit_errname(err));
    return ok;
}

/* walk_names - two interleaved passes over this thread's own names. */
static void
walk_names(struct worker *w)
{
    struct names *n = NULL;
    struct iter *a = NULL;
    struct iter *b = NULL;
    char want[32];
    union iter_value va;
    union iter_value vb;
    int i;
    int err = names_new(&n);

    kit_scen_require_impl(err, "names_new", "09-B");
    for (i = 0; err == 0 && i < NAMES_PER_THREAD; i++) {
        snprintf(want, sizeof(want), "t%d-name%d", w->id, i);
        err = names_add(n, want);
    }
    if (err == 0)
        err = names_iter(n, &a);
    if (err == 0)
        err = names_iter(n, &b);
    kit_scen_require_impl(err, "names_iter", "09-B");
    for (i = 0; expect_ok(w, err == 0, "building names", err) &&
                i < NAMES_PER_THREAD; i++) {
        snprintf(want, sizeof(want), "t%d-name%d", w->id, i);
        err = iter_next(a, &va);
        kit_noise_point();
        if (err == 0)
            err = iter_next(b, &vb);
        kit_noise_point();
        if (!expect_ok(w, err == 0 && strcmp(va.p, want) == 0 &&
                       strcmp(vb.p, want) == 0,
                       "two iterators over its own names gave a wrong name or none", err))
            break;
    }
    iter_free(a);
    iter_free(b);
    names_free(n);
}

/* walk_fib - enumerate(take(fib, 8), start) of this thread, checked. */
static void
walk_fib(struct worker *w)
{
    static const uint64_t want[8] = { 0, 1, 1, 2, 3, 5, 8, 13 };
    uint64_t start = (uint64_t)w->id * 100;
    struct iter *it = NULL;
    struct iter *t = NULL;
    struct iter *e = NULL;
    union iter_value v;
    const struct iter_pair *pair;
    int i;
    int err = fib_new(&it, FIB_UNLIMITED);

    kit_scen_require_impl(err, "fib_new", "09-C");
    if (err == 0 && (err = iter_take(&t, it, 8)) != 0)
        iter_free(it);
    if (err == 0 && (err = iter_enumerate(&e, t, start)) != 0)
        iter_free(t);
    if (!expect_ok(w, err == 0, "building enumerate(take(fib))", err))
        return;
    for (i = 0; i < 8; i++) {
        err = iter_next(e, &v);
        kit_noise_point();
        if (!expect_ok(w, err == 0, "enumerate(take(fib, 8)) ended early", err))
            break;
        pair = v.p;
        if (!expect_ok(w, pair->index == start + (uint64_t)i &&
                       pair->value.u == want[i],
                       "enumerate(take(fib, 8)) gave a wrong pair", err))
            break;
    }
    iter_free(e);
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;

    kit_gate_wait(w->gate);
    walk_names(w);
    walk_fib(w);
    return NULL;
}

/* one_round - two workers, each with its own objects. */
static void
one_round(int round)
{
    struct kit_gate gate;
    struct worker w[2];
    pthread_t tid[2];
    int i;
    int err;

    kit_gate_init(&gate, 2);
    for (i = 0; i < 2; i++) {
        w[i] = (struct worker){ .id = i, .gate = &gate };
        err = pthread_create(&tid[i], NULL, worker_main, &w[i]);
        if (err != 0)
            kit_scen_fail("pthread_create: %s", strerror(err));
    }
    for (i = 0; i < 2; i++)
        pthread_join(tid[i], NULL);
    kit_gate_destroy(&gate);
    for (i = 0; i < 2; i++)
        kit_scen_check(w[i].fail[0] == '\0', "round %d, %s: each thread has its own container and iterators, so nothing may leak across (hidden global state?); see docs/09-iterators.md#threads", round, w[i].fail);
}

static void
case_two_threads(void)
{
    int rounds = kit_scen_repeat(20);
    int r;

    for (r = 0; r < rounds; r++)
        one_round(r);
}

static int
triple(union iter_value in, union iter_value *out, void *ctx)
{
    (void)ctx;
    out->u = in.u * 3;
    return 0;
}

static int
fail_on_big(union iter_value in, union iter_value *out, void *ctx)
{
    (void)ctx;
    if (in.u > 20)
        return -ERANGE;
    out->u = in.u;
    return 0;
}

static bool
is_odd(union iter_value v, void *ctx)
{
    (void)ctx;
    return v.u % 2 == 1;
}

/* chain - enumerate(take(map(triple, filter(is_odd, fib(limit)))), k). */
static struct iter *
chain(uint64_t limit, uint64_t k)
{
    struct iter *it = NULL;
    struct iter *f = NULL;
    struct iter *m = NULL;
    struct iter *t = NULL;
    struct iter *e = NULL;
    int err = fib_new(&it, limit);

    kit_scen_require_impl(err, "fib_new", "09-C");
    err = iter_filter(&f, it, is_odd, NULL);
    kit_scen_require_impl(err, "iter_filter", "09-D");
    kit_scen_check(err == 0, "iter_filter: %s", kit_errname(err));
    err = iter_map(&m, f, triple, NULL);
    kit_scen_check(err == 0, "iter_map: %s", kit_errname(err));
    err = iter_take(&t, m, k);
    kit_scen_check(err == 0, "iter_take: %s", kit_errname(err));
    err = iter_enumerate(&e, t, 0);
    kit_scen_check(err == 0, "iter_enumerate: %s", kit_errname(err));
    return e;
}

/* read_k - read up to k items of it, return how many came. */
static int
read_k(struct iter *it, int k)
{
    union iter_value v;
    int n = 0;

    while (n < k && iter_next(it, &v) == 0)
        n++;
    return n;
}

static void
case_chains(void)
{
    struct iter *it;
    struct iter *src = NULL;
    struct iter *bad = NULL;
    struct iter *m = NULL;
    union iter_value *items = NULL;
    size_t n = 0;
    int got;
    int err;

    it = chain(FIB_UNLIMITED, 10);      /* freed before its first item */
    iter_free(it);
    it = chain(FIB_UNLIMITED, 10);      /* freed half-way */
    got = read_k(it, 3);
    kit_scen_check(got == 3, "enumerate(take(map(filter(fib)))) gave %d of 3 items", got);
    iter_free(it);
    it = chain(20, 100);                /* run past its end, then freed */
    got = read_k(it, 1000);
    kit_scen_check(got > 0 && got < 20, "chain over fib(20) gave %d items", got);
    iter_free(it);
    err = fib_new(&src, FIB_UNLIMITED); /* collect fails half-way */
    kit_scen_check(err == 0, "fib_new: %s", kit_errname(err));
    err = iter_map(&m, src, fail_on_big, NULL);
    kit_scen_check(err == 0, "iter_map: %s", kit_errname(err));
    err = iter_collect(m, &items, &n);
    kit_scen_check(err == -ERANGE && items == NULL, "iter_collect over a failing map: expected -ERANGE and no array, got %s", kit_errname(err));
    iter_free(m);
    err = fib_new(&src, 10);            /* refused constructors */
    kit_scen_check(err == 0, "fib_new: %s", kit_errname(err));
    err = iter_map(&bad, src, NULL, NULL);
    kit_scen_check(err == -EINVAL && bad == NULL, "iter_map with no function: expected -EINVAL, got %s", kit_errname(err));
    err = iter_collect(src, &items, &n);
    kit_scen_check(err == 0 && n == 10, "iter_collect(fib(10)): %s, %zu items", kit_errname(err), n);
    free(items);
    iter_free(src);
}

/* names_with - a container of `count` names, checked. */
static struct names *
names_with(int count)
{
    struct names *n = NULL;
    char buf[32];
    int i;
    int err = names_new(&n);

    kit_scen_require_impl(err, "names_new", "09-B");
    for (i = 0; i < count; i++) {
        snprintf(buf, sizeof(buf), "classmate-%d", i);
        err = names_add(n, buf);
        kit_scen_check(err == 0, "names_add: %s", kit_errname(err));
    }
    return n;
}

static void
case_lifetime(void)
{
    struct names *n = names_with(5);
    struct iter *a = NULL;
    struct iter *b = NULL;
    struct iter *t = NULL;
    union iter_value v;
    int err = names_iter(n, &a);

    kit_scen_require_impl(err, "names_iter", "09-B");
    kit_scen_check(err == 0, "names_iter: %s", kit_errname(err));
    err = iter_from(&b, &names_iterable, n);
    kit_scen_check(err == 0, "iter_from(names_iterable): %s", kit_errname(err));
    err = iter_take(&t, b, 2);
    kit_scen_check(err == 0, "iter_take: %s", kit_errname(err));
    kit_scen_check(read_k(a, 2) == 2, "names iterator gave fewer than 2 names");
    names_free(n);                      /* both iterators still live */
    kit_scen_check(read_k(a, 10) == 3, "after names_free, the iterator should give the 3 names left");
    iter_free(a);
    kit_scen_check(read_k(t, 10) == 2, "take(2) over names gave the wrong count");
    iter_free(t);                       /* the last reference */
    n = names_with(3);                  /* a stale iterator, then freed */
    err = names_iter(n, &a);
    kit_scen_check(err == 0, "names_iter: %s", kit_errname(err));
    err = names_add(n, "late");
    kit_scen_check(err == 0, "names_add: %s", kit_errname(err));
    err = iter_next(a, &v);
    kit_scen_check(err == -ESTALE, "iter_next after an add: expected -ESTALE, got %s", kit_errname(err));
    iter_free(a);
    names_free(n);
    n = names_with(2);                  /* freed first: no iterator at all */
    names_free(n);
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "two_threads") == 0)
        case_two_threads();
    else if (argc == 2 && strcmp(argv[1], "chains") == 0)
        case_chains();
    else if (argc == 2 && strcmp(argv[1], "lifetime") == 0)
        case_lifetime();
    else {
        fprintf(stderr, "usage: %s two_threads|chains|lifetime\n", argv[0]);
        return 2;
    }
    return 0;
}
