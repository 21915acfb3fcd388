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
    /* TODO(09-C): stop at the limit; hand out a, then a, b = b, a + b, failing
     * with -EOVERFLOW only when the number due did not fit. Python:
     * FibIterator.__next__. Read docs/09-iterators.md#overflow. */
    (void)state;
    (void)out;
    return -ENOSYS;
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
    /* TODO(09-C): allocate the state (a = 0, b = 1, the limit) and wrap it
     * with iter_new. Python: FibIterator(n). Read docs/09-iterators.md#fib. */
    (void)limit;
    (void)fib_ops;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}
