/*
 * test_gen.c - functional tests of gen.h: stackful generators with yield,
 * a return value, send and close (lab 10, parts B-D).
 *
 * Values in these tests are small integers carried in the pointer itself
 * (V(n) and N(p)), so no test depends on where a body keeps its data.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "gen.h"
#include "kit.h"

TestSuite(gen, .timeout = 20);

#define V(n) ((void *)(intptr_t)(n))
#define N(p) ((long)(intptr_t)(p))

/* ---- helpers ------------------------------------------------------------ */

/* A log a body writes into, to show what ran and in which order. */
struct trace {
    char log[128];
    size_t len;
    struct gen *self;           /* for bodies that poke at themselves */
    int err;                    /* what a poke returned */
};

static void
say(struct trace *t, const char *what)
{
    size_t n = strlen(what);

    if (t->len + n + 1 < sizeof(t->log)) {
        memcpy(t->log + t->len, what, n);
        t->len += n;
        t->log[t->len] = '\0';
    }
}

/* new_or_fail - gen_new(&g, body, arg, 0) must return 0. */
static struct gen *
new_or_fail(gen_body *body, void *arg)
{
    struct gen *g = NULL;
    int err = gen_new(&g, body, arg, 0);

    kit_require_impl(err, "gen_new", "10-B");
    cr_assert(eq(int, err, 0), "gen_new(&g, body, arg, 0): expected 0, got %s. See docs/10-generators.md#gen-new", kit_errname(err));
    return g;
}

/* next_or_fail - gen_next must give 0; returns the value as a long. */
static long
next_or_fail(struct gen *g, const char *what)
{
    void *v = V(-1);
    int err = gen_next(g, &v);

    kit_require_impl(err, "gen_next", "10-B");
    cr_assert(eq(int, err, 0), "gen_next(g, &v) %s: expected 0 and a yielded value, got %s. See docs/10-generators.md#yield", what, kit_errname(err));
    return N(v);
}

/* send_or_fail - gen_send(g, value) must give 0; returns the value. */
static long
send_or_fail(struct gen *g, long value, const char *what)
{
    void *v = V(-1);
    int err = gen_send(g, V(value), &v);

    kit_require_impl(err, "gen_send", "10-C");
    cr_assert(eq(int, err, 0), "gen_send(g, %ld, &v) %s: expected 0 and a yielded value, got %s. See docs/10-generators.md#send", value, what, kit_errname(err));
    return N(v);
}

/* Body: log "started", yield 1, yield 2, return "done". */
static char done[] = "done";

static int
one_two_done(struct gen *g, void *arg)
{
    struct trace *t = arg;
    void *sent;
    int err;

    if (t)
        say(t, "started ");
    err = gen_yield(g, V(1), &sent);
    if (err)
        return err;
    err = gen_yield(g, V(2), &sent);
    if (err)
        return err;
    gen_return(g, done);
    return 0;
}

/* ---- part B: yield and the end ------------------------------------------ */

/* Catches: the stub. */
KIT_TEST(gen, new_rejects_null_arguments_and_a_tiny_stack)
{
    struct gen *g = (struct gen *)&g;
    int err = gen_new(&g, NULL, NULL, 0);

    kit_require_impl(err, "gen_new", "10-B");
    cr_expect(eq(int, err, -EINVAL), "gen_new(&g, NULL body, NULL, 0): expected -EINVAL, got %s. See docs/10-generators.md#gen-new", kit_errname(err));
    cr_expect(eq(ptr, g, NULL), "gen_new failing must set *out to NULL so gen_free(g) is safe. See docs/10-generators.md#gen-new");
    err = gen_new(&g, one_two_done, NULL, GEN_STACK_MIN - 1);
    cr_expect(eq(int, err, -EINVAL), "gen_new with stack_size GEN_STACK_MIN - 1: expected -EINVAL, got %s. See docs/10-generators.md#gen-new", kit_errname(err));
    err = gen_new(NULL, one_two_done, NULL, 0);
    cr_expect(eq(int, err, -EINVAL), "gen_new(NULL, body, ...): expected -EINVAL, got %s. See docs/10-generators.md#gen-new", kit_errname(err));
    gen_free(NULL);
}

/* Catches: the stub.  Mirrors GEN-01: calling the generator function
 * runs nothing; the first next runs up to the first yield. */
KIT_TEST(gen, creating_runs_nothing_until_the_first_next)
{
    struct trace t = { .len = 0 };
    struct gen *g = new_or_fail(one_two_done, &t);

    cr_expect(eq(sz, t.len, 0), "gen_new ran the body already (log \"%s\"): nothing may run before the first gen_next. See docs/10-generators.md#gen-new", t.log);
    cr_expect(eq(int, gen_state(g), GEN_CREATED), "gen_state of a new generator: expected GEN_CREATED (%d), got %d. See docs/10-generators.md#states", GEN_CREATED, gen_state(g));
    long v = next_or_fail(g, "the first time");
    cr_expect(eq(str, t.log, "started "), "after the first gen_next the body's log is \"%s\": expected \"started \" (it ran up to the first yield). See docs/10-generators.md#yield", t.log);
    cr_expect(eq(long, v, 1), "the first gen_next: expected the first yielded value 1, got %ld. See docs/10-generators.md#yield", v);
    gen_free(g);
}

/* Catches: return_value_lost.patch.  Mirrors GEN-02: next -> 1, next ->
 * 2, then StopIteration whose .value is "done", then a bare one. */
KIT_TEST(gen, end_gives_enodata_with_the_return_value_once)
{
    struct gen *g = new_or_fail(one_two_done, NULL);
    void *v = V(-1);
    int err;

    cr_expect(eq(long, next_or_fail(g, "the 1st time"), 1), "the 1st gen_next: expected 1. See docs/10-generators.md#yield");
    cr_expect(eq(long, next_or_fail(g, "the 2nd time"), 2), "the 2nd gen_next: expected 2. See docs/10-generators.md#yield");
    err = gen_next(g, &v);
    cr_assert(eq(int, err, -ENODATA), "the 3rd gen_next, after the body returned: expected -ENODATA (StopIteration), got %s. See docs/10-generators.md#return-value", kit_errname(err));
    cr_expect(eq(ptr, v, (void *)done), "the 3rd gen_next's value: expected the pointer the body passed to gen_return (StopIteration.value \"done\"), got %p. See docs/10-generators.md#return-value", v);
    v = V(-1);
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "the 4th gen_next: expected -ENODATA again, got %s. See docs/10-generators.md#return-value", kit_errname(err));
    cr_expect(eq(ptr, v, NULL), "the 4th gen_next's value: expected NULL (a bare StopIteration: the return value is given once), got %p. See docs/10-generators.md#return-value", v);
    gen_free(g);
}

/* Body: record its own state from inside, then yield it. */
static int
report_state(struct gen *g, void *arg)
{
    void *sent;

    (void)arg;
    return gen_yield(g, V(gen_state(g)), &sent);
}

/* Catches: the stub.  Mirrors GEN-02's states: CREATED, RUNNING (seen
 * from the body), SUSPENDED, CLOSED. */
KIT_TEST(gen, state_goes_created_running_suspended_closed)
{
    struct gen *g = new_or_fail(report_state, NULL);
    void *v;
    int err;

    cr_expect(eq(int, gen_state(g), GEN_CREATED), "gen_state before the first next: expected GEN_CREATED. See docs/10-generators.md#states");
    long inside = next_or_fail(g, "the first time");
    cr_expect(eq(long, inside, GEN_RUNNING), "gen_state(g) called by the body itself: expected GEN_RUNNING (%d), got %ld. See docs/10-generators.md#states", (long)GEN_RUNNING, inside);
    cr_expect(eq(int, gen_state(g), GEN_SUSPENDED), "gen_state after a yield: expected GEN_SUSPENDED (%d), got %d. See docs/10-generators.md#states", GEN_SUSPENDED, gen_state(g));
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "gen_next after the last yield: expected -ENODATA, got %s. See docs/10-generators.md#return-value", kit_errname(err));
    cr_expect(eq(int, gen_state(g), GEN_CLOSED), "gen_state after the body returned: expected GEN_CLOSED (%d), got %d. See docs/10-generators.md#states", GEN_CLOSED, gen_state(g));
    cr_expect(eq(int, gen_state(NULL), GEN_CLOSED), "gen_state(NULL): expected GEN_CLOSED. See docs/10-generators.md#states");
    gen_free(g);
}

/* Body: yield 1, then fail with -EDOM (Python: 1/0 after a yield). */
static int
fails_after_one(struct gen *g, void *arg)
{
    void *sent;
    int err = gen_yield(g, V(1), &sent);

    (void)arg;
    return err ? err : -EDOM;
}

/* Catches: the stub.  Mirrors GEN-07: the error reaches the next call
 * once; the generator is finished after it. */
KIT_TEST(gen, body_error_reaches_the_caller_once_then_enodata)
{
    struct gen *g = new_or_fail(fails_after_one, NULL);
    void *v = V(-1);
    int err;

    next_or_fail(g, "the first time");
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -EDOM), "gen_next when the body returns -EDOM: expected -EDOM (Python: the exception leaves next()), got %s. See docs/10-generators.md#errors", kit_errname(err));
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "gen_next after the body failed: expected -ENODATA (the generator is finished), got %s. See docs/10-generators.md#errors", kit_errname(err));
    cr_expect(eq(ptr, v, NULL), "gen_next after the body failed: expected NULL (no return value), got %p. See docs/10-generators.md#errors", v);
    gen_free(g);
}

/* Body: "raise StopIteration" by returning -ENODATA. */
static int
returns_enodata(struct gen *g, void *arg)
{
    (void)g;
    (void)arg;
    return -ENODATA;
}

/* Catches: the stub.  Mirrors GEN-05 (PEP 479): a body may not end the
 * iteration by raising StopIteration; the caller gets RuntimeError. */
KIT_TEST(gen, body_returning_enodata_gives_eproto)
{
    struct gen *g = new_or_fail(returns_enodata, NULL);
    void *v;
    int err = gen_next(g, &v);

    kit_require_impl(err, "gen_next", "10-B");
    cr_expect(eq(int, err, -EPROTO), "gen_next when the body returns -ENODATA itself: expected -EPROTO (PEP 479: RuntimeError), got %s. See docs/10-generators.md#errors", kit_errname(err));
    gen_free(g);
}

/* Body: call gen_next, gen_send and gen_close on itself. */
static int
pokes_itself(struct gen *g, void *arg)
{
    struct trace *t = arg;
    void *v;
    int a = gen_next(g, &v);
    int b = gen_send(g, V(1), &v);
    int c = gen_close(g);

    t->err = (a == -EBUSY && b == -EBUSY && c == -EBUSY) ? 0 : (a ? a : -1);
    return 0;
}

/* Catches: the stub.  Mirrors GEN-06: ValueError "generator already
 * executing". */
KIT_TEST(gen, calls_on_a_running_generator_fail_with_ebusy)
{
    struct trace t = { .err = 1 };
    struct gen *g = new_or_fail(pokes_itself, &t);
    void *v;
    int err = gen_next(g, &v);

    kit_require_impl(err, "gen_next", "10-B");
    cr_expect(eq(int, err, -ENODATA), "gen_next of a body that returns 0 without yielding: expected -ENODATA, got %s. See docs/10-generators.md#return-value", kit_errname(err));
    cr_expect(eq(int, t.err, 0), "gen_next/gen_send/gen_close called by a body on its own generator: expected -EBUSY from all three (Python: ValueError, generator already executing), got %s from one. See docs/10-generators.md#states", kit_errname(t.err));
    gen_free(g);
}

/* Catches: the stub.  gen_yield and gen_return outside the body. */
KIT_TEST(gen, yield_outside_the_body_fails_with_einval)
{
    struct gen *g = new_or_fail(one_two_done, NULL);
    void *sent;
    int err = gen_yield(g, V(5), &sent);

    kit_require_impl(err, "gen_yield", "10-B");
    cr_expect(eq(int, err, -EINVAL), "gen_yield(g, ...) called by the test, not by g's body: expected -EINVAL, got %s. See docs/10-generators.md#yield", kit_errname(err));
    next_or_fail(g, "after a refused gen_yield");
    err = gen_yield(g, V(5), &sent);
    cr_expect(eq(int, err, -EINVAL), "gen_yield on a suspended generator from outside its body: expected -EINVAL, got %s. See docs/10-generators.md#yield", kit_errname(err));
    err = gen_return(g, V(5));
    cr_expect(eq(int, err, -EINVAL), "gen_return from outside the body: expected -EINVAL, got %s. See docs/10-generators.md#return-value", kit_errname(err));
    gen_free(g);
}

/* Body: yield the n values of an inner generator, each times 10, then
 * return what the inner one returned (Python's `r = yield from inner`). */
static int
outer_body(struct gen *g, void *arg)
{
    struct gen *inner = arg;
    void *v;
    void *sent;
    int err;

    while ((err = gen_next(inner, &v)) == 0) {
        err = gen_yield(g, V(N(v) * 10), &sent);
        if (err)
            return err;
    }
    if (err != -ENODATA)
        return err;
    gen_return(g, v);
    return 0;
}

/* Catches: global_caller_context.patch.  Mirrors GEN-12: a body drives
 * another generator; each yield goes back to whoever resumed that
 * generator, which needs one saved caller per generator. */
KIT_TEST(gen, generator_driven_from_inside_another_generator)
{
    struct gen *inner = new_or_fail(one_two_done, NULL);
    struct gen *outer = new_or_fail(outer_body, inner);
    void *v = NULL;
    int err;

    cr_expect(eq(long, next_or_fail(outer, "on outer, 1st"), 10), "outer's 1st value: expected 10 (inner's 1 times 10). See docs/10-generators.md#resume");
    cr_expect(eq(long, next_or_fail(outer, "on outer, 2nd"), 20), "outer's 2nd value: expected 20. See docs/10-generators.md#resume");
    err = gen_next(outer, &v);
    cr_expect(eq(int, err, -ENODATA), "outer's 3rd gen_next: expected -ENODATA, got %s. See docs/10-generators.md#resume", kit_errname(err));
    cr_expect(eq(ptr, v, (void *)done), "outer's return value: expected inner's (\"done\"), got %p. See docs/10-generators.md#return-value", v);
    gen_free(outer);
    gen_free(inner);
}

/* walk - yield 1..n from n levels of recursion deep (a generator keeps
 * its whole call stack while suspended). */
static int
walk(struct gen *g, long depth, long n)
{
    void *sent;
    char pad[256];              /* make each level take real stack */

    memset(pad, (int)depth, sizeof(pad));
    if (depth < n) {
        int err = walk(g, depth + 1, n);
        if (err)
            return err;
    }
    if (pad[sizeof(pad) - 1] != (char)depth)
        return -EFAULT;
    return gen_yield(g, V(depth), &sent);
}

static int
walk_body(struct gen *g, void *arg)
{
    return walk(g, 1, N(arg));
}

/* Catches: the stub.  A yield deep inside nested calls: the locals of
 * every level survive until resumed (what a stackless generator cannot
 * do). */
KIT_TEST(gen, yields_from_deep_recursion_keep_every_frame)
{
    struct gen *g = new_or_fail(walk_body, V(40));
    void *v;
    int err;

    for (long want = 40; want >= 1; want--) {
        long got = next_or_fail(g, "during the walk");
        cr_assert(eq(long, got, want), "yield from recursion depth %ld: expected %ld, got %ld. See docs/10-generators.md#stackful-or-stackless", want, want, got);
    }
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "after the walk: expected -ENODATA, got %s (-EFAULT: a frame's locals changed while suspended). See docs/10-generators.md#stackful-or-stackless", kit_errname(err));
    gen_free(g);
}

/* Thread body: one gen_next on the generator it is given. */
static void *
next_in_thread(void *arg)
{
    struct gen *g = arg;
    void *v = V(-1);
    int err = gen_next(g, &v);

    return err ? V(-100 + err) : v;
}

/* Catches: the stub.  A generator belongs to no thread: resumed by
 * another thread (after pthread_join, so the calls never overlap), then
 * by this one again. */
KIT_TEST(gen, generator_moves_between_threads)
{
    struct gen *g = new_or_fail(one_two_done, NULL);
    pthread_t th;
    void *got;
    int err;

    cr_assert(eq(long, next_or_fail(g, "in the test's thread"), 1), "first value in the test's thread: expected 1. See docs/10-generators.md#threads");
    err = pthread_create(&th, NULL, next_in_thread, g);
    cr_assert(eq(int, err, 0), "test setup: pthread_create failed: %s", strerror(err));
    pthread_join(th, &got);
    cr_expect(eq(long, N(got), 2), "gen_next in a second thread: expected the value 2, got %ld. See docs/10-generators.md#threads", N(got));
    void *v = NULL;
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "gen_next back in the first thread: expected -ENODATA, got %s. See docs/10-generators.md#threads", kit_errname(err));
    gen_free(g);
}

/* ---- part C: send ------------------------------------------------------ */

/* Body: Python's accumulator: x = yield total; None ends it. */
static int
accumulator(struct gen *g, void *arg)
{
    long total = 0;

    (void)arg;
    for (;;) {
        void *sent;
        int err = gen_yield(g, V(total), &sent);
        if (err)
            return err;
        if (sent == NULL)
            break;
        total += N(sent);
    }
    gen_return(g, V(total));
    return 0;
}

/* Catches: send_to_wrong_yield.patch.  Mirrors GEN-03: next -> 0,
 * send(1) -> 1, send(2) -> 3, send(3) -> 6, send(None) -> StopIteration
 * with value 6.  Each value must reach the yield that is waiting. */
KIT_TEST(gen, send_delivers_each_value_to_the_waiting_yield)
{
    struct gen *g = new_or_fail(accumulator, NULL);
    const long want[] = { 1, 3, 6 };
    void *v = NULL;
    int err;

    cr_expect(eq(long, next_or_fail(g, "the first time"), 0), "the accumulator's first value: expected 0. See docs/10-generators.md#send");
    for (long i = 1; i <= 3; i++) {
        long got = send_or_fail(g, i, "to the accumulator");
        cr_assert(eq(long, got, want[i - 1]), "gen_send(g, %ld) to the accumulator: expected the running total %ld, got %ld (a value delivered to the wrong yield shifts every total). See docs/10-generators.md#send", i, want[i - 1], got);
    }
    err = gen_send(g, NULL, &v);
    cr_expect(eq(int, err, -ENODATA), "gen_send(g, NULL) (None ends the accumulator): expected -ENODATA, got %s. See docs/10-generators.md#send", kit_errname(err));
    cr_expect(eq(long, N(v), 6), "the accumulator's return value: expected 6, got %ld. See docs/10-generators.md#return-value", N(v));
    gen_free(g);
}

/* Catches: send_before_next_allowed.patch.  Mirrors GEN-04: TypeError,
 * and afterwards next() still returns the first value. */
KIT_TEST(gen, send_before_the_first_next_fails_and_changes_nothing)
{
    struct trace t = { .len = 0 };
    struct gen *g = new_or_fail(one_two_done, &t);
    void *v = V(-1);
    int err = gen_send(g, V(5), &v);

    kit_require_impl(err, "gen_send", "10-C");
    cr_expect(eq(int, err, -EINVAL), "gen_send(g, 5, &v) on a just-created generator: expected -EINVAL (Python: TypeError, can't send non-None value to a just-started generator), got %s. See docs/10-generators.md#send-before-next", kit_errname(err));
    cr_expect(eq(sz, t.len, 0), "the refused send ran the body (log \"%s\"): it must change nothing. See docs/10-generators.md#send-before-next", t.log);
    cr_expect(eq(int, gen_state(g), GEN_CREATED), "gen_state after the refused send: expected GEN_CREATED. See docs/10-generators.md#send-before-next");
    cr_expect(eq(long, next_or_fail(g, "after the refused send"), 1), "gen_next after the refused send: expected the first value 1. See docs/10-generators.md#send-before-next");
    gen_free(g);
}

/* Catches: the stub.  Mirrors GEN-03: send(None) on a fresh generator
 * is next(). */
KIT_TEST(gen, send_null_to_a_new_generator_is_next)
{
    struct gen *g = new_or_fail(accumulator, NULL);
    void *v = V(-1);
    int err = gen_send(g, NULL, &v);

    kit_require_impl(err, "gen_send", "10-C");
    cr_expect(eq(int, err, 0), "gen_send(g, NULL, &v) on a new generator: expected 0 (send(None) is next()), got %s. See docs/10-generators.md#send", kit_errname(err));
    cr_expect(eq(long, N(v), 0), "gen_send(g, NULL, &v) on a new accumulator: expected 0, got %ld. See docs/10-generators.md#send", N(v));
    gen_free(g);
}

/* ---- part D: close and free --------------------------------------------- */

/* Body: yield forever; on -ECANCELED log the cleanup and return it. */
static int
cleans_up(struct gen *g, void *arg)
{
    struct trace *t = arg;
    long i = 0;

    for (;;) {
        void *sent;
        int err = gen_yield(g, V(i++), &sent);
        if (err) {
            say(t, err == -ECANCELED ? "GeneratorExit finally" : "other");
            return err;
        }
    }
}

/* Catches: close_does_not_unwind.patch.  Mirrors GEN-08: GeneratorExit
 * at the yield, the cleanup runs, later next gives StopIteration. */
KIT_TEST(gen, close_cancels_the_yield_and_runs_the_cleanup)
{
    struct trace t = { .len = 0 };
    struct gen *g = new_or_fail(cleans_up, &t);
    void *v = V(-1);
    int err;

    next_or_fail(g, "the first time");
    next_or_fail(g, "the second time");
    err = gen_close(g);
    kit_require_impl(err, "gen_close", "10-D");
    cr_expect(eq(int, err, 0), "gen_close(g) on a suspended generator whose body returns -ECANCELED: expected 0, got %s. See docs/10-generators.md#close", kit_errname(err));
    cr_expect(eq(str, t.log, "GeneratorExit finally"), "the body's log after gen_close: expected \"GeneratorExit finally\" (its yield returned -ECANCELED and it cleaned up), got \"%s\". See docs/10-generators.md#close", t.log);
    cr_expect(eq(int, gen_state(g), GEN_CLOSED), "gen_state after gen_close: expected GEN_CLOSED. See docs/10-generators.md#close");
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "gen_next after gen_close: expected -ENODATA, got %s. See docs/10-generators.md#close", kit_errname(err));
    cr_expect(eq(ptr, v, NULL), "gen_next after gen_close: expected NULL, got %p. See docs/10-generators.md#close", v);
    gen_free(g);
}

/* Catches: the stub.  Mirrors GEN-08: close() of an unstarted or an
 * exhausted generator does nothing (and the unstarted one never runs). */
KIT_TEST(gen, close_of_a_new_or_ended_generator_does_nothing)
{
    struct trace t = { .len = 0 };
    struct gen *g = new_or_fail(one_two_done, &t);
    void *v = V(-1);
    int err = gen_close(g);

    kit_require_impl(err, "gen_close", "10-D");
    cr_expect(eq(int, err, 0), "gen_close on a new generator: expected 0, got %s. See docs/10-generators.md#close", kit_errname(err));
    err = gen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "gen_next after closing a new generator: expected -ENODATA, got %s. See docs/10-generators.md#close", kit_errname(err));
    cr_expect(eq(sz, t.len, 0), "closing a new generator ran its body (log \"%s\"). See docs/10-generators.md#close", t.log);
    gen_free(g);

    g = new_or_fail(one_two_done, NULL);
    while (gen_next(g, &v) == 0)
        continue;
    err = gen_close(g);
    cr_expect(eq(int, err, 0), "gen_close on an ended generator: expected 0, got %s. See docs/10-generators.md#close", kit_errname(err));
    gen_free(g);
}

/* Body: ignores the close and yields again (then ends on a 2nd close). */
static int
ignores_close(struct gen *g, void *arg)
{
    struct trace *t = arg;
    void *sent;

    if (gen_yield(g, V(1), &sent) == -ECANCELED)
        say(t, "ignored ");
    if (gen_yield(g, V(2), &sent) == -ECANCELED)
        say(t, "ended");
    return 0;
}

/* Catches: the stub.  Mirrors GEN-09: RuntimeError "generator ignored
 * GeneratorExit". */
KIT_TEST(gen, close_of_a_body_that_yields_again_fails_with_eproto)
{
    struct trace t = { .len = 0 };
    struct gen *g = new_or_fail(ignores_close, &t);
    int err;

    next_or_fail(g, "the first time");
    err = gen_close(g);
    kit_require_impl(err, "gen_close", "10-D");
    cr_expect(eq(int, err, -EPROTO), "gen_close(g) when the body yields again instead of ending: expected -EPROTO (Python: RuntimeError, generator ignored GeneratorExit), got %s. See docs/10-generators.md#close", kit_errname(err));
    cr_expect(eq(int, gen_state(g), GEN_SUSPENDED), "gen_state after an ignored close: expected GEN_SUSPENDED (it stopped at its new yield). See docs/10-generators.md#close");
    gen_free(g);
    cr_expect(eq(str, t.log, "ignored ended"), "the body's log after gen_close and gen_free: expected \"ignored ended\" (gen_free closes it again), got \"%s\". See docs/10-generators.md#free", t.log);
}

/* Catches: close_does_not_unwind.patch.  Python closes a suspended
 * generator when it is collected: its cleanup runs. */
KIT_TEST(gen, free_closes_a_suspended_generator)
{
    struct trace t = { .len = 0 };
    struct gen *g = new_or_fail(cleans_up, &t);

    next_or_fail(g, "the first time");
    gen_free(g);
    cr_expect(eq(str, t.log, "GeneratorExit finally"), "the body's log after gen_free of a suspended generator: expected \"GeneratorExit finally\" (gen_free closes it first), got \"%s\". See docs/10-generators.md#free", t.log);
}
