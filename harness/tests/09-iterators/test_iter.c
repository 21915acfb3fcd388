/*
 * test_iter.c - functional tests of iter.h: the protocol (part A) and the
 * adapters take, map, filter, enumerate and collect (part D).
 *
 * Most tests drive a "counter" iterator built here with iter_new(): it
 * yields 1, 2, ... up to its limit, counts how often its next and free
 * methods ran, and (when asked) misbehaves after its end, so the tests
 * see exactly what the protocol and each adapter ask of their source.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdlib.h>

#include "kit.h"
#include "iter.h"

TestSuite(iter, .timeout = 20);

/* The counter's state; it lives on the test's stack (ops->free only
 * counts), so the test can read it after iter_free(). */
struct counter {
    uint64_t limit;             /* yields 1 .. limit, then ITER_STOP */
    uint64_t next;              /* the value the next call yields */
    int calls;                  /* ops->next calls */
    int frees;                  /* ops->free calls */
    int fail_at;                /* > 0: the call that returns fail_err */
    int fail_err;
    bool resurrect;             /* yield again after ITER_STOP (a bug) */
};

static int
counter_next(void *state, union iter_value *out)
{
    struct counter *c = state;

    c->calls++;
    if (c->fail_at > 0 && c->calls == c->fail_at)
        return c->fail_err;
    if (c->next > c->limit && !c->resurrect)
        return ITER_STOP;
    if (c->next > c->limit) {
        c->next = 1;            /* the misbehaving counter starts over */
        return ITER_STOP;
    }
    out->u = c->next++;
    return 0;
}

static void
counter_free(void *state)
{
    struct counter *c = state;

    c->frees++;
}

static const struct iter_ops counter_ops = {
    .next = counter_next,
    .free = counter_free,
};

/* counter_iter - an iterator over c, or fail the test. */
static struct iter *
counter_iter(struct counter *c, uint64_t limit)
{
    struct iter *it = NULL;
    int err;

    c->limit = limit;
    c->next = 1;
    err = iter_new(&it, &counter_ops, c);
    kit_require_impl(err, "iter_new", "09-A");
    cr_assert(eq(int, err, 0), "iter_new(&it, &ops, state): expected 0, got %s. See docs/09-iterators.md#protocol", kit_errname(err));
    return it;
}

/* drain_u - read up to max items into got[]; returns how many, and the
 * code that ended the run in *end. */
static size_t
drain_u(struct iter *it, uint64_t *got, size_t max, int *end)
{
    union iter_value v;
    size_t n = 0;
    int err;

    while ((err = iter_next(it, &v)) == 0 && n < max)
        got[n++] = v.u;
    *end = err;
    return n;
}

static int
square(union iter_value in, union iter_value *out, void *ctx)
{
    (void)ctx;
    out->u = in.u * in.u;
    return 0;
}

/* fails_on_three - a map function that fails with -EDOM on item 3. */
static int
fails_on_three(union iter_value in, union iter_value *out, void *ctx)
{
    (void)ctx;
    if (in.u == 3)
        return -EDOM;
    out->u = in.u;
    return 0;
}

static bool
is_even(union iter_value v, void *ctx)
{
    (void)ctx;
    return v.u % 2 == 0;
}

/* Catches: the stub.  A class without __next__ is no iterator. */
KIT_TEST(iter, new_rejects_a_null_out_ops_or_next)
{
    static const struct iter_ops no_next = { .next = NULL };
    struct iter *it = NULL;
    int st = 0;
    int err = iter_new(&it, &no_next, &st);

    kit_require_impl(err, "iter_new", "09-A");
    cr_expect(eq(int, err, -EINVAL), "iter_new(&it, ops with next == NULL, state): expected -EINVAL (an iterator needs a next method), got %s. See docs/09-iterators.md#protocol", kit_errname(err));
    cr_expect(eq(ptr, it, NULL), "iter_new failed but *out is not NULL. See docs/09-iterators.md#protocol");
    err = iter_new(&it, NULL, &st);
    cr_expect(eq(int, err, -EINVAL), "iter_new(&it, NULL, state): expected -EINVAL, got %s. See docs/09-iterators.md#protocol", kit_errname(err));
    err = iter_new(NULL, &counter_ops, &st);
    cr_expect(eq(int, err, -EINVAL), "iter_new(NULL, &ops, state): expected -EINVAL, got %s. See docs/09-iterators.md#protocol", kit_errname(err));
}

/* Catches: the stub.  Mirrors IT-06: next gives 1, 2, 3, then the end. */
KIT_TEST(iter, next_gives_every_item_then_iter_stop)
{
    struct counter c = { 0 };
    struct iter *it = counter_iter(&c, 3);
    uint64_t got[8];
    int end;
    size_t n = drain_u(it, got, 8, &end);

    cr_assert(eq(sz, n, 3), "iter_next over a 3-item iterator: expected 3 items before the end, got %zu (ended with %s). See docs/09-iterators.md#protocol", n, kit_errname(end));
    cr_expect(got[0] == 1 && got[1] == 2 && got[2] == 3, "iter_next: expected 1 2 3, got %llu %llu %llu. See docs/09-iterators.md#protocol", (unsigned long long)got[0], (unsigned long long)got[1], (unsigned long long)got[2]);
    cr_expect(eq(int, end, ITER_STOP), "iter_next after the last item: expected ITER_STOP (-ENODATA, Python's StopIteration), got %s. See docs/09-iterators.md#protocol", kit_errname(end));
    iter_free(it);
    cr_expect(eq(int, c.frees, 1), "iter_free(it): expected the free method to run once, it ran %d times. See docs/09-iterators.md#protocol", c.frees);
}

/* Catches: next_not_final.patch.  Mirrors IT-01: an iterator that has
 * said "stop" stays stopped, even if its next method would yield again. */
KIT_TEST(iter, stopped_iterator_stays_stopped_without_calling_next)
{
    struct counter c = { .resurrect = true };
    struct iter *it = counter_iter(&c, 2);
    uint64_t got[8];
    int end;
    size_t n = drain_u(it, got, 8, &end);
    union iter_value v;
    int i;

    cr_assert(eq(sz, n, 2), "iter_next over a 2-item iterator: expected 2 items, got %zu (ended with %s). See docs/09-iterators.md#protocol", n, kit_errname(end));
    for (i = 0; i < 3; i++) {
        int err = iter_next(it, &v);

        cr_expect(eq(int, err, ITER_STOP), "iter_next call %d after ITER_STOP: expected ITER_STOP again (an ended iterator stays ended), got %s. See docs/09-iterators.md#stays-stopped", i + 1, kit_errname(err));
    }
    cr_expect(eq(int, c.calls, 3), "after ITER_STOP, iter_next must not call the next method again: expected 3 calls in all, got %d. See docs/09-iterators.md#stays-stopped", c.calls);
    iter_free(it);
}

/* Catches: next_not_final.patch.  An error is final too: the same
 * error comes back, and the next method is not called again. */
KIT_TEST(iter, failed_iterator_keeps_failing_with_the_same_error)
{
    struct counter c = { .fail_at = 2, .fail_err = -EIO };
    struct iter *it = counter_iter(&c, 5);
    union iter_value v;
    int err = iter_next(it, &v);

    cr_assert(eq(int, err, 0), "iter_next (1st): expected 0, got %s. See docs/09-iterators.md#protocol", kit_errname(err));
    err = iter_next(it, &v);
    cr_expect(eq(int, err, -EIO), "iter_next (2nd) when the next method fails with -EIO: expected -EIO passed on, got %s. See docs/09-iterators.md#stays-stopped", kit_errname(err));
    err = iter_next(it, &v);
    cr_expect(eq(int, err, -EIO), "iter_next (3rd) after a failure: expected -EIO again, got %s. See docs/09-iterators.md#stays-stopped", kit_errname(err));
    cr_expect(eq(int, c.calls, 2), "after a failure, iter_next must not call the next method again: expected 2 calls, got %d. See docs/09-iterators.md#stays-stopped", c.calls);
    iter_free(it);
}

static int
iter_gives_nothing(void *obj, struct iter **out)
{
    (void)obj;
    *out = NULL;
    return 0;
}

static int
iter_gives_counter(void *obj, struct iter **out)
{
    return iter_new(out, &counter_ops, obj);
}

/* Catches: the stub.  Mirrors IT-05 and the notes' first two steps:
 * no __iter__ is "not iterable"; an __iter__ that returns nothing breaks
 * the protocol. */
KIT_TEST(iter, from_rejects_non_iterables_and_broken_iter_methods)
{
    static const struct iter_able_ops none = { .iter = NULL };
    static const struct iter_able_ops broken = { .iter = iter_gives_nothing };
    struct iter *it = NULL;
    int err = iter_from(&it, &none, NULL);

    kit_require_impl(err, "iter_from", "09-A");
    cr_expect(eq(int, err, -ENOTSUP), "iter_from(&it, {iter = NULL}, obj): expected -ENOTSUP (Python: TypeError, object is not iterable), got %s. See docs/09-iterators.md#iter-from", kit_errname(err));
    err = iter_from(&it, NULL, NULL);
    cr_expect(eq(int, err, -ENOTSUP), "iter_from(&it, NULL, obj): expected -ENOTSUP, got %s. See docs/09-iterators.md#iter-from", kit_errname(err));
    err = iter_from(&it, &broken, NULL);
    cr_expect(eq(int, err, -EPROTO), "iter_from with an iter method that returns 0 and no iterator: expected -EPROTO (Python: TypeError, iter() returned non-iterator), got %s. See docs/09-iterators.md#iter-from", kit_errname(err));
    cr_expect(eq(ptr, it, NULL), "iter_from failed but *out is not NULL. See docs/09-iterators.md#iter-from");
}

/* Catches: the stub.  Mirrors IT-02: iter() on an iterable calls its
 * __iter__ and gives back what it made. */
KIT_TEST(iter, from_calls_the_iter_method_and_gives_its_iterator)
{
    static const struct iter_able_ops able = { .iter = iter_gives_counter };
    struct counter c = { .limit = 2, .next = 1 };
    struct iter *it = NULL;
    union iter_value v;
    int err = iter_from(&it, &able, &c);

    kit_require_impl(err, "iter_from", "09-A");
    cr_assert(eq(int, err, 0), "iter_from(&it, &able, obj): expected 0, got %s. See docs/09-iterators.md#iter-from", kit_errname(err));
    cr_assert(ne(ptr, it, NULL), "iter_from returned 0 but no iterator. See docs/09-iterators.md#iter-from");
    err = iter_next(it, &v);
    cr_expect(eq(int, err, 0), "iter_next on the iterator from iter_from: expected 0, got %s. See docs/09-iterators.md#iter-from", kit_errname(err));
    cr_expect(eq(u64, v.u, 1), "first item: expected 1, got %llu. See docs/09-iterators.md#iter-from", (unsigned long long)v.u);
    iter_free(it);
}

/* Catches: take_reads_one_more.patch (through the item count). */
KIT_TEST(iter, take_yields_the_first_n_items)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 10);
    struct iter *t = NULL;
    uint64_t got[16];
    int end;
    size_t n;
    int err = iter_take(&t, src, 3);

    cr_assert(eq(int, err, 0), "iter_take(&t, src, 3): expected 0, got %s. See docs/09-iterators.md#take", kit_errname(err));
    n = drain_u(t, got, 16, &end);
    kit_require_impl(end, "iter_next on a take iterator", "09-D");
    cr_expect(eq(sz, n, 3), "take(3) over 1..10: expected 3 items, got %zu. See docs/09-iterators.md#take", n);
    cr_expect(n < 3 || (got[0] == 1 && got[2] == 3), "take(3) over 1..10: expected 1 2 3. See docs/09-iterators.md#take");
    cr_expect(eq(int, end, ITER_STOP), "take(3) after 3 items: expected ITER_STOP, got %s. See docs/09-iterators.md#take", kit_errname(end));
    iter_free(t);
}

/* Catches: take_reads_one_more.patch.  islice(src, n) never asks src
 * for an (n+1)th item: that item would be lost to the next reader of
 * src (and src may be a socket, or infinite and slow). */
KIT_TEST(iter, take_reads_exactly_n_items_from_its_source)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 10);
    struct iter *t = NULL;
    uint64_t got[16];
    int end;
    int err = iter_take(&t, src, 3);

    cr_assert(eq(int, err, 0), "iter_take(&t, src, 3): expected 0, got %s. See docs/09-iterators.md#take", kit_errname(err));
    (void)drain_u(t, got, 16, &end);
    kit_require_impl(end, "iter_next on a take iterator", "09-D");
    cr_expect(eq(int, c.calls, 3), "take(3) run to its end: expected the source's next to run exactly 3 times, it ran %d times (an extra call loses an item). See docs/09-iterators.md#take", c.calls);
    iter_free(t);
}

/* Catches: the stub.  take(n) of a shorter source ends with the source. */
KIT_TEST(iter, take_of_more_than_there_are_ends_with_the_source)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 2);
    struct iter *t = NULL;
    uint64_t got[16];
    int end;
    size_t n;
    int err = iter_take(&t, src, 5);

    cr_assert(eq(int, err, 0), "iter_take(&t, src, 5): expected 0, got %s. See docs/09-iterators.md#take", kit_errname(err));
    n = drain_u(t, got, 16, &end);
    kit_require_impl(end, "iter_next on a take iterator", "09-D");
    cr_expect(eq(sz, n, 2), "take(5) over 1..2: expected 2 items, got %zu. See docs/09-iterators.md#take", n);
    cr_expect(eq(int, end, ITER_STOP), "take(5) over 1..2, after 2 items: expected ITER_STOP, got %s. See docs/09-iterators.md#take", kit_errname(end));
    iter_free(t);
}

/* Catches: the stub.  map(square, 1..4) is 1 4 9 16. */
KIT_TEST(iter, map_applies_the_function_to_each_item)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 4);
    struct iter *m = NULL;
    uint64_t got[8];
    int end;
    size_t n;
    int err = iter_map(&m, src, square, NULL);

    cr_assert(eq(int, err, 0), "iter_map(&m, src, square, NULL): expected 0, got %s. See docs/09-iterators.md#map", kit_errname(err));
    n = drain_u(m, got, 8, &end);
    kit_require_impl(end, "iter_next on a map iterator", "09-D");
    cr_assert(eq(sz, n, 4), "map(square, 1..4): expected 4 items, got %zu (ended with %s). See docs/09-iterators.md#map", n, kit_errname(end));
    cr_expect(got[0] == 1 && got[1] == 4 && got[2] == 9 && got[3] == 16, "map(square, 1..4): expected 1 4 9 16, got %llu %llu %llu %llu. See docs/09-iterators.md#map", (unsigned long long)got[0], (unsigned long long)got[1], (unsigned long long)got[2], (unsigned long long)got[3]);
    cr_expect(eq(int, end, ITER_STOP), "map after the last item: expected ITER_STOP, got %s. See docs/09-iterators.md#map", kit_errname(end));
    iter_free(m);
}

/* Catches: the stub.  An exception in the mapped function reaches the
 * caller of next (Python raises it out of next(map_object)). */
KIT_TEST(iter, map_passes_on_the_functions_error)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 5);
    struct iter *m = NULL;
    uint64_t got[8];
    int end;
    size_t n;
    int err = iter_map(&m, src, fails_on_three, NULL);

    cr_assert(eq(int, err, 0), "iter_map: expected 0, got %s. See docs/09-iterators.md#map", kit_errname(err));
    n = drain_u(m, got, 8, &end);
    kit_require_impl(end, "iter_next on a map iterator", "09-D");
    cr_expect(eq(sz, n, 2), "map(fn failing on 3, 1..5): expected 2 items before the failure, got %zu. See docs/09-iterators.md#map", n);
    cr_expect(eq(int, end, -EDOM), "map(fn failing on 3 with -EDOM): expected iter_next to return -EDOM, got %s. See docs/09-iterators.md#map", kit_errname(end));
    iter_free(m);
}

/* Catches: the stub.  filter(is_even, 1..10) is 2 4 6 8 10. */
KIT_TEST(iter, filter_keeps_only_the_items_the_predicate_accepts)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 10);
    struct iter *f = NULL;
    uint64_t got[16];
    int end;
    size_t n;
    size_t i;
    int err = iter_filter(&f, src, is_even, NULL);

    cr_assert(eq(int, err, 0), "iter_filter(&f, src, is_even, NULL): expected 0, got %s. See docs/09-iterators.md#filter", kit_errname(err));
    n = drain_u(f, got, 16, &end);
    kit_require_impl(end, "iter_next on a filter iterator", "09-D");
    cr_assert(eq(sz, n, 5), "filter(is_even, 1..10): expected 5 items, got %zu (ended with %s). See docs/09-iterators.md#filter", n, kit_errname(end));
    for (i = 0; i < n; i++)
        cr_expect(eq(u64, got[i], 2 * (i + 1)), "filter(is_even, 1..10) item %zu: expected %zu, got %llu. See docs/09-iterators.md#filter", i, 2 * (i + 1), (unsigned long long)got[i]);
    cr_expect(eq(int, end, ITER_STOP), "filter at the end of its source: expected ITER_STOP, got %s. See docs/09-iterators.md#filter", kit_errname(end));
    iter_free(f);
}

/* Catches: the stub.  enumerate(1..3, start=5): (5,1) (6,2) (7,3). */
KIT_TEST(iter, enumerate_pairs_each_item_with_its_index_from_start)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 3);
    struct iter *e = NULL;
    union iter_value v;
    uint64_t i;
    int err = iter_enumerate(&e, src, 5);

    cr_assert(eq(int, err, 0), "iter_enumerate(&e, src, 5): expected 0, got %s. See docs/09-iterators.md#enumerate", kit_errname(err));
    for (i = 0; i < 3; i++) {
        const struct iter_pair *pair;

        err = iter_next(e, &v);
        kit_require_impl(err, "iter_next on an enumerate iterator", "09-D");
        cr_assert(eq(int, err, 0), "enumerate item %llu: expected 0, got %s. See docs/09-iterators.md#enumerate", (unsigned long long)i, kit_errname(err));
        pair = v.p;
        cr_assert(ne(ptr, (void *)pair, NULL), "enumerate item %llu: expected p to point to a struct iter_pair, got NULL. See docs/09-iterators.md#enumerate", (unsigned long long)i);
        cr_expect(eq(u64, pair->index, 5 + i), "enumerate(src, start=5) item %llu: expected index %llu, got %llu. See docs/09-iterators.md#enumerate", (unsigned long long)i, (unsigned long long)(5 + i), (unsigned long long)pair->index);
        cr_expect(eq(u64, pair->value.u, i + 1), "enumerate item %llu: expected value %llu, got %llu. See docs/09-iterators.md#enumerate", (unsigned long long)i, (unsigned long long)(i + 1), (unsigned long long)pair->value.u);
    }
    err = iter_next(e, &v);
    cr_expect(eq(int, err, ITER_STOP), "enumerate at the end of its source: expected ITER_STOP, got %s. See docs/09-iterators.md#enumerate", kit_errname(err));
    iter_free(e);
}

/* Catches: the stub.  list(1..20): every item, in order, in one array. */
KIT_TEST(iter, collect_gathers_every_item_in_order)
{
    struct counter c = { 0 };
    struct iter *it = counter_iter(&c, 20);
    union iter_value *items = NULL;
    size_t n = 99;
    size_t i;
    int err = iter_collect(it, &items, &n);

    kit_require_impl(err, "iter_collect", "09-D");
    cr_assert(eq(int, err, 0), "iter_collect over 1..20: expected 0, got %s. See docs/09-iterators.md#collect", kit_errname(err));
    cr_assert(eq(sz, n, 20), "iter_collect over 1..20: expected 20 items, got %zu. See docs/09-iterators.md#collect", n);
    for (i = 0; i < n; i++)
        cr_expect(eq(u64, items[i].u, i + 1), "iter_collect item %zu: expected %zu, got %llu. See docs/09-iterators.md#collect", i, i + 1, (unsigned long long)items[i].u);
    free(items);
    iter_free(it);
    cr_expect(eq(int, c.frees, 1), "iter_collect borrows its iterator: expected one free (ours), got %d. See docs/09-iterators.md#collect", c.frees);
}

/* Catches: the stub.  list() of an empty iterator is []: no array. */
KIT_TEST(iter, collect_of_an_empty_iterator_gives_no_items)
{
    struct counter c = { 0 };
    struct iter *it = counter_iter(&c, 0);
    union iter_value *items = (union iter_value *)&c;
    size_t n = 99;
    int err = iter_collect(it, &items, &n);

    kit_require_impl(err, "iter_collect", "09-D");
    cr_expect(eq(int, err, 0), "iter_collect over nothing: expected 0, got %s. See docs/09-iterators.md#collect", kit_errname(err));
    cr_expect(eq(sz, n, 0), "iter_collect over nothing: expected 0 items, got %zu. See docs/09-iterators.md#collect", n);
    cr_expect(eq(ptr, items, NULL), "iter_collect over nothing: expected *items == NULL. See docs/09-iterators.md#collect");
    iter_free(it);
}

/* Catches: the stub.  list(it) propagates the iterator's exception and
 * gives back nothing half-built. */
KIT_TEST(iter, collect_returns_the_iterators_error_and_keeps_nothing)
{
    struct counter c = { .fail_at = 4, .fail_err = -EIO };
    struct iter *it = counter_iter(&c, 10);
    union iter_value *items = (union iter_value *)&c;
    size_t n = 99;
    int err = iter_collect(it, &items, &n);

    kit_require_impl(err, "iter_collect", "09-D");
    cr_expect(eq(int, err, -EIO), "iter_collect when the 4th next fails with -EIO: expected -EIO, got %s. See docs/09-iterators.md#collect", kit_errname(err));
    cr_expect(eq(ptr, items, NULL), "iter_collect failed: expected *items == NULL (the partial array freed). See docs/09-iterators.md#collect");
    cr_expect(eq(sz, n, 0), "iter_collect failed: expected *n == 0, got %zu. See docs/09-iterators.md#collect", n);
    iter_free(it);
}

/* Catches: adapter_forgets_source.patch.  Each adapter owns its source:
 * freeing the adapter frees the source, once, even mid-iteration. */
KIT_TEST(iter, freeing_an_adapter_frees_its_source_once)
{
    static const char *const names[] = { "take", "map", "filter", "enumerate" };
    int k;

    for (k = 0; k < 4; k++) {
        struct counter c = { 0 };
        struct iter *src = counter_iter(&c, 10);
        struct iter *a = NULL;
        union iter_value v;
        int err = k == 0 ? iter_take(&a, src, 5)
                : k == 1 ? iter_map(&a, src, square, NULL)
                : k == 2 ? iter_filter(&a, src, is_even, NULL)
                : iter_enumerate(&a, src, 0);

        cr_assert(eq(int, err, 0), "iter_%s over a source: expected 0, got %s. See docs/09-iterators.md#adapter-ownership", names[k], kit_errname(err));
        err = iter_next(a, &v);
        kit_require_impl(err, "iter_next on an adapter", "09-D");
        iter_free(a);
        cr_expect(eq(int, c.frees, 1), "iter_free on a %s adapter after one item: expected its source freed exactly once, it was freed %d times. See docs/09-iterators.md#adapter-ownership", names[k], c.frees);
    }
}

/* Catches: the stub.  A failed adapter constructor leaves the source
 * with the caller, untouched. */
KIT_TEST(iter, adapters_reject_bad_arguments_and_leave_the_source_alone)
{
    struct counter c = { 0 };
    struct iter *src = counter_iter(&c, 3);
    struct iter *a = NULL;
    union iter_value v;
    int err = iter_map(&a, src, NULL, NULL);

    cr_expect(eq(int, err, -EINVAL), "iter_map(&a, src, NULL, NULL): expected -EINVAL, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    err = iter_filter(&a, src, NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "iter_filter(&a, src, NULL, NULL): expected -EINVAL, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    err = iter_take(&a, NULL, 3);
    cr_expect(eq(int, err, -EINVAL), "iter_take(&a, NULL, 3): expected -EINVAL, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    err = iter_enumerate(NULL, src, 0);
    cr_expect(eq(int, err, -EINVAL), "iter_enumerate(NULL, src, 0): expected -EINVAL, got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    cr_expect(eq(int, c.frees, 0), "a failed adapter constructor freed the source (%d frees): the caller still owns it. See docs/09-iterators.md#adapter-ownership", c.frees);
    err = iter_next(src, &v);
    cr_expect(eq(int, err, 0), "iter_next(src) after the failed constructors: expected 0 (untouched source), got %s. See docs/09-iterators.md#adapters", kit_errname(err));
    cr_expect(eq(u64, v.u, 1), "iter_next(src) after the failed constructors: expected its first item 1, got %llu. See docs/09-iterators.md#adapters", (unsigned long long)v.u);
    iter_free(src);
}
