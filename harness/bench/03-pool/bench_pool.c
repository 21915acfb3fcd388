/*
 * bench_pool.c - how many small tasks a two-worker pool runs per second,
 * one by one with apply_async and in chunks with map (lab 03).
 * Python twin: bench_pool.py.  Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "pool.h"

#define WORKERS 2
#define ASYNC_TASKS 20000
#define MAP_ITEMS 200000

/* square - the trivial task: an int in, its square out. */
static int
square(const void *arg, size_t arg_len, void *out, size_t out_cap,
       size_t *out_len)
{
    int x = *(const int *)arg;

    (void)arg_len;
    (void)out_cap;
    x *= x;
    *(int *)out = x;
    *out_len = sizeof(x);
    return 0;
}

static void
die(const char *what)
{
    fprintf(stderr, "bench_pool: %s failed\n", what);
    exit(1);
}

/* async_rate - apply_async every task, then get every result. */
static double
async_rate(struct pool *p)
{
    struct pool_result **rs = malloc(ASYNC_TASKS * sizeof(*rs));
    double t0 = kit_now();
    int x;

    if (rs == NULL)
        die("malloc");
    for (int i = 0; i < ASYNC_TASKS; i++) {
        if (pool_apply_async(p, square, &i, sizeof(i), NULL, NULL, &rs[i]))
            die("pool_apply_async");
    }
    for (int i = 0; i < ASYNC_TASKS; i++) {
        if (pool_result_get(rs[i], &x, sizeof(x), NULL, LAB_FOREVER) != 0 ||
            x != i * i)
            die("pool_result_get");
        pool_result_free(rs[i]);
    }
    free(rs);
    return ASYNC_TASKS / (kit_now() - t0);
}

/* map_rate - map over MAP_ITEMS ints with `chunksize` (0: default). */
static double
map_rate(struct pool *p, int n, size_t chunksize)
{
    int *in = malloc((size_t)n * sizeof(*in));
    int *out = malloc((size_t)n * sizeof(*out));
    double t0;

    if (in == NULL || out == NULL)
        die("malloc");
    for (int i = 0; i < n; i++)
        in[i] = i % 1000;
    t0 = kit_now();
    if (pool_map(p, square, in, sizeof(int), (size_t)n, out, sizeof(int),
                 chunksize) != 0)
        die("pool_map");
    t0 = kit_now() - t0;
    for (int i = 0; i < n; i++) {
        if (out[i] != in[i] * in[i])
            die("pool_map order");
    }
    free(in);
    free(out);
    return n / t0;
}

int
main(void)
{
    struct pool_options opts = { .processes = WORKERS };
    struct pool *p;

    if (pool_new(&p, &opts) != 0)
        die("pool_new");
    (void)map_rate(p, 1000, 1);     /* warm-up */
    printf("bench\tpool_apply_async\t%.0f\ttasks/s\tPool(2).apply_async(f) x 20k, then get() each\n",
           async_rate(p));
    printf("bench\tpool_map_chunk1\t%.0f\ttasks/s\tPool(2).map(f, range(20k), chunksize=1)\n",
           map_rate(p, ASYNC_TASKS, 1));
    printf("bench\tpool_map_default\t%.0f\titems/s\tPool(2).map(f, range(200k)), default chunksize\n",
           map_rate(p, MAP_ITEMS, 0));
    pool_close(p);
    pool_join(p);
    pool_free(p);
    return 0;
}
