/*
 * fib.c - the notes' FibIterator: a, b = b, a + b, with a limit, and an
 * overflow reported at the first number that does not fit in 64 bits.
 *
 * The pair (a, b) runs one number ahead of what has been yielded, so the
 * sum that overflows is computed two calls before its number is due.
 * Failing right then would lose F(92) and F(93), which do fit; instead
 * each of a and b carries a flag "this one did not fit", and next fails
 * only when it is about to hand out a number whose flag is set.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "fib.h"

struct fib {
    uint64_t limit;             /* how many numbers to yield */
    uint64_t count;             /* how many were yielded */
    uint64_t a;                 /* F(count): the next to yield */
    uint64_t b;                 /* F(count + 1) */
    bool a_overflowed;          /* a is not F(count): it did not fit */
    bool b_overflowed;
};

/* fib_next - ops->next of a Fibonacci iterator. */
static int
fib_next(void *state, union iter_value *out)
{
    struct fib *f = state;
    uint64_t sum;
    bool sum_overflowed;

    if (f->count >= f->limit)
        return ITER_STOP;
    if (f->a_overflowed)
        return -EOVERFLOW;      /* DOC: 09-iterators#overflow */
    out->u = f->a;
    f->count++;
    sum_overflowed = __builtin_add_overflow(f->a, f->b, &sum);
    f->a = f->b;
    f->a_overflowed = f->b_overflowed;
    f->b = sum;
    f->b_overflowed = f->b_overflowed || sum_overflowed;
    return 0;
}

/* fib_free - ops->free of a Fibonacci iterator.  Cannot fail. */
static void
fib_free(void *state)
{
    free(state);
}

static const struct iter_ops fib_ops = {
    .next = fib_next,
    .free = fib_free,
};

int
fib_new(struct iter **out, uint64_t limit)
{
    struct fib *f;
    int err;

    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return -EINVAL;
    f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -ENOMEM;
    f->limit = limit;
    f->b = 1;
    err = iter_new(out, &fib_ops, f);
    if (err != 0)
        free(f);
    return err;
}
