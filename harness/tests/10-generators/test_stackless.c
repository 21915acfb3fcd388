/*
 * test_stackless.c - functional tests of stackless.h: fib_gen as a state
 * machine, which must behave exactly as the stackful one (lab 10,
 * part F).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdbool.h>

#include "fibgen.h"
#include "kit.h"
#include "stackless.h"

TestSuite(stackless, .timeout = 20);

static struct stackless *
sm_or_fail(long nums)
{
    struct stackless *s = NULL;
    int err = stackless_new(&s, nums);

    kit_require_impl(err, "stackless_new", "10-F");
    cr_assert(eq(int, err, 0), "stackless_new(&s, %ld): expected 0, got %s. See docs/10-generators.md#switch-on-line", nums, kit_errname(err));
    return s;
}

/* Catches: stackless_forgets_line.patch.  fib_gen(10): 0 1 1 2 3 5 8 13
 * 21 34, then StopIteration, and StopIteration again. */
KIT_TEST(stackless, gives_nums_numbers_then_enodata)
{
    const long want[] = { 0, 1, 1, 2, 3, 5, 8, 13, 21, 34 };
    struct stackless *s = sm_or_fail(10);
    long v = -1;
    int err;

    for (int i = 0; i < 10; i++) {
        err = stackless_next(s, &v);
        kit_require_impl(err, "stackless_next", "10-F");
        cr_assert(eq(int, err, 0), "stackless_next, number %d of fib_gen(10): expected 0, got %s. See docs/10-generators.md#switch-on-line", i, kit_errname(err));
        cr_assert(eq(long, v, want[i]), "stackless_next, number %d of fib_gen(10): expected %ld, got %ld (a machine that does not jump back to where it yielded starts over). See docs/10-generators.md#switch-on-line", i, want[i], v);
    }
    for (int i = 0; i < 2; i++) {
        err = stackless_next(s, &v);
        cr_expect(eq(int, err, -ENODATA), "stackless_next after the end (call %d): expected -ENODATA, got %s. See docs/10-generators.md#switch-on-line", i + 1, kit_errname(err));
    }
    stackless_free(s);
}

/* Catches: the stub.  The notes' send example, as in test_fibgen.c. */
KIT_TEST(stackless, notes_send_example_resets_the_counter)
{
    struct stackless *s = sm_or_fail(4);
    const long want[] = { 0, 1, 1, 2 };
    long v = -1;
    int err;

    for (int i = 0; i < 4; i++) {
        err = stackless_next(s, &v);
        kit_require_impl(err, "stackless_next", "10-F");
        cr_assert(eq(int, err, 0), "stackless_next %d of fib_gen(4): expected 0, got %s. See docs/10-generators.md#switch-on-line", i, kit_errname(err));
        cr_expect(eq(long, v, want[i]), "stackless_next %d of fib_gen(4): expected %ld, got %ld. See docs/10-generators.md#switch-on-line", i, want[i], v);
    }
    err = stackless_send(s, 2, &v);
    cr_assert(eq(int, err, 0), "stackless_send(s, 2) with the counter at 4 of 4: expected 0, got %s. See docs/10-generators.md#switch-on-line", kit_errname(err));
    cr_expect(eq(long, v, 3), "stackless_send(s, 2): expected 3, got %ld. See docs/10-generators.md#switch-on-line", v);
    stackless_free(s);
}

/* Catches: the stub.  Python: TypeError before the first next. */
KIT_TEST(stackless, send_before_the_first_next_fails_with_einval)
{
    struct stackless *s = sm_or_fail(4);
    long v = -1;
    int err = stackless_send(s, 3, &v);

    kit_require_impl(err, "stackless_send", "10-F");
    cr_expect(eq(int, err, -EINVAL), "stackless_send(s, 3, &v) before the first next: expected -EINVAL, got %s. See docs/10-generators.md#send-before-next", kit_errname(err));
    err = stackless_next(s, &v);
    cr_expect(eq(int, err, 0), "stackless_next after the refused send: expected 0, got %s. See docs/10-generators.md#send-before-next", kit_errname(err));
    cr_expect(eq(long, v, 0), "stackless_next after the refused send: expected 0, got %ld. See docs/10-generators.md#send-before-next", v);
    stackless_free(s);
}

/* Catches: the stub.  Same numbers, same end and same overflow as the
 * stackful fibgen, with sends mixed in. */
KIT_TEST(stackless, agrees_with_the_stackful_generator)
{
    struct stackless *s = sm_or_fail(150);
    struct gen *g = NULL;
    int err = fibgen_new(&g, 150);

    kit_require_impl(err, "fibgen_new", "10-E");
    cr_assert(eq(int, err, 0), "fibgen_new(&g, 150): expected 0, got %s. See docs/10-generators.md#fibgen", kit_errname(err));
    for (int i = 0; i < 200; i++) {
        long a = -1;
        long b = -2;
        bool send = i > 0 && i % 7 == 0;
        int ea = send ? stackless_send(s, i % 3, &a) : stackless_next(s, &a);
        int eb = send ? fibgen_send(g, i % 3, &b) : fibgen_next(g, &b);
        kit_require_impl(ea, "stackless_next", "10-F");
        cr_assert(eq(int, ea, eb), "call %d: stackless gave %s, fibgen gave %s. See docs/10-generators.md#stackful-or-stackless", i, kit_errname(ea), kit_errname(eb));
        if (ea == 0)
            cr_assert(eq(long, a, b), "call %d: stackless gave %ld, fibgen gave %ld. See docs/10-generators.md#stackful-or-stackless", i, a, b);
    }
    gen_free(g);
    stackless_free(s);
}

/* Catches: the stub.  The whole state of a stackless generator is a few
 * words, where a stackful one needs a stack. */
KIT_TEST(stackless, size_is_a_few_words_not_a_stack)
{
    size_t n = stackless_size();

    cr_expect(ge(sz, n, 1), "stackless_size(): expected the size of the state struct, got 0. See docs/10-generators.md#stackful-or-stackless");
    cr_expect(le(sz, n, 256), "stackless_size(): expected a few words (at most 256 bytes), got %zu. See docs/10-generators.md#stackful-or-stackless", n);
}
