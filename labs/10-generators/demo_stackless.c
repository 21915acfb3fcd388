/*
 * demo_stackless.c - one Fibonacci generator written twice: as a body on
 * its own stack (fibgen.h) and as a state machine (stackless.h).  Both
 * print the same numbers; then the demo times a million steps of each
 * and shows what each keeps in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fibgen.h"
#include "stackless.h"

/* Steps timed per kind. */
#define STEPS 1000000L

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* show_both - the first 12 numbers from each, side by side. */
static int
show_both(void)
{
    struct gen *g;
    struct stackless *s;
    long a;
    long b;
    int err = fibgen_new(&g, 12);

    if (err)
        return err;
    err = stackless_new(&s, 12);
    if (err) {
        gen_free(g);
        return err;
    }
    printf("stackful  stackless\n");
    while (fibgen_next(g, &a) == 0 && stackless_next(s, &b) == 0)
        printf("%8ld  %9ld%s\n", a, b, a == b ? "" : "   <- differ!");
    gen_free(g);
    stackless_free(s);
    return 0;
}

/* time_steps - ns per step of each, restarting every 90 numbers. */
static int
time_steps(void)
{
    double t0 = now();
    long v;
    long sum = 0;

    for (long i = 0; i < STEPS; i += 90) {
        struct gen *g;
        if (fibgen_new(&g, 90) != 0)
            return -ENOMEM;
        while (fibgen_next(g, &v) == 0)
            sum += v & 1;
        gen_free(g);
    }
    double t1 = now();
    for (long i = 0; i < STEPS; i += 90) {
        struct stackless *s;
        if (stackless_new(&s, 90) != 0)
            return -ENOMEM;
        while (stackless_next(s, &v) == 0)
            sum -= v & 1;
        stackless_free(s);
    }
    double t2 = now();
    printf("\n%ld steps each (built -O0 -g; see docs for -O2 figures):\n", STEPS);
    printf("  stackful:  %6.1f ns per step, a %d KiB stack per generator\n", (t1 - t0) * 1e9 / STEPS, GEN_STACK_DEFAULT / 1024);
    printf("  stackless: %6.1f ns per step, %zu bytes per generator\n", (t2 - t1) * 1e9 / STEPS, stackless_size());
    return sum == 0 ? 0 : -EBADMSG;
}

int
main(void)
{
    int err = show_both();

    if (err == 0)
        err = time_steps();
    if (err) {
        fprintf(stderr, "demo_stackless: %s\n", strerror(-err));
        return 1;
    }
    return 0;
}
