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
    struct iter *it;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || ops == NULL || ops->next == NULL)
        return -EINVAL;
    it = malloc(sizeof(*it));
    if (it == NULL)
        return -ENOMEM;
    it->ops = ops;
    it->state = state;
    it->life = ITER_LIVE;
    it->end = 0;
    *out = it;
    return 0;
}

int
iter_from(struct iter **out, const struct iter_able_ops *able, void *obj)
{
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (able == NULL || able->iter == NULL)
        return -ENOTSUP;        /* DOC: 09-iterators#iter-from */
    err = able->iter(obj, out);
    if (err != 0) {
        *out = NULL;
        return err;
    }
    if (*out == NULL)
        return -EPROTO;
    return 0;
}

int
iter_next(struct iter *it, union iter_value *out)
{
    union iter_value v;
    int err;

    if (it == NULL || out == NULL)
        return -EINVAL;
    if (it->life != ITER_LIVE)
        return it->end;         /* DOC: 09-iterators#stays-stopped */
    err = it->ops->next(it->state, &v);
    if (err == 0) {
        *out = v;
        return 0;
    }
    if (err > 0)
        err = -EPROTO;          /* a method that broke the protocol */
    it->life = err == ITER_STOP ? ITER_STOPPED : ITER_FAILED;
    it->end = err;
    return err;
}

void
iter_free(struct iter *it)
{
    if (it == NULL)
        return;
    if (it->ops->free != NULL)
        it->ops->free(it->state);
    free(it);
}

/* adapter_free - ops->free of every adapter: free the source, then the
 * state.  Cannot fail. */
static void
adapter_free(void *state)
{
    struct adapter *a = state;

    iter_free(a->src);          /* DOC: 09-iterators#adapter-ownership */
    free(a);
}

/* take_next - the next of at most a->count items. */
static int
take_next(void *state, union iter_value *out)
{
    struct adapter *a = state;
    int err;

    if (a->count == 0)
        return ITER_STOP;       /* DOC: 09-iterators#take */
    err = iter_next(a->src, out);
    if (err == 0)
        a->count--;
    return err;
}

/* map_next - the next source item, passed through the map function. */
static int
map_next(void *state, union iter_value *out)
{
    struct adapter *a = state;
    union iter_value in;
    int err;

    err = iter_next(a->src, &in);
    if (err != 0)
        return err;
    return a->map(in, out, a->ctx);
}

/* filter_next - the next source item the predicate keeps. */
static int
filter_next(void *state, union iter_value *out)
{
    struct adapter *a = state;
    union iter_value v;
    int err;

    while ((err = iter_next(a->src, &v)) == 0) {
        if (a->pred(v, a->ctx)) {
            *out = v;
            return 0;
        }
    }
    return err;
}

/* enumerate_next - the next source item with its index, as a pair. */
static int
enumerate_next(void *state, union iter_value *out)
{
    struct adapter *a = state;
    union iter_value v;
    int err;

    err = iter_next(a->src, &v);
    if (err != 0)
        return err;
    a->pair.index = a->count++;
    a->pair.value = v;
    out->p = &a->pair;          /* DOC: 09-iterators#enumerate */
    return 0;
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
    struct adapter a = { .src = src, .count = n };

    if (out != NULL)
        *out = NULL;
    if (out == NULL || src == NULL)
        return -EINVAL;
    return adapter_wrap(out, &take_ops, &a);
}

int
iter_map(struct iter **out, struct iter *src, iter_map_fn *fn, void *ctx)
{
    struct adapter a = { .src = src, .map = fn, .ctx = ctx };

    if (out != NULL)
        *out = NULL;
    if (out == NULL || src == NULL || fn == NULL)
        return -EINVAL;
    return adapter_wrap(out, &map_ops, &a);
}

int
iter_filter(struct iter **out, struct iter *src, iter_pred_fn *pred,
            void *ctx)
{
    struct adapter a = { .src = src, .pred = pred, .ctx = ctx };

    if (out != NULL)
        *out = NULL;
    if (out == NULL || src == NULL || pred == NULL)
        return -EINVAL;
    return adapter_wrap(out, &filter_ops, &a);
}

int
iter_enumerate(struct iter **out, struct iter *src, uint64_t start)
{
    struct adapter a = { .src = src, .count = start };

    if (out != NULL)
        *out = NULL;
    if (out == NULL || src == NULL)
        return -EINVAL;
    return adapter_wrap(out, &enumerate_ops, &a);
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
    union iter_value *buf = NULL;
    size_t len = 0;
    size_t cap = 0;
    union iter_value v;
    int err;

    if (it == NULL || items == NULL || n == NULL)
        return -EINVAL;
    *items = NULL;
    *n = 0;
    while ((err = iter_next(it, &v)) == 0) {
        if (len == cap && (err = grow(&buf, &cap)) != 0)
            goto out_free;
        buf[len++] = v;
    }
    if (err != ITER_STOP)
        goto out_free;          /* DOC: 09-iterators#collect */
    *items = buf;
    *n = len;
    return 0;

out_free:
    free(buf);
    return err;
}
