/*
 * demo_mythread.c - the notes' "class MyThread(threading.Thread)" with its
 * own run(): C spells the subclass as a table of methods plus a context.
 */
#include <stdio.h>
#include <time.h>

#include "thread.h"

/* The "subclass": its fields live in a context struct. */
struct my_thread {
    int rounds;
};

/* run - print "I'm <name> @ i" a few times (the notes' MyThread.run). */
static void
my_run(struct thread *self, void *ctx)
{
    const struct my_thread *me = ctx;
    struct timespec pause = { 0, 50 * 1000 * 1000 };

    for (int i = 0; i < me->rounds; i++) {
        printf("I'm %s @ %d\n", thread_name(self), i);
        nanosleep(&pause, NULL);
    }
}

static const struct thread_ops my_ops = { .run = my_run, .free_ctx = NULL };

int
main(void)
{
    struct my_thread ctx = { .rounds = 3 };
    struct thread *a = NULL;
    struct thread *b = NULL;
    int err = thread_new_ops(&a, &my_ops, &ctx, NULL);

    if (err == 0)
        err = thread_new_ops(&b, &my_ops, &ctx, NULL);
    if (err == 0 && (err = thread_start(a)) == 0)
        err = thread_start(b);
    thread_join(a, LAB_FOREVER);
    thread_join(b, LAB_FOREVER);
    printf("main: %s and %s joined; main is %s\n", thread_name(a),
           thread_name(b), thread_name(thread_current()));
    thread_free(a);
    thread_free(b);
    return err == 0 ? 0 : 1;
}
