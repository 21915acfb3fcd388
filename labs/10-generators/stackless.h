/*
 * stackless.h - the same Fibonacci generator as fibgen.h, written as a
 * state machine: no stack of its own, just a struct that remembers where
 * the function stopped (lab 10, part F).
 * Python: fib_gen(nums) with send, as in fibgen.h; CPython's generators
 * are themselves stackless (the frame is an object on the heap).
 * The technique: the function's locals live in the struct, and a
 * `switch` on the number of the line where it last yielded jumps back
 * into the middle of its loop (docs/10-generators.md#switch-on-line).
 */
#ifndef LAB_STACKLESS_H
#define LAB_STACKLESS_H

#include <stddef.h>

struct stackless;               /* opaque: only stackless_* look inside */

/*
 * stackless_new - make the state machine of fib_gen(nums).  Nothing runs.
 * Python:  obj = fib_gen(nums)
 * Returns: 0; -EINVAL if out is NULL or nums is negative; -ENOMEM.  On
 *          failure *out is NULL.
 * Owns:    gives *out, freed with stackless_free().
 * Threads: any thread.
 */
int stackless_new(struct stackless **out, long nums);

/*
 * stackless_next - run the machine to its next yield.
 * Python:  next(obj)
 * Returns: 0 with *value set; -ENODATA when it has ended (StopIteration),
 *          and on every later call; -EOVERFLOW, once, if the next number
 *          does not fit in a long, after which it has ended; -EINVAL if
 *          s or value is NULL.
 * Owns:    borrows s and value.
 * Threads: one call at a time per machine.
 */
int stackless_next(struct stackless *s, long *value);

/*
 * stackless_send - set the counter to `counter`, then run to the next
 * yield.
 * Python:  obj.send(counter)  (a counter of 0 changes nothing)
 * Returns: as stackless_next(); -EINVAL before the first stackless_next()
 *          (Python: TypeError), leaving the machine unchanged.
 * Owns:    borrows s and value.
 * Threads: one call at a time per machine.
 */
int stackless_send(struct stackless *s, long counter, long *value);

/* stackless_size - bytes one machine takes: its whole state, where a
 * stackful generator needs a stack.  Cannot fail. */
size_t stackless_size(void);

/* stackless_free - release s.  Accepts NULL.  Owns: takes s. */
void stackless_free(struct stackless *s);

#endif /* LAB_STACKLESS_H */
