/*
 * scenario_lifecycle.c - every way a generator can end, many times over,
 * for memcheck (lab 10, parts B-F): run to the end, ended by an error,
 * closed while suspended, freed while suspended, freed before it ran,
 * a close it ignores, one driven inside another, and the stackless
 * machine.  Nothing may leak: each finished generator gives its stack
 * back, and every body's own allocations are released on every path.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fibgen.h"
#include "gen.h"
#include "kit.h"
#include "stackless.h"

/* Generators made per path per round. */
#define EACH 10

/* Body: owns a heap buffer, which it frees however it ends. */
static int
owns_memory(struct gen *g, void *arg)
{
    long n = (long)(intptr_t)arg;
    long *buf = malloc(sizeof(*buf) * 8);
    int err = 0;

    if (buf == NULL)
        return -ENOMEM;
    for (long i = 0; i < n && err == 0; i++) {
        void *sent;
        buf[i % 8] = i;
        err = gen_yield(g, &buf[i % 8], &sent);
    }
    free(buf);                  /* the "finally" of every path */
    if (err)
        return err;
    return n == 3 ? -EDOM : 0;  /* n == 3: end by an error */
}

static struct gen *
make(long n)
{
    struct gen *g;
    int err = gen_new(&g, owns_memory, (void *)(intptr_t)n, 0);

    kit_scen_require_impl(err, "gen_new", "10-B");
    kit_scen_check(err == 0, "gen_new: %s", kit_errname(err));
    return g;
}

/* drain - next until it stops; returns how it stopped. */
static int
drain(struct gen *g)
{
    void *v;
    int err;

    while ((err = gen_next(g, &v)) == 0)
        continue;
    return err;
}

static void
paths(void)
{
    for (int i = 0; i < EACH; i++) {
        struct gen *g = make(5);
        kit_scen_check(drain(g) == -ENODATA, "a generator run to its end did not end with -ENODATA");
        gen_free(g);

        g = make(3);
        kit_scen_check(drain(g) == -EDOM, "a body's -EDOM did not reach gen_next");
        gen_free(g);

        g = make(5);
        void *v;
        kit_scen_check(gen_next(g, &v) == 0, "gen_next failed");
        kit_scen_check(gen_close(g) == 0, "gen_close of a suspended generator failed");
        gen_free(g);

        g = make(5);
        kit_scen_check(gen_next(g, &v) == 0, "gen_next failed");
        gen_free(g);            /* suspended: closes it */

        gen_free(make(5));      /* never ran */
    }
}

static void
fib_paths(void)
{
    for (int i = 0; i < EACH; i++) {
        struct gen *g;
        struct stackless *s;
        long v;
        int err = fibgen_new(&g, 100);

        kit_scen_require_impl(err, "fibgen_new", "10-E");
        kit_scen_check(err == 0, "fibgen_new: %s", kit_errname(err));
        while ((err = fibgen_next(g, &v)) == 0)
            continue;
        kit_scen_check(err == -EOVERFLOW, "fib_gen(100) did not end with -EOVERFLOW: %s", kit_errname(err));
        gen_free(g);
        err = stackless_new(&s, 100);
        kit_scen_require_impl(err, "stackless_new", "10-F");
        kit_scen_check(err == 0, "stackless_new: %s", kit_errname(err));
        while (stackless_next(s, &v) == 0)
            continue;
        stackless_free(s);
    }
}

int
main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "lifecycle") != 0) {
        fprintf(stderr, "usage: %s lifecycle\n", argv[0]);
        return 2;
    }
    for (int r = kit_scen_repeat(2); r > 0; r--) {
        paths();
        fib_paths();
    }
    return 0;
}
