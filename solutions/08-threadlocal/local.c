/*
 * local.c - threading.local in C: one pthread key per object, and behind
 * the key, for each thread, a "slot" listing that thread's attributes.
 *
 * DESIGN
 *
 * The key's value in a thread is that thread's slot.  Only the owning
 * thread reads or changes its slot's attributes while the object is in
 * use, so local_get() and local_set() of a known name take no lock.  The
 * object's mutex guards only the list of slots, which local_free() needs
 * to find the values other threads still hold.
 *
 * When a thread exits, the pthread library calls slot_exit(slot) for
 * every key that has a value in that thread: the thread's attributes are
 * released there, in the thread that owned them.
 *
 * The hard case is local_free() while other threads hold values.
 * pthread_key_delete() runs no destructor, so local_free() must release
 * those values itself.  But a thread may be exiting at that very moment:
 * the library may already have taken the slot pointer and be about to
 * call slot_exit(), and no lock of ours can stop that.  So a slot is
 * freed only by its own thread (in slot_exit or in local_free called by
 * that thread), never by another thread, and the object itself lives on
 * (refcounted: one reference for the caller, one per linked slot) until
 * the last slot is gone.  The key is deleted with the object, so until
 * then late destructor calls still arrive and find an empty slot.
 * local_free() empties every slot under the mutex and then waits until no
 * slot_exit() is still running destructors, so that when it returns no
 * value destructor of this object runs anywhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* One attribute of one thread. */
struct attr {
    struct attr *next;
    void *value;
    local_dtor *dtor;           /* NULL: the caller keeps the value */
    char name[LOCAL_NAME_MAX];
};

/* One thread's attributes in one object. */
struct slot {
    struct local *l;            /* set at creation, read-only */
    /* The owning thread's while it uses l; other threads touch it only
     * under l->mu, once the owner has stopped using l (local_free) or
     * from the owner's own exit (slot_exit): */
    struct attr *attrs;
    /* l->mu guards: */
    struct slot *prev;
    struct slot *next;
};

struct local {
    pthread_key_t key;          /* set by local_new(), read-only */

    /* mu guards the fields below. */
    pthread_mutex_t mu;
    pthread_cond_t idle;        /* broadcast when running drops to 0 */
    struct slot *slots;         /* every thread's slot, linked */
    int refs;                   /* 1 until local_free() + 1 per slot */
    int running;                /* slot_exit() calls running dtors */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* name_check - 0 for a usable attribute name, else -EINVAL or
 * -ENAMETOOLONG.  Cannot fail otherwise. */
static int
name_check(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return -EINVAL;
    if (strnlen(name, LOCAL_NAME_MAX) >= LOCAL_NAME_MAX)
        return -ENAMETOOLONG;
    return 0;
}

/* attr_find - the link that points at `name` in the list starting at
 * *head (so the caller can unlink it), or NULL. */
static struct attr **
attr_find(struct attr **head, const char *name)
{
    struct attr **ap;

    for (ap = head; *ap != NULL; ap = &(*ap)->next) {
        if (strcmp((*ap)->name, name) == 0)
            return ap;
    }
    return NULL;
}

/* attrs_release - run the dtor of every attribute in the list and free
 * the list.  Call without any lock held: a dtor is the caller's code. */
static void
attrs_release(struct attr *list)
{
    while (list != NULL) {
        struct attr *next = list->next;

        if (list->dtor != NULL)
            list->dtor(list->value);
        free(list);
        list = next;
    }
}

/* slot_unlink_locked - take s out of l's list and drop its reference.
 * l->mu held.  Returns true when that was the last reference. */
static bool
slot_unlink_locked(struct local *l, struct slot *s)
{
    if (s->prev != NULL)
        s->prev->next = s->next;
    else
        l->slots = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    return --l->refs == 0;
}

/* local_destroy - delete the key and free l.  Only when the last
 * reference is gone.  Cannot fail. */
static void
local_destroy(struct local *l)
{
    /* DOC: 08-threadlocal#key-delete */
    LAB_CHECK(pthread_key_delete(l->key));
    LAB_CHECK(pthread_cond_destroy(&l->idle));
    LAB_CHECK(pthread_mutex_destroy(&l->mu));
    free(l);
}

/*
 * slot_exit - the key's destructor: the pthread library calls it in a
 * thread that is exiting with a slot.  Releases that thread's values, in
 * that thread, then the slot, then l if this was its last reference.
 */
static void
slot_exit(void *arg)
{
    struct slot *s = arg;
    struct local *l = s->l;
    struct attr *mine;
    bool last;

    LAB_CHECK(pthread_mutex_lock(&l->mu));
    mine = s->attrs;            /* DOC: 08-threadlocal#destructors */
    s->attrs = NULL;
    l->running++;
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    attrs_release(mine);
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    l->running--;
    if (l->running == 0)
        LAB_CHECK(pthread_cond_broadcast(&l->idle));
    last = slot_unlink_locked(l, s);
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    free(s);
    if (last)
        local_destroy(l);
}

/* slot_create - give the calling thread an empty slot in l.
 * Returns 0 and *out, or -ENOMEM (nothing changed). */
static int
slot_create(struct local *l, struct slot **out)
{
    struct slot *s = calloc(1, sizeof(*s));
    int err;

    if (s == NULL)
        return -ENOMEM;
    s->l = l;
    err = -pthread_setspecific(l->key, s);
    if (err) {
        free(s);
        return err;
    }
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    s->next = l->slots;
    if (l->slots != NULL)
        l->slots->prev = s;
    l->slots = s;
    l->refs++;
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    *out = s;
    return 0;
}

int
local_new(struct local **out)
{
    struct local *l;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        return -ENOMEM;
    /* DOC: 08-threadlocal#keys */
    err = -pthread_key_create(&l->key, slot_exit);
    if (err)
        goto out_free;
    err = -pthread_mutex_init(&l->mu, NULL);
    if (err)
        goto out_delete_key;
    err = -pthread_cond_init(&l->idle, NULL);
    if (err)
        goto out_destroy_mutex;
    l->refs = 1;
    *out = l;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&l->mu));
out_delete_key:
    LAB_CHECK(pthread_key_delete(l->key));
out_free:
    free(l);
    return err;
}

int
local_set(struct local *l, const char *name, void *value, local_dtor *dtor)
{
    struct slot *s;
    struct attr **ap = NULL;
    struct attr *a;
    int err;

    if (l == NULL || value == NULL)
        return -EINVAL;
    err = name_check(name);
    if (err)
        return err;
    s = pthread_getspecific(l->key);        /* DOC: 08-threadlocal#get */
    if (s != NULL)
        ap = attr_find(&s->attrs, name);
    if (ap != NULL) {
        void *old = (*ap)->value;
        local_dtor *old_dtor = (*ap)->dtor;

        (*ap)->value = value;
        (*ap)->dtor = dtor;
        if (old != value && old_dtor != NULL)
            old_dtor(old);
        return 0;
    }
    a = calloc(1, sizeof(*a));
    if (a == NULL)
        return -ENOMEM;
    if (s == NULL && (err = slot_create(l, &s)) != 0) {
        free(a);
        return err;
    }
    strcpy(a->name, name);      /* DOC: 08-threadlocal#names */
    a->value = value;
    a->dtor = dtor;
    a->next = s->attrs;
    s->attrs = a;
    return 0;
}

int
local_get(struct local *l, const char *name, void **value)
{
    struct slot *s;
    struct attr **ap;

    if (l == NULL || name == NULL || value == NULL)
        return -EINVAL;
    s = pthread_getspecific(l->key);
    if (s == NULL)
        return -ENOENT;
    ap = attr_find(&s->attrs, name);
    if (ap == NULL)
        return -ENOENT;
    *value = (*ap)->value;
    return 0;
}

int
local_del(struct local *l, const char *name)
{
    struct slot *s;
    struct attr **ap;
    struct attr *a;

    if (l == NULL || name == NULL)
        return -EINVAL;
    s = pthread_getspecific(l->key);
    if (s == NULL)
        return -ENOENT;
    ap = attr_find(&s->attrs, name);
    if (ap == NULL)
        return -ENOENT;
    a = *ap;
    *ap = a->next;
    a->next = NULL;
    attrs_release(a);
    return 0;
}

int
local_count(struct local *l)
{
    struct slot *s;
    struct attr *a;
    int n = 0;

    if (l == NULL)
        return -EINVAL;
    s = pthread_getspecific(l->key);
    for (a = s != NULL ? s->attrs : NULL; a != NULL; a = a->next)
        n++;
    return n;
}

/* steal_all_locked - unlink every attribute of every slot of l into one
 * list, which the caller releases.  l->mu held. */
static struct attr *
steal_all_locked(struct local *l)
{
    struct attr *all = NULL;
    struct slot *s;

    for (s = l->slots; s != NULL; s = s->next) {
        while (s->attrs != NULL) {
            struct attr *a = s->attrs;

            s->attrs = a->next;
            a->next = all;
            all = a;
        }
    }
    return all;
}

void
local_free(struct local *l)
{
    struct slot *mine;
    struct attr *all;
    bool last;

    if (l == NULL)
        return;
    mine = pthread_getspecific(l->key);
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    all = steal_all_locked(l);  /* DOC: 08-threadlocal#free-while-held */
    if (mine != NULL)
        (void)slot_unlink_locked(l, mine);
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    if (mine != NULL) {
        LAB_CHECK(pthread_setspecific(l->key, NULL));
        free(mine);
    }
    attrs_release(all);
    LAB_CHECK(pthread_mutex_lock(&l->mu));
    while (l->running > 0)
        LAB_CHECK(pthread_cond_wait(&l->idle, &l->mu));
    last = --l->refs == 0;
    LAB_CHECK(pthread_mutex_unlock(&l->mu));
    if (last)
        local_destroy(l);
}
