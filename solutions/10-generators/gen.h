/*
 * gen.h - stackful generators: a function that yields values and takes
 * values back, on its own stack (lab 10, parts B-D).
 * Python: a generator function (`yield`, `send`, `return value`, `close`).
 * C has no None and no exceptions: None is NULL, and an exception is a
 * negative errno.  Where C differs from Python, the function says so;
 * docs/10-generators.md has the side-by-side version.
 */
#ifndef LAB_GEN_H
#define LAB_GEN_H

#include <stddef.h>

/* Stack given to a generator when gen_new() is asked for size 0. */
#define GEN_STACK_DEFAULT (64 * 1024)

/* Smallest stack gen_new() accepts. */
#define GEN_STACK_MIN (16 * 1024)

struct gen;                     /* opaque: only gen_* functions look inside */

/* Where a generator is (Python: inspect.getgeneratorstate()). */
enum gen_state {
    GEN_CREATED,                /* made; the body has not started */
    GEN_RUNNING,                /* the body is running right now */
    GEN_SUSPENDED,              /* stopped at a gen_yield() */
    GEN_CLOSED,                 /* the body has ended (or never will run) */
};

/*
 * The body of a generator: what Python writes as a function containing
 * `yield`.  It runs on the generator's own stack, from the first
 * gen_next() on, and calls gen_yield(g, ...) to hand out values.
 * It returns 0 when it ends normally (Python: `return` or falling off
 * the end; set the returned value first with gen_return()), or a
 * negative errno to fail the call that resumed it (Python: an exception
 * leaving the body).  After a gen_yield() that returned -ECANCELED it
 * must clean up and return without yielding again.  Its stack has the
 * size given to gen_new(): a body that runs past its end damages the
 * memory below it, and the next switch aborts the program with a message
 * if nothing crashed first (C has no RecursionError).
 */
typedef int gen_body(struct gen *g, void *arg);

/*
 * gen_new - make a generator that will run body(g, arg).  Nothing runs.
 * Python:  calling a generator function: g = fib_gen(10)
 * Returns: 0; -EINVAL if out or body is NULL, or stack_size is neither
 *          0 (GEN_STACK_DEFAULT) nor at least GEN_STACK_MIN; -ENOMEM.
 *          On failure *out is NULL and nothing was allocated.
 * Owns:    gives *out to the caller, who frees it with gen_free(); keeps
 *          arg until the body has ended or gen_free() returns.
 * Threads: any thread.
 */
int gen_new(struct gen **out, gen_body *body, void *arg, size_t stack_size);

/*
 * gen_next - run the body until its next gen_yield() or its end.
 * Python:  next(g), which is g.send(None)
 * Returns: 0 with *out = the yielded value; -ENODATA when the body has
 *          ended (Python: StopIteration): the first time, *out is the
 *          value the body set with gen_return() (StopIteration.value),
 *          and NULL on every later call; the body's own negative errno,
 *          once, if it returned one (Python: its exception), after which
 *          the generator is closed; -EPROTO if the body returned
 *          -ENODATA itself (Python, PEP 479: RuntimeError "generator
 *          raised StopIteration"); -EBUSY if g is running, e.g. its own
 *          body calls gen_next(g) (Python: ValueError "generator already
 *          executing"); -EINVAL if g or out is NULL.
 * Owns:    borrows g; *out is the body's: it stays valid as long as the
 *          body said (a pointer into the suspended body's stack stays
 *          valid until the next call on g).
 * Threads: any thread, but calls on one generator must not overlap:
 *          serialise them (a mutex).  The body runs on the calling thread.
 */
int gen_next(struct gen *g, void **out);

/*
 * gen_send - resume the body, making its pending gen_yield() return
 * `value`, and run it to its next gen_yield() or its end.
 * Python:  g.send(value)
 * Returns: as gen_next().  value NULL is Python's None: gen_send(g, NULL,
 *          &v) is gen_next(g, &v).  -EINVAL if g or out is NULL, or if
 *          value is not NULL and the body has not started (Python:
 *          TypeError "can't send non-None value to a just-started
 *          generator"); nothing changes then, and gen_next() still gives
 *          the first value.
 * Owns:    borrows g; keeps value until the body's gen_yield() returns it
 *          (what the body does with it after that is the body's contract).
 * Threads: as gen_next().
 */
int gen_send(struct gen *g, void *value, void **out);

/*
 * gen_yield - hand `value` to whoever resumed g, and wait to be resumed.
 * Python:  sent = yield value
 * Returns: 0 with *sent = what gen_send() passed (NULL for gen_next():
 *          Python's None); -ECANCELED when gen_close() or gen_free() is
 *          ending the generator (Python: GeneratorExit raised at the
 *          yield): the body must clean up and return; -EINVAL if g or
 *          sent is NULL, or g is not running (called outside its body).
 * Owns:    borrows g; keeps value: the caller of gen_next() receives the
 *          pointer itself (it may point into this stack, which stays put
 *          while the body is suspended).
 * Threads: only from g's own body.
 */
int gen_yield(struct gen *g, void *value, void **sent);

/*
 * gen_return - set the value the body returns, for when it ends.
 * Python:  return value  (inside a generator: StopIteration.value)
 * Returns: 0; -EINVAL if g is NULL or not running (called outside its
 *          body).  The last call before the body returns 0 wins.
 * Owns:    borrows g; keeps value until the caller received it.
 * Threads: only from g's own body.
 */
int gen_return(struct gen *g, void *value);

/*
 * gen_close - end a suspended generator: its pending gen_yield() returns
 * -ECANCELED, and the body unwinds and returns.
 * Python:  g.close()  (GeneratorExit raised at the yield)
 * Returns: 0 once the body has returned 0 or -ECANCELED, and at once if
 *          the body never started (it never will) or has already ended;
 *          the body's other negative errno if it returned one while
 *          closing (Python: that exception leaves close()); -EPROTO if
 *          the body yielded again instead of ending (Python: RuntimeError
 *          "generator ignored GeneratorExit"): it stays suspended there;
 *          -EBUSY if g is running; -EINVAL if g is NULL.  After a 0 or
 *          an errno from the body, gen_next() returns -ENODATA with NULL.
 * Owns:    borrows g.
 * Threads: as gen_next().
 */
int gen_close(struct gen *g);

/* gen_state - Python: inspect.getgeneratorstate(g).  Cannot fail;
 * GEN_CLOSED for NULL. */
enum gen_state gen_state(const struct gen *g);

/*
 * gen_free - close g if it is suspended, then release it and its stack.
 * Python:  del g  (a suspended generator is closed when collected)
 * Returns: nothing; accepts NULL.  If the body ignores the close (yields
 *          again), its stack is released without unwinding it, as
 *          Python abandons such a frame.  Calling it from g's own body is
 *          a bug: it does nothing then.
 * Owns:    takes g.
 * Threads: as gen_next().
 */
void gen_free(struct gen *g);

#endif /* LAB_GEN_H */
