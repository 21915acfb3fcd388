/*
 * demo_student.c - the notes' ThreadLocal example: two threads bind their
 * own student to one global thread-local object, and a function deep in
 * the call chain finds "its" student without being given it.
 *
 * Python:
 *     local_school = threading.local()
 *     def process_student():
 *         std = local_school.student
 *         print('Hello, %s (in %s)' % (std, threading.current_thread().name))
 *     def process_thread(name):
 *         local_school.student = name
 *         process_student()
 */
#define _GNU_SOURCE     /* pthread_setname_np, pthread_getname_np */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "context.h"

struct job {
    const char *student;
    const char *thread_name;
    int err;
};

/* process_student - takes no argument: the student comes from the
 * thread-local object. */
static void
process_student(void)
{
    char me[16] = "?";

    pthread_getname_np(pthread_self(), me, sizeof(me));
    context_work();
    printf("Hello, %s (in %s), %d steps done\n", context_name(), me,
           context_steps());
}

static void *
process_thread(void *arg)
{
    struct job *j = arg;

    pthread_setname_np(pthread_self(), j->thread_name);
    j->err = context_enter(j->student);
    if (j->err == 0)
        process_student();
    return NULL;
}

int
main(void)
{
    struct job jobs[2] = {
        { .student = "Alice", .thread_name = "Thread-A" },
        { .student = "Bob", .thread_name = "Thread-B" },
    };
    pthread_t t[2];
    int i;

    if (context_setup() != 0) {
        fprintf(stderr, "context_setup failed (is part B done?)\n");
        return 1;
    }
    for (i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, process_thread, &jobs[i]) != 0)
            return 1;
    for (i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("main: students still alive after both threads ended: %d\n",
           context_live());
    context_teardown();
    return jobs[0].err != 0 || jobs[1].err != 0;
}
