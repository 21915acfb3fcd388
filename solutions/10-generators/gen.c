/*
 * gen.c - stackful generators on the kit's own context switch (ctx.h).
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

static void
tsan_fiber_new(struct gen *g)
{
#ifdef GEN_TSAN
    g->tsan_fiber = __tsan_create_fiber(0);
#else
    (void)g;
#endif
}

static void
tsan_fiber_free(struct gen *g)
{
#ifdef GEN_TSAN
    if (g->tsan_fiber != NULL)
        __tsan_destroy_fiber(g->tsan_fiber);
#endif
    g->tsan_fiber = NULL;
}

/* tsan_to_body - call right before switching from the caller to g. */
static ALWAYS_INLINE void
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
static ALWAYS_INLINE void
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
static bool
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
static int
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
static void
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
static void
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
static bool
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
    struct gen *g = arg;
    int err = g->body(g, g->arg);

    /* PEP 479: a body may not end the iteration by "raising" it. */
    g->err = err == -ENODATA ? -EPROTO : err;
    g->state = GEN_CLOSED;
    tsan_to_caller(g);
    ctx_switch(&g->self, &g->caller);       /* never resumed */
}

/* resume - run g's body from where it stopped, handing it `value`, until
 * it yields or ends.  g is CREATED or SUSPENDED.  Cannot fail. */
static void
resume(struct gen *g, void *value)
{
    g->transfer = value;
    g->state = GEN_RUNNING;
    tsan_to_body(g);
    ctx_switch(&g->caller, &g->self);       /* DOC: 10-generators#resume */
    stack_check(g);
    if (g->state == GEN_CLOSED)
        stack_release(g);
}

/* end_result - what a call on an ended generator says: the body's error
 * once, else -ENODATA, with the return value the first time only. */
static int
end_result(struct gen *g, void **out)
{
    int err = g->err;

    *out = NULL;
    if (err != 0) {
        g->err = 0;
        g->result_given = true;
        return err;
    }
    if (!g->result_given) {
        *out = g->result;           /* DOC: 10-generators#return-value */
        g->result_given = true;
    }
    return -ENODATA;
}

/* ---- the contract ------------------------------------------------------ */

int
gen_new(struct gen **out, gen_body *body, void *arg, size_t stack_size)
{
    struct gen *g;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (body == NULL || (stack_size != 0 && stack_size < GEN_STACK_MIN))
        return -EINVAL;
    g = calloc(1, sizeof(*g));
    if (g == NULL)
        return -ENOMEM;
    g->body = body;
    g->arg = arg;
    g->state = GEN_CREATED;
    err = stack_alloc(g, stack_size ? stack_size : GEN_STACK_DEFAULT);
    if (err)
        goto out_free;
    err = ctx_make(&g->self, g->stack + STACK_FLOOR,
                   g->stack_size - STACK_FLOOR, gen_entry, g);
    if (err)
        goto out_release_stack;
    *out = g;
    return 0;

out_release_stack:
    stack_release(g);
    tsan_fiber_free(g);
out_free:
    free(g);
    return err;
}

int
gen_send(struct gen *g, void *value, void **out)
{
    if (g == NULL || out == NULL)
        return -EINVAL;
    switch (g->state) {
    case GEN_RUNNING:
        return -EBUSY;
    case GEN_CLOSED:
        return end_result(g, out);
    case GEN_CREATED:
        if (value != NULL)          /* DOC: 10-generators#send-before-next */
            return -EINVAL;
        break;
    case GEN_SUSPENDED:
        break;
    }
    resume(g, value);
    if (g->state == GEN_SUSPENDED) {
        *out = g->transfer;
        return 0;
    }
    return end_result(g, out);
}

int
gen_next(struct gen *g, void **out)
{
    return gen_send(g, NULL, out);
}

int
gen_yield(struct gen *g, void *value, void **sent)
{
    if (g == NULL || sent == NULL || g->state != GEN_RUNNING ||
        !on_own_stack(g))
        return -EINVAL;
    g->transfer = value;
    g->state = GEN_SUSPENDED;
    tsan_to_caller(g);
    ctx_switch(&g->self, &g->caller);       /* DOC: 10-generators#yield */
    /* Resumed: resume() has set RUNNING and the value sent in. */
    if (g->closing)
        return -ECANCELED;
    *sent = g->transfer;
    return 0;
}

int
gen_return(struct gen *g, void *value)
{
    if (g == NULL || g->state != GEN_RUNNING || !on_own_stack(g))
        return -EINVAL;
    g->result = value;
    return 0;
}

int
gen_close(struct gen *g)
{
    int err;

    if (g == NULL)
        return -EINVAL;
    switch (g->state) {
    case GEN_RUNNING:
        return -EBUSY;
    case GEN_CLOSED:
        return 0;
    case GEN_CREATED:
        g->state = GEN_CLOSED;
        g->result_given = true;
        stack_release(g);
        return 0;
    case GEN_SUSPENDED:
        break;
    }
    g->closing = true;
    resume(g, NULL);                        /* DOC: 10-generators#close */
    if (g->state == GEN_SUSPENDED)
        return -EPROTO;                     /* it yielded again */
    err = g->err;
    g->err = 0;
    g->result_given = true;
    return err == -ECANCELED ? 0 : err;
}

enum gen_state
gen_state(const struct gen *g)
{
    return g == NULL ? GEN_CLOSED : g->state;
}

void
gen_free(struct gen *g)
{
    if (g == NULL || g->state == GEN_RUNNING)
        return;
    if (g->state == GEN_SUSPENDED)
        (void)gen_close(g);     /* the stack goes when the body ends */
    stack_release(g);           /* never ran, or ignored the close */
    tsan_fiber_free(g);
    free(g);
}
