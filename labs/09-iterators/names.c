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
    /* TODO(09-B): drop one reference; the last one frees every name, the array
     * and the container. Python: del (refcount reaches 0). Read
     * docs/09-iterators.md#container-lifetime. */
    (void)n;
}

/* cursor_next - ops->next of a names iterator. */
static int
cursor_next(void *state, union iter_value *out)
{
    /* TODO(09-B): fail with -ESTALE if the container changed since the pass
     * began, stop at the end, else hand out the next name. Python:
     * ClassIterator.__next__. Read docs/09-iterators.md#modification. */
    (void)state;
    (void)out;
    return -ENOSYS;
}

/* cursor_free - ops->free of a names iterator: give back its reference. */
static void
cursor_free(void *state)
{
    /* TODO(09-B): give back the cursor's reference to its container, free the
     * cursor. Python: del iterator.
     * Read docs/09-iterators.md#container-lifetime. */
    (void)state;
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
    /* TODO(09-B): allocate an empty container holding one reference (the
     * caller's). Python: Classmate(). Read docs/09-iterators.md#names. */
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
names_add(struct names *n, const char *name)
{
    /* TODO(09-B): append a copy of name (grow the array as needed) and record
     * that the container changed. Python: Classmate.add(name). Read
     * docs/09-iterators.md#names. */
    (void)n;
    (void)name;
    return -ENOSYS;
}

size_t
names_len(const struct names *n)
{
    /* TODO(09-B): the number of names; 0 for NULL. Python: len(classmate).
     * Read docs/09-iterators.md#names. */
    (void)n;
    return 0;
}

int
names_iter(struct names *n, struct iter **out)
{
    /* TODO(09-B): a cursor at the first name that remembers the container's
     * version and holds a reference to it, wrapped with iter_new. Python:
     * iter(classmate). Read docs/09-iterators.md#names. */
    (void)n;
    (void)cursor_ops;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

void
names_free(struct names *n)
{
    /* TODO(09-B): drop the caller's reference; NULL is a no-op. Python: del
     * classmate. Read docs/09-iterators.md#container-lifetime. */
    (void)n;
    (void)names_release;
}
