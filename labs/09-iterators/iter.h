/*
 * iter.h - the iterator protocol in C, and adapters that chain iterators
 * (lab 09, parts A and D).
 * Python: __iter__/__next__/StopIteration, iter(), next(), list() and a few
 * of itertools (islice, map, filter, enumerate).  Where C differs from
 * Python, the function says so; docs/09-iterators.md has both side by side.
 */
#ifndef LAB_ITER_H
#define LAB_ITER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * ITER_STOP - what iter_next() returns when the iteration is over: the C
 * form of Python's StopIteration.  It is -ENODATA ("no data available"):
 * a negative errno like every other result, so one `if (err)` catches
 * both the end and a failure, yet no system call or allocation in this
 * lab returns ENODATA, so the end can never be confused with an error.
 */
#define ITER_STOP (-ENODATA)

/* One item.  C has no dynamic types: each iterator says which member it
 * fills (fib: u; names: p, a const char *). */
union iter_value {
    uint64_t u;                 /* unsigned numbers */
    int64_t i;                  /* signed numbers */
    const void *p;              /* anything else, by address */
};

struct iter;                    /* opaque: only iter_* functions look inside */

/* The methods of an iterator (Python: a class with __next__).  `state`
 * is whatever the maker passed to iter_new(). */
struct iter_ops {
    /* Store the next item in *out and return 0, return ITER_STOP when
     * there is none, or return a negative errno. */
    int (*next)(void *state, union iter_value *out);
    /* Release state (and anything it owns); may be NULL. */
    void (*free)(void *state);
};

/* The method of an iterable (Python: __iter__): make a new iterator over
 * obj and give it through *out; return 0 or a negative errno. */
struct iter_able_ops {
    int (*iter)(void *obj, struct iter **out);
};

/* The map function: turn `in` into *out; return 0 or a negative errno,
 * which the map iterator then returns (Python: the exception). */
typedef int iter_map_fn(union iter_value in, union iter_value *out, void *ctx);

/* The filter predicate: keep the item when it returns true. */
typedef bool iter_pred_fn(union iter_value v, void *ctx);

/* What an enumerate iterator yields, through the p member. */
struct iter_pair {
    uint64_t index;
    union iter_value value;
};

/*
 * iter_new - wrap state and its methods into an iterator.
 * Python:  an instance of a class that defines __next__ (and __iter__
 *          returning self)
 * Returns: 0; -EINVAL if out, ops or ops->next is NULL; -ENOMEM.  On
 *          failure *out is NULL (when out is not NULL) and the caller
 *          still owns state.
 * Owns:    gives *out (free with iter_free()); keeps ops until iter_free();
 *          takes state on success (iter_free() passes it to ops->free).
 */
int iter_new(struct iter **out, const struct iter_ops *ops, void *state);

/*
 * iter_from - ask an iterable for a new iterator.
 * Python:  iter(obj)
 * Returns: 0; -ENOTSUP if able or able->iter is NULL (Python: TypeError
 *          "object is not iterable"); -EPROTO if able->iter returned 0
 *          but no iterator (Python: TypeError "iter() returned
 *          non-iterator"); -EINVAL if out is NULL; else what able->iter
 *          returned.  On failure *out is NULL (when out is not NULL).
 * Owns:    gives *out (free with iter_free()); borrows able and obj (the
 *          iterable's own iter method says whether the iterator keeps obj).
 */
int iter_from(struct iter **out, const struct iter_able_ops *able, void *obj);

/*
 * iter_next - the next item.
 * Python:  next(it)
 * Returns: 0 and the item in *out; ITER_STOP when the iteration is over;
 *          another negative errno if the iterator failed (Python: the
 *          exception __next__ raised); -EINVAL if it or out is NULL.
 *          The end and failures are final: once it returned ITER_STOP
 *          or an error, every later call returns the same without
 *          calling ops->next again (Python's built-in iterators stay
 *          exhausted the same way).  *out is written only on 0.
 * Owns:    borrows it and out.
 */
int iter_next(struct iter *it, union iter_value *out);

/*
 * iter_free - release an iterator, its state, and every iterator it owns.
 * Python:  dropping the last reference to it.
 * Owns:    takes it.  NULL is a no-op.
 */
void iter_free(struct iter *it);

/*
 * iter_take - an iterator over the first n items of src.
 * Python:  itertools.islice(src, n)
 * Returns: 0; -EINVAL if out or src is NULL; -ENOMEM.  On failure *out
 *          is NULL and the caller still owns src.  The new iterator asks
 *          src for at most n items: never an (n+1)th to find the end.
 * Owns:    gives *out (free with iter_free()); takes src on success.
 */
int iter_take(struct iter **out, struct iter *src, uint64_t n);

/*
 * iter_map - an iterator over fn(item, ctx) for each item of src.
 * Python:  map(fn, src)
 * Returns: 0; -EINVAL if out, src or fn is NULL; -ENOMEM.  On failure
 *          *out is NULL and the caller still owns src.  When fn returns
 *          an error, the map iterator returns it (and keeps returning it).
 * Owns:    gives *out (free with iter_free()); takes src on success;
 *          keeps ctx until iter_free() of *out.
 */
int iter_map(struct iter **out, struct iter *src, iter_map_fn *fn, void *ctx);

/*
 * iter_filter - an iterator over the items of src for which pred is true.
 * Python:  filter(pred, src)
 * Returns: 0; -EINVAL if out, src or pred is NULL; -ENOMEM.  On failure
 *          *out is NULL and the caller still owns src.
 * Owns:    gives *out (free with iter_free()); takes src on success;
 *          keeps ctx until iter_free() of *out.
 */
int iter_filter(struct iter **out, struct iter *src, iter_pred_fn *pred, void *ctx);

/*
 * iter_enumerate - an iterator over (index, item) pairs, index counting
 * from start.
 * Python:  enumerate(src, start=0)
 * Returns: 0; -EINVAL if out or src is NULL; -ENOMEM.  On failure *out
 *          is NULL and the caller still owns src.  Each item's p member
 *          points to a const struct iter_pair.  C differs from Python:
 *          the pair is the enumerate iterator's own and is overwritten by
 *          the next call, so copy it to keep it.
 * Owns:    gives *out (free with iter_free()); takes src on success; the
 *          pair is borrowed until the next iter_next() or iter_free().
 */
int iter_enumerate(struct iter **out, struct iter *src, uint64_t start);

/*
 * iter_collect - run it to its end and gather every item into an array.
 * Python:  list(it)
 * Returns: 0, with *items a new array of *n items (NULL when *n is 0);
 *          -EINVAL if it, items or n is NULL; -ENOMEM; or the error the
 *          iterator returned.  On failure *items is NULL, *n is 0 and
 *          nothing is left allocated; the items read before the failure
 *          are gone from it (as in Python).
 * Owns:    borrows it (free it yourself; it is now exhausted); gives
 *          *items (free with free()).
 */
int iter_collect(struct iter *it, union iter_value **items, size_t *n);

#endif /* LAB_ITER_H */
