/*
 * demo_threadpool.c - the notes' ThreadPool: the same task on threads of
 * this process.  Every task reports the same pid (the caller's), unlike
 * the process pool.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tpool.h"

#define TASKS 8

/* run - "process a frame": return its number times 10 and our pid. */
static int
run(const void *arg, size_t arg_len, void *out, size_t out_cap,
    size_t *out_len)
{
    int frame = *(const int *)arg;
    int res[2] = { frame * 10, (int)getpid() };

    (void)arg_len;
    (void)out_cap;
    memcpy(out, res, sizeof(res));
    *out_len = sizeof(res);
    return 0;
}

int
main(void)
{
    struct pool_options opts = { .processes = 0 };  /* one per CPU */
    int frames[TASKS], out[TASKS][2];
    struct tpool *tp;
    int err;

    if (tpool_new(&tp, &opts) != 0)
        return 1;
    printf("ThreadPool of %d threads in process %d\n", tpool_processes(tp),
           (int)getpid());
    for (int i = 0; i < TASKS; i++)
        frames[i] = i;
    err = tpool_map(tp, run, frames, sizeof(int), TASKS, out, sizeof(out[0]),
                    1);
    for (int i = 0; i < TASKS && err == 0; i++)
        printf("frame %d -> %d in pid %d\n", i, out[i][0], out[i][1]);
    tpool_close(tp);
    tpool_join(tp);
    tpool_free(tp);
    return err == 0 ? 0 : 1;
}
