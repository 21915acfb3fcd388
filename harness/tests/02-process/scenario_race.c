/*
 * scenario_race.c - one process driven from several threads, and a whole
 * lifecycle, for the race tier (Helgrind, DRD, TSan) and the memory tier
 * (memcheck) of lab 02 (parts A-E).
 *
 *   join_poll  the child is started first (TSan: a child of a threaded
 *              parent must not start threads), then four threads share
 *              it: two join, one polls is_alive/exitcode while it runs,
 *              and one waits (through a pipe) until the first joiner
 *              returned before it asks is_alive and exitcode.  A pipe
 *              gives no happens-before edge to Helgrind, so that last
 *              thread's first look at the state is ordered after the
 *              reaper's write only by the object's own lock: a look
 *              without the lock is reported every run.
 *   lifecycle  one thread: every call of the contract once, for memcheck.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "process.h"

/* Target: close the write end arg[1], return 0 at EOF on arg[0]. */
static int
wait_eof(void *arg)
{
    int *fds = arg;
    char c;

    close(fds[1]);
    for (;;) {
        ssize_t n = read(fds[0], &c, 1);
        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return 2;
    }
}

/* Target: never return on its own. */
static int
block_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return 0;                   /* not reached */
}

/* Target: return 4. */
static int
return_four(void *arg)
{
    (void)arg;
    return 4;
}

/* What the join_poll threads share.  Written before they start, or by
 * one thread and read after pthread_join: no lock needed here. */
struct shared {
    struct process *p;
    int handoff[2];             /* first joiner -> late observer */
    int join_err[2];
    bool late_alive;
    int late_code_err;
    int late_code;
};

static void *
first_joiner(void *arg)
{
    struct shared *s = arg;

    s->join_err[0] = process_join(s->p, LAB_FOREVER);
    if (write(s->handoff[1], "j", 1) != 1)
        s->join_err[0] = -EIO;
    return NULL;
}

static void *
second_joiner(void *arg)
{
    struct shared *s = arg;

    s->join_err[1] = process_join(s->p, LAB_FOREVER);
    return NULL;
}

static void *
poller(void *arg)
{
    struct shared *s = arg;
    int code;

    for (int i = 0; i < 3; i++) {
        (void)process_is_alive(s->p);
        (void)process_exitcode(s->p, &code);
    }
    return NULL;
}

/* late_observer - touches the process only after the first joiner said
 * (through the pipe) that join returned. */
static void *
late_observer(void *arg)
{
    struct shared *s = arg;
    char c;

    while (read(s->handoff[0], &c, 1) < 0 && errno == EINTR)
        continue;
    s->late_alive = process_is_alive(s->p);
    s->late_code_err = process_exitcode(s->p, &s->late_code);
    return NULL;
}

/* run_threads - start the four threads on s, release the child, join
 * the threads. */
static void
run_threads(struct shared *s, int release_fd)
{
    void *(*const fns[4])(void *) = {
        first_joiner, second_joiner, poller, late_observer,
    };
    pthread_t t[4];
    int i;

    for (i = 0; i < 4; i++) {
        int err = pthread_create(&t[i], NULL, fns[i], s);
        kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    }
    close(release_fd);          /* the child may end now */
    for (i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
}

static void
case_join_poll(void)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        struct shared s = { .late_code = -1000 };
        int gate[2];

        kit_scen_check(pipe2(gate, O_CLOEXEC) == 0 && pipe2(s.handoff, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
        kit_scen_check(process_new(&s.p, wait_eof, gate, NULL) == 0, "process_new failed (-ENOSYS: not implemented yet, see TODO(02-A) in labs/02-process/process.c)");
        kit_scen_check(process_start(s.p) == 0, "process_start failed");
        close(gate[0]);
        run_threads(&s, gate[1]);
        kit_scen_check(s.join_err[0] == 0 && s.join_err[1] == 0, "two threads joined one process: expected 0 and 0, got %s and %s", kit_errname(s.join_err[0]), kit_errname(s.join_err[1]));
        kit_scen_check(!s.late_alive, "process_is_alive after a join returned: expected false");
        kit_scen_check(s.late_code_err == 0 && s.late_code == 0, "process_exitcode after a join returned: expected 0 with code 0, got %s with code %d", kit_errname(s.late_code_err), s.late_code);
        close(s.handoff[0]);
        close(s.handoff[1]);
        process_free(s.p);
    }
}

/* ops form: ctx is heap memory that free_ctx releases. */
static int
ops_run(struct process *self, void *ctx)
{
    (void)self;
    return *(int *)ctx;
}

static const struct process_ops heap_ops = {
    .run = ops_run,
    .free_ctx = free,
};

/* lifecycle_target - a target process: start, join, exit code. */
static void
lifecycle_target(void)
{
    struct process_options opts = { .name = "memcheck" };
    struct process *p = NULL;
    int code = -1;

    kit_scen_check(process_new(&p, return_four, NULL, &opts) == 0, "process_new failed (-ENOSYS: not implemented yet, see TODO(02-A) in labs/02-process/process.c)");
    kit_scen_check(process_start(p) == 0, "process_start failed");
    kit_scen_check(process_join(p, LAB_FOREVER) == 0, "process_join failed");
    kit_scen_check(process_exitcode(p, &code) == 0 && code == 4, "exit code: expected 4, got %d", code);
    kit_scen_check(strcmp(process_status(p), "stopped") == 0, "status after join: expected stopped");
    process_free(p);
}

/* lifecycle_ops - an ops process whose ctx is freed by process_free. */
static void
lifecycle_ops(void)
{
    struct process *p = NULL;
    int *ctx = malloc(sizeof(*ctx));
    int code = -1;

    kit_scen_check(ctx != NULL, "malloc failed");
    *ctx = 6;
    kit_scen_check(process_new_ops(&p, &heap_ops, ctx, NULL) == 0, "process_new_ops failed");
    kit_scen_check(process_start(p) == 0, "process_start failed");
    kit_scen_check(process_join(p, LAB_FOREVER) == 0, "process_join failed");
    kit_scen_check(process_exitcode(p, &code) == 0 && code == 6, "ops exit code: expected 6, got %d", code);
    process_free(p);
}

/* lifecycle_ends - terminate, free of a live child, shutdown, a failed
 * spawn start. */
static void
lifecycle_ends(void)
{
    struct process_options daemonic = { .daemon = true };
    struct process_options spawn = { .start = PROCESS_START_SPAWN };
    struct process *a = NULL;
    struct process *b = NULL;
    struct process *c = NULL;
    struct process *d = NULL;

    kit_scen_check(process_new(&a, block_forever, NULL, NULL) == 0 && process_start(a) == 0, "start a failed");
    kit_scen_check(process_terminate(a) == 0 && process_join(a, LAB_FOREVER) == 0, "terminate + join failed");
    kit_scen_check(process_new(&b, block_forever, NULL, NULL) == 0 && process_start(b) == 0, "start b failed");
    process_free(b);            /* kills and reaps a live child */
    kit_scen_check(process_new(&c, block_forever, NULL, &daemonic) == 0 && process_start(c) == 0, "start c failed");
    kit_scen_check(process_shutdown(LAB_FOREVER) == 0, "process_shutdown failed");
    kit_scen_check(process_new(&d, return_four, NULL, &spawn) == 0, "process_new (spawn) failed");
    kit_scen_check(process_start(d) == -ENOENT, "spawn of an unregistered target: expected -ENOENT");
    process_free(a);
    process_free(c);
    process_free(d);
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s join_poll|lifecycle\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "join_poll") == 0) {
        case_join_poll();
    } else if (strcmp(argv[1], "lifecycle") == 0) {
        lifecycle_target();
        lifecycle_ops();
        lifecycle_ends();
    } else {
        return 2;
    }
    return 0;
}
