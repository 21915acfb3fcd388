/*
 * demo_fib.c - the notes' FibIterator(12), then an unlimited one run
 * until the numbers no longer fit in 64 bits: C stops with -EOVERFLOW
 * where Python would go on with big integers.
 */
#include <inttypes.h>
#include <stdio.h>

#include "fib.h"

/* print_fib - Python: for x in FibIterator(limit): print(x), showing
 * only the first `head` and last `tail` of a long run. */
static int
print_fib(uint64_t limit, unsigned head)
{
    struct iter *it = NULL;
    union iter_value v;
    unsigned k = 0;
    int err = fib_new(&it, limit);

    while (err == 0 && (err = iter_next(it, &v)) == 0) {
        if (k < head || k >= FIB_MAX_INDEX - 1)
            printf("  F(%u) = %" PRIu64 "\n", k, v.u);
        else if (k == head)
            printf("  ...\n");
        k++;
    }
    iter_free(it);
    printf("  ended after %u numbers with %s\n", k, err == ITER_STOP ? "ITER_STOP (StopIteration)" : err == -EOVERFLOW ? "-EOVERFLOW (F(94) does not fit)" : "an error");
    return err;
}

int
main(void)
{
    int a;
    int b;

    printf("FibIterator(12):\n");
    a = print_fib(12, 12);
    printf("FibIterator(FIB_UNLIMITED):\n");
    b = print_fib(FIB_UNLIMITED, 5);
    return a == ITER_STOP && b == -EOVERFLOW ? 0 : 1;
}
