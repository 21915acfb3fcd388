/*
 * co.c - greenlet in C: coroutines on their own stacks that switch to one
 * another by name, passing one pointer each way.
 *
 * DESIGN
 *
 * A suspended coroutine is its saved stack pointer.  co_ctx_switch() (ten
 * lines of x86-64 assembly below) pushes the registers the System V ABI
 * makes a callee keep (rbx, rbp, r12-r15, the MXCSR and x87 control
 * words), stores the stack pointer, loads another one, pops the same
 * registers from that stack and returns into whatever called
 * co_ctx_switch() there.  A new coroutine has never called it, so
 * frame_init() writes the frame a switch would have left, with
 * co_ctx_boot as the return address; co_ctx_boot calls co_boot(), which
 * runs the function and then hands its return value to the parent.  The
 * ucontext fallback (other CPUs, or -DCO_UCONTEXT) does the same with
 * makecontext()/swapcontext(), at the price of a system call per switch
 * (swapcontext saves the signal mask).
 *
 * Values do not travel in registers: the switcher writes the value into
 * the target's `transfer` field, and a resumed co_switch() reads its own.
 * Each thread has a main coroutine (static, never freed) and a pointer to
 * the running one, both thread-local: coroutines never cross threads.
 *
 * Tools: memcheck and Helgrind must be told where each stack is
 * (VALGRIND_STACK_REGISTER), DRD aborts when told (race-toolchain.md
 * section 6), so registration is skipped under DRD; ThreadSanitizer gets
 * one fiber per coroutine, switched just before the stack is, and a
 * coroutine never returns from its first frame (co_boot switches away).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <valgrind/drd.h>
#include <valgrind/valgrind.h>

#include "co.h"

#if defined(__x86_64__) && !defined(CO_UCONTEXT)
#define CO_ASM 1
#else
#define CO_ASM 0
#include <ucontext.h>
#endif

#if defined(__SANITIZE_THREAD__)
#define CO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CO_TSAN 1
#endif
#endif
#ifndef CO_TSAN
#define CO_TSAN 0
#endif
#if CO_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Lifecycle (Python: not started; bool(g) true; g.dead). */
enum co_state {
    CO_NEW,                     /* made, never switched to */
    CO_ACTIVE,                  /* started (running or suspended) */
    CO_DEAD,                    /* run has returned */
};

struct co {
    void *sp;                   /* saved stack pointer while suspended */
    enum co_state state;
    co_func *run;
    struct co *parent;          /* NULL only for a thread's main */
    void *transfer;             /* the value of the last switch to it */
    char *stack;                /* malloc()ed; NULL for a main */
    size_t stack_size;          /* bytes at `stack` */
    unsigned vg_id;             /* Valgrind's stack id, 0 if none */
    pthread_t thread;           /* the only thread that may switch to it */
#if !CO_ASM
    ucontext_t uc;
#endif
#if CO_TSAN
    void *fiber;
#endif
};

static __thread struct co co_main;      /* this thread's main coroutine */
static __thread struct co *co_running;  /* NULL until first use */

/* co_ctx_switch - save the callee-saved registers and the stack pointer
 * into *save, load `load` as the stack pointer and restore from it. */
__attribute__((visibility("hidden"))) void co_ctx_switch(void **save, void *load);
__attribute__((visibility("hidden"), noreturn)) void co_boot(void);

#if CO_ASM
/* The frame co_ctx_switch() leaves on a suspended stack, lowest address
 * first: `sp` points at FRAME_FPU. */
enum frame_slot {
    FRAME_FPU,                  /* MXCSR (low 4 bytes), x87 control word */
    FRAME_R15,
    FRAME_R14,
    FRAME_R13,
    FRAME_R12,
    FRAME_RBX,
    FRAME_RBP,
    FRAME_RET,                  /* where co_ctx_switch() returns to */
    FRAME_WORDS,
};

/* DOC: 11-coroutines#the-switch */
__asm__(".text\n"
        ".globl co_ctx_switch\n"
        ".hidden co_ctx_switch\n"
        ".type co_ctx_switch, @function\n"
        "co_ctx_switch:\n"
        "    pushq %rbp\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    subq $8, %rsp\n"
        "    stmxcsr (%rsp)\n"
        "    fnstcw 4(%rsp)\n"
        "    movq %rsp, (%rdi)\n"
        "    movq %rsi, %rsp\n"
        "    ldmxcsr (%rsp)\n"
        "    fldcw 4(%rsp)\n"
        "    addq $8, %rsp\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    popq %rbp\n"
        "    ret\n"
        ".size co_ctx_switch, .-co_ctx_switch\n"
        ".globl co_ctx_boot\n"
        ".hidden co_ctx_boot\n"
        "co_ctx_boot:\n"
        "    .cfi_startproc\n"
        "    .cfi_undefined rip\n"
        "    call co_boot\n"
        "    ud2\n"
        "    .cfi_endproc\n");

__attribute__((visibility("hidden"))) extern char co_ctx_boot[];
#endif

/* co_fell_off - a bug of ours: co_boot's final switch came back. */
__attribute__((noreturn)) static void
co_fell_off(void)
{
    static const char msg[] = "co: a finished coroutine was resumed\n";

    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    abort();
}

/* under_drd - are we running under Valgrind's DRD?  DRD answers its own
 * client request; every other tool (and no tool) returns the default 0. */
static bool
under_drd(void)
{
    return RUNNING_ON_VALGRIND && DRD_GET_VALGRIND_THREADID != 0;
}

/*
 * stack_alloc - give co a heap stack of at least `size` bytes.  Heap, not
 * mmap, and no guard page: memcheck reports a leaked stack only if malloc
 * made it, and mprotect()ing a guard costs two system calls per coroutine
 * (more than all the rest of a spawn).  The price: a frame deeper than
 * the stack overwrites the heap below it, silently.  Returns 0, -ENOMEM.
 */
static int
stack_alloc(struct co *co, size_t size)
{
    /* DOC: 11-coroutines#stacks */
    co->stack = malloc(size);
    if (co->stack == NULL)
        return -ENOMEM;
    co->stack_size = size;
    if (RUNNING_ON_VALGRIND && !under_drd())
        co->vg_id = VALGRIND_STACK_REGISTER(co->stack, co->stack + size);
    return 0;
}

/* stack_release - undo stack_alloc. */
static void
stack_release(struct co *co)
{
    if (co->vg_id != 0)
        VALGRIND_STACK_DEREGISTER(co->vg_id);
    free(co->stack);
    co->stack = NULL;
}

/* frame_init - make co's first switch land in co_boot() on its stack. */
static int
frame_init(struct co *co)
{
#if CO_ASM
    uintptr_t top = (uintptr_t)(co->stack + co->stack_size) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 16) - FRAME_WORDS;

    /* After `ret` pops FRAME_RET, rsp is top - 16: 16-byte aligned, as a
     * call instruction (co_ctx_boot's) expects. */
    for (int i = 0; i < FRAME_WORDS; i++)
        frame[i] = 0;
    frame[FRAME_FPU] = 0x1F80 | ((uint64_t)0x037F << 32);
    frame[FRAME_RET] = (uint64_t)(uintptr_t)co_ctx_boot;
    co->sp = frame;
    return 0;
#else
    if (getcontext(&co->uc) != 0)
        return -errno;
    co->uc.uc_stack.ss_sp = co->stack;
    co->uc.uc_stack.ss_size = co->stack_size;
    co->uc.uc_link = NULL;
    makecontext(&co->uc, co_boot, 0);
    return 0;
#endif
}

/* co_jump - suspend `from` (the running coroutine) and run `to`.
 * Returns when something switches back to `from`. */
static void
co_jump(struct co *from, struct co *to)
{
    if (to->state == CO_NEW)
        to->state = CO_ACTIVE;
    co_running = to;
#if CO_TSAN
    __tsan_switch_to_fiber(to->fiber, 0);
#endif
#if CO_ASM
    co_ctx_switch(&from->sp, to->sp);
#else
    (void)swapcontext(&from->uc, &to->uc);
#endif
}

/* live_target - target, or its nearest ancestor that is not dead. */
static struct co *
live_target(struct co *target)
{
    while (target->state == CO_DEAD && target->parent != NULL)
        target = target->parent;
    return target;
}

/*
 * co_boot - the first frame of every coroutine: run the function, then
 * give its return value to the parent (the first one not dead).  Does not
 * return: a dead coroutine is never switched to again.
 */
void
co_boot(void)
{
    struct co *self = co_running;
    void *ret = self->run(self->transfer);

    /* DOC: 11-coroutines#finish */
    self->state = CO_DEAD;
    (void)co_switch(self->parent, ret, NULL);
    co_fell_off();
}

struct co *
co_current(void)
{
    if (co_running == NULL) {
        co_main.state = CO_ACTIVE;
        co_main.thread = pthread_self();
#if CO_TSAN
        co_main.fiber = __tsan_get_current_fiber();
#endif
        co_running = &co_main;
    }
    return co_running;
}

int
co_new(struct co **out, co_func *run, const struct co_options *opts)
{
    /* TODO(11-A): check the arguments (parent defaults to the caller,
     * stack_size to CO_STACK_DEFAULT), allocate the object and its stack
     * (stack_alloc), write its first frame (frame_init), note its thread.
     * Python: greenlet(run, parent). Read docs/11-coroutines.md#new. */
    (void)run;
    (void)opts;
    (void)stack_alloc;
    (void)stack_release;
    (void)frame_init;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
co_switch(struct co *target, void *value, void **received)
{
    /* TODO(11-A): refuse a foreign thread's coroutine, skip dead targets
     * up to a live parent, hand the value over in the target's transfer
     * field, jump (co_jump), and give back what was handed to you.
     * Python: target.switch(value). Read docs/11-coroutines.md#switch. */
    (void)target;
    (void)value;
    (void)received;
    (void)co_jump;
    (void)live_target;
    return -ENOSYS;
}

int
co_yield(void *value, void **received)
{
    /* TODO(11-A): switch to the running coroutine's parent (none: the
     * thread's main). Python: yield value. Read
     * docs/11-coroutines.md#yield. */
    (void)value;
    (void)received;
    return -ENOSYS;
}

struct co *
co_parent(const struct co *co)
{
    return co != NULL ? co->parent : NULL;
}

bool
co_dead(const struct co *co)
{
    return co != NULL && co->state == CO_DEAD;
}

bool
co_active(const struct co *co)
{
    return co != NULL && co->state == CO_ACTIVE;
}

void
co_free(struct co *co)
{
    /* TODO(11-A): leave NULL, a main and the running coroutine alone;
     * release the stack (stack_release), the TSan fiber and the object.
     * Python: del g. Read docs/11-coroutines.md#free-on-finish. */
    (void)co;
}
