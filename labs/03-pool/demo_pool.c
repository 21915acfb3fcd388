/*
 * demo_pool.c - the notes' first Pool example: ten tasks on a pool of
 * three workers.  Each task says which worker process ran it; only three
 * pids ever appear, because workers are reused.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"

#define TASKS 10

/* worker_task - "work" a few ms, then return the pid that did it. */
static int
worker_task(const void *arg, size_t arg_len, void *out, size_t out_cap,
            size_t *out_len)
{
    int msg = *(const int *)arg;
    struct timespec ts = { 0, (long)(msg % 3 + 1) * 5000000L };
    pid_t pid = getpid();

    (void)arg_len;
    (void)out_cap;
    nanosleep(&ts, NULL);
    *(pid_t *)out = pid;
    *out_len = sizeof(pid);
    return 0;
}

/* submit_all - po.apply_async(worker, (i,)) for each i. */
static int
submit_all(struct pool *p, struct pool_result **rs)
{
    for (int i = 0; i < TASKS; i++) {
        if (pool_apply_async(p, worker_task, &i, sizeof(i), NULL, NULL,
                             &rs[i]) != 0)
            return -1;
    }
    return 0;
}

/* report - print which pid ran each task; free the handles. */
static int
report(struct pool_result **rs)
{
    int bad = 0;

    for (int i = 0; i < TASKS; i++) {
        pid_t pid = 0;
        int err = pool_result_get(rs[i], &pid, sizeof(pid), NULL,
                                  LAB_FOREVER);
        printf("task %d ran in worker %d\n", i, (int)pid);
        bad |= err != 0;
        pool_result_free(rs[i]);
    }
    return bad;
}

int
main(void)
{
    struct pool_options opts = { .processes = 3 };
    struct pool_result *rs[TASKS];
    struct pool *p;
    int bad;

    if (pool_new(&p, &opts) != 0)
        return 1;
    printf("----start---- parent %d, pool of %d\n", (int)getpid(),
           pool_processes(p));
    bad = submit_all(p, rs) != 0;
    pool_close(p);              /* no more tasks */
    pool_join(p);               /* wait for the queue to drain */
    bad |= report(rs);
    printf("-----end-----\n");
    pool_free(p);
    return bad;
}
