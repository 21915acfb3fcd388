/*
 * scenario_race.c - every contract of lab 08 used by two threads at
 * once, for the race tier (Helgrind, DRD, TSan) and the memory tier
 * (memcheck).
 *
 *   all     two threads, released together by a start gate, each: sets,
 *           reads and deletes attributes of two thread-local objects,
 *           enters a student and runs the chain both ways (thread-local
 *           and map), opens its connection and queries it, and sets one
 *           value it never reads back.  Then they wait while main frees
 *           the first object (values still held: local_free releases
 *           them), and exit (the second object's values, the students
 *           and the connections die with their threads).  One thread
 *           leaves the map on its way out; the other leaves its entry
 *           behind, for ctxmap_clear().  Between the start gate and the
 *           hold the threads take no lock in common after their first
 *           map call but the map's, so in the first round a map access
 *           made without map_mu is concurrent for every schedule.
 *   unread  four threads set heap values they never read back and exit;
 *           then four more set values and are still alive when the
 *           object is freed.  Nothing may leak either way.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "conn.h"
#include "context.h"
#include "local.h"

/* Threads in the unread case. */
#define NUNREAD 4

/* heap_int - a malloc'd int holding v, or the scenario fails. */
static int *
heap_int(int v)
{
    int *p = malloc(sizeof(*p));

    kit_scen_check(p != NULL, "malloc failed");
    *p = v;
    return p;
}

/* set_heap - bind name to a fresh heap int that free() releases. */
static void
set_heap(struct local *l, const char *name, int v)
{
    int *p = heap_int(v);
    int err = local_set(l, name, p, free);

    kit_scen_require_impl(err, "local_set", "08-A");
    if (err) {
        free(p);
        kit_scen_fail("local_set(l, \"%s\"): expected 0, got %s", name, kit_errname(err));
    }
}

/* ---- all ------------------------------------------------------------ */

struct shared {
    struct local *held;         /* freed while the threads hold values */
    struct local *kept;         /* freed after they exited */
    struct conn_db *db;
    struct kit_gate gate;
    struct kit_hold hold;
};

struct worker {
    struct shared *sh;
    int id;
};

static void
use_locals(struct shared *sh, int id)
{
    void *v = NULL;
    int err;

    set_heap(sh->held, "x", id);
    set_heap(sh->held, "y", id + 100);
    err = local_get(sh->held, "x", &v);
    kit_scen_check(err == 0 && *(int *)v == id, "thread %d: local_get(x): %s, value %d", id, kit_errname(err), err == 0 ? *(int *)v : -1);
    err = local_del(sh->held, "y");
    kit_scen_check(err == 0, "thread %d: local_del(y): %s", id, kit_errname(err));
    set_heap(sh->kept, "never_read", id);
}

static void
use_context(int id)
{
    char name[CONTEXT_NAME_MAX];
    char back[CONTEXT_NAME_MAX];
    int err;

    snprintf(name, sizeof(name), "Student-%d", id);
    err = context_enter(name);
    kit_scen_require_impl(err, "context_enter", "08-B");
    kit_scen_check(err == 0 && context_work() == 0 && context_work() == 0, "thread %d: context_enter/work failed: %s", id, kit_errname(err));
    kit_scen_check(context_steps() == 2 * CONTEXT_STEPS_PER_WORK, "thread %d: context_steps() = %d, expected %d", id, context_steps(), 2 * CONTEXT_STEPS_PER_WORK);
    err = ctxmap_enter(name);
    kit_scen_require_impl(err, "ctxmap_enter", "08-C");
    kit_scen_check(err == 0 && ctxmap_work() == 0, "thread %d: ctxmap_enter/work failed: %s", id, kit_errname(err));
    kit_scen_check(ctxmap_steps() == CONTEXT_STEPS_PER_WORK, "thread %d: ctxmap_steps() = %d, expected %d", id, ctxmap_steps(), CONTEXT_STEPS_PER_WORK);
    err = ctxmap_name(back, sizeof(back));
    kit_scen_check(err == 0 && strcmp(back, name) == 0, "thread %d: ctxmap_name: %s, \"%s\"", id, kit_errname(err), err == 0 ? back : "");
}

static void
use_conn(struct shared *sh, int id)
{
    struct conn *c = NULL;
    struct conn *again = NULL;
    char reply[64];
    int err = conn_get(sh->db, &c);

    kit_scen_require_impl(err, "conn_get", "08-D");
    kit_scen_check(err == 0 && conn_get(sh->db, &again) == 0 && again == c, "thread %d: conn_get: %s, or a second get gave another connection", id, kit_errname(err));
    err = conn_query(c, "ping", reply, sizeof(reply));
    kit_scen_check(err == 0, "thread %d: conn_query: %s", id, kit_errname(err));
}

static void *
all_worker(void *arg)
{
    struct worker *w = arg;

    kit_gate_wait(&w->sh->gate);
    use_locals(w->sh, w->id);
    use_context(w->id);
    use_conn(w->sh, w->id);
    kit_hold_arrive(&w->sh->hold);
    /* Only now, when both threads are past their map calls: an earlier
     * leave (which frees a student under live_mu) would order one
     * thread's map calls before the other's for the race detectors. */
    if (w->id == 1)
        kit_scen_check(ctxmap_leave() == 0, "thread %d: ctxmap_leave failed", w->id);
    return NULL;
}

/* all_round - one round of the all case on fresh objects. */
static void
all_round(void)
{
    struct shared sh;
    struct worker w[2];
    pthread_t t[2];
    struct conn_stats st;
    int i;

    kit_scen_require_impl(local_new(&sh.held), "local_new", "08-A");
    kit_scen_check(sh.held != NULL && local_new(&sh.kept) == 0, "local_new failed");
    kit_scen_require_impl(conn_db_new(&sh.db), "conn_db_new", "08-D");
    kit_scen_check(sh.db != NULL, "conn_db_new failed");
    kit_gate_init(&sh.gate, 2);
    kit_hold_init(&sh.hold);
    for (i = 0; i < 2; i++) {
        w[i] = (struct worker){ .sh = &sh, .id = i };
        kit_scen_check(pthread_create(&t[i], NULL, all_worker, &w[i]) == 0, "pthread_create failed");
    }
    kit_hold_wait_ready(&sh.hold, 2);
    local_free(sh.held);        /* both threads still hold values in it */
    kit_hold_release(&sh.hold);
    for (i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    kit_scen_check(conn_stats(sh.db, &st) == 0 && st.opens == 2 && st.closes == 2, "conn_stats after both threads exited: opens %lu closes %lu, expected 2 and 2", st.opens, st.closes);
    local_free(sh.kept);
    conn_db_free(sh.db);
    kit_hold_destroy(&sh.hold);
    kit_gate_destroy(&sh.gate);
}

static void
case_all(void)
{
    int rounds = kit_scen_repeat(2);
    int err = context_setup();

    kit_scen_require_impl(err, "context_setup", "08-B");
    kit_scen_check(err == 0, "context_setup: %s", kit_errname(err));
    for (int r = 0; r < rounds; r++)
        all_round();
    /* One entry is left per round, unless a later round's thread got the
     * same pthread_t as a dead one and so replaced its entry. */
    kit_scen_check(ctxmap_size() >= 1 && ctxmap_size() <= rounds, "ctxmap_size() = %d, expected 1 to %d (one entry left per round)", ctxmap_size(), rounds);
    ctxmap_clear();
    context_teardown();
    kit_scen_check(context_live() == 0, "context_live() = %d after teardown and clear, expected 0", context_live());
}

/* ---- unread ------------------------------------------------------- */

struct setter {
    struct local *l;
    struct kit_hold *hold;          /* NULL: exit at once */
    int id;
};

static void *
setter_main(void *arg)
{
    struct setter *s = arg;

    set_heap(s->l, "a", s->id);
    set_heap(s->l, "b", s->id);
    set_heap(s->l, "a", s->id + 1);     /* replaces: the first a is freed */
    if (s->hold != NULL)
        kit_hold_arrive(s->hold);
    return NULL;
}

/* run_setters - NUNREAD setters on l; with hold, free l while they wait. */
static void
run_setters(struct local *l, struct kit_hold *hold)
{
    struct setter s[NUNREAD];
    pthread_t t[NUNREAD];
    int i;

    for (i = 0; i < NUNREAD; i++) {
        s[i] = (struct setter){ .l = l, .hold = hold, .id = i };
        kit_scen_check(pthread_create(&t[i], NULL, setter_main, &s[i]) == 0, "pthread_create failed");
    }
    if (hold != NULL) {
        kit_hold_wait_ready(hold, NUNREAD);
        local_free(l);
        kit_hold_release(hold);
    }
    for (i = 0; i < NUNREAD; i++)
        pthread_join(t[i], NULL);
}

static void
case_unread(void)
{
    struct local *l = NULL;
    struct kit_hold hold;
    int err = local_new(&l);

    kit_scen_require_impl(err, "local_new", "08-A");
    kit_scen_check(err == 0, "local_new: %s", kit_errname(err));
    run_setters(l, NULL);       /* they exit holding values */
    local_free(l);
    kit_scen_check(local_new(&l) == 0, "local_new failed");
    kit_hold_init(&hold);
    run_setters(l, &hold);      /* freed while they hold values */
    kit_hold_destroy(&hold);
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "all") == 0)
        case_all();
    else if (argc == 2 && strcmp(argv[1], "unread") == 0)
        case_unread();
    else {
        fprintf(stderr, "usage: %s all|unread\n", argv[0]);
        return 2;
    }
    return 0;
}
