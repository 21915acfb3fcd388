/*
 * fibgen.c - the notes' fib_gen(nums), whose counter send() resets, as
 * the body of a stackful generator.  Its locals (a, b, the counter) live
 * on the generator's own stack between yields: the body reads like the
 * Python, loop and all.
 */
#include <errno.h>
#include <stdint.h>

#include "fibgen.h"

/*
 * fib_body - yields a pointer to `a`, which stays valid while the body is
 * suspended (it lives on the generator's stack).  A value sent in points
 * to a long: the new counter, 0 meaning "unchanged" (Python's `if ret:`).
 * Returns 0 at the end, -EOVERFLOW, or -ECANCELED when closed.
 */
static int
fib_body(struct gen *g, void *arg)
{
    long nums = (long)(intptr_t)arg;
    long a = 0;
    long b = 1;
    long current = 0;

    while (current < nums) {
        void *sent;
        long next;
        int err = gen_yield(g, &a, &sent);  /* DOC: 10-generators#fibgen */

        if (err)
            return err;
        if (sent != NULL && *(const long *)sent != 0)
            current = *(const long *)sent;
        if (__builtin_add_overflow(a, b, &next))
            return -EOVERFLOW;
        a = b;
        b = next;
        current++;
    }
    return 0;
}

int
fibgen_new(struct gen **out, long nums)
{
    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (nums < 0 || (intmax_t)nums > (intmax_t)INTPTR_MAX)
        return -EINVAL;
    return gen_new(out, fib_body, (void *)(intptr_t)nums, 0);
}

int
fibgen_next(struct gen *g, long *value)
{
    void *v = NULL;
    int err;

    if (g == NULL || value == NULL)
        return -EINVAL;
    err = gen_next(g, &v);
    if (err == 0)
        *value = *(const long *)v;
    return err;
}

int
fibgen_send(struct gen *g, long counter, long *value)
{
    void *v = NULL;
    int err;

    if (g == NULL || value == NULL)
        return -EINVAL;
    /* The body copies *sent before it yields again: &counter will do. */
    err = gen_send(g, &counter, &v);
    if (err == 0)
        *value = *(const long *)v;
    return err;
}
