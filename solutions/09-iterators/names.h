/*
 * names.h - the notes' class of names, as an iterable container (lab 09,
 * part B).
 * Python: class Classmate with add() and __iter__ returning a new
 * iterator; a change during iteration is caught as dict iteration
 * catches it (RuntimeError).  Where C differs from Python, the function
 * says so.
 */
#ifndef LAB_NAMES_H
#define LAB_NAMES_H

#include <stddef.h>

#include "iter.h"

struct names;                   /* opaque: only names_* functions look inside */

/* The iterable's method table, for iter_from(&it, &names_iterable, n). */
extern const struct iter_able_ops names_iterable;

/*
 * names_new - make an empty container.
 * Python:  Classmate()
 * Returns: 0, -EINVAL if out is NULL, or -ENOMEM.  On failure *out is
 *          NULL (when out is not NULL).
 * Owns:    gives *out to the caller, who frees it with names_free().
 */
int names_new(struct names **out);

/*
 * names_add - append a copy of name.
 * Python:  Classmate.add(name)
 * Returns: 0; -EINVAL if n or name is NULL; -ENOMEM (then n is
 *          unchanged).  Every successful add changes the container, so
 *          every iterator made before it fails on its next call (see
 *          names_iter).
 * Owns:    borrows n and name (the string is copied: C differs from
 *          Python, which stores a reference).
 */
int names_add(struct names *n, const char *name);

/* names_len - Python: len(classmate).  The number of names; 0 for NULL.
 * Owns: borrows n.  Cannot fail. */
size_t names_len(const struct names *n);

/*
 * names_iter - a new iterator over the names, first added first.
 * Python:  iter(classmate), i.e. Classmate.__iter__() -> ClassIterator
 * Returns: 0; -EINVAL if n or out is NULL; -ENOMEM.  On failure *out is
 *          NULL (when out is not NULL).  Each call starts a fresh pass.
 *          Items: p is a const char *, valid until the container is
 *          gone.  If the container changed after this call, the
 *          iterator's next call returns -ESTALE, and so do all later
 *          ones (Python: RuntimeError "changed size during iteration",
 *          which dict raises; a list would not notice).  An iterator that
 *          already returned ITER_STOP stays stopped.
 * Owns:    gives *out (free with iter_free()); keeps a reference to n,
 *          so the container lives until names_free() and the last of its
 *          iterators are all gone, in any order (as Python's refcount).
 */
int names_iter(struct names *n, struct iter **out);

/*
 * names_free - drop the caller's reference; the container and its names
 * are released once no iterator keeps it either.
 * Python:  del classmate
 * Owns:    takes n.  NULL is a no-op.
 */
void names_free(struct names *n);

#endif /* LAB_NAMES_H */
