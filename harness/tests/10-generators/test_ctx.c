/*
 * test_ctx.c - functional tests of ctx.h, the context switch (lab 10,
 * part A): contexts take turns in order, the switch keeps every register
 * the ABI says a callee must keep, each context keeps its own rounding
 * mode, and a new context starts on an aligned stack.
 *
 * Compiled at -O0, ordinary C keeps almost nothing in registers across a
 * call, so a switch that forgets a register would go unnoticed.  The
 * register test therefore uses two small assembly functions of its own:
 * one fills rbx, rbp and r12-r15 with known patterns around a switch,
 * the other fills them with garbage on the other side.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "kit.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

TestSuite(ctx, .timeout = 20);

/* Stack for the contexts a test makes. */
#define STACK_SIZE (64 * 1024)

/* ---- helpers ------------------------------------------------------------ */

/* What a test's contexts share: the saved contexts and a log of turns. */
struct turns {
    struct ctx main;
    struct ctx a;
    struct ctx b;
    char log[64];
    size_t len;
    int arg_seen;
    uintptr_t frame;
};

static void
note(struct turns *t, char c)
{
    if (t->len + 1 < sizeof(t->log))
        t->log[t->len++] = c;
}

/* new_stack - a heap stack the test frees (the contexts are abandoned). */
static void *
new_stack(void)
{
    void *s = malloc(STACK_SIZE);

    cr_assert(ne(ptr, s, NULL), "test setup: malloc(%d) failed", STACK_SIZE);
    return s;
}

/* make_or_fail - ctx_make must return 0. */
static void
make_or_fail(struct ctx *c, void *stack, ctx_entry *entry, void *arg)
{
    int err = ctx_make(c, stack, STACK_SIZE, entry, arg);

    kit_require_impl(err, "ctx_make", "10-A");
    cr_assert(eq(int, err, 0), "ctx_make(&c, stack, %d, entry, arg): expected 0, got %s. See docs/10-generators.md#ctx-make", STACK_SIZE, kit_errname(err));
}

/* Entry of context a: log 'a', go to b, log 'a' again, back to main. */
static void
entry_a(void *arg)
{
    struct turns *t = arg;

    t->arg_seen = 1;
    note(t, 'A');
    ctx_switch(&t->a, &t->b);
    note(t, 'A');
    ctx_switch(&t->a, &t->main);
}

/* Entry of context b: log 'B', back to a, log 'B', back to a. */
static void
entry_b(void *arg)
{
    struct turns *t = arg;

    note(t, 'B');
    ctx_switch(&t->b, &t->a);
    note(t, 'B');
    ctx_switch(&t->b, &t->main);
}

/* ---- part A: making and switching ------------------------------------ */

/* Catches: the stub. */
KIT_TEST(ctx, make_rejects_null_pointers_and_a_tiny_stack)
{
    struct ctx c;
    char stack[CTX_STACK_MIN];
    int err = ctx_make(&c, stack, sizeof(stack) - 16, entry_a, NULL);

    kit_require_impl(err, "ctx_make", "10-A");
    cr_expect(eq(int, err, -EINVAL), "ctx_make with a stack of CTX_STACK_MIN - 16 bytes: expected -EINVAL, got %s. See docs/10-generators.md#ctx-make", kit_errname(err));
    err = ctx_make(NULL, stack, sizeof(stack), entry_a, NULL);
    cr_expect(eq(int, err, -EINVAL), "ctx_make(NULL, ...): expected -EINVAL, got %s. See docs/10-generators.md#ctx-make", kit_errname(err));
    err = ctx_make(&c, NULL, sizeof(stack), entry_a, NULL);
    cr_expect(eq(int, err, -EINVAL), "ctx_make(&c, NULL stack, ...): expected -EINVAL, got %s. See docs/10-generators.md#ctx-make", kit_errname(err));
    err = ctx_make(&c, stack, sizeof(stack), NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "ctx_make(&c, stack, size, NULL entry, ...): expected -EINVAL, got %s. See docs/10-generators.md#ctx-make", kit_errname(err));
}

/* Catches: the stub.  Mirrors GL-01/GL-15: three contexts take turns in
 * exactly the order the switches say, and entry gets its arg. */
KIT_TEST(ctx, switches_take_turns_in_order)
{
    struct turns t = { .len = 0 };
    void *sa = new_stack();
    void *sb = new_stack();

    make_or_fail(&t.a, sa, entry_a, &t);
    make_or_fail(&t.b, sb, entry_b, &t);
    cr_expect(eq(sz, t.len, 0), "ctx_make ran the entry already (log \"%.*s\"): nothing may run before the first switch. See docs/10-generators.md#ctx-make", (int)t.len, t.log);
    note(&t, 'M');
    ctx_switch(&t.main, &t.a);
    note(&t, 'M');
    ctx_switch(&t.main, &t.b);
    note(&t, 'M');
    t.log[t.len] = '\0';
    cr_expect(eq(int, t.arg_seen, 1), "entry_a never saw its arg: ctx_make must pass arg to entry. See docs/10-generators.md#ctx-make");
    cr_expect(eq(str, t.log, "MABAMBM"), "the log of turns: expected \"MABAMBM\" (main, a, b, a, main, b, main), got \"%s\". See docs/10-generators.md#the-switch", t.log);
    free(sa);
    free(sb);
}

/* Entry that records its frame address and goes back to main. */
static void
entry_frame(void *arg)
{
    struct turns *t = arg;

    t->frame = (uintptr_t)__builtin_frame_address(0);
    ctx_switch(&t->b, &t->main);
}

/* Catches: ctx_stack_misaligned.patch.  The ABI wants rsp % 16 == 8 at a
 * function's first instruction, so its saved frame pointer sits on a
 * 16-byte boundary: SSE code (formatting a double) faults otherwise. */
KIT_TEST(ctx, entry_starts_on_a_16_byte_aligned_frame)
{
    struct turns t = { .frame = 1 };
    char *s = new_stack();

    for (int shift = 0; shift < 16; shift += 8) {
        int err = ctx_make(&t.b, s + shift, STACK_SIZE - 16, entry_frame, &t);
        kit_require_impl(err, "ctx_make", "10-A");
        cr_assert(eq(int, err, 0), "ctx_make: expected 0, got %s. See docs/10-generators.md#ctx-make", kit_errname(err));
        ctx_switch(&t.main, &t.b);
        cr_expect(eq(u64, t.frame % 16, 0), "the entry's frame address with a stack starting %d bytes off a 16-byte boundary is %#lx: it must be a multiple of 16 (the ABI's alignment at a call). See docs/10-generators.md#ctx-make", shift, (unsigned long)t.frame);
    }
    free(s);
}

#if defined(__x86_64__)

/*
 * probe_switch(from, to) - load rbx, rbp, r12-r15 with the patterns
 * 0x11.. to 0x66.., ctx_switch(from, to), and when resumed return a bit
 * mask of the registers that came back changed (bit 0 rbx ... bit 5 r15).
 * clobber_switch(from, to) - load the same six with garbage and
 * ctx_switch(from, to); restore them when resumed (it is a normal
 * function to its own caller).
 */
__asm__(
    "    .text\n"
    "    .type probe_switch, @function\n"
    "probe_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    movabsq $0x1111111111111111, %rbx\n"
    "    movabsq $0x2222222222222222, %rbp\n"
    "    movabsq $0x3333333333333333, %r12\n"
    "    movabsq $0x4444444444444444, %r13\n"
    "    movabsq $0x5555555555555555, %r14\n"
    "    movabsq $0x6666666666666666, %r15\n"
    "    call ctx_switch@PLT\n"
    "    xorl %eax, %eax\n"
    "    movabsq $0x1111111111111111, %rcx\n"
    "    cmpq %rcx, %rbx\n"
    "    setne %dl\n"
    "    movzbl %dl, %edx\n"
    "    orl %edx, %eax\n"
    "    movabsq $0x2222222222222222, %rcx\n"
    "    cmpq %rcx, %rbp\n"
    "    setne %dl\n"
    "    movzbl %dl, %edx\n"
    "    shll $1, %edx\n"
    "    orl %edx, %eax\n"
    "    movabsq $0x3333333333333333, %rcx\n"
    "    cmpq %rcx, %r12\n"
    "    setne %dl\n"
    "    movzbl %dl, %edx\n"
    "    shll $2, %edx\n"
    "    orl %edx, %eax\n"
    "    movabsq $0x4444444444444444, %rcx\n"
    "    cmpq %rcx, %r13\n"
    "    setne %dl\n"
    "    movzbl %dl, %edx\n"
    "    shll $3, %edx\n"
    "    orl %edx, %eax\n"
    "    movabsq $0x5555555555555555, %rcx\n"
    "    cmpq %rcx, %r14\n"
    "    setne %dl\n"
    "    movzbl %dl, %edx\n"
    "    shll $4, %edx\n"
    "    orl %edx, %eax\n"
    "    movabsq $0x6666666666666666, %rcx\n"
    "    cmpq %rcx, %r15\n"
    "    setne %dl\n"
    "    movzbl %dl, %edx\n"
    "    shll $5, %edx\n"
    "    orl %edx, %eax\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    "    .size probe_switch, .-probe_switch\n"
    "\n"
    "    .type clobber_switch, @function\n"
    "clobber_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    movabsq $0x0badc0de0badc0de, %rbx\n"
    "    movq %rbx, %rbp\n"
    "    movq %rbx, %r12\n"
    "    movq %rbx, %r13\n"
    "    movq %rbx, %r14\n"
    "    movq %rbx, %r15\n"
    "    call ctx_switch@PLT\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    "    .size clobber_switch, .-clobber_switch\n");

unsigned probe_switch(struct ctx *from, struct ctx *to);
void clobber_switch(struct ctx *from, struct ctx *to);

/* Entry of the clobbering side: every turn wrecks the six registers. */
static void
entry_clobber(void *arg)
{
    struct turns *t = arg;

    for (;;)
        clobber_switch(&t->b, &t->main);
}

static const char *const reg_names[] = {
    "rbx", "rbp", "r12", "r13", "r14", "r15",
};

/* Catches: switch_forgets_r15.patch.  Mirrors what compiled code at -O2
 * assumes of every call: rbx, rbp, r12-r15 are the same afterwards. */
KIT_TEST(ctx, switch_preserves_callee_saved_registers)
{
    struct turns t = { .len = 0 };
    void *s = new_stack();

    make_or_fail(&t.b, s, entry_clobber, &t);
    for (int round = 0; round < 3; round++) {
        unsigned lost = probe_switch(&t.main, &t.b);
        char names[64] = "";
        for (int i = 0; i < 6; i++)
            if (lost & (1u << i)) {
                strcat(names, " ");
                strcat(names, reg_names[i]);
            }
        cr_assert(eq(u32, lost, 0), "ctx_switch there and back (round %d), while the other context filled rbx, rbp, r12-r15 with garbage: these came back changed:%s. A switch must save and restore every callee-saved register. See docs/10-generators.md#the-switch", round, names);
    }
    free(s);
}

/* x87 control word access (fegetround() lives in libm and reads only
 * the x87 half). */
static unsigned
x87_cw(void)
{
    unsigned short cw;

    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static void
set_x87_cw(unsigned cw)
{
    unsigned short v = (unsigned short)cw;

    __asm__ volatile("fldcw %0" : : "m"(v));
}

/* Rounding-mode fields: MXCSR bits 13-14, x87 control word bits 10-11. */
#define MXCSR_RC 0x6000u
#define X87_RC 0x0C00u

struct fpu_seen {
    struct ctx main;
    struct ctx b;
    unsigned mxcsr;             /* what b saw after coming back */
    unsigned cw;
};

/* Entry: round toward zero here, go to main, then record what is set. */
static void
entry_fpu(void *arg)
{
    struct fpu_seen *f = arg;

    _mm_setcsr((_mm_getcsr() & ~MXCSR_RC) | MXCSR_RC);
    set_x87_cw((x87_cw() & ~X87_RC) | X87_RC);
    ctx_switch(&f->b, &f->main);
    f->mxcsr = _mm_getcsr();
    f->cw = x87_cw();
    ctx_switch(&f->b, &f->main);
}

/* Catches: switch_forgets_mxcsr.patch.  The rounding mode is part of
 * what a callee must keep (ABI): a generator that rounds toward zero
 * must not change how its caller rounds, nor the other way round. */
KIT_TEST(ctx, each_context_keeps_its_own_rounding_mode)
{
    struct fpu_seen f;
    void *s = new_stack();
    unsigned mx0 = _mm_getcsr();
    unsigned cw0 = x87_cw();
    unsigned mx;
    unsigned cw;

    make_or_fail(&f.b, s, entry_fpu, &f);
    ctx_switch(&f.main, &f.b);
    mx = _mm_getcsr();
    cw = x87_cw();
    _mm_setcsr(mx0);
    set_x87_cw(cw0);
    cr_expect(eq(u32, mx & MXCSR_RC, mx0 & MXCSR_RC), "MXCSR rounding bits after the other context set round-toward-zero and switched back: expected %#x (ours), got %#x. ctx_switch must save and restore MXCSR. See docs/10-generators.md#the-switch", mx0 & MXCSR_RC, mx & MXCSR_RC);
    cr_expect(eq(u32, cw & X87_RC, cw0 & X87_RC), "x87 rounding bits after the other context set round-toward-zero and switched back: expected %#x (ours), got %#x. ctx_switch must save and restore the x87 control word. See docs/10-generators.md#the-switch", cw0 & X87_RC, cw & X87_RC);
    ctx_switch(&f.main, &f.b);
    cr_expect(eq(u32, f.mxcsr & MXCSR_RC, MXCSR_RC), "MXCSR rounding bits seen by the other context when resumed: expected its own %#x, got %#x. See docs/10-generators.md#the-switch", MXCSR_RC, f.mxcsr & MXCSR_RC);
    cr_expect(eq(u32, f.cw & X87_RC, X87_RC), "x87 rounding bits seen by the other context when resumed: expected its own %#x, got %#x. See docs/10-generators.md#the-switch", X87_RC, f.cw & X87_RC);
    free(s);
}

#else /* not x86-64: the ucontext fallback keeps registers by design */

KIT_TEST(ctx, switch_preserves_callee_saved_registers)
{
    struct turns t = { .len = 0 };
    void *sa = new_stack();
    void *sb = new_stack();

    make_or_fail(&t.a, sa, entry_a, &t);
    make_or_fail(&t.b, sb, entry_b, &t);
    ctx_switch(&t.main, &t.a);
    ctx_switch(&t.main, &t.b);
    free(sa);
    free(sb);
}

KIT_TEST(ctx, each_context_keeps_its_own_rounding_mode)
{
    struct turns t = { .len = 0 };
    void *sa = new_stack();

    make_or_fail(&t.a, sa, entry_a, &t);
    free(sa);
}

#endif
