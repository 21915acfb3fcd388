/*
 * fibgen.h - the notes' Fibonacci generator, whose counter a send()
 * resets, written as a stackful generator body (lab 10, part E).
 * Python:
 *     def fib_gen(nums):
 *         a, b = 0, 1
 *         current_num = 0
 *         while current_num < nums:
 *             ret = yield a
 *             if ret:
 *                 current_num = ret
 *             a, b = b, a + b
 *             current_num += 1
 * The object is a plain struct gen: gen_next(), gen_close() and
 * gen_free() work on it; these wrappers only give the values a C type.
 */
#ifndef LAB_FIBGEN_H
#define LAB_FIBGEN_H

#include "gen.h"

/*
 * fibgen_new - make the generator fib_gen(nums).  Nothing runs yet.
 * Python:  obj = fib_gen(nums)
 * Returns: 0; -EINVAL if out is NULL or nums is negative; -ENOMEM.  On
 *          failure *out is NULL.
 * Owns:    gives *out, freed with gen_free().
 * Threads: any thread.
 */
int fibgen_new(struct gen **out, long nums);

/*
 * fibgen_next - the next Fibonacci number.
 * Python:  next(obj)
 * Returns: 0 with *value set; -ENODATA once `nums` numbers were given
 *          (StopIteration); -EOVERFLOW, once, if the next number does not
 *          fit in a long (Python's integers never overflow; C says so
 *          instead of wrapping), after which the generator is closed;
 *          -EINVAL if g or value is NULL; as gen_next() otherwise.
 * Owns:    borrows g and value.
 * Threads: as gen_next().
 */
int fibgen_next(struct gen *g, long *value);

/*
 * fibgen_send - set the counter to `counter`, then give the next number.
 * Python:  obj.send(counter)  (`if ret:`: a counter of 0 changes nothing)
 * Returns: as fibgen_next(); -EINVAL before the first fibgen_next(), as
 *          Python refuses a value sent to a just-started generator (even
 *          0, which is not None).
 * Owns:    borrows g and value.
 * Threads: as gen_next().
 */
int fibgen_send(struct gen *g, long counter, long *value);

#endif /* LAB_FIBGEN_H */
