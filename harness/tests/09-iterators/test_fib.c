/*
 * test_fib.c - functional tests of fib.h (lab 09, part C): the notes'
 * FibIterator, its limit, single pass, and overflow caught at F(94).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdlib.h>

#include "kit.h"
#include "fib.h"

TestSuite(fib, .timeout = 20);

/* new_fib - fib_new(limit), or fail the test. */
static struct iter *
new_fib(uint64_t limit)
{
    struct iter *it = NULL;
    int err = fib_new(&it, limit);

    kit_require_impl(err, "fib_new", "09-C");
    cr_assert(eq(int, err, 0), "fib_new(&it, %llu): expected 0, got %s. See docs/09-iterators.md#fib", (unsigned long long)limit, kit_errname(err));
    return it;
}

/* fib_ref - F(k) computed here, for k <= FIB_MAX_INDEX. */
static uint64_t
fib_ref(unsigned k)
{
    uint64_t a = 0;
    uint64_t b = 1;

    while (k-- > 0) {
        uint64_t t = a + b;

        a = b;
        b = t;
    }
    return a;
}

/* read_n - call iter_next up to max times; the values go to got[], the
 * count of successes is returned, the first non-zero code to *end. */
static unsigned
read_n(struct iter *it, uint64_t *got, unsigned max, int *end)
{
    union iter_value v;
    unsigned n = 0;

    *end = 0;
    while (n < max) {
        int err = iter_next(it, &v);

        if (err != 0) {
            *end = err;
            break;
        }
        got[n++] = v.u;
    }
    return n;
}

/* Catches: the stub.  The notes' FibIterator(12). */
KIT_TEST(fib, first_twelve_are_the_notes_sequence)
{
    static const uint64_t want[12] = {
        0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89,
    };
    struct iter *it = new_fib(12);
    uint64_t got[16];
    int end;
    unsigned n = read_n(it, got, 16, &end);
    unsigned i;

    kit_require_impl(end, "iter_next on a fib iterator", "09-C");
    cr_assert(eq(uint, n, 12), "fib_new(12): expected 12 numbers, got %u (ended with %s). See docs/09-iterators.md#fib", n, kit_errname(end));
    for (i = 0; i < 12; i++)
        cr_expect(eq(u64, got[i], want[i]), "fib_new(12) item %u: expected %llu, got %llu. See docs/09-iterators.md#fib", i, (unsigned long long)want[i], (unsigned long long)got[i]);
    cr_expect(eq(int, end, ITER_STOP), "fib_new(12) after 12 numbers: expected ITER_STOP, got %s. See docs/09-iterators.md#fib", kit_errname(end));
    iter_free(it);
}

/* Catches: the stub.  FibIterator(0) yields nothing. */
KIT_TEST(fib, limit_zero_stops_at_once)
{
    struct iter *it = new_fib(0);
    union iter_value v;
    int err = iter_next(it, &v);

    kit_require_impl(err, "iter_next on a fib iterator", "09-C");
    cr_expect(eq(int, err, ITER_STOP), "fib_new(0), first next: expected ITER_STOP, got %s. See docs/09-iterators.md#fib", kit_errname(err));
    iter_free(it);
}

/* Catches: the stub.  Mirrors IT-01: an iterator whose __iter__ returns
 * itself is single pass; a second list() of it is empty. */
KIT_TEST(fib, is_single_pass_and_stays_exhausted)
{
    struct iter *it = new_fib(5);
    union iter_value *items = NULL;
    size_t n = 0;
    int err = iter_collect(it, &items, &n);

    kit_require_impl(err, "iter_collect over fib", "09-C");
    cr_assert(eq(int, err, 0), "iter_collect(fib(5)): expected 0, got %s. See docs/09-iterators.md#single-pass", kit_errname(err));
    cr_expect(eq(sz, n, 5), "iter_collect(fib(5)): expected 5 numbers, got %zu. See docs/09-iterators.md#single-pass", n);
    free(items);
    items = NULL;
    err = iter_collect(it, &items, &n);
    cr_expect(eq(int, err, 0), "second iter_collect of the same fib: expected 0, got %s. See docs/09-iterators.md#single-pass", kit_errname(err));
    cr_expect(eq(sz, n, 0), "second iter_collect of the same fib: expected 0 numbers (Python: list(it) == [] the second time), got %zu. See docs/09-iterators.md#single-pass", n);
    free(items);
    iter_free(it);
}

/* Catches: fib_wraps.patch, fib_overflow_too_early.patch.  F(0) .. F(93)
 * all fit in 64 bits and must come out exact; the call that would give
 * F(94) fails with -EOVERFLOW instead of a wrapped number, and stays
 * failed. */
KIT_TEST(fib, yields_up_to_f93_then_fails_with_eoverflow)
{
    struct iter *it = new_fib(FIB_UNLIMITED);
    uint64_t got[FIB_MAX_INDEX + 3];
    union iter_value v;
    int end;
    unsigned n = read_n(it, got, FIB_MAX_INDEX + 3, &end);
    int err;

    kit_require_impl(end, "iter_next on a fib iterator", "09-C");
    cr_expect(eq(uint, n, FIB_MAX_INDEX + 1), "fib_new(FIB_UNLIMITED): expected exactly %d numbers (F(0) .. F(93)) before the overflow, got %u (ended with %s). See docs/09-iterators.md#overflow", FIB_MAX_INDEX + 1, n, kit_errname(end));
    if (n >= FIB_MAX_INDEX + 1)
        cr_expect(eq(u64, got[FIB_MAX_INDEX], fib_ref(FIB_MAX_INDEX)), "F(93): expected %llu, got %llu. See docs/09-iterators.md#overflow", (unsigned long long)fib_ref(FIB_MAX_INDEX), (unsigned long long)got[FIB_MAX_INDEX]);
    cr_expect(eq(int, end, -EOVERFLOW), "fib_new(FIB_UNLIMITED), the call for F(94): expected -EOVERFLOW (F(94) does not fit in uint64_t), got %s. See docs/09-iterators.md#overflow", kit_errname(end));
    err = iter_next(it, &v);
    cr_expect(eq(int, err, -EOVERFLOW), "fib after the overflow: expected -EOVERFLOW again, got %s. See docs/09-iterators.md#overflow", kit_errname(err));
    iter_free(it);
}

/* Catches: fib_overflow_too_early.patch.  With limit 94 the last number
 * due is F(93), which fits: the iteration ends normally. */
KIT_TEST(fib, limit_94_ends_with_iter_stop_not_overflow)
{
    struct iter *it = new_fib(FIB_MAX_INDEX + 1);
    uint64_t got[FIB_MAX_INDEX + 3];
    int end;
    unsigned n = read_n(it, got, FIB_MAX_INDEX + 3, &end);

    kit_require_impl(end, "iter_next on a fib iterator", "09-C");
    cr_expect(eq(uint, n, FIB_MAX_INDEX + 1), "fib_new(94): expected 94 numbers, got %u (ended with %s). See docs/09-iterators.md#overflow", n, kit_errname(end));
    cr_expect(eq(int, end, ITER_STOP), "fib_new(94) after F(93): expected ITER_STOP (every number due fits), got %s. See docs/09-iterators.md#overflow", kit_errname(end));
    iter_free(it);
}

static bool
is_even(union iter_value v, void *ctx)
{
    (void)ctx;
    return v.u % 2 == 0;
}

static int
halve(union iter_value in, union iter_value *out, void *ctx)
{
    (void)ctx;
    out->u = in.u / 2;
    return 0;
}

/* Catches: the stub.  An endless source through adapters:
 * list(islice(map(halve, filter(is_even, fib())), 5)) ==
 * [0, 1, 4, 17, 72]. */
KIT_TEST(fib, unlimited_fib_through_filter_map_take)
{
    static const uint64_t want[5] = { 0, 1, 4, 17, 72 };
    struct iter *it = new_fib(FIB_UNLIMITED);
    struct iter *f = NULL;
    struct iter *m = NULL;
    struct iter *t = NULL;
    union iter_value *items = NULL;
    size_t n = 0;
    size_t i;
    int err = iter_filter(&f, it, is_even, NULL);

    kit_require_impl(err, "iter_filter", "09-D");
    cr_assert(eq(int, err, 0), "iter_filter(fib): expected 0, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    err = iter_map(&m, f, halve, NULL);
    cr_assert(eq(int, err, 0), "iter_map(filter): expected 0, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    err = iter_take(&t, m, 5);
    cr_assert(eq(int, err, 0), "iter_take(map, 5): expected 0, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    err = iter_collect(t, &items, &n);
    kit_require_impl(err, "iter_collect over the chain", "09-D");
    cr_assert(eq(int, err, 0), "iter_collect(take(map(filter(fib)))): expected 0, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    cr_assert(eq(sz, n, 5), "take(5) of halved even Fibonacci numbers: expected 5 items, got %zu. See docs/09-iterators.md#adapters", n);
    for (i = 0; i < 5; i++)
        cr_expect(eq(u64, items[i].u, want[i]), "item %zu: expected %llu, got %llu. See docs/09-iterators.md#adapters", i, (unsigned long long)want[i], (unsigned long long)items[i].u);
    free(items);
    iter_free(t);
}
