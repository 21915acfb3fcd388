/*
 * test_names.c - functional tests of names.h (lab 09, part B): the notes'
 * class of names as an iterable container, fresh passes, independent
 * iterators, and a change during iteration caught on the next call.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <string.h>

#include "kit.h"
#include "names.h"

TestSuite(names, .timeout = 20);

/* The notes' three classmates, in pinyin. */
static const char *const people[] = { "zhangsan", "lisi", "wangwu" };

/* three_names - a container holding people[], or fail the test. */
static struct names *
three_names(void)
{
    struct names *n = NULL;
    int err = names_new(&n);
    int i;

    kit_require_impl(err, "names_new", "09-B");
    cr_assert(eq(int, err, 0), "names_new(&n): expected 0, got %s. See docs/09-iterators.md#names", kit_errname(err));
    for (i = 0; i < 3; i++) {
        err = names_add(n, people[i]);
        kit_require_impl(err, "names_add", "09-B");
        cr_assert(eq(int, err, 0), "names_add(n, \"%s\"): expected 0, got %s. See docs/09-iterators.md#names", people[i], kit_errname(err));
    }
    return n;
}

/* new_iter - names_iter(n), or fail the test. */
static struct iter *
new_iter(struct names *n)
{
    struct iter *it = NULL;
    int err = names_iter(n, &it);

    kit_require_impl(err, "names_iter", "09-B");
    cr_assert(eq(int, err, 0), "names_iter(n, &it): expected 0, got %s. See docs/09-iterators.md#names", kit_errname(err));
    return it;
}

/* expect_name - the next item of it is `want`. */
static void
expect_name(struct iter *it, const char *want, int idx)
{
    union iter_value v;
    int err = iter_next(it, &v);

    kit_require_impl(err, "iter_next on a names iterator", "09-B");
    cr_assert(eq(int, err, 0), "iter_next for name %d (\"%s\"): expected 0, got %s. See docs/09-iterators.md#names", idx, want, kit_errname(err));
    cr_assert(ne(ptr, (void *)v.p, NULL), "iter_next for name %d: expected p to point to a string, got NULL. See docs/09-iterators.md#names", idx);
    cr_expect(eq(str, (char *)v.p, (char *)want), "iter_next for name %d: expected \"%s\" (names come first added first), got \"%s\". See docs/09-iterators.md#names", idx, want, (const char *)v.p);
}

/* expect_end - the next call on it returns `want` (ITER_STOP, -ESTALE). */
static void
expect_end(struct iter *it, int want, const char *why)
{
    union iter_value v;
    int err = iter_next(it, &v);

    cr_expect(eq(int, err, want), "iter_next %s: expected %s, got %s. See docs/09-iterators.md#modification", why, kit_errname(want), kit_errname(err));
}

/* Catches: the stub. */
KIT_TEST(names, new_container_is_empty_and_iterates_nothing)
{
    struct names *n = NULL;
    struct iter *it;
    int err = names_new(&n);

    kit_require_impl(err, "names_new", "09-B");
    cr_assert(eq(int, err, 0), "names_new(&n): expected 0, got %s. See docs/09-iterators.md#names", kit_errname(err));
    cr_expect(eq(sz, names_len(n), 0), "names_len of a new container: expected 0, got %zu. See docs/09-iterators.md#names", names_len(n));
    it = new_iter(n);
    expect_end(it, ITER_STOP, "on an empty container");
    iter_free(it);
    names_free(n);
}

/* Catches: names_skips_last.patch, names_first_twice.patch.  The notes'
 * step 6: every name, in the order added, then StopIteration. */
KIT_TEST(names, iterates_every_name_in_order)
{
    struct names *n = three_names();
    struct iter *it = new_iter(n);
    int i;

    cr_expect(eq(sz, names_len(n), 3), "names_len after 3 adds: expected 3, got %zu. See docs/09-iterators.md#names", names_len(n));
    for (i = 0; i < 3; i++)
        expect_name(it, people[i], i);
    expect_end(it, ITER_STOP, "after the 3rd of 3 names");
    iter_free(it);
    names_free(n);
}

/* Catches: the stub.  The container keeps its own copy: the caller's
 * buffer may change or go away. */
KIT_TEST(names, add_copies_the_string)
{
    struct names *n = NULL;
    struct iter *it;
    char buf[16] = "zhaoliu";
    int err = names_new(&n);

    kit_require_impl(err, "names_new", "09-B");
    cr_assert(eq(int, err, 0), "names_new: expected 0, got %s. See docs/09-iterators.md#names", kit_errname(err));
    err = names_add(n, buf);
    kit_require_impl(err, "names_add", "09-B");
    cr_assert(eq(int, err, 0), "names_add(n, buf): expected 0, got %s. See docs/09-iterators.md#names", kit_errname(err));
    strcpy(buf, "XXXXXXX");
    it = new_iter(n);
    expect_name(it, "zhaoliu", 0);
    iter_free(it);
    names_free(n);
}

/* Catches: the stub.  Bad arguments are refused and change nothing. */
KIT_TEST(names, add_and_iter_reject_null_arguments)
{
    struct names *n = three_names();
    struct iter *it = NULL;
    int err = names_add(n, NULL);

    cr_expect(eq(int, err, -EINVAL), "names_add(n, NULL): expected -EINVAL, got %s. See docs/09-iterators.md#names", kit_errname(err));
    err = names_add(NULL, "x");
    cr_expect(eq(int, err, -EINVAL), "names_add(NULL, \"x\"): expected -EINVAL, got %s. See docs/09-iterators.md#names", kit_errname(err));
    err = names_iter(NULL, &it);
    cr_expect(eq(int, err, -EINVAL), "names_iter(NULL, &it): expected -EINVAL, got %s. See docs/09-iterators.md#names", kit_errname(err));
    cr_expect(eq(sz, names_len(n), 3), "names_len after refused adds: expected 3, got %zu. See docs/09-iterators.md#names", names_len(n));
    names_free(n);
}

/* Catches: the stub.  Mirrors IT-02: an iterable (not an iterator) gives
 * a new pass each time, so a second loop sees every name again. */
KIT_TEST(names, each_iter_starts_a_fresh_pass)
{
    struct names *n = three_names();
    int pass;
    int i;

    for (pass = 0; pass < 2; pass++) {
        struct iter *it = new_iter(n);

        for (i = 0; i < 3; i++)
            expect_name(it, people[i], i);
        expect_end(it, ITER_STOP, "after the 3rd name");
        iter_free(it);
    }
    names_free(n);
}

/* Catches: names_static_cursor.patch.  Each iterator has its own
 * position; two passes interleaved do not disturb each other. */
KIT_TEST(names, two_iterators_walk_independently)
{
    struct names *n = three_names();
    struct iter *a = new_iter(n);
    struct iter *b;

    expect_name(a, people[0], 0);
    expect_name(a, people[1], 1);
    b = new_iter(n);
    expect_name(b, people[0], 0);
    expect_name(a, people[2], 2);
    expect_name(b, people[1], 1);
    expect_end(a, ITER_STOP, "on iterator a after its 3 names");
    expect_name(b, people[2], 2);
    iter_free(a);
    iter_free(b);
    names_free(n);
}

/* Catches: names_change_not_detected.patch.  Mirrors Python's dict: a
 * change after the iterator was made fails its next call, and every
 * later one, even when the iterator stood at the last name. */
KIT_TEST(names, add_during_iteration_fails_next_with_estale)
{
    struct names *n = three_names();
    struct iter *it = new_iter(n);
    int err;

    expect_name(it, people[0], 0);
    expect_name(it, people[1], 1);
    expect_name(it, people[2], 2);
    err = names_add(n, "zhaoliu");
    cr_assert(eq(int, err, 0), "names_add during iteration: expected 0 (the add itself is fine), got %s. See docs/09-iterators.md#modification", kit_errname(err));
    expect_end(it, -ESTALE, "after names_add on a live iterator (Python: RuntimeError, changed during iteration)");
    expect_end(it, -ESTALE, "a second time after the change (the failure is final)");
    iter_free(it);
    names_free(n);
}

/* Catches: the stub.  Only iterators made before the change fail: a new
 * one sees the new name, and one that had already ended stays ended. */
KIT_TEST(names, change_spares_new_and_finished_iterators)
{
    struct names *n = three_names();
    struct iter *done = new_iter(n);
    struct iter *fresh;
    int i;

    for (i = 0; i < 3; i++)
        expect_name(done, people[i], i);
    expect_end(done, ITER_STOP, "after the 3rd name");
    cr_assert(eq(int, names_add(n, "zhaoliu"), 0), "names_add: expected 0. See docs/09-iterators.md#modification");
    expect_end(done, ITER_STOP, "on an ended iterator after an add (it stays ended)");
    fresh = new_iter(n);
    for (i = 0; i < 3; i++)
        expect_name(fresh, people[i], i);
    expect_name(fresh, "zhaoliu", 3);
    iter_free(done);
    iter_free(fresh);
    names_free(n);
}

/* Catches: names_free_ignores_iterators.patch (under memcheck; natively
 * the freed names may still read right).  Like a Python object kept
 * alive by its iterator, the container outlives names_free(). */
KIT_TEST(names, iterator_keeps_the_container_alive_after_names_free)
{
    struct names *n = three_names();
    struct iter *it = new_iter(n);
    int i;

    expect_name(it, people[0], 0);
    names_free(n);
    for (i = 1; i < 3; i++)
        expect_name(it, people[i], i);
    expect_end(it, ITER_STOP, "after the last name, container already freed by its owner");
    iter_free(it);
}

/* Catches: the stub.  iter(classmate) through the iterable's table. */
KIT_TEST(names, iter_from_uses_the_iterable_table)
{
    struct names *n = three_names();
    struct iter *it = NULL;
    int err = iter_from(&it, &names_iterable, n);

    kit_require_impl(err, "iter_from(&it, &names_iterable, n)", "09-A");
    cr_assert(eq(int, err, 0), "iter_from(&it, &names_iterable, n): expected 0, got %s. See docs/09-iterators.md#iter-from", kit_errname(err));
    expect_name(it, people[0], 0);
    iter_free(it);
    names_free(n);
}
