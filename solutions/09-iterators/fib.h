/*
 * fib.h - the notes' Fibonacci iterator, with a limit and overflow
 * detection (lab 09, part C).
 * Python: class FibIterator(n) whose __iter__ returns self.  Where C
 * differs from Python, the function says so.
 */
#ifndef LAB_FIB_H
#define LAB_FIB_H

#include <stdint.h>

#include "iter.h"

/* The largest Fibonacci number a uint64_t holds is F(93); F(94) is not. */
#define FIB_MAX_INDEX 93

/* A limit that never ends the iteration before overflow does. */
#define FIB_UNLIMITED UINT64_MAX

/*
 * fib_new - an iterator over the first `limit` Fibonacci numbers
 * 0, 1, 1, 2, 3, 5, ... in the u member.
 * Python:  FibIterator(limit)
 * Returns: 0; -EINVAL if out is NULL; -ENOMEM.  On failure *out is NULL
 *          (when out is not NULL).
 *          The iterator yields F(0) .. F(limit - 1), then ITER_STOP.  It
 *          is its own iterable (single pass): once stopped, it stays
 *          stopped.  C differs from Python, whose integers never
 *          overflow: F(FIB_MAX_INDEX) is the last number it can yield,
 *          and the call that would yield F(94) returns -EOVERFLOW (and so
 *          does every later call) instead of a wrapped-around number.
 * Owns:    gives *out (free with iter_free()).
 */
int fib_new(struct iter **out, uint64_t limit);

#endif /* LAB_FIB_H */
