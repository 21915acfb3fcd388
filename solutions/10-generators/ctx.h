/*
 * ctx.h - the kit's own context switch: save one stack, run another
 * (lab 10, part A).
 * Python: no direct counterpart.  It is what a stackful generator or a
 * greenlet does underneath (greenlet's slp_switch); lab 11 reuses it.
 * On x86-64 it is a few lines of assembly; elsewhere (or when built with
 * -DCTX_USE_UCONTEXT) it falls back on <ucontext.h>, which is slower
 * because swapcontext() makes a system call on every switch.
 */
#ifndef LAB_CTX_H
#define LAB_CTX_H

#include <stddef.h>

#if defined(__x86_64__) && !defined(CTX_USE_UCONTEXT)
#define CTX_ASM 1               /* the hand-written switch */
#else
#define CTX_ASM 0               /* the portable fallback */
#include <ucontext.h>
#endif

/* Smallest stack ctx_make() accepts, in bytes. */
#define CTX_STACK_MIN 4096

/*
 * A suspended context: where a stack stopped and how to go on from there.
 * The caller allocates it (on its stack, or inside a bigger object);
 * only ctx_* functions read or write its fields.
 */
struct ctx {
#if CTX_ASM
    void *sp;                   /* saved stack pointer; the registers, the
                                 * FPU control words and the place to
                                 * return to are stored on that stack */
#else
    ucontext_t uc;
#endif
};

/* What a new context runs.  It must never return: it ends by switching
 * away for good (if it returns, the program aborts: that is a bug). */
typedef void ctx_entry(void *arg);

/*
 * ctx_make - prepare `c` so that the first ctx_switch() to it runs
 * entry(arg) on the stack [stack, stack + size).
 * Python:  greenlet(run) (the greenlet exists, nothing runs yet)
 * Returns: 0; -EINVAL if c, stack or entry is NULL or size is below
 *          CTX_STACK_MIN.  Nothing runs until a switch to c.
 * Owns:    borrows c (it must outlive every switch to it); keeps stack
 *          until the context has switched away for the last time; keeps
 *          arg (passed to entry as is).
 * Threads: any thread; a context may be resumed by any thread.
 */
int ctx_make(struct ctx *c, void *stack, size_t size, ctx_entry *entry, void *arg);

/*
 * ctx_switch - save the running context into `from` and resume `to`.
 * Python:  greenlet.switch() (without the value: callers pass values in
 *          their own shared memory)
 * Returns: when some later ctx_switch(..., from) resumes this context.
 *          Cannot fail.  Saves and restores what the x86-64 System V ABI
 *          says a callee must keep: rbx, rbp, r12-r15, the stack pointer,
 *          the return address, MXCSR's control bits and the x87 control
 *          word.  Everything else the compiler already saved around the
 *          call.
 * Owns:    borrows from and to.  `to` must have been made by ctx_make()
 *          or filled by an earlier ctx_switch(to, ...), and must not be
 *          running.
 * Threads: any thread; `to` runs on the calling thread from now on.
 */
void ctx_switch(struct ctx *from, struct ctx *to);

#endif /* LAB_CTX_H */
