/*
 * demo_global_dict.c - the notes' other idea: a global dict keyed by the
 * current thread.  It works while threads call ctxmap_leave(), but
 * nothing removes the entry of a thread that just returns, and a new
 * thread may even be given the dead thread's id, and with it the dead
 * thread's student.
 *
 * Python:
 *     global_dict = {}
 *     def std_thread(name):
 *         global_dict[threading.current_thread()] = Student(name)
 *         do_task_1(); do_task_2()        # each looks itself up
 */
#include <pthread.h>
#include <stdio.h>

#include "context.h"

/* enter_and_forget - enter a student, work, and return without
 * ctxmap_leave(): the entry stays behind. */
static void *
enter_and_forget(void *arg)
{
    if (ctxmap_enter(arg) == 0)
        ctxmap_work();
    return NULL;
}

/* look_without_entering - a new thread that never entered asks for "its"
 * student. */
static void *
look_without_entering(void *arg)
{
    char name[CONTEXT_NAME_MAX];

    (void)arg;
    if (ctxmap_name(name, sizeof(name)) == 0)
        printf("new thread: found a student it never entered: %s (steps %d): the dead thread's id was reused\n",
               name, ctxmap_steps());
    else
        printf("new thread: no entry for me (this time the id was not reused)\n");
    return NULL;
}

static void
run(void *(*fn)(void *), void *arg)
{
    pthread_t t;

    if (pthread_create(&t, NULL, fn, arg) == 0)
        pthread_join(t, NULL);
}

int
main(void)
{
    run(enter_and_forget, "Alice");
    printf("after Alice's thread ended: %d entry left behind\n",
           ctxmap_size());
    run(enter_and_forget, "Bob");
    printf("after Bob's thread ended: %d entries, %d students alive%s\n",
           ctxmap_size(), context_live(), ctxmap_size() == 1 ?
           " (Bob's thread got the dead thread's id: it replaced Alice)" : "");
    run(look_without_entering, NULL);
    ctxmap_clear();
    printf("after ctxmap_clear: %d entries, %d students alive\n",
           ctxmap_size(), context_live());
    return 0;
}
