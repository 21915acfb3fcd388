/*
 * ctx.c (stub) - the context switch: save the running stack, resume another.
 *
 * DESIGN
 *
 * A suspended context is nothing but its stack pointer.  ctx_switch() is
 * a normal function call, so the compiler has already saved every
 * caller-saved register around it; what is left to keep is what the
 * x86-64 System V ABI makes a callee preserve: rbx, rbp, r12-r15, the
 * control bits of MXCSR and the x87 control word.  The switch pushes
 * them onto the running stack (the return address is already there,
 * pushed by the call), stores the stack pointer in `from`, loads the one
 * in `to`, pops the same registers from that stack and returns, which
 * lands wherever that context called ctx_switch() from.
 *
 * A new context has never called ctx_switch(), so ctx_make() writes the
 * frame a switch would have left (enum frame_slot): zeroed registers,
 * the default FPU control words, entry and arg in the r12 and r13 slots,
 * and ctx_start as the return address.  ctx_start moves arg into rdi and
 * calls entry, with the stack 16-byte aligned as the ABI wants.
 *
 * The ucontext fallback does the same with makecontext()/swapcontext(),
 * which also save the signal mask (a system call per switch).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"

/* ctx_fell_off - an entry function returned: there is nowhere to go. */
__attribute__((noreturn, used)) static void
ctx_fell_off(void)
{
    static const char msg[] =
        "ctx: an entry function returned; it must switch away instead\n";

    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    abort();
}

#if CTX_ASM

/* The frame ctx_switch() leaves on a suspended stack, lowest address
 * first: `sp` points at FRAME_FPU. */
enum frame_slot {
    FRAME_FPU,                  /* MXCSR (low 4 bytes), x87 control word */
    FRAME_R15,
    FRAME_R14,
    FRAME_R13,                  /* a new context: arg */
    FRAME_R12,                  /* a new context: entry */
    FRAME_RBX,
    FRAME_RBP,
    FRAME_RET,                  /* where ctx_switch() returns to */
    FRAME_WORDS,
};

/* The ABI's initial values: all exceptions masked, round to nearest;
 * x87 in extended precision. */
#define MXCSR_DEFAULT 0x1F80u
#define X87_CW_DEFAULT 0x037Fu

void
ctx_switch(struct ctx *from, struct ctx *to)
{
    /* TODO(10-A): replace this function by top-level __asm__ that pushes
     * rbp, rbx, r12-r15 and the FPU control words (enum frame_slot), saves
     * rsp in from->sp, loads to->sp and pops the same in reverse before
     * ret. Python: greenlet.switch. Read docs/10-generators.md#the-switch. */
    (void)from;
    (void)to;
}

int
ctx_make(struct ctx *c, void *stack, size_t size, ctx_entry *entry, void *arg)
{
    /* TODO(10-A): check the arguments, then write at the 16-byte aligned
     * top of the stack the frame a switch would have left, returning into
     * a small start routine that calls entry(arg). Python: greenlet(run).
     * Read docs/10-generators.md#ctx-make. */
    (void)c;
    (void)stack;
    (void)size;
    (void)entry;
    (void)arg;
    (void)ctx_fell_off;
    return -ENOSYS;
}

#else /* !CTX_ASM: the portable fallback */

/* makecontext() passes only ints: the entry and its argument travel in
 * this record, split into two ints holding its address. */
struct start_args {
    ctx_entry *entry;
    void *arg;
};

static void
ctx_start_uc(int hi, int lo)
{
    uintptr_t p = ((uintptr_t)(unsigned)hi << 16 << 16) | (unsigned)lo;
    struct start_args *sa = (struct start_args *)p;

    sa->entry(sa->arg);
    ctx_fell_off();
}

int
ctx_make(struct ctx *c, void *stack, size_t size, ctx_entry *entry, void *arg)
{
    struct start_args *sa;
    uintptr_t p;

    if (c == NULL || stack == NULL || entry == NULL || size < CTX_STACK_MIN)
        return -EINVAL;
    if (getcontext(&c->uc) < 0)
        return -errno;
    /* The record sits at the top of the new stack, out of its way. */
    sa = (struct start_args *)(((uintptr_t)stack + size -
                                sizeof(*sa)) & ~(uintptr_t)15);
    sa->entry = entry;
    sa->arg = arg;
    c->uc.uc_stack.ss_sp = stack;
    c->uc.uc_stack.ss_size = (size_t)((char *)sa - (char *)stack);
    c->uc.uc_link = NULL;
    p = (uintptr_t)sa;
    makecontext(&c->uc, (void (*)(void))ctx_start_uc, 2,
                (int)(unsigned)(p >> 16 >> 16), (int)(unsigned)p);
    return 0;
}

void
ctx_switch(struct ctx *from, struct ctx *to)
{
    /* Fails only with a bad context: a bug of the caller's. */
    if (swapcontext(&from->uc, &to->uc) < 0)
        ctx_fell_off();
}

#endif /* CTX_ASM */
