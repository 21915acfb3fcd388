/*
 * context.c (stub) - the notes' per-thread student, two ways: a thread-local
 * object that every function of a call chain asks for "my student"
 * (part B), and a global map keyed by thread id behind one lock (part C).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "local.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* The attribute of the school object that holds a thread's student. */
#define STUDENT_ATTR "student"

struct student {
    char name[CONTEXT_NAME_MAX];
    int steps;                  /* part B: the owning thread's only */
    /* Part C: map_mu guards steps and next; owner is read-only. */
    pthread_t owner;
    struct student *next;
};

/* live_mu guards live: students made and not yet freed, both parts. */
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static int live;

/* Part B: written by context_setup() and context_teardown() only, while
 * no other thread uses context_* (pthread_create orders it before them). */
static struct local *school;

/* Part C: map_mu guards the map (a list) and every field of its
 * entries but owner. */
static pthread_mutex_t map_mu = PTHREAD_MUTEX_INITIALIZER;
static struct student *map_head;

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* student_new - a student called `name`, owned by the calling thread.
 * Returns 0 and *out, -EINVAL, -ENAMETOOLONG or -ENOMEM. */
static int
student_new(const char *name, struct student **out)
{
    struct student *s;

    if (name == NULL || name[0] == '\0')
        return -EINVAL;
    if (strnlen(name, CONTEXT_NAME_MAX) >= CONTEXT_NAME_MAX)
        return -ENAMETOOLONG;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    strcpy(s->name, name);
    s->owner = pthread_self();
    LAB_CHECK(pthread_mutex_lock(&live_mu));
    live++;
    LAB_CHECK(pthread_mutex_unlock(&live_mu));
    *out = s;
    return 0;
}

/* student_free - a local_dtor: free a student.  Cannot fail. */
static void
student_free(void *arg)
{
    struct student *s = arg;

    LAB_CHECK(pthread_mutex_lock(&live_mu));
    live--;
    LAB_CHECK(pthread_mutex_unlock(&live_mu));
    free(s);
}

int
context_live(void)
{
    int n;

    LAB_CHECK(pthread_mutex_lock(&live_mu));
    n = live;
    LAB_CHECK(pthread_mutex_unlock(&live_mu));
    return n;
}

/* ---- part B: the thread-local version ------------------------------- */

int
context_setup(void)
{
    /* TODO(08-B): refuse a second setup with -EBUSY, else make the school
     * object. Python: local_school = threading.local(). Read
     * docs/08-threadlocal.md#student. */
    return -ENOSYS;
}

void
context_teardown(void)
{
    /* TODO(08-B): free the school object (every thread's student goes with
     * it) and forget it. Python: del local_school. Read
     * docs/08-threadlocal.md#free-while-held. */
}

int
context_enter(const char *name)
{
    /* TODO(08-B): make a student and bind it to this thread under
     * STUDENT_ATTR, with student_free as its dtor; on failure free it.
     * Python: local_school.student = Student(name). Read
     * docs/08-threadlocal.md#student. */
    (void)name;
    (void)student_new;
    (void)student_free;
    return -ENOSYS;
}

/* current_student - the calling thread's student, or NULL.  What every
 * function of the chain calls instead of taking a parameter. */
static struct student *
current_student(void)
{
    /* TODO(08-B): this thread's student from the school object, or NULL.
     * Python: local_school.student. Read docs/08-threadlocal.md#student. */
    return NULL;
}

/* The notes' chain: no function below is given the student. */
static void
do_subtask_1(void)
{
    current_student()->steps++;
}

static void
do_subtask_2(void)
{
    current_student()->steps++;
}

static void
do_task_1(void)
{
    do_subtask_1();
    do_subtask_2();
}

static void
do_task_2(void)
{
    do_subtask_2();
    do_subtask_2();
}

int
context_work(void)
{
    if (school == NULL)
        return -EINVAL;
    if (current_student() == NULL)
        return -ENOENT;
    do_task_1();
    do_task_2();
    return 0;
}

const char *
context_name(void)
{
    struct student *s = current_student();

    return s != NULL ? s->name : NULL;
}

int
context_steps(void)
{
    struct student *s;

    if (school == NULL)
        return -EINVAL;
    s = current_student();
    return s != NULL ? s->steps : -ENOENT;
}

int
context_leave(void)
{
    /* TODO(08-B): unbind and free this thread's student. Python: del
     * local_school.student. Read docs/08-threadlocal.md#student. */
    return -ENOSYS;
}

/* ---- part C: the global map keyed by thread ------------------------- */

/* map_find_locked - the link pointing at the calling thread's entry, or
 * NULL.  map_mu held. */
static struct student **
map_find_locked(void)
{
    /* TODO(08-C): walk the map for the entry whose owner is this thread
     * (pthread_equal). Python: global_dict[threading.current_thread()].
     * Read docs/08-threadlocal.md#map. */
    return NULL;
}

int
ctxmap_enter(const char *name)
{
    /* TODO(08-C): make a student; under map_mu, unlink this thread's old
     * entry and push the new one; free the old one after unlocking.
     * Python: global_dict[current_thread()] = Student(name). Read
     * docs/08-threadlocal.md#map. */
    (void)name;
    return -ENOSYS;
}

/* map_step - one function of the chain: look the caller's entry up and
 * count a step, under the map's lock.  Returns 0 or -ENOENT. */
static int
map_step(void)
{
    /* TODO(08-C): under map_mu, find this thread's entry and count one
     * step. Python: std = global_dict[current_thread()]. Read
     * docs/08-threadlocal.md#map. */
    return -ENOSYS;
}

/* The same chain over the map: each function does its own lookup. */
static int
map_task_1(void)
{
    int err = map_step();

    return err ? err : map_step();
}

static int
map_task_2(void)
{
    int err = map_step();

    return err ? err : map_step();
}

int
ctxmap_work(void)
{
    int err = map_task_1();

    return err ? err : map_task_2();
}

int
ctxmap_steps(void)
{
    struct student **sp;
    int n;

    LAB_CHECK(pthread_mutex_lock(&map_mu));
    sp = map_find_locked();
    n = sp != NULL ? (*sp)->steps : -ENOENT;
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    return n;
}

int
ctxmap_name(char *buf, size_t len)
{
    struct student **sp;
    int err = 0;

    if (buf == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&map_mu));
    sp = map_find_locked();
    if (sp == NULL)
        err = -ENOENT;
    else if (strlen((*sp)->name) >= len)
        err = -ENOSPC;
    else
        strcpy(buf, (*sp)->name);
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    return err;
}

int
ctxmap_leave(void)
{
    /* TODO(08-C): unlink this thread's entry under map_mu, free it after
     * unlocking. Python: del global_dict[current_thread()]. Read
     * docs/08-threadlocal.md#map. */
    return -ENOSYS;
}

int
ctxmap_size(void)
{
    struct student *s;
    int n = 0;

    LAB_CHECK(pthread_mutex_lock(&map_mu));
    for (s = map_head; s != NULL; s = s->next)
        n++;
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    return n;
}

void
ctxmap_clear(void)
{
    /* TODO(08-C): take the whole map under map_mu, free every entry after
     * unlocking. Python: global_dict.clear(). Read
     * docs/08-threadlocal.md#cleanup-problem. */
}
