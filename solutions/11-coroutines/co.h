/*
 * co.h - coroutines that switch to each other by name and pass values
 * across (lab 11, part A).
 * Python:  greenlet.greenlet (and a generator's yield, for the round robin).
 *          Where C differs from Python, the function says so;
 *          docs/11-coroutines.md has the side-by-side version.
 */
#ifndef LAB_CO_H
#define LAB_CO_H

#include <stdbool.h>
#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Stack of a coroutine when the options do not say (bytes). */
#define CO_STACK_DEFAULT (128 * 1024)

/* Smallest stack co_new() accepts (bytes). */
#define CO_STACK_MIN (16 * 1024)

struct co;                      /* opaque: only co_* functions look inside */

/* The function a coroutine runs.  `arg` is the value of the first switch
 * to it; its return value goes to its parent, as a switch would. */
typedef void *co_func(void *arg);

/* Python's keyword arguments.  Pass NULL for all defaults; fields left
 * out of a designated initializer get their defaults too. */
struct co_options {
    struct co *parent;          /* NULL: the coroutine calling co_new() */
    size_t stack_size;          /* 0: CO_STACK_DEFAULT */
};

/*
 * co_new - make a coroutine that will run run(arg) on its own stack.
 *          Nothing runs yet: the first co_switch() to it starts it.
 * Python:  greenlet(run=f, parent=None)
 * Returns: 0; -EINVAL if out or run is NULL, opts->stack_size is below
 *          CO_STACK_MIN, or opts->parent belongs to another thread;
 *          -ENOMEM.  On failure *out is NULL and nothing was allocated.
 * Owns:    gives *out to the caller, who frees it with co_free(); keeps
 *          opts->parent, which must outlive the coroutine (C has no
 *          reference counts: greenlet keeps its parent alive); borrows
 *          opts.
 * Threads: the coroutine belongs to the calling thread.
 */
int co_new(struct co **out, co_func *run, const struct co_options *opts);

/*
 * co_switch - suspend the running coroutine and run `target`, handing it
 *          `value`.  An unstarted target starts as run(value); a
 *          suspended one sees its own co_switch() return with value in
 *          *received.  When a coroutine's run returns, its parent (the
 *          first one not dead) is switched to with the return value.
 * Python:  target.switch(value) -> the value this coroutine is switched
 *          back with.  C passes exactly one pointer each way (Python
 *          packs several arguments into a tuple).
 * Returns: 0 once something switched back here, with that value in
 *          *received; at once with *received = value when target is the
 *          running coroutine or is dead and its nearest live parent is
 *          the running one (Python: switching to a dead greenlet goes to
 *          its parent); -EINVAL if target is NULL; -EPERM if target
 *          belongs to another thread (Python: greenlet.error "cannot
 *          switch to a different thread").
 * Owns:    borrows target; keeps value until the target takes it;
 *          borrows received (may be NULL when the value is not wanted).
 */
int co_switch(struct co *target, void *value, void **received);

/*
 * co_yield - switch to the running coroutine's parent: what a generator's
 *          yield does when its parent is the one that resumes it.
 * Python:  x = yield value   (greenlet: getcurrent().parent.switch(value))
 * Returns: as co_switch(); -EINVAL when called from a thread's main
 *          coroutine, which has no parent.
 * Owns:    keeps value until the parent takes it; borrows received (may
 *          be NULL).
 */
int co_yield(void *value, void **received);

/*
 * co_current - the coroutine running now: the thread's main coroutine
 *          (made on first use, never freed) when no other runs.
 * Python:  greenlet.getcurrent()
 * Returns: never NULL.  Cannot fail.
 * Owns:    borrows: the main coroutine lives as long as its thread.
 */
struct co *co_current(void);

/* co_parent - Python: g.parent.  NULL for a thread's main coroutine and
 * for NULL.  Owns: borrows co and the result.  Cannot fail. */
struct co *co_parent(const struct co *co);

/* co_dead - Python: g.dead: run has returned.  False for NULL.  Cannot
 * fail. */
bool co_dead(const struct co *co);

/* co_active - Python: bool(g): started and not dead (a thread's main
 * coroutine is always active).  False for NULL.  Cannot fail. */
bool co_active(const struct co *co);

/*
 * co_free - release a coroutine and its stack.
 * Python:  del g.  C has no exceptions: a suspended coroutine is not
 *          unwound (Python raises GreenletExit inside it), its frames are
 *          dropped as they are, so free what they hold before.
 * Owns:    takes co.  NULL, the running coroutine and a thread's main
 *          coroutine are left alone (nothing happens).
 * Threads: the owning thread; nobody may switch to co afterwards.
 */
void co_free(struct co *co);

#endif /* LAB_CO_H */
