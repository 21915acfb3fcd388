/*
 * iter.c - the iterator protocol (next through a method table, a final
 * end), and the adapters take, map, filter, enumerate and collect.
 *
 * DESIGN
 *
 * An iterator is a method table plus the state it works on.  iter_next()
 * is the only caller of ops->next, so it is where the protocol's promise
 * lives: once next said "stop" or failed, the iterator is finished and
 * ops->next is never called again.  An adapter's own next then never has
 * to remember whether its source has ended.
 *
 * Every adapter uses one state struct, and owns its source: freeing the
 * adapter frees the source, so a chain take(map(filter(fib))) is released
 * by one iter_free() of its outermost iterator, at any point of the
 * iteration.  Nothing here is shared between iterators: no globals, no
 * statics that change, so separate chains may run in separate threads.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "iter.h"

/* Where an iterator is in its life (STYLE R12). */
enum iter_life {
    ITER_LIVE,                  /* next may still give items */
    ITER_STOPPED,               /* ops->next returned ITER_STOP */
    ITER_FAILED,                /* ops->next returned an error */
};

struct iter {
    const struct iter_ops *ops;
    void *state;                /* given to ops->next and ops->free */
    enum iter_life life;
    int end;                    /* STOPPED or FAILED: what next returns */
};

/* The state of every adapter; each uses the fields it needs. */
struct adapter {
    struct iter *src;           /* owned: freed with the adapter */
    uint64_t count;             /* take: items left; enumerate: next index */
    iter_map_fn *map;
    iter_pred_fn *pred;
    void *ctx;                  /* kept for map and pred, never freed */
    struct iter_pair pair;      /* enumerate: the item handed out last */
};

/* First size of iter_collect()'s array; it doubles from there. */
#define COLLECT_FIRST_CAP 8

int
iter_new(struct iter **out, const struct iter_ops *ops, void *state)
{
    /* TODO(09-A): allocate an iterator around ops and state; refuse a missing
     * out, ops or next (setting *out = NULL), and start it LIVE. Python: a
     * class with __next__. Read docs/09-iterators.md#protocol. */
    (void)ops;
    (void)state;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
iter_from(struct iter **out, const struct iter_able_ops *able, void *obj)
{
    /* TODO(09-A): call the iterable's iter method; no method is "not
     * iterable", success with no iterator breaks the protocol. Python:
     * iter(obj). Read docs/09-iterators.md#iter-from. */
    (void)able;
    (void)obj;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
iter_next(struct iter *it, union iter_value *out)
{
    /* TODO(09-A): call ops->next while LIVE; remember ITER_STOP or an error
     * and return it again from then on, without calling next again. Python:
     * next(it). Read docs/09-iterators.md#stays-stopped. */
    (void)it;
    (void)out;
    return -ENOSYS;
}

void
iter_free(struct iter *it)
{
    /* TODO(09-A): release the state through ops->free (if any), then the
     * iterator; NULL is a no-op. Python: del it. Read
     * docs/09-iterators.md#protocol. */
    (void)it;
}

/* adapter_free - ops->free of every adapter: free the source, then the
 * state.  Cannot fail. */
static void
adapter_free(void *state)
{
    /* TODO(09-D): an adapter owns its source: free the source, then the state.
     * Python: del adapter. Read docs/09-iterators.md#adapter-ownership. */
    (void)state;
}

/* take_next - the next of at most a->count items. */
static int
take_next(void *state, union iter_value *out)
{
    /* TODO(09-D): stop after a->count items, without asking the source for one
     * more. Python: islice(src, n).__next__. Read docs/09-iterators.md#take. */
    (void)state;
    (void)out;
    return -ENOSYS;
}

/* map_next - the next source item, passed through the map function. */
static int
map_next(void *state, union iter_value *out)
{
    /* TODO(09-D): the next source item through a->map; pass on every error.
     * Python: map(fn, src).__next__. Read docs/09-iterators.md#map. */
    (void)state;
    (void)out;
    return -ENOSYS;
}

/* filter_next - the next source item the predicate keeps. */
static int
filter_next(void *state, union iter_value *out)
{
    /* TODO(09-D): skip source items until a->pred accepts one. Python:
     * filter(pred, src).__next__. Read docs/09-iterators.md#filter. */
    (void)state;
    (void)out;
    return -ENOSYS;
}

/* enumerate_next - the next source item with its index, as a pair. */
static int
enumerate_next(void *state, union iter_value *out)
{
    /* TODO(09-D): fill the adapter's pair with the next index and item; hand
     * out its address. Python: enumerate(src).__next__. Read
     * docs/09-iterators.md#enumerate. */
    (void)state;
    (void)out;
    return -ENOSYS;
}

static const struct iter_ops take_ops = {
    .next = take_next, .free = adapter_free,
};
static const struct iter_ops map_ops = {
    .next = map_next, .free = adapter_free,
};
static const struct iter_ops filter_ops = {
    .next = filter_next, .free = adapter_free,
};
static const struct iter_ops enumerate_ops = {
    .next = enumerate_next, .free = adapter_free,
};

/*
 * adapter_wrap - make an adapter iterator over src from a filled-in
 * state template.  On success the adapter owns src; on failure nothing
 * is allocated and the caller still owns src.  Returns 0 or -ENOMEM.
 */
static int
adapter_wrap(struct iter **out, const struct iter_ops *ops,
             const struct adapter *tmpl)
{
    struct adapter *a;
    int err;

    a = malloc(sizeof(*a));
    if (a == NULL)
        return -ENOMEM;
    *a = *tmpl;
    err = iter_new(out, ops, a);
    if (err != 0)
        free(a);                /* not adapter_free: src is not ours */
    return err;
}

int
iter_take(struct iter **out, struct iter *src, uint64_t n)
{
    /* TODO(09-D): check the arguments (setting *out = NULL), fill an adapter
     * template and wrap it; on failure the caller keeps src. Python:
     * itertools.islice(src, n). Read docs/09-iterators.md#take. */
    (void)src;
    (void)n;
    (void)take_ops;
    (void)adapter_wrap;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
iter_map(struct iter **out, struct iter *src, iter_map_fn *fn, void *ctx)
{
    /* TODO(09-D): check the arguments (setting *out = NULL), fill an adapter
     * template and wrap it; on failure the caller keeps src. Python: map(fn,
     * src). Read docs/09-iterators.md#map. */
    (void)src;
    (void)fn;
    (void)ctx;
    (void)map_ops;
    (void)adapter_wrap;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
iter_filter(struct iter **out, struct iter *src, iter_pred_fn *pred,
            void *ctx)
{
    /* TODO(09-D): check the arguments (setting *out = NULL), fill an adapter
     * template and wrap it; on failure the caller keeps src. Python:
     * filter(pred, src). Read docs/09-iterators.md#filter. */
    (void)src;
    (void)pred;
    (void)ctx;
    (void)filter_ops;
    (void)adapter_wrap;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
iter_enumerate(struct iter **out, struct iter *src, uint64_t start)
{
    /* TODO(09-D): check the arguments (setting *out = NULL), fill an adapter
     * template and wrap it; on failure the caller keeps src. Python:
     * enumerate(src, start). Read docs/09-iterators.md#enumerate. */
    (void)src;
    (void)start;
    (void)enumerate_ops;
    (void)adapter_wrap;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/* grow - double the capacity of *items (at least COLLECT_FIRST_CAP).
 * Returns 0 or -ENOMEM, leaving *items as it was on failure. */
static int
grow(union iter_value **items, size_t *cap)
{
    size_t want = *cap == 0 ? COLLECT_FIRST_CAP : *cap * 2;
    union iter_value *bigger;

    if (want > SIZE_MAX / sizeof(**items))
        return -ENOMEM;
    bigger = realloc(*items, want * sizeof(**items));
    if (bigger == NULL)
        return -ENOMEM;
    *items = bigger;
    *cap = want;
    return 0;
}

int
iter_collect(struct iter *it, union iter_value **items, size_t *n)
{
    /* TODO(09-D): read it to ITER_STOP into a growing array; on any other
     * error free the array and return the error. Python: list(it). Read
     * docs/09-iterators.md#collect. */
    (void)it;
    (void)grow;
    if (items != NULL)
        *items = NULL;
    if (n != NULL)
        *n = 0;
    return -ENOSYS;
}
