/*
 * context.c - the notes' per-thread student, two ways: a thread-local
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
    if (school != NULL)
        return -EBUSY;
    return local_new(&school);
}

void
context_teardown(void)
{
    local_free(school);         /* frees every thread's student */
    school = NULL;
}

int
context_enter(const char *name)
{
    struct student *s;
    int err;

    if (school == NULL)
        return -EINVAL;
    err = student_new(name, &s);
    if (err)
        return err;
    /* DOC: 08-threadlocal#student */
    err = local_set(school, STUDENT_ATTR, s, student_free);
    if (err)
        student_free(s);
    return err;
}

/* current_student - the calling thread's student, or NULL.  What every
 * function of the chain calls instead of taking a parameter. */
static struct student *
current_student(void)
{
    void *v;

    if (school == NULL || local_get(school, STUDENT_ATTR, &v) != 0)
        return NULL;
    return v;
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
    if (school == NULL)
        return -EINVAL;
    return local_del(school, STUDENT_ATTR);
}

/* ---- part C: the global map keyed by thread ------------------------- */

/* map_find_locked - the link pointing at the calling thread's entry, or
 * NULL.  map_mu held. */
static struct student **
map_find_locked(void)
{
    struct student **sp;

    for (sp = &map_head; *sp != NULL; sp = &(*sp)->next) {
        if (pthread_equal((*sp)->owner, pthread_self()))
            return sp;
    }
    return NULL;
}

int
ctxmap_enter(const char *name)
{
    struct student *s;
    struct student **old;
    struct student *gone = NULL;
    int err;

    err = student_new(name, &s);
    if (err)
        return err;
    LAB_CHECK(pthread_mutex_lock(&map_mu));     /* DOC: 08-threadlocal#map */
    old = map_find_locked();
    if (old != NULL) {
        gone = *old;
        *old = gone->next;
    }
    s->next = map_head;
    map_head = s;
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    if (gone != NULL)
        student_free(gone);
    return 0;
}

/* map_step - one function of the chain: look the caller's entry up and
 * count a step, under the map's lock.  Returns 0 or -ENOENT. */
static int
map_step(void)
{
    struct student **sp;

    LAB_CHECK(pthread_mutex_lock(&map_mu));
    sp = map_find_locked();
    if (sp != NULL)
        (*sp)->steps++;
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    return sp != NULL ? 0 : -ENOENT;
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
    struct student **sp;
    struct student *gone = NULL;

    LAB_CHECK(pthread_mutex_lock(&map_mu));
    sp = map_find_locked();
    if (sp != NULL) {
        gone = *sp;
        *sp = gone->next;
    }
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    if (gone == NULL)
        return -ENOENT;
    student_free(gone);
    return 0;
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
    struct student *all;

    LAB_CHECK(pthread_mutex_lock(&map_mu));
    all = map_head;
    map_head = NULL;
    LAB_CHECK(pthread_mutex_unlock(&map_mu));
    while (all != NULL) {
        struct student *next = all->next;

        student_free(all);
        all = next;
    }
}
