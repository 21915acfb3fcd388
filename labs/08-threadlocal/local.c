/*
 * local.c (stub) - threading.local in C: one pthread key per object,
 * and behind the key, for each thread, a "slot" listing that thread's
 * attributes.
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
    /* TODO(08-A): delete the key, destroy the condvar and the mutex, free
     * l. Python: the last reference to a local going away. Read
     * docs/08-threadlocal.md#key-delete. */
    (void)l;
}

/*
 * slot_exit - the key's destructor: the pthread library calls it in a
 * thread that is exiting with a slot.  Releases that thread's values, in
 * that thread, then the slot, then l if this was its last reference.
 */
static void
slot_exit(void *arg)
{
    /* TODO(08-A): the key's destructor: under l->mu take the slot's
     * attributes and count a running release; release them without the
     * lock; then under the lock uncount, wake local_free, unlink the slot;
     * free the slot, and l if that was its last reference. Python: a
     * thread's __dict__ dropped at its exit. Read
     * docs/08-threadlocal.md#destructors. */
    (void)arg;
    (void)attrs_release;
    (void)slot_unlink_locked;
    (void)local_destroy;
}

/* slot_create - give the calling thread an empty slot in l.
 * Returns 0 and *out, or -ENOMEM (nothing changed). */
static int
slot_create(struct local *l, struct slot **out)
{
    /* TODO(08-A): allocate an empty slot for l, make it this thread's value
     * of the key, link it into l's list and count its reference. Python:
     * the first attribute set in a thread creates its __dict__. Read
     * docs/08-threadlocal.md#get. */
    (void)l;
    (void)out;
    return -ENOSYS;
}

int
local_new(struct local **out)
{
    /* TODO(08-A): allocate the object, create its key with slot_exit as
     * the destructor, init its mutex and condvar, one reference. Python:
     * threading.local(). Read docs/08-threadlocal.md#keys. */
    (void)slot_exit;
    (void)lab_check_failed;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
local_set(struct local *l, const char *name, void *value, local_dtor *dtor)
{
    /* TODO(08-A): check the arguments; replace the value of an attribute
     * this thread has (releasing the old one unless it is the same
     * pointer), or add a new attribute with a copy of the name, creating
     * this thread's slot on first use. Python: loc.name = value. Read
     * docs/08-threadlocal.md#get. */
    (void)l;
    (void)name;
    (void)value;
    (void)dtor;
    (void)name_check;
    (void)attr_find;
    (void)slot_create;
    return -ENOSYS;
}

int
local_get(struct local *l, const char *name, void **value)
{
    /* TODO(08-A): find this thread's slot through the key, then the
     * attribute; -ENOENT when either is missing. Python: loc.name. Read
     * docs/08-threadlocal.md#get. */
    (void)l;
    (void)name;
    (void)value;
    return -ENOSYS;
}

int
local_del(struct local *l, const char *name)
{
    /* TODO(08-A): unlink this thread's attribute and release it (its dtor
     * runs). Python: del loc.name. Read
     * docs/08-threadlocal.md#destructors. */
    (void)l;
    (void)name;
    return -ENOSYS;
}

int
local_count(struct local *l)
{
    /* TODO(08-A): count this thread's attributes. Python:
     * len(loc.__dict__). Read docs/08-threadlocal.md#get. */
    (void)l;
    return -ENOSYS;
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
    /* TODO(08-A): take every thread's attributes under the lock (and this
     * thread's slot), release them without the lock, wait until no
     * slot_exit is releasing, drop the caller's reference. Python: del
     * loc. Read docs/08-threadlocal.md#free-while-held. */
    (void)l;
    (void)steal_all_locked;
}
