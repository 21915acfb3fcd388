/*
 * local.h - an object whose named attributes hold one value per thread
 * (lab 08, part A).
 * Python: threading.local.  Where C differs from Python, the function
 * says so; docs/08-threadlocal.md has the side-by-side version.
 */
#ifndef LAB_LOCAL_H
#define LAB_LOCAL_H

/* Longest attribute name, including the terminating NUL. */
#define LOCAL_NAME_MAX 64

struct local;                   /* opaque: only local_* look inside */

/* What frees a value.  It runs exactly once per value: in the owning
 * thread when the value is replaced, deleted or its thread exits, or in
 * the caller of local_free() for values other threads still hold. */
typedef void local_dtor(void *value);

/*
 * local_new - make a thread-local object with no attributes.
 * Python:  threading.local()
 * Returns: 0; -EINVAL if out is NULL; -EAGAIN when the system has no
 *          thread-specific key left (PTHREAD_KEYS_MAX objects alive);
 *          -ENOMEM.  On failure *out is NULL and nothing was allocated.
 * Owns:    gives *out to the caller, who frees it with local_free().
 * Threads: any thread.
 */
int local_new(struct local **out);

/*
 * local_set - bind `name` to `value` for the calling thread only.
 * Python:  loc.name = value
 * Returns: 0; -EINVAL if l, name or value is NULL, or name is "";
 *          -ENAMETOOLONG if name does not fit in LOCAL_NAME_MAX; -ENOMEM.
 *          On failure nothing changed and the caller still owns value.
 *          C differs: there is no None; an attribute holds a non-NULL
 *          pointer or is absent.
 * Owns:    borrows l and name (the name is copied); takes value when
 *          dtor is not NULL (dtor(value) runs exactly once, see
 *          local_dtor), keeps it otherwise (the caller keeps it alive
 *          while any thread may read it).  A value this thread already
 *          had under `name` is released with its own dtor, unless it is
 *          the very pointer being set again.
 * Threads: any thread; other threads' attributes are not touched.
 */
int local_set(struct local *l, const char *name, void *value, local_dtor *dtor);

/*
 * local_get - the calling thread's value of `name`.
 * Python:  loc.name (getattr)
 * Returns: 0 and *value; -ENOENT if this thread never set `name` or
 *          deleted it, even when other threads did (Python:
 *          AttributeError); -EINVAL if l, name or value is NULL.
 * Owns:    borrows l, name and value; *value stays the attribute's: it
 *          lives until this thread replaces or deletes it, or exits.
 * Threads: any thread; takes no lock.
 */
int local_get(struct local *l, const char *name, void **value);

/*
 * local_del - remove `name` from the calling thread and run its dtor.
 * Python:  del loc.name
 * Returns: 0; -ENOENT if this thread has no such attribute (Python:
 *          AttributeError); -EINVAL if l or name is NULL.
 * Owns:    borrows l and name.
 * Threads: any thread; other threads keep their own `name`.
 */
int local_del(struct local *l, const char *name);

/*
 * local_count - how many attributes the calling thread holds.
 * Python:  len(loc.__dict__)
 * Returns: the count (0 if this thread set nothing); -EINVAL for NULL.
 * Owns:    borrows l.
 */
int local_count(struct local *l);

/*
 * local_free - release l and every value any thread still holds in it.
 * Python:  del loc (the last reference), which drops every thread's
 *          attributes with it.
 * Owns:    takes l.  Runs, in the calling thread, the dtor of every
 *          value still bound in any thread; when it returns, no dtor of
 *          l runs or will run anywhere.
 * Threads: no thread may use l during or after the call; threads that
 *          hold values may still be alive, or exiting at that moment.
 *          A thread still alive keeps a few bytes of bookkeeping until it
 *          exits (docs/08-threadlocal.md#free-while-held).  NULL is a
 *          no-op.
 */
void local_free(struct local *l);

#endif /* LAB_LOCAL_H */
