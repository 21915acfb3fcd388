/*
 * gen.c (stub) - stackful generators on the kit's own context switch (ctx.h).
 *
 * DESIGN
 *
 * A generator owns a stack and two saved contexts: `self`, where its body
 * stopped, and `caller`, whoever resumed it last.  Resuming is one
 * ctx_switch(&caller, &self); yielding is the switch back.  The value
 * crossing a switch (sent in, yielded out) travels in `transfer`: the
 * side that switches writes it first, the side that wakes up reads it.
 * Because `caller` lives in the generator and not in a global, a body may
 * itself drive another generator (Python's `yield from`), and generators
 * may be resumed from any thread.
 *
 * The states follow Python's inspect.getgeneratorstate(): CREATED ->
 * RUNNING <-> SUSPENDED -> CLOSED.  Only the thread running a call on the
 * generator changes them (calls on one generator never overlap: gen.h).
 * When the body returns, gen_entry() records the outcome, marks the
 * generator CLOSED and switches away for good; resume() then gives the
 * stack back at once, as Python frees a finished generator's frame.
 *
 * Stacks come from the heap, so memcheck sees one that leaks.  A guard
 * page (mprotect) would make an overflow fault at once, but costs two
 * system calls per generator, 35 times the rest of its life here
 * (docs/10-generators.md#figures-measured-here); a canary word at the
 * low end is checked after every switch instead, and an overflow aborts
 * with a message.  Stacks are registered with Valgrind, except under
 * DRD, which aborts on registered stacks
 * (docs/10-generators.md#what-the-tools-see).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <valgrind/drd.h>
#include <valgrind/valgrind.h>

#include "ctx.h"
#include "gen.h"

/* ThreadSanitizer's fiber interface (<sanitizer/tsan_interface.h>),
 * declared here because only TSan builds link it. */
#if defined(__SANITIZE_THREAD__)
#define GEN_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GEN_TSAN 1
#endif
#endif
#ifdef GEN_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

struct gen {
    /* Set by gen_new() and read-only afterwards. */
    gen_body *body;
    void *arg;
    /* The stack: the canary, then the usable part.  NULL once given
     * back (the body ended, or gen_free()). */
    char *stack;
    size_t stack_size;          /* bytes, canary included */
    unsigned vg_stack_id;       /* Valgrind's id for it, 0 if unregistered */
    void *tsan_fiber;           /* TSan builds: the body's fiber */
    void *tsan_caller;          /* TSan builds: the resumer's fiber */

    /* Changed only by the thread running a call on this generator. */
    enum gen_state state;
    bool closing;               /* gen_close(): every yield now cancels */
    bool result_given;          /* the first -ENODATA handed out result */
    void *transfer;             /* the value crossing the switch */
    void *result;               /* gen_return()'s value */
    int err;                    /* what the body returned, not yet told */
    struct ctx self;            /* the body, while it is suspended */
    struct ctx caller;          /* whoever resumed it, while it runs */
};

/* ---- ThreadSanitizer: one fiber per generator ------------------------ */

/* TSan keeps a shadow call stack per thread.  A body entered on one
 * thread and resumed on another would unbalance both, so in TSan builds
 * each generator is a TSan fiber with its own shadow stack, and every
 * ctx_switch() is announced just before it.  Elsewhere these are empty.
 * The two switching helpers are always inlined: an instrumented function
 * of their own would leave one fiber's shadow stack and return on the
 * other's.  (docs/10-generators.md#what-the-tools-see) */
#define ALWAYS_INLINE inline __attribute__((always_inline))

__attribute__((unused)) static void
tsan_fiber_new(struct gen *g)
{
#ifdef GEN_TSAN
    g->tsan_fiber = __tsan_create_fiber(0);
#else
    (void)g;
#endif
}

__attribute__((unused)) static void
tsan_fiber_free(struct gen *g)
{
#ifdef GEN_TSAN
    if (g->tsan_fiber != NULL)
        __tsan_destroy_fiber(g->tsan_fiber);
#endif
    g->tsan_fiber = NULL;
}

/* tsan_to_body - call right before switching from the caller to g. */
__attribute__((unused)) static ALWAYS_INLINE void
tsan_to_body(struct gen *g)
{
#ifdef GEN_TSAN
    g->tsan_caller = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(g->tsan_fiber, 0);
#else
    (void)g;
#endif
}

/* tsan_to_caller - call right before switching from g to its caller. */
__attribute__((unused)) static ALWAYS_INLINE void
tsan_to_caller(struct gen *g)
{
#ifdef GEN_TSAN
    __tsan_switch_to_fiber(g->tsan_caller, 0);
#else
    (void)g;
#endif
}

/* ---- stacks: heap memory, a canary, Valgrind told -------------------- */

/* under_drd - is this process running under Valgrind's DRD?  DRD answers
 * its own client request with a thread id (1 or more); a native run and
 * every other tool give the request's default, 0.  Cannot fail. */
__attribute__((unused)) static bool
under_drd(void)
{
    return DRD_GET_VALGRIND_THREADID != 0;
}

/* The lowest word of every stack; STACK_FLOOR bytes are kept for it so
 * the usable part stays 16-byte aligned. */
#define STACK_CANARY 0x5354414b43414e59ull      /* "STAKCANY" */
#define STACK_FLOOR 16

/* stack_alloc - give g a stack of `size` bytes, canary included.
 * Returns 0 or -ENOMEM. */
__attribute__((unused)) static int
stack_alloc(struct gen *g, size_t size)
{
    char *s = malloc(size);

    if (s == NULL)
        return -ENOMEM;
    *(uint64_t *)s = STACK_CANARY;
    g->stack = s;
    g->stack_size = size;
    g->vg_stack_id = 0;
    if (RUNNING_ON_VALGRIND && !under_drd())
        g->vg_stack_id = VALGRIND_STACK_REGISTER(s + STACK_FLOOR, s + size);
    tsan_fiber_new(g);
    return 0;
}

/* stack_check - abort if the body ran past the low end of its stack: the
 * heap below it may already be damaged (a bug, reported loudly). */
__attribute__((unused)) static void
stack_check(const struct gen *g)
{
    static const char msg[] =
        "gen: a generator overflowed its stack: give gen_new() a bigger "
        "stack_size\n";

    if (g->stack != NULL && *(const uint64_t *)g->stack != STACK_CANARY) {
        (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
        abort();
    }
}

/* stack_release - give g's stack back, if it still has one.  The stack
 * must not be running.  Cannot fail. */
__attribute__((unused)) static void
stack_release(struct gen *g)
{
    if (g->stack == NULL)
        return;
    if (g->vg_stack_id != 0)
        VALGRIND_STACK_DEREGISTER(g->vg_stack_id);
    free(g->stack);
    g->stack = NULL;
}

/* on_own_stack - is the caller running on g's stack, i.e. inside its
 * body?  Cannot fail. */
__attribute__((unused)) static bool
on_own_stack(const struct gen *g)
{
    const char *here = __builtin_frame_address(0);

    return g->stack != NULL && here > g->stack &&
           here < g->stack + g->stack_size;
}

/* ---- the switch in both directions ----------------------------------- */

/* gen_entry - the first frame on a generator's stack: run the body,
 * record how it ended, and leave for good. */
static void
gen_entry(void *arg)
{
    /* TODO(10-B): run the body, record what it returned (-ENODATA becomes
     * -EPROTO), mark the generator CLOSED and switch back to the caller
     * for good (tsan_to_caller right before). Python: the frame returning.
     * Read docs/10-generators.md#resume. */
    (void)arg;
}

/* resume - run g's body from where it stopped, handing it `value`, until
 * it yields or ends.  g is CREATED or SUSPENDED.  Cannot fail. */
static void
resume(struct gen *g, void *value)
{
    /* TODO(10-B): hand `value` over, mark RUNNING, switch from the caller
     * to the body (tsan_to_body right before); once back, check the stack
     * and give it back if the body ended. Python: gen.send. Read
     * docs/10-generators.md#resume. */
    (void)g;
    (void)value;
}

/* end_result - what a call on an ended generator says: the body's error
 * once, else -ENODATA, with the return value the first time only. */
static int
end_result(struct gen *g, void **out)
{
    /* TODO(10-B): the body's error once, else -ENODATA, with the return
     * value only the first time. Python: StopIteration.value. Read
     * docs/10-generators.md#return-value. */
    (void)g;
    (void)out;
    return -ENOSYS;
}

/* ---- the contract ------------------------------------------------------ */

int
gen_new(struct gen **out, gen_body *body, void *arg, size_t stack_size)
{
    /* TODO(10-B): check the arguments (*out = NULL first), allocate the
     * object and its stack (stack_alloc), make the body's context with
     * gen_entry; undo everything on failure. Python: calling a generator
     * function. Read docs/10-generators.md#gen-new. */
    if (out != NULL)
        *out = NULL;
    (void)body;
    (void)arg;
    (void)stack_size;
    (void)gen_entry;
    return -ENOSYS;
}

int
gen_send(struct gen *g, void *value, void **out)
{
    /* TODO(10-C): refuse a running generator and a value sent before the
     * first next; resume the body and report its yield or its end.
     * Python: gen.send(value). Read docs/10-generators.md#send. */
    (void)g;
    (void)value;
    (void)out;
    (void)resume;
    (void)end_result;
    return -ENOSYS;
}

int
gen_next(struct gen *g, void **out)
{
    /* TODO(10-B): next is send(None). Python: next(gen). Read
     * docs/10-generators.md#yield. */
    (void)g;
    (void)out;
    return -ENOSYS;
}

int
gen_yield(struct gen *g, void *value, void **sent)
{
    /* TODO(10-B): only from the running body (on_own_stack): hand value
     * out, mark SUSPENDED, switch to the caller (tsan_to_caller right
     * before); once resumed, -ECANCELED if closing, else give back what
     * was sent. Python: sent = yield value. Read
     * docs/10-generators.md#yield. */
    (void)g;
    (void)value;
    (void)sent;
    return -ENOSYS;
}

int
gen_return(struct gen *g, void *value)
{
    /* TODO(10-B): only from the running body: keep the value for the
     * first -ENODATA. Python: return value. Read
     * docs/10-generators.md#return-value. */
    (void)g;
    (void)value;
    return -ENOSYS;
}

int
gen_close(struct gen *g)
{
    /* TODO(10-D): nothing to do for a new or ended generator (but a new
     * one never runs); a suspended one is resumed with `closing` set so its
     * yield returns -ECANCELED, and must end. Python: gen.close(). Read
     * docs/10-generators.md#close. */
    (void)g;
    return -ENOSYS;
}

enum gen_state
gen_state(const struct gen *g)
{
    /* TODO(10-B): the state; GEN_CLOSED for NULL. Python:
     * inspect.getgeneratorstate. Read docs/10-generators.md#states. */
    (void)g;
    return GEN_CLOSED;
}

void
gen_free(struct gen *g)
{
    /* TODO(10-D): close a suspended generator, then release whatever
     * stack is left, the TSan fiber and the object; do nothing while it
     * runs. Python: del gen. Read docs/10-generators.md#free. */
    (void)g;
}
