/*
 * demo_subclass.c - the notes' "subclass Process and override run()":
 * in C the subclass is a table of methods (struct process_ops) and its
 * fields are a context struct that the object owns and frees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

/* The subclass's own fields (Python: self.interval). */
struct my_process {
    double interval;
};

/* run - Python: def run(self): sleep, then say who we are. */
static int
my_run(struct process *self, void *ctx)
{
    const struct my_process *me = ctx;
    struct timespec ts = { 0, (long)(me->interval * 1e9) };

    printf("  %s: child %d of parent %d, working %.1f s\n",
           process_name(self), (int)process_pid(self), (int)getppid(),
           me->interval);
    nanosleep(&ts, NULL);
    printf("  %s: done\n", process_name(self));
    return 0;
}

static const struct process_ops my_ops = {
    .run = my_run,
    .free_ctx = free,           /* the object owns its ctx */
};

/* run_one - MyProcess(name, interval).start(); .join() */
static int
run_one(const char *name, double interval)
{
    struct process_options opts = { .name = name };
    struct my_process *me = malloc(sizeof(*me));
    struct process *p = NULL;
    int code = -1;

    if (me == NULL)
        return -1;
    me->interval = interval;
    if (process_new_ops(&p, &my_ops, me, &opts) != 0) {
        free(me);               /* not taken on failure */
        return -1;
    }
    if (process_start(p) == 0 && process_join(p, LAB_FOREVER) == 0)
        process_exitcode(p, &code);
    process_free(p);            /* calls free(me) */
    return code;
}

int
main(void)
{
    int c1;
    int c2;

    printf("main process %d\n", (int)getpid());
    c1 = run_one("process1", 0.2);
    c2 = run_one("process2", 0.1);
    printf("all processes finished: exit codes %d %d\n", c1, c2);
    return c1 == 0 && c2 == 0 ? 0 : 1;
}
