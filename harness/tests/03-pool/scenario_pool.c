/*
 * scenario_pool.c - pools driven the way the tiers need (lab 03).
 *
 *   callbacks        process pool: every callback writes plain (unlocked)
 *                    variables; the main thread reads callback i's flag
 *                    right after get(i) and the counter after join.  Clean
 *                    only if callbacks run on one thread and each has
 *                    finished before its result is ready.
 *   tpool_callbacks  the same with the thread pool (4 workers); the first
 *                    4 tasks meet at a barrier, so their callbacks are due
 *                    at once: callbacks run on the workers would race.
 *   callback_racy    a callback increments a counter that the main thread
 *                    reads while tasks still run, without a lock: the race
 *                    tier must report it (docs/03-pool.md#callbacks).
 *   map_order        map where item 0 finishes after item 1, and a longer
 *                    chunked map: results always in input order.
 *   crash            a worker killed mid-task among ordinary tasks: that
 *                    task gives -ECHILD, all others their results, join
 *                    returns.
 *   lifecycle        every call once, a pool freed with work pending, a
 *                    thread pool, a small copytree: for memcheck.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copytree.h"
#include "kit.h"
#include "pool.h"
#include "tpool.h"

#define TASKS 12

/* Task: x * x for the int arg; -1 kills its worker; -2 waits for a byte
 * on fd 3rd int... see struct job_arg. */
struct job_arg {
    int x;
    int act;                    /* 0 square, 1 wait on fd, 2 post fd, 3 die,
                                 * 4 meet the other gate tasks (threads) */
    int fd;
};

/* tpool_callbacks: the first GATE tasks wait for each other, so they end
 * together and their callbacks are due at the same moment. */
#define GATE 4
static pthread_barrier_t gate;

static int
task(const void *arg, size_t arg_len, void *out, size_t out_cap,
     size_t *out_len)
{
    const struct job_arg *a = arg;
    char c = 'x';

    (void)arg_len;
    (void)out_cap;
    if (a->act == 1)
        while (read(a->fd, &c, 1) < 0 && errno == EINTR)
            continue;
    if (a->act == 2 && write(a->fd, &c, 1) != 1)
        return -EIO;
    if (a->act == 3)
        kill(getpid(), SIGKILL);
    if (a->act == 4)
        pthread_barrier_wait(&gate);
    *(int *)out = a->x * a->x;
    *out_len = sizeof(int);
    return 0;
}

/* What callbacks write without a lock. */
struct plain {
    int flags[TASKS];
    int counter;
};

struct cb_arg {
    struct plain *shared;
    int index;
};

static void
plain_callback(int status, const void *result, size_t len, void *arg)
{
    struct cb_arg *a = arg;

    (void)result;
    (void)len;
    a->shared->flags[a->index] = status == 0 ? 1 : 2;
    a->shared->counter++;       /* unlocked: fine only on one thread */
}

/* check_after_get - the flag of callback i is visible right after get. */
static void
check_after_get(struct plain *s, int i, int err, int out)
{
    kit_scen_check(err == 0, "get(r[%d]): %s", i, kit_errname(err));
    kit_scen_check(out == i * i, "result %d: %d, expected %d", i, out, i * i);
    kit_scen_check(s->flags[i] == 1, "callback %d had not run when get returned (flag %d): a result is ready only after its callback", i, s->flags[i]);
}

static void
case_callbacks(void)
{
    for (int round = 0; round < kit_scen_repeat(2); round++) {
        struct pool_options opts = { .processes = 2 };
        struct pool_result *r[TASKS];
        struct cb_arg args[TASKS];
        struct plain s = { .counter = 0 };
        struct pool *p;
        int err = pool_new(&p, &opts);

        kit_scen_require_impl(err, "pool_new", "03-A");
        kit_scen_check(err == 0, "pool_new: %s", kit_errname(err));
        for (int i = 0; i < TASKS; i++) {
            struct job_arg a = { .x = i };
            args[i] = (struct cb_arg){ .shared = &s, .index = i };
            err = pool_apply_async(p, task, &a, sizeof(a), plain_callback,
                                   &args[i], &r[i]);
            kit_scen_require_impl(err, "pool_apply_async", "03-B");
            kit_scen_check(err == 0, "apply_async: %s", kit_errname(err));
        }
        for (int i = 0; i < TASKS; i++) {
            int out = -1;
            err = pool_result_get(r[i], &out, sizeof(out), NULL, LAB_FOREVER);
            check_after_get(&s, i, err, out);
            pool_result_free(r[i]);
        }
        kit_scen_check(pool_close(p) == 0 && pool_join(p) == 0, "close/join");
        kit_scen_check(s.counter == TASKS, "%d callbacks counted, expected %d", s.counter, TASKS);
        pool_free(p);
    }
}

static void
case_tpool_callbacks(void)
{
    kit_scen_check(pthread_barrier_init(&gate, NULL, GATE) == 0, "barrier");
    for (int round = 0; round < kit_scen_repeat(2); round++) {
        struct pool_options opts = { .processes = 4 };
        struct tpool_result *r[TASKS];
        struct cb_arg args[TASKS];
        struct plain s = { .counter = 0 };
        struct tpool *p;
        int err = tpool_new(&p, &opts);

        kit_scen_require_impl(err, "tpool_new", "03-F");
        kit_scen_check(err == 0, "tpool_new: %s", kit_errname(err));
        for (int i = 0; i < TASKS; i++) {
            struct job_arg a = { .x = i, .act = i < GATE ? 4 : 0 };
            args[i] = (struct cb_arg){ .shared = &s, .index = i };
            err = tpool_apply_async(p, task, &a, sizeof(a), plain_callback,
                                    &args[i], &r[i]);
            kit_scen_check(err == 0, "tpool_apply_async: %s", kit_errname(err));
        }
        for (int i = 0; i < TASKS; i++) {
            int out = -1;
            err = tpool_result_get(r[i], &out, sizeof(out), NULL, LAB_FOREVER);
            check_after_get(&s, i, err, out);
            tpool_result_free(r[i]);
        }
        kit_scen_check(tpool_close(p) == 0 && tpool_join(p) == 0, "close/join");
        kit_scen_check(s.counter == TASKS, "%d callbacks counted, expected %d", s.counter, TASKS);
        tpool_free(p);
    }
    pthread_barrier_destroy(&gate);
}

/* The student's mistake this case shows: the main thread looks at the
 * callbacks' counter while they may still run. */
static void
case_callback_racy(void)
{
    struct pool_options opts = { .processes = 2 };
    struct pool_result *r[TASKS];
    struct cb_arg args[TASKS];
    struct plain s = { .counter = 0 };
    struct pool *p;
    int peeks = 0;
    int err = pool_new(&p, &opts);

    kit_scen_require_impl(err, "pool_new", "03-A");
    kit_scen_check(err == 0, "pool_new: %s", kit_errname(err));
    for (int i = 0; i < TASKS; i++) {
        struct job_arg a = { .x = i };
        args[i] = (struct cb_arg){ .shared = &s, .index = i };
        err = pool_apply_async(p, task, &a, sizeof(a), plain_callback,
                               &args[i], &r[i]);
        kit_scen_require_impl(err, "pool_apply_async", "03-B");
        kit_scen_check(err == 0, "apply_async: %s", kit_errname(err));
        peeks += s.counter;     /* DOC: 03-pool#callbacks (the bug) */
    }
    for (int i = 0; i < TASKS; i++) {
        (void)pool_result_wait(r[i], LAB_FOREVER);
        pool_result_free(r[i]);
    }
    pool_free(p);
    kit_scen_check(peeks >= 0, "unreachable");
}

static void
case_map_order(void)
{
    for (int round = 0; round < kit_scen_repeat(4); round++) {
        struct pool_options opts = { .processes = 2 };
        struct job_arg two[2];
        struct job_arg many[50];
        int out[50];
        int fds[2];
        struct pool *p;
        int err;

        kit_scen_check(pipe2(fds, O_CLOEXEC) == 0, "pipe2");
        err = pool_new(&p, &opts);
        kit_scen_require_impl(err, "pool_new", "03-A");
        two[0] = (struct job_arg){ .x = 3, .act = 1, .fd = fds[0] };
        two[1] = (struct job_arg){ .x = 4, .act = 2, .fd = fds[1] };
        err = pool_map(p, task, two, sizeof(two[0]), 2, out, sizeof(int), 1);
        kit_scen_require_impl(err, "pool_map", "03-C");
        kit_scen_check(err == 0 && out[0] == 9 && out[1] == 16, "map of two (item 0 finishes last): status %s, results %d %d, expected 9 16", kit_errname(err), out[0], out[1]);
        for (int i = 0; i < 50; i++)
            many[i] = (struct job_arg){ .x = i };
        err = pool_map(p, task, many, sizeof(many[0]), 50, out, sizeof(int),
                       (size_t)(round % 4 + 1));
        for (int i = 0; i < 50; i++)
            kit_scen_check(err == 0 && out[i] == i * i, "map of 50, chunksize %d: results[%d] = %d (status %s)", round % 4 + 1, i, out[i], kit_errname(err));
        kit_scen_check(pool_close(p) == 0 && pool_join(p) == 0, "close/join");
        pool_free(p);
        close(fds[0]);
        close(fds[1]);
    }
}

static void
case_crash(void)
{
    for (int round = 0; round < kit_scen_repeat(3); round++) {
        struct pool_options opts = { .processes = 2 };
        struct pool_result *r[6];
        struct pool *p;
        int err = pool_new(&p, &opts);

        kit_scen_require_impl(err, "pool_new", "03-A");
        for (int i = 0; i < 6; i++) {
            struct job_arg a = { .x = i, .act = i == 2 ? 3 : 0 };
            err = pool_apply_async(p, task, &a, sizeof(a), NULL, NULL, &r[i]);
            kit_scen_check(err == 0, "apply_async: %s", kit_errname(err));
        }
        kit_scen_check(pool_close(p) == 0 && pool_join(p) == 0, "close/join after a crash");
        for (int i = 0; i < 6; i++) {
            int out = -1;
            err = pool_result_get(r[i], &out, sizeof(out), NULL, 0);
            if (i == 2)
                kit_scen_check(err == -ECHILD, "the crashed task: %s, expected -ECHILD", kit_errname(err));
            else
                kit_scen_check(err == 0 && out == i * i, "task %d next to a crash: %s, result %d", i, kit_errname(err), out);
            pool_result_free(r[i]);
        }
        pool_free(p);
    }
}

/* lifecycle_copytree - a two-file copytree in /tmp. */
static void
lifecycle_copytree(void)
{
    char src[64], dst[80], path[256];
    FILE *f;

    snprintf(src, sizeof(src), "/tmp/kit03-life-%d", (int)getpid());
    snprintf(dst, sizeof(dst), "%s-copy", src);
    kit_scen_check(mkdir(src, 0755) == 0, "mkdir");
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/f%d", src, i);
        f = fopen(path, "w");
        kit_scen_check(f != NULL, "fopen");
        fputs("hello", f);
        fclose(f);
    }
    struct copytree_options o = { .processes = 1 };
    int err = copytree(src, dst, &o);
    kit_scen_check(err == 0, "copytree: %s", kit_errname(err));
    snprintf(path, sizeof(path), "rm -rf %s %s", src, dst);
    kit_scen_check(system(path) == 0, "rm");
}

static void
case_lifecycle(void)
{
    struct pool_options opts = { .processes = 1 };
    struct job_arg a = { .x = 5 };
    struct pool_result *pending;
    struct tpool_result *tr;
    struct tpool *tp;
    struct pool *p;
    int out[3];
    int err = pool_new(&p, &opts);

    kit_scen_require_impl(err, "pool_new", "03-A");
    kit_scen_check(pool_apply(p, task, &a, sizeof(a), out, sizeof(int), NULL) == 0, "apply");
    struct job_arg three[3] = { { .x = 1 }, { .x = 2 }, { .x = 3 } };
    kit_scen_check(pool_map(p, task, three, sizeof(a), 3, out, sizeof(int), 2) == 0, "map");
    kit_scen_check(pool_apply_async(p, task, &a, sizeof(a), NULL, NULL, &pending) == 0, "apply_async");
    pool_free(p);               /* with a task maybe still queued */
    (void)pool_result_get(pending, out, sizeof(int), NULL, LAB_FOREVER);
    pool_result_free(pending);
    kit_scen_check(tpool_new(&tp, &opts) == 0, "tpool_new");
    kit_scen_check(tpool_apply_async(tp, task, &a, sizeof(a), NULL, NULL, &tr) == 0, "tpool_apply_async");
    kit_scen_check(tpool_map(tp, task, three, sizeof(a), 3, out, sizeof(int), 1) == 0, "tpool_map");
    tpool_free(tp);
    tpool_result_free(tr);
    lifecycle_copytree();
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {
        { "callbacks", case_callbacks },
        { "tpool_callbacks", case_tpool_callbacks },
        { "callback_racy", case_callback_racy },
        { "map_order", case_map_order },
        { "crash", case_crash },
        { "lifecycle", case_lifecycle },
    };

    for (size_t i = 0; argc > 1 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            return 0;
        }
    }
    fprintf(stderr, "usage: %s callbacks|tpool_callbacks|callback_racy|map_order|crash|lifecycle\n", argv[0]);
    return 2;
}
