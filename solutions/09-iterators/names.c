/*
 * names.c - the notes' Classmate: a growable array of names that gives a
 * fresh iterator on every names_iter(), and notices when it is changed
 * under an iterator.
 *
 * DESIGN
 *
 * Each change bumps `version`.  An iterator copies the version when its
 * pass begins and compares on every next: a mismatch means the names it
 * walks are no longer the ones it started with, so it fails with -ESTALE
 * rather than guess (CPython's dict iterator does the same with the
 * dict's size).  The iterator's position lives in its own cursor, never
 * in the container, so any number of passes can run at once.
 *
 * The container is reference counted like a Python object: the caller
 * holds one reference and every live iterator one more, so names_free()
 * and iter_free() may come in any order.  One thread uses a container
 * and its iterators at a time (the counts are not atomic).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

struct names {
    char **items;               /* owned copies, first added first */
    size_t count;
    size_t cap;
    uint64_t version;           /* bumped by every change */
    unsigned long refs;         /* the caller's + one per live iterator */
};

/* One pass over a container: the state of a names iterator. */
struct cursor {
    struct names *n;            /* a counted reference */
    size_t pos;                 /* index of the next name */
    uint64_t version;           /* n->version when the pass began */
};

/* First capacity of the array; it doubles from there. */
#define NAMES_FIRST_CAP 4

/* names_release - drop one reference; the last one frees everything.
 * Cannot fail. */
static void
names_release(struct names *n)
{
    size_t i;

    if (--n->refs > 0)
        return;                 /* DOC: 09-iterators#container-lifetime */
    for (i = 0; i < n->count; i++)
        free(n->items[i]);
    free(n->items);
    free(n);
}

/* cursor_next - ops->next of a names iterator. */
static int
cursor_next(void *state, union iter_value *out)
{
    struct cursor *c = state;

    if (c->version != c->n->version)
        return -ESTALE;         /* DOC: 09-iterators#modification */
    if (c->pos >= c->n->count)
        return ITER_STOP;
    out->p = c->n->items[c->pos];
    c->pos++;
    return 0;
}

/* cursor_free - ops->free of a names iterator: give back its reference. */
static void
cursor_free(void *state)
{
    struct cursor *c = state;

    names_release(c->n);
    free(c);
}

static const struct iter_ops cursor_ops = {
    .next = cursor_next,
    .free = cursor_free,
};

/* able_iter - the iterable's method: names_iter() for iter_from(). */
static int
able_iter(void *obj, struct iter **out)
{
    return names_iter(obj, out);
}

const struct iter_able_ops names_iterable = { .iter = able_iter };

int
names_new(struct names **out)
{
    struct names *n;

    if (out == NULL)
        return -EINVAL;
    n = calloc(1, sizeof(*n));
    *out = n;
    if (n == NULL)
        return -ENOMEM;
    n->refs = 1;
    return 0;
}

int
names_add(struct names *n, const char *name)
{
    char *copy;

    if (n == NULL || name == NULL)
        return -EINVAL;
    if (n->count == n->cap) {
        size_t want = n->cap == 0 ? NAMES_FIRST_CAP : n->cap * 2;
        char **bigger = realloc(n->items, want * sizeof(*bigger));

        if (bigger == NULL)
            return -ENOMEM;
        n->items = bigger;
        n->cap = want;
    }
    copy = strdup(name);
    if (copy == NULL)
        return -ENOMEM;
    n->items[n->count++] = copy;
    n->version++;
    return 0;
}

size_t
names_len(const struct names *n)
{
    return n == NULL ? 0 : n->count;
}

int
names_iter(struct names *n, struct iter **out)
{
    struct cursor *c;
    int err;

    if (out != NULL)
        *out = NULL;
    if (n == NULL || out == NULL)
        return -EINVAL;
    c = malloc(sizeof(*c));
    if (c == NULL)
        return -ENOMEM;
    c->n = n;
    c->pos = 0;
    c->version = n->version;
    err = iter_new(out, &cursor_ops, c);
    if (err != 0) {
        free(c);
        return err;
    }
    n->refs++;
    return 0;
}

void
names_free(struct names *n)
{
    if (n == NULL)
        return;
    names_release(n);
}
