/*
 * demo_callback.c - the notes' callback example: apply_async with a
 * callback that the parent runs (on the pool's result thread) as each
 * result arrives, while the main thread goes on.  The callback's counter
 * is read only after pool_join(), which orders it after every callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"

#define TASKS 5

/* task - echo the name back, as the notes' task(name) does. */
static int
task(const void *arg, size_t arg_len, void *out, size_t out_cap,
     size_t *out_len)
{
    if (arg_len > out_cap)
        return -EMSGSIZE;
    memcpy(out, arg, arg_len);
    *out_len = arg_len;
    return 0;
}

/* parse_task - the callback: runs in the parent, one call at a time. */
static void
parse_task(int status, const void *result, size_t len, void *arg)
{
    int *calls = arg;

    (*calls)++;
    printf("parent %d: your name is %.*s (status %d)\n", (int)getpid(),
           (int)len, (const char *)result, status);
}

int
main(void)
{
    struct pool_options opts = { .processes = 2 };
    struct pool *p;
    int calls = 0;

    if (pool_new(&p, &opts) != 0)
        return 1;
    printf("father process %d\n", (int)getpid());
    for (int i = 0; i < TASKS; i++) {
        char name[16];
        struct pool_result *r;
        int len = snprintf(name, sizeof(name), "task-%d", i);

        if (pool_apply_async(p, task, name, (size_t)len, parse_task,
                             &calls, &r) != 0)
            return 1;
        pool_result_free(r);    /* fire and forget: the callback reports */
    }
    pool_close(p);
    pool_join(p);
    printf("all tasks done: %d callbacks\n", calls);
    pool_free(p);
    return calls == TASKS ? 0 : 1;
}
