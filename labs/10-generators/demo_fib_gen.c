/*
 * demo_fib_gen.c - the notes' first generator: fib_gen(nums) yields the
 * Fibonacci numbers and returns a message, which the caller finds in
 * StopIteration.value.  Shown with next(), a for loop, and the end.
 *
 * Python:
 *     def fib_gen(nums):
 *         a, b = 0, 1
 *         current_num = 0
 *         while current_num < nums:
 *             yield a
 *             a, b = b, a + b
 *             current_num += 1
 *         return "done: no more numbers"
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gen.h"

static char done_msg[] = "done: no more numbers";

static int
fib_gen(struct gen *g, void *arg)
{
    long nums = (long)(intptr_t)arg;
    long a = 0;
    long b = 1;

    for (long current = 0; current < nums; current++) {
        void *sent;
        int err = gen_yield(g, &a, &sent);
        if (err)
            return err;             /* closed: nothing to clean up */
        long next = a + b;
        a = b;
        b = next;
    }
    gen_return(g, done_msg);
    return 0;
}

/* show_next_and_loop - x = fib_gen(10); two next(x), then a for loop. */
static int
show_next_and_loop(void)
{
    struct gen *x;
    void *v;
    int err = gen_new(&x, fib_gen, (void *)(intptr_t)10, 0);

    if (err)
        return err;
    printf("creating x ran nothing: state %s\n",
           gen_state(x) == GEN_CREATED ? "GEN_CREATED" : "?");
    for (int i = 0; i < 2 && gen_next(x, &v) == 0; i++)
        printf("next(x) -> %ld\n", *(long *)v);
    printf("for i in x:");
    while ((err = gen_next(x, &v)) == 0)
        printf(" %ld", *(long *)v);
    printf("\n");
    gen_free(x);
    return err == -ENODATA ? 0 : err;
}

/* show_the_end - y = fib_gen(2); next until StopIteration, print .value. */
static int
show_the_end(void)
{
    struct gen *y;
    void *v;
    int err = gen_new(&y, fib_gen, (void *)(intptr_t)2, 0);

    if (err)
        return err;
    while ((err = gen_next(y, &v)) == 0)
        printf("next(y) -> %ld\n", *(long *)v);
    printf("next(y) -> -ENODATA (StopIteration), value \"%s\"\n",
           v ? (char *)v : "(null)");
    err = gen_next(y, &v);
    printf("next(y) again -> %s, value %s (a bare StopIteration)\n",
           err == -ENODATA ? "-ENODATA" : "?", v ? (char *)v : "NULL");
    gen_free(y);
    return 0;
}

int
main(void)
{
    int err = show_next_and_loop();

    if (err == 0)
        err = show_the_end();
    if (err) {
        fprintf(stderr, "demo_fib_gen: %s\n", strerror(-err));
        return 1;
    }
    return 0;
}
