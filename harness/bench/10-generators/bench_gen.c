/*
 * bench_gen.c - what a context switch and a generator step cost (lab 10):
 * the kit's switch, glibc's swapcontext for comparison, gen_next,
 * gen_send, a whole short generator's life, and the stackless machine.
 * Python twin: bench_gen.py (greenlet's switch, next(gen), gen.send,
 * a class iterator).
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "ctx.h"
#include "gen.h"
#include "kit.h"
#include "stackless.h"

#define SWITCHES 10000000L
#define STEPS 10000000L
#define LIVES 200000L
#define STACK (64 * 1024)

static struct ctx main_ctx;
static struct ctx other_ctx;
static ucontext_t main_uc;
static ucontext_t other_uc;

static void
bounce(void *arg)
{
    (void)arg;
    for (;;)
        ctx_switch(&other_ctx, &main_ctx);
}

static void
bounce_uc(void)
{
    for (;;)
        swapcontext(&other_uc, &main_uc);
}

static void
die(const char *what)
{
    fprintf(stderr, "bench_gen: %s failed\n", what);
    exit(1);
}

/* switch_ns - ns per ctx_switch (two per round trip). */
static double
switch_ns(void)
{
    void *stack = malloc(STACK);

    if (stack == NULL || ctx_make(&other_ctx, stack, STACK, bounce, NULL))
        die("ctx_make");
    double t0 = kit_now();
    for (long i = 0; i < SWITCHES / 2; i++)
        ctx_switch(&main_ctx, &other_ctx);
    double ns = (kit_now() - t0) * 1e9 / SWITCHES;
    free(stack);
    return ns;
}

/* swapcontext_ns - the same with glibc's ucontext. */
static double
swapcontext_ns(void)
{
    void *stack = malloc(STACK);
    long n = SWITCHES / 10;

    if (stack == NULL || getcontext(&other_uc) < 0)
        die("getcontext");
    other_uc.uc_stack.ss_sp = stack;
    other_uc.uc_stack.ss_size = STACK;
    other_uc.uc_link = NULL;
    makecontext(&other_uc, bounce_uc, 0);
    double t0 = kit_now();
    for (long i = 0; i < n / 2; i++)
        swapcontext(&main_uc, &other_uc);
    double ns = (kit_now() - t0) * 1e9 / n;
    free(stack);
    return ns;
}

/* Body: yield 0, 1, 2, ... (the sent value, if any, is added). */
static int
count(struct gen *g, void *arg)
{
    intptr_t n = 0;

    (void)arg;
    for (;;) {
        void *sent;
        int err = gen_yield(g, (void *)n, &sent);
        if (err)
            return err == -ECANCELED ? 0 : err;
        n += 1 + (intptr_t)sent;
    }
}

/* Body: yield once. */
static int
once(struct gen *g, void *arg)
{
    void *sent;

    (void)arg;
    return gen_yield(g, NULL, &sent) == -ECANCELED ? 0 : 0;
}

/* step_ns - ns per gen_next (send: gen_send of 1) on a running count. */
static double
step_ns(int send)
{
    struct gen *g;
    void *v;

    if (gen_new(&g, count, NULL, 0) || gen_next(g, &v))
        die("gen_new");
    double t0 = kit_now();
    for (long i = 0; i < STEPS; i++)
        if ((send ? gen_send(g, (void *)1, &v) : gen_next(g, &v)) != 0)
            die("gen_next");
    double ns = (kit_now() - t0) * 1e9 / STEPS;
    gen_free(g);
    return ns;
}

/* life_ns - ns for gen_new + one value + the end + gen_free. */
static double
life_ns(void)
{
    double t0 = kit_now();

    for (long i = 0; i < LIVES; i++) {
        struct gen *g;
        void *v;
        if (gen_new(&g, once, NULL, 0) || gen_next(g, &v) ||
            gen_next(g, &v) != -ENODATA)
            die("a generator's life");
        gen_free(g);
    }
    return (kit_now() - t0) * 1e9 / LIVES;
}

/* stackless_ns - ns per stackless_next, restarting every 90 numbers. */
static double
stackless_ns(void)
{
    long v;
    long done = 0;
    double t0 = kit_now();

    while (done < STEPS) {
        struct stackless *s;
        if (stackless_new(&s, 90))
            die("stackless_new");
        while (stackless_next(s, &v) == 0)
            done++;
        stackless_free(s);
    }
    return (kit_now() - t0) * 1e9 / done;
}

int
main(void)
{
    printf("bench\tswitch\t%.1f\tns\tone context switch (C: ctx_switch, asm; Python: greenlet.switch)\n", switch_ns());
    printf("bench\tswapcontext\t%.1f\tns\tone switch with glibc swapcontext (C only: it saves the signal mask, a system call)\n", swapcontext_ns());
    printf("bench\tgen_next\t%.1f\tns\tone step of a running generator: next(g)\n", step_ns(0));
    printf("bench\tgen_send\t%.1f\tns\tone step with a value sent in: g.send(1)\n", step_ns(1));
    printf("bench\tgen_life\t%.1f\tns\ta generator made, one value, StopIteration, freed\n", life_ns());
    printf("bench\tstackless_next\t%.1f\tns\tone step of a stackless Fibonacci (C: state machine; Python: a class with __next__)\n", stackless_ns());
    return 0;
}
