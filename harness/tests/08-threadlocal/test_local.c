/*
 * test_local.c - functional tests of local.h: per-thread attributes,
 * their destructors at thread exit, and local_free while other threads
 * still hold values (lab 08, part A).
 *
 * Workers that must stay alive block on a "hold" (mutex + condition
 * variable) that the test releases; order comes from it and from
 * pthread_join, never from sleeping.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "kit.h"
#include "local.h"

TestSuite(local, .timeout = 20);

/* Threads in the "many threads" tests. */
#define NWORKERS 4

/* Objects made and freed in a row by the key test: more than
 * PTHREAD_KEYS_MAX (1024), so a key never deleted runs out. */
#define MANY_OBJECTS 1500

/* ---- helpers -------------------------------------------------------- */

/* A value whose destructor records how often and on which thread it
 * ran.  rec_mu guards freed and freed_by of every record. */
struct rec {
    pthread_t owner;
    int freed;
    pthread_t freed_by;
};

static pthread_mutex_t rec_mu = PTHREAD_MUTEX_INITIALIZER;

static void
rec_dtor(void *v)
{
    struct rec *r = v;

    pthread_mutex_lock(&rec_mu);
    r->freed++;
    r->freed_by = pthread_self();
    pthread_mutex_unlock(&rec_mu);
}

static int
rec_freed(struct rec *r)
{
    int n;

    pthread_mutex_lock(&rec_mu);
    n = r->freed;
    pthread_mutex_unlock(&rec_mu);
    return n;
}

/* rec_freed_by_owner - did the dtor run on the thread that set it? */
static bool
rec_freed_by_owner(struct rec *r)
{
    bool same;

    pthread_mutex_lock(&rec_mu);
    same = r->freed > 0 && pthread_equal(r->freed_by, r->owner);
    pthread_mutex_unlock(&rec_mu);
    return same;
}

static struct local *
new_local(void)
{
    struct local *l = NULL;
    int err = local_new(&l);

    kit_require_impl(err, "local_new", "08-A");
    cr_assert(eq(int, err, 0), "local_new(&l): expected 0, got %s. See docs/08-threadlocal.md#keys", kit_errname(err));
    return l;
}

static pthread_t
start(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int err = pthread_create(&t, NULL, fn, arg);

    cr_assert(eq(int, err, 0), "test setup: pthread_create failed: %s", strerror(err));
    return t;
}

/* ---- attributes in one thread ---------------------------------------- */

/* Catches: the stub.  Mirrors TLS-06 (len of __dict__). */
KIT_TEST(local, get_returns_what_this_thread_set)
{
    struct local *l = new_local();
    int a = 1;
    int b = 2;
    void *v = NULL;
    int err = local_set(l, "a", &a, NULL);

    kit_require_impl(err, "local_set", "08-A");
    cr_assert(eq(int, err, 0), "local_set(l, \"a\", &a, NULL): expected 0, got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    cr_assert(eq(int, local_set(l, "b", &b, NULL), 0), "local_set(l, \"b\", &b, NULL) failed. See docs/08-threadlocal.md#get");
    err = local_get(l, "a", &v);
    cr_assert(eq(int, err, 0), "local_get(l, \"a\") after setting it: expected 0, got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    cr_expect(eq(ptr, v, &a), "local_get(l, \"a\"): expected the pointer set (%p), got %p. See docs/08-threadlocal.md#get", (void *)&a, v);
    cr_expect(eq(int, local_count(l), 2), "local_count(l) after setting a and b: expected 2 (Python: len(loc.__dict__)), got %d. See docs/08-threadlocal.md#get", local_count(l));
    local_free(l);
}

/* Catches: the stub.  Mirrors TLS-01 (hasattr is False) and TLS-04. */
KIT_TEST(local, get_of_a_name_never_set_fails_with_enoent)
{
    struct local *l = new_local();
    void *v = NULL;
    int err = local_get(l, "missing", &v);

    kit_require_impl(err, "local_get", "08-A");
    cr_expect(eq(int, err, -ENOENT), "local_get(l, \"missing\") on a fresh object: expected -ENOENT (Python: AttributeError), got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    err = local_set(l, "", &v, NULL);
    cr_expect(eq(int, err, -EINVAL), "local_set(l, \"\", ...): expected -EINVAL (an attribute needs a name), got %s. See docs/08-threadlocal.md#names", kit_errname(err));
    err = local_set(l, "x", NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "local_set(l, \"x\", NULL, NULL): expected -EINVAL (no None in C: an attribute holds a pointer or is absent), got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    local_free(l);
}

/* Catches: the stub. */
KIT_TEST(local, set_rejects_a_name_longer_than_local_name_max)
{
    struct local *l = new_local();
    char name[LOCAL_NAME_MAX + 1];
    int x = 0;
    int err;

    memset(name, 'n', LOCAL_NAME_MAX);
    name[LOCAL_NAME_MAX] = '\0';
    err = local_set(l, name, &x, NULL);
    kit_require_impl(err, "local_set", "08-A");
    cr_expect(eq(int, err, -ENAMETOOLONG), "local_set with a %d-character name: expected -ENAMETOOLONG (LOCAL_NAME_MAX counts the NUL), got %s. See docs/08-threadlocal.md#names", LOCAL_NAME_MAX, kit_errname(err));
    cr_expect(eq(int, local_count(l), 0), "local_count after a failed set: expected 0 (a failed call changes nothing), got %d. See docs/08-threadlocal.md#names", local_count(l));
    local_free(l);
}

/* Catches: name_not_copied.patch (the object keeps the caller's
 * pointer, so changing the caller's buffer renames the attribute). */
KIT_TEST(local, names_are_copied_when_set)
{
    struct local *l = new_local();
    char name[16] = "student";
    int x = 7;
    void *v = NULL;
    int err = local_set(l, name, &x, NULL);

    kit_require_impl(err, "local_set", "08-A");
    cr_assert(eq(int, err, 0), "local_set(l, name, &x, NULL): expected 0, got %s. See docs/08-threadlocal.md#names", kit_errname(err));
    strcpy(name, "teacher");
    err = local_get(l, "student", &v);
    cr_expect(eq(int, err, 0), "local_get(l, \"student\") after the caller reused its name buffer: expected 0 (the name must be copied), got %s. See docs/08-threadlocal.md#names", kit_errname(err));
    err = local_get(l, "teacher", &v);
    cr_expect(eq(int, err, -ENOENT), "local_get(l, \"teacher\"): expected -ENOENT (nobody set it; the attribute followed the caller's buffer), got %s. See docs/08-threadlocal.md#names", kit_errname(err));
    local_free(l);
}

/* Catches: del_skips_dtor.patch.  Mirrors TLS-02 in one thread. */
KIT_TEST(local, del_runs_the_values_dtor_once_and_forgets_the_name)
{
    struct local *l = new_local();
    struct rec r = { .owner = pthread_self() };
    void *v = NULL;
    int err = local_set(l, "y", &r, rec_dtor);

    kit_require_impl(err, "local_set", "08-A");
    cr_assert(eq(int, err, 0), "local_set(l, \"y\", &r, dtor): expected 0, got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    err = local_del(l, "y");
    cr_assert(eq(int, err, 0), "local_del(l, \"y\"): expected 0, got %s. See docs/08-threadlocal.md#destructors", kit_errname(err));
    cr_expect(eq(int, rec_freed(&r), 1), "dtor calls after local_del: expected 1 (del releases the value), got %d. See docs/08-threadlocal.md#destructors", rec_freed(&r));
    err = local_get(l, "y", &v);
    cr_expect(eq(int, err, -ENOENT), "local_get(l, \"y\") after del: expected -ENOENT, got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    err = local_del(l, "y");
    cr_expect(eq(int, err, -ENOENT), "local_del(l, \"y\") twice: expected -ENOENT (Python: AttributeError), got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    local_free(l);
    cr_expect(eq(int, rec_freed(&r), 1), "dtor calls after local_free: expected still 1, got %d (a deleted value was released again). See docs/08-threadlocal.md#destructors", rec_freed(&r));
}

/* Catches: set_leaks_old_value.patch. */
KIT_TEST(local, set_again_releases_the_old_value_but_not_the_same_one)
{
    struct local *l = new_local();
    struct rec old = { .owner = pthread_self() };
    struct rec cur = { .owner = pthread_self() };
    int err = local_set(l, "x", &old, rec_dtor);

    kit_require_impl(err, "local_set", "08-A");
    cr_assert(eq(int, err, 0), "local_set(l, \"x\", &old, dtor): expected 0, got %s. See docs/08-threadlocal.md#destructors", kit_errname(err));
    cr_assert(eq(int, local_set(l, "x", &cur, rec_dtor), 0), "local_set(l, \"x\", &cur, dtor) failed. See docs/08-threadlocal.md#destructors");
    cr_expect(eq(int, rec_freed(&old), 1), "dtor calls on the replaced value: expected 1 (Python drops the old object), got %d. See docs/08-threadlocal.md#destructors", rec_freed(&old));
    cr_assert(eq(int, local_set(l, "x", &cur, rec_dtor), 0), "local_set of the same value again failed. See docs/08-threadlocal.md#destructors");
    cr_expect(eq(int, rec_freed(&cur), 0), "dtor calls after setting the very same pointer again: expected 0 (it is still the value), got %d. See docs/08-threadlocal.md#destructors", rec_freed(&cur));
    cr_expect(eq(int, local_count(l), 1), "local_count after replacing: expected 1, got %d. See docs/08-threadlocal.md#get", local_count(l));
    local_free(l);
    cr_expect(eq(int, rec_freed(&cur), 1), "dtor calls on the value still set at local_free: expected 1, got %d. See docs/08-threadlocal.md#free-while-held", rec_freed(&cur));
}

/* ---- attributes across threads --------------------------------------- */

struct visit {
    struct local *l;
    int worker_value;
    int get_before;             /* local_get before the worker set x */
    int get_after;
    void *seen;
};

static void *
visitor(void *arg)
{
    struct visit *vi = arg;
    void *v = NULL;

    vi->get_before = local_get(vi->l, "x", &v);
    (void)local_set(vi->l, "x", &vi->worker_value, NULL);
    vi->get_after = local_get(vi->l, "x", &vi->seen);
    return NULL;
}

/* Catches: shared_slot.patch (a thread-local that is really one global
 * slot: the worker sees main's value).  Mirrors TLS-01. */
KIT_TEST(local, worker_does_not_see_main_values_and_main_keeps_its_own)
{
    struct visit vi = { .l = new_local(), .get_before = 1 };
    int main_value = 0;
    void *v = NULL;
    int err = local_set(vi.l, "x", &main_value, NULL);

    kit_require_impl(err, "local_set", "08-A");
    cr_assert(eq(int, err, 0), "local_set(l, \"x\", &main_value, NULL): expected 0, got %s. See docs/08-threadlocal.md#get", kit_errname(err));
    pthread_join(start(visitor, &vi), NULL);
    cr_expect(eq(int, vi.get_before, -ENOENT), "local_get(l, \"x\") in a new thread, after main set x: expected -ENOENT (Python: hasattr is False there), got %s. See docs/08-threadlocal.md#each-thread-its-own", kit_errname(vi.get_before));
    cr_expect(eq(ptr, vi.seen, &vi.worker_value), "the worker's local_get(l, \"x\") after its own set: expected its own value, got %p (main's is %p). See docs/08-threadlocal.md#each-thread-its-own", vi.seen, (void *)&main_value);
    err = local_get(vi.l, "x", &v);
    cr_expect(eq(int, err, 0), "main's local_get(l, \"x\") after the worker set x: expected 0, got %s. See docs/08-threadlocal.md#each-thread-its-own", kit_errname(err));
    cr_expect(eq(ptr, v, &main_value), "main's x after the worker set its own: expected main's value %p, got %p. See docs/08-threadlocal.md#each-thread-its-own", (void *)&main_value, v);
    local_free(vi.l);
}

/* A worker that sets `name` to its rec, then waits on the hold. */
struct holder {
    struct local *l;
    struct kit_hold *h;
    struct rec r;
    int set_err;
};

static void *
holder_main(void *arg)
{
    struct holder *w = arg;

    w->r.owner = pthread_self();
    w->set_err = local_set(w->l, "v", &w->r, rec_dtor);
    kit_hold_arrive(w->h);
    return NULL;
}

/* Catches: no_destructor.patch (the key has no destructor: a value dies
 * with nobody).  Mirrors TLS-07. */
KIT_TEST(local, value_dtor_runs_on_its_thread_when_the_thread_exits)
{
    struct kit_hold h;
    struct holder w = { .l = new_local(), .h = &h };

    kit_hold_init(&h);
    kit_hold_release(&h);
    pthread_join(start(holder_main, &w), NULL);
    kit_require_impl(w.set_err, "local_set", "08-A");
    cr_assert(eq(int, w.set_err, 0), "local_set in the worker: expected 0, got %s. See docs/08-threadlocal.md#destructors", kit_errname(w.set_err));
    cr_expect(eq(int, rec_freed(&w.r), 1), "dtor calls after the worker exited: expected 1 (the key's destructor releases a thread's values at its exit), got %d. See docs/08-threadlocal.md#destructors", rec_freed(&w.r));
    cr_expect(rec_freed_by_owner(&w.r), "the worker's value was released on another thread: the dtor must run in the exiting thread. See docs/08-threadlocal.md#destructors");
    local_free(w.l);
    cr_expect(eq(int, rec_freed(&w.r), 1), "dtor calls after local_free: expected still 1, got %d. See docs/08-threadlocal.md#destructors", rec_freed(&w.r));
    kit_hold_destroy(&h);
}

/* Catches: exit_frees_head_slot.patch (an exiting thread releases the
 * values of the slot at the head of the list, another thread's). */
KIT_TEST(local, an_exiting_thread_releases_only_its_own_values)
{
    struct kit_hold ha;
    struct kit_hold hb;
    struct local *l = new_local();
    struct holder a = { .l = l, .h = &ha };
    struct holder b = { .l = l, .h = &hb };
    pthread_t ta;
    pthread_t tb;

    kit_hold_init(&ha);
    kit_hold_init(&hb);
    ta = start(holder_main, &a);
    kit_hold_wait_ready(&ha, 1);    /* a's slot first, then b's */
    tb = start(holder_main, &b);
    kit_hold_wait_ready(&hb, 1);
    kit_require_impl(a.set_err, "local_set", "08-A");
    kit_hold_release(&ha);
    pthread_join(ta, NULL);
    cr_expect(eq(int, rec_freed(&a.r), 1), "dtor calls on A's value after A exited: expected 1, got %d. See docs/08-threadlocal.md#destructors", rec_freed(&a.r));
    cr_expect(eq(int, rec_freed(&b.r), 0), "dtor calls on B's value after A (not B) exited: expected 0 (B is alive and still holds it), got %d. See docs/08-threadlocal.md#destructors", rec_freed(&b.r));
    kit_hold_release(&hb);
    pthread_join(tb, NULL);
    cr_expect(rec_freed_by_owner(&b.r), "B's value was not released by B at its exit (freed %d times). See docs/08-threadlocal.md#destructors", rec_freed(&b.r));
    local_free(l);
    kit_hold_destroy(&ha);
    kit_hold_destroy(&hb);
}

/* Catches: free_forgets_others.patch (local_free releases only the
 * caller's values; the others die late, at their threads' exits). */
KIT_TEST(local, free_releases_values_other_threads_still_hold)
{
    struct kit_hold h;
    struct local *l = new_local();
    struct holder w[NWORKERS];
    pthread_t t[NWORKERS];
    int i;

    kit_hold_init(&h);
    for (i = 0; i < NWORKERS; i++) {
        w[i] = (struct holder){ .l = l, .h = &h };
        t[i] = start(holder_main, &w[i]);
    }
    kit_hold_wait_ready(&h, NWORKERS);
    kit_require_impl(w[0].set_err, "local_set", "08-A");
    local_free(l);
    for (i = 0; i < NWORKERS; i++)
        cr_expect(eq(int, rec_freed(&w[i].r), 1), "worker %d's value after local_free (the worker still alive): expected 1 dtor call (free releases every thread's values), got %d. See docs/08-threadlocal.md#free-while-held", i, rec_freed(&w[i].r));
    kit_hold_release(&h);
    for (i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < NWORKERS; i++)
        cr_expect(eq(int, rec_freed(&w[i].r), 1), "worker %d's value after it exited: expected still 1 dtor call, got %d (released twice?). See docs/08-threadlocal.md#free-while-held", i, rec_freed(&w[i].r));
    kit_hold_destroy(&h);
}

/* Catches: no_key_delete.patch (each object leaks its pthread key, and
 * the system has only PTHREAD_KEYS_MAX). */
KIT_TEST(local, new_and_free_many_times_never_runs_out_of_keys)
{
    int x = 0;
    int i;

    for (i = 0; i < MANY_OBJECTS; i++) {
        struct local *l = NULL;
        int err = local_new(&l);

        kit_require_impl(err, "local_new", "08-A");
        cr_assert(eq(int, err, 0), "local_new failed on object %d of %d with %s: local_free must delete the object's key (there are only PTHREAD_KEYS_MAX). See docs/08-threadlocal.md#key-delete", i + 1, MANY_OBJECTS, kit_errname(err));
        err = local_set(l, "x", &x, NULL);
        cr_assert(eq(int, err, 0), "local_set on object %d: expected 0, got %s. See docs/08-threadlocal.md#key-delete", i + 1, kit_errname(err));
        local_free(l);
    }
}
