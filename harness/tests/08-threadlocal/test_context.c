/*
 * test_context.c - functional tests of context.h: the notes' per-thread
 * student through a thread-local object (part B) and through a global
 * map keyed by thread (part C), lab 08.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "context.h"

TestSuite(context, .timeout = 20);

/* Threads in the "many threads" tests, and work() calls each makes. */
#define NWORKERS 4
#define WORKS 3

/* ---- helpers -------------------------------------------------------- */

static void
setup(void)
{
    int err = context_setup();

    kit_require_impl(err, "context_setup", "08-B");
    cr_assert(eq(int, err, 0), "context_setup(): expected 0, got %s. See docs/08-threadlocal.md#student", kit_errname(err));
}

static pthread_t
start(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int err = pthread_create(&t, NULL, fn, arg);

    cr_assert(eq(int, err, 0), "test setup: pthread_create failed: %s", strerror(err));
    return t;
}

/* What a worker thread saw, checked by the test after the join. */
struct seen {
    char name[CONTEXT_NAME_MAX];        /* the name it entered */
    struct kit_hold *h;                     /* NULL: do not wait */
    bool map;                           /* use ctxmap_* instead */
    bool leave;                         /* leave before returning */
    int enter_err;
    int work_err;
    int steps;
    char got[CONTEXT_NAME_MAX];         /* the name it read back */
};

/* worker - enter, wait on the hold if any, work WORKS times, read back. */
static void *
worker(void *arg)
{
    struct seen *s = arg;
    const char *name;

    s->enter_err = s->map ? ctxmap_enter(s->name) : context_enter(s->name);
    if (s->h != NULL)
        kit_hold_arrive(s->h);
    for (int i = 0; i < WORKS; i++)
        s->work_err = s->map ? ctxmap_work() : context_work();
    s->steps = s->map ? ctxmap_steps() : context_steps();
    if (s->map) {
        (void)ctxmap_name(s->got, sizeof(s->got));
    } else if ((name = context_name()) != NULL) {
        snprintf(s->got, sizeof(s->got), "%s", name);
    }
    if (s->leave)
        (void)(s->map ? ctxmap_leave() : context_leave());
    return NULL;
}

/* run_workers - NWORKERS workers named Student-i, released together. */
static void
run_workers(struct seen *s, bool map, bool leave)
{
    struct kit_hold h;
    pthread_t t[NWORKERS];
    int i;

    kit_hold_init(&h);
    for (i = 0; i < NWORKERS; i++) {
        s[i] = (struct seen){ .h = &h, .map = map, .leave = leave };
        snprintf(s[i].name, sizeof(s[i].name), "Student-%d", i);
        t[i] = start(worker, &s[i]);
    }
    kit_hold_wait_ready(&h, NWORKERS);
    kit_hold_release(&h);
    for (i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    kit_hold_destroy(&h);
}

/* check_workers - each worker saw its own name and exactly its steps. */
static void
check_workers(const struct seen *s, const char *todo, const char *anchor)
{
    for (int i = 0; i < NWORKERS; i++) {
        kit_require_impl(s[i].enter_err, "enter", todo);
        cr_expect(eq(int, s[i].enter_err, 0), "worker %d: enter(\"%s\"): expected 0, got %s. See docs/08-threadlocal.md#%s", i, s[i].name, kit_errname(s[i].enter_err), anchor);
        cr_expect(eq(int, s[i].work_err, 0), "worker %d: work(): expected 0, got %s. See docs/08-threadlocal.md#%s", i, kit_errname(s[i].work_err), anchor);
        cr_expect(eq(int, s[i].steps, WORKS * CONTEXT_STEPS_PER_WORK), "worker %d: steps after %d work() calls: expected %d (only its own chain counts for its student), got %d. See docs/08-threadlocal.md#%s", i, WORKS, WORKS * CONTEXT_STEPS_PER_WORK, s[i].steps, anchor);
        cr_expect(eq(str, (char *)s[i].got, (char *)s[i].name), "worker %d: the current student's name: expected \"%s\", got \"%s\". See docs/08-threadlocal.md#%s", i, s[i].name, s[i].got, anchor);
    }
}

/* ---- part B: the thread-local version ------------------------------- */

/* Catches: the stub. */
KIT_TEST(context, setup_twice_fails_with_ebusy)
{
    int err;

    setup();
    err = context_setup();
    cr_expect(eq(int, err, -EBUSY), "context_setup() a second time: expected -EBUSY (one module-level object), got %s. See docs/08-threadlocal.md#student", kit_errname(err));
    context_teardown();
}

/* Catches: the stub.  Mirrors the notes' example: each thread's
 * process_student() finds its own student. */
KIT_TEST(context, each_threads_call_chain_reaches_its_own_student)
{
    struct seen s[NWORKERS];

    setup();
    run_workers(s, false, true);
    check_workers(s, "08-B", "student");
    context_teardown();
}

/* Catches: the stub.  Mirrors TLS-01 for the student. */
KIT_TEST(context, a_new_thread_has_no_student_until_it_enters)
{
    struct seen s = { .name = "Bob" };
    const char *name;
    int err;

    setup();
    err = context_enter("Alice");
    kit_require_impl(err, "context_enter", "08-B");
    cr_assert(eq(int, err, 0), "context_enter(\"Alice\"): expected 0, got %s. See docs/08-threadlocal.md#student", kit_errname(err));
    pthread_join(start(worker, &s), NULL);
    cr_expect(eq(str, s.got, "Bob"), "the worker's student after it entered Bob: got \"%s\". See docs/08-threadlocal.md#student", s.got);
    name = context_name();
    cr_expect(name != NULL && strcmp(name, "Alice") == 0, "main's student after the worker entered Bob: expected \"Alice\", got \"%s\". See docs/08-threadlocal.md#student", name != NULL ? name : "(none)");
    cr_expect(eq(int, context_steps(), 0), "main's steps after only the worker worked: expected 0, got %d. See docs/08-threadlocal.md#student", context_steps());
    context_teardown();
}

static void *
work_without_student(void *arg)
{
    int *err = arg;

    *err = context_work();
    return NULL;
}

/* Catches: the stub. */
KIT_TEST(context, work_without_a_student_fails_with_enoent)
{
    int err = 0;

    setup();
    err = context_enter("Alice");
    kit_require_impl(err, "context_enter", "08-B");
    pthread_join(start(work_without_student, &err), NULL);
    cr_expect(eq(int, err, -ENOENT), "context_work() in a thread that never entered (main did): expected -ENOENT (Python: AttributeError), got %s. See docs/08-threadlocal.md#student", kit_errname(err));
    context_teardown();
}

/* Catches: context_no_dtor.patch (the student is bound with no dtor, so
 * it outlives its thread). */
KIT_TEST(context, student_dies_with_its_thread)
{
    struct seen s[NWORKERS];
    int before = context_live();

    setup();
    run_workers(s, false, false);
    check_workers(s, "08-B", "student");
    cr_expect(eq(int, context_live() - before, 0), "students alive after %d workers exited without leaving: expected 0 (a thread's student is freed at its exit), got %d. See docs/08-threadlocal.md#destructors", NWORKERS, context_live() - before);
    context_teardown();
}

/* Catches: the stub. */
KIT_TEST(context, leave_frees_the_student)
{
    int before = context_live();
    int err;

    setup();
    err = context_enter("Alice");
    kit_require_impl(err, "context_enter", "08-B");
    cr_expect(eq(int, context_live() - before, 1), "students alive after one enter: expected 1, got %d. See docs/08-threadlocal.md#student", context_live() - before);
    cr_expect(eq(int, context_enter("Alicia"), 0), "context_enter a second time failed. See docs/08-threadlocal.md#student");
    cr_expect(eq(int, context_live() - before, 1), "students alive after entering again: expected 1 (the old one is freed), got %d. See docs/08-threadlocal.md#student", context_live() - before);
    err = context_leave();
    cr_expect(eq(int, err, 0), "context_leave(): expected 0, got %s. See docs/08-threadlocal.md#student", kit_errname(err));
    cr_expect(eq(int, context_live() - before, 0), "students alive after leave: expected 0, got %d. See docs/08-threadlocal.md#student", context_live() - before);
    err = context_leave();
    cr_expect(eq(int, err, -ENOENT), "context_leave() twice: expected -ENOENT, got %s. See docs/08-threadlocal.md#student", kit_errname(err));
    context_teardown();
}

/* Catches: the stub.  teardown is local_free. */
KIT_TEST(context, teardown_frees_students_other_threads_still_hold)
{
    struct kit_hold h;
    struct seen s = { .name = "Carol" };
    pthread_t t;
    int before = context_live();

    setup();
    kit_hold_init(&h);
    s.h = &h;
    t = start(worker, &s);
    kit_hold_wait_ready(&h, 1);
    kit_require_impl(s.enter_err, "context_enter", "08-B");
    context_teardown();
    cr_expect(eq(int, context_live() - before, 0), "students alive after context_teardown while a worker still held one: expected 0, got %d. See docs/08-threadlocal.md#free-while-held", context_live() - before);
    s.map = true;   /* the school is gone: the worker's rest uses the map */
    kit_hold_release(&h);
    pthread_join(t, NULL);
    ctxmap_clear();
    kit_hold_destroy(&h);
}

/* Catches: the stub. */
KIT_TEST(context, enter_rejects_empty_and_too_long_names)
{
    char name[CONTEXT_NAME_MAX + 1];
    int err;

    setup();
    memset(name, 'a', CONTEXT_NAME_MAX);
    name[CONTEXT_NAME_MAX] = '\0';
    err = context_enter("");
    kit_require_impl(err, "context_enter", "08-B");
    cr_expect(eq(int, err, -EINVAL), "context_enter(\"\"): expected -EINVAL, got %s. See docs/08-threadlocal.md#student", kit_errname(err));
    err = context_enter(name);
    cr_expect(eq(int, err, -ENAMETOOLONG), "context_enter with a %d-character name: expected -ENAMETOOLONG, got %s. See docs/08-threadlocal.md#student", CONTEXT_NAME_MAX, kit_errname(err));
    cr_expect(eq(int, context_live(), 0), "students alive after two failed enters: expected 0, got %d. See docs/08-threadlocal.md#student", context_live());
    context_teardown();
}

/* ---- part C: the global map ------------------------------------------- */

/* Catches: the stub.  The same chain, over the map. */
KIT_TEST(context, map_gives_each_thread_its_own_entry)
{
    struct seen s[NWORKERS];

    run_workers(s, true, true);
    check_workers(s, "08-C", "map");
    cr_expect(eq(int, ctxmap_size(), 0), "ctxmap_size() after every worker left: expected 0, got %d. See docs/08-threadlocal.md#map", ctxmap_size());
    ctxmap_clear();
}

/* Catches: the stub.  The cleanup problem: nothing removes the entry of
 * a thread that exited without leaving. */
KIT_TEST(context, map_keeps_the_entry_of_a_thread_that_exited)
{
    struct seen s[NWORKERS];
    int before = context_live();

    run_workers(s, true, false);
    check_workers(s, "08-C", "map");
    cr_expect(eq(int, ctxmap_size(), NWORKERS), "ctxmap_size() after %d workers exited without ctxmap_leave: expected %d (a map never learns that a thread died), got %d. See docs/08-threadlocal.md#cleanup-problem", NWORKERS, NWORKERS, ctxmap_size());
    ctxmap_clear();
    cr_expect(eq(int, ctxmap_size(), 0), "ctxmap_size() after ctxmap_clear: expected 0, got %d. See docs/08-threadlocal.md#cleanup-problem", ctxmap_size());
    cr_expect(eq(int, context_live() - before, 0), "students alive after ctxmap_clear: expected 0, got %d. See docs/08-threadlocal.md#cleanup-problem", context_live() - before);
}

/* Catches: the stub. */
KIT_TEST(context, map_leave_removes_only_the_callers_entry)
{
    struct seen s = { .name = "Bob", .map = true, .leave = true };
    char buf[CONTEXT_NAME_MAX];
    int err = ctxmap_enter("Alice");

    kit_require_impl(err, "ctxmap_enter", "08-C");
    cr_assert(eq(int, err, 0), "ctxmap_enter(\"Alice\"): expected 0, got %s. See docs/08-threadlocal.md#map", kit_errname(err));
    pthread_join(start(worker, &s), NULL);
    cr_expect(eq(int, ctxmap_size(), 1), "ctxmap_size() after a worker entered and left: expected 1 (main's entry), got %d. See docs/08-threadlocal.md#map", ctxmap_size());
    err = ctxmap_name(buf, sizeof(buf));
    cr_expect(eq(int, err, 0), "main's ctxmap_name after the worker left: expected 0, got %s. See docs/08-threadlocal.md#map", kit_errname(err));
    cr_expect(eq(str, buf, "Alice"), "main's entry after the worker left: expected \"Alice\", got \"%s\". See docs/08-threadlocal.md#map", err == 0 ? buf : "");
    cr_expect(eq(int, ctxmap_leave(), 0), "main's ctxmap_leave failed. See docs/08-threadlocal.md#map");
    err = ctxmap_work();
    cr_expect(eq(int, err, -ENOENT), "ctxmap_work() after leaving: expected -ENOENT, got %s. See docs/08-threadlocal.md#map", kit_errname(err));
    ctxmap_clear();
}

/* Catches: the stub. */
KIT_TEST(context, map_name_refuses_a_buffer_too_small)
{
    char buf[4];
    int err = ctxmap_enter("Alice");

    kit_require_impl(err, "ctxmap_enter", "08-C");
    err = ctxmap_name(buf, sizeof(buf));
    cr_expect(eq(int, err, -ENOSPC), "ctxmap_name(buf, 4) for \"Alice\": expected -ENOSPC, got %s. See docs/08-threadlocal.md#map", kit_errname(err));
    ctxmap_clear();
}
