/*
 * demo_map.c - the notes' map example: map_async(f, [1, 2, 3]).get() and
 * map(f, [1, 2, 3]) on Pool(5), then a bigger map with chunksize, and a
 * worker that dies mid-task: its item fails with -ECHILD, the pool
 * replaces it, and the next map works (Python would hang).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "pool.h"

/* f - x * x; the item -1 kills its own worker. */
static int
f(const void *arg, size_t arg_len, void *out, size_t out_cap, size_t *out_len)
{
    int x = *(const int *)arg;

    (void)arg_len;
    (void)out_cap;
    if (x < 0)
        kill(getpid(), SIGKILL);
    *(int *)out = x * x;
    *out_len = sizeof(int);
    return 0;
}

static void
print_ints(const char *what, const int *v, int n, int err)
{
    printf("%s -> [", what);
    for (int i = 0; i < n; i++)
        printf(i ? ", %d" : "%d", v[i]);
    printf("]  status %d\n", err);
}

int
main(void)
{
    struct pool_options opts = { .processes = 5 };
    int in[3] = { 1, 2, 3 }, out[3], bad[3] = { 4, -1, 6 };
    int big[100], sq[100];
    struct pool_result *r;
    struct pool *p;
    int err;

    if (pool_new(&p, &opts) != 0)
        return 1;
    err = pool_map_async(p, f, in, sizeof(int), 3, out, sizeof(int), 0,
                         NULL, NULL, &r);
    err = err ? err : pool_result_get(r, NULL, 0, NULL, LAB_FOREVER);
    pool_result_free(r);
    print_ints("map_async(f, [1, 2, 3]).get()", out, 3, err);
    err = pool_map(p, f, in, sizeof(int), 3, out, sizeof(int), 0);
    print_ints("map(f, [1, 2, 3])", out, 3, err);
    err = pool_map(p, f, bad, sizeof(int), 3, out, sizeof(int), 1);
    printf("map(f, [4, -1, 6]) -> status %d (-ECHILD is %d)\n", err, -ECHILD);
    for (int i = 0; i < 100; i++)
        big[i] = i;
    err = pool_map(p, f, big, sizeof(int), 100, sq, sizeof(int), 7);
    printf("map(f, range(100), chunksize=7): sq[99] = %d, status %d\n",
           sq[99], err);
    pool_free(p);
    return err == 0 && sq[99] == 9801 ? 0 : 1;
}
