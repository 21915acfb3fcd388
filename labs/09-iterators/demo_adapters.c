/*
 * demo_adapters.c - a lazy pipeline over an endless source:
 *   for i, x in enumerate(islice(map(halve, filter(is_even, fib())), 6), 1)
 * Only as many Fibonacci numbers are computed as the pipeline needs;
 * one iter_free() of the outermost adapter frees the whole chain.
 */
#include <inttypes.h>
#include <stdio.h>

#include "fib.h"

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

/* build - the chain; on failure frees what was built and returns NULL. */
static struct iter *
build(void)
{
    struct iter *it = NULL;
    struct iter *next = NULL;

    if (fib_new(&it, FIB_UNLIMITED) != 0)
        return NULL;
    if (iter_filter(&next, it, is_even, NULL) != 0)
        goto out_free;
    it = next;                  /* the filter owns fib now */
    if (iter_map(&next, it, halve, NULL) != 0)
        goto out_free;
    it = next;
    if (iter_take(&next, it, 6) != 0)
        goto out_free;
    it = next;
    if (iter_enumerate(&next, it, 1) != 0)
        goto out_free;
    return next;

out_free:
    iter_free(it);
    return NULL;
}

int
main(void)
{
    struct iter *e = build();
    union iter_value v;
    int err = e == NULL ? -1 : 0;

    while (err == 0 && (err = iter_next(e, &v)) == 0) {
        const struct iter_pair *p = v.p;

        printf("%" PRIu64 ": %" PRIu64 "\n", p->index, p->value.u);
    }
    iter_free(e);               /* frees enumerate, take, map, filter, fib */
    return err == ITER_STOP ? 0 : 1;
}
