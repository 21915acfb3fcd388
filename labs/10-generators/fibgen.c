/*
 * fibgen.c (stub) - the notes' fib_gen(nums), whose counter send() resets, as
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
    /* TODO(10-E): the notes' loop: yield &a; a non-zero long sent in
     * resets the counter; check the addition for overflow (-EOVERFLOW);
     * return any gen_yield error. Python: fib_gen(nums). Read
     * docs/10-generators.md#fibgen. */
    (void)g;
    (void)arg;
    return -ENOSYS;
}

int
fibgen_new(struct gen **out, long nums)
{
    /* TODO(10-E): check the arguments (*out = NULL first; nums must fit
     * in the body's void * arg), then gen_new with fib_body. Python:
     * obj = fib_gen(nums). Read docs/10-generators.md#fibgen. */
    if (out != NULL)
        *out = NULL;
    (void)nums;
    (void)fib_body;
    return -ENOSYS;
}

int
fibgen_next(struct gen *g, long *value)
{
    /* TODO(10-E): gen_next, then read the long the body yielded a pointer
     * to. Python: next(obj). Read docs/10-generators.md#fibgen. */
    (void)g;
    (void)value;
    return -ENOSYS;
}

int
fibgen_send(struct gen *g, long counter, long *value)
{
    /* TODO(10-E): gen_send a pointer to the counter, then read the long
     * yielded. Python: obj.send(counter). Read
     * docs/10-generators.md#fibgen. */
    (void)g;
    (void)counter;
    (void)value;
    return -ENOSYS;
}
