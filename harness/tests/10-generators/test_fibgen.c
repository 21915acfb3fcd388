/*
 * test_fibgen.c - functional tests of fibgen.h: the notes' Fibonacci
 * generator, whose counter send() resets (lab 10, part E).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>

#include "fibgen.h"
#include "kit.h"

TestSuite(fibgen, .timeout = 20);

/* fib_or_fail - fibgen_new(&g, nums) must return 0. */
static struct gen *
fib_or_fail(long nums)
{
    struct gen *g = NULL;
    int err = fibgen_new(&g, nums);

    kit_require_impl(err, "fibgen_new", "10-E");
    cr_assert(eq(int, err, 0), "fibgen_new(&g, %ld): expected 0, got %s. See docs/10-generators.md#fibgen", nums, kit_errname(err));
    return g;
}

/* Catches: the stub.  fib_gen(10): 0 1 1 2 3 5 8 13 21 34, then
 * StopIteration. */
KIT_TEST(fibgen, gives_nums_numbers_then_enodata)
{
    const long want[] = { 0, 1, 1, 2, 3, 5, 8, 13, 21, 34 };
    struct gen *g = fib_or_fail(10);
    long v = -1;
    int err;

    for (int i = 0; i < 10; i++) {
        err = fibgen_next(g, &v);
        kit_require_impl(err, "fibgen_next", "10-E");
        cr_assert(eq(int, err, 0), "fibgen_next, number %d of fib_gen(10): expected 0, got %s. See docs/10-generators.md#fibgen", i, kit_errname(err));
        cr_assert(eq(long, v, want[i]), "fibgen_next, number %d of fib_gen(10): expected %ld, got %ld. See docs/10-generators.md#fibgen", i, want[i], v);
    }
    err = fibgen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "the 11th fibgen_next of fib_gen(10): expected -ENODATA (StopIteration), got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    gen_free(g);
}

/* Catches: fib_ignores_send.patch.  The notes' run of fib_gen(4):
 * next -> 0, send(None) -> 1, next -> 1, next -> 2, (a next here would
 * end it), send(2) -> 3: the counter went back to 2. */
KIT_TEST(fibgen, notes_send_example_resets_the_counter)
{
    struct gen *g = fib_or_fail(4);
    void *none;
    long v = -1;
    int err;

    err = fibgen_next(g, &v);
    kit_require_impl(err, "fibgen_next", "10-E");
    cr_assert(eq(int, err, 0), "next(obj) on fib_gen(4): expected 0, got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    cr_expect(eq(long, v, 0), "next(obj): expected 0, got %ld. See docs/10-generators.md#fibgen", v);
    err = gen_send(g, NULL, &none);
    cr_assert(eq(int, err, 0), "obj.send(None) as gen_send(g, NULL, &v): expected 0, got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    cr_expect(eq(long, *(const long *)none, 1), "obj.send(None): expected 1, got %ld. See docs/10-generators.md#fibgen", *(const long *)none);
    for (long want = 1; want <= 2; want++) {
        err = fibgen_next(g, &v);
        cr_assert(eq(int, err, 0), "next(obj) after send(None): expected 0, got %s. See docs/10-generators.md#fibgen", kit_errname(err));
        cr_expect(eq(long, v, want), "next(obj): expected %ld, got %ld. See docs/10-generators.md#fibgen", want, v);
    }
    err = fibgen_send(g, 2, &v);
    cr_assert(eq(int, err, 0), "obj.send(2) with the counter at 4 of 4: expected 0 (the counter goes back to 2, so the loop goes on), got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    cr_expect(eq(long, v, 3), "obj.send(2): expected the next number 3, got %ld. See docs/10-generators.md#fibgen", v);
    gen_free(g);
}

/* Catches: the stub.  Python: TypeError, even for send(0). */
KIT_TEST(fibgen, send_before_the_first_next_fails_with_einval)
{
    struct gen *g = fib_or_fail(4);
    long v = -1;
    int err = fibgen_send(g, 0, &v);

    kit_require_impl(err, "fibgen_send", "10-E");
    cr_expect(eq(int, err, -EINVAL), "fibgen_send(g, 0, &v) before the first next: expected -EINVAL (0 is not None), got %s. See docs/10-generators.md#send-before-next", kit_errname(err));
    err = fibgen_next(g, &v);
    cr_expect(eq(int, err, 0), "fibgen_next after the refused send: expected 0, got %s. See docs/10-generators.md#send-before-next", kit_errname(err));
    cr_expect(eq(long, v, 0), "fibgen_next after the refused send: expected 0, got %ld. See docs/10-generators.md#send-before-next", v);
    gen_free(g);
}

/* Catches: the stub.  The body computes one number ahead, as the Python
 * does: the last number given is fib(91), then -EOVERFLOW once (fib(93)
 * does not fit in a long), then StopIteration. */
KIT_TEST(fibgen, overflow_is_reported_not_wrapped)
{
    struct gen *g = fib_or_fail(200);
    long v = -1;
    long last = -1;
    int n = 0;
    int err;

    while ((err = fibgen_next(g, &v)) == 0) {
        cr_assert(ge(long, v, last), "fibgen_next gave %ld after %ld: the numbers wrapped around. See docs/10-generators.md#fibgen", v, last);
        last = v;
        n++;
    }
    kit_require_impl(err, "fibgen_next", "10-E");
    cr_expect(eq(int, err, -EOVERFLOW), "fibgen_next past the largest long: expected -EOVERFLOW, got %s after %d numbers. See docs/10-generators.md#fibgen", kit_errname(err), n);
    cr_expect(eq(int, n, 92), "numbers given before -EOVERFLOW: expected 92 (fib(0) to fib(91)), got %d. See docs/10-generators.md#fibgen", n);
    cr_expect(eq(long, last, 4660046610375530309L), "the last number before -EOVERFLOW: expected fib(91) = 4660046610375530309, got %ld. See docs/10-generators.md#fibgen", last);
    err = fibgen_next(g, &v);
    cr_expect(eq(int, err, -ENODATA), "fibgen_next after -EOVERFLOW: expected -ENODATA, got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    gen_free(g);
}

/* Catches: the stub.  fibgen_new checks its arguments. */
KIT_TEST(fibgen, new_rejects_a_negative_count)
{
    struct gen *g = (struct gen *)&g;
    int err = fibgen_new(&g, -1);

    kit_require_impl(err, "fibgen_new", "10-E");
    cr_expect(eq(int, err, -EINVAL), "fibgen_new(&g, -1): expected -EINVAL, got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    cr_expect(eq(ptr, g, NULL), "fibgen_new failing must set *out to NULL. See docs/10-generators.md#fibgen");
}
