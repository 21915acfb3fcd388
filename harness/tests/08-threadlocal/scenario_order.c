/*
 * scenario_order.c - thread-local behaviour that must not depend on the
 * schedule, for the ordering tier (lab 08, parts A and D).
 *
 *   own_values  two threads, released together, set, read and delete the
 *               same attribute names many times: each reads back only
 *               what it set, and every value set is released exactly once.
 *   free_race   threads hold values; main lets them exit and frees the
 *               object at the same moment.  Every value is released
 *               exactly once, and none after local_free() has returned.
 *   conn        three threads each ask for their connection several
 *               times: three opens, three distinct ids, three closes by
 *               the time they are joined.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "conn.h"
#include "local.h"

/* Set/get/del rounds per thread in own_values. */
#define ITERATIONS 50

/* Threads and values per thread in free_race. */
#define NHOLDERS 2
#define NVALUES 3

/* Threads in conn. */
#define NUSERS 3

/* A value whose destructor counts its calls.  count_mu guards every
 * count and `returned`. */
struct counted {
    int calls;
};

static pthread_mutex_t count_mu = PTHREAD_MUTEX_INITIALIZER;
static bool returned;           /* local_free() of this round returned */

static void
counted_dtor(void *v)
{
    struct counted *c = v;

    pthread_mutex_lock(&count_mu);
    c->calls++;
    if (returned) {
        pthread_mutex_unlock(&count_mu);
        kit_scen_fail("a value's dtor ran after local_free() had returned: local_free must wait for destructors in flight");
    }
    pthread_mutex_unlock(&count_mu);
}

static int
calls(struct counted *c)
{
    int n;

    pthread_mutex_lock(&count_mu);
    n = c->calls;
    pthread_mutex_unlock(&count_mu);
    return n;
}

/* ---- own_values ------------------------------------------------------ */

struct own {
    struct local *l;
    struct kit_gate *gate;
    int mine[4];
    struct counted made[ITERATIONS];
};

static void *
own_main(void *arg)
{
    struct own *o = arg;
    void *v;
    int err;

    kit_gate_wait(o->gate);
    for (int i = 0; i < ITERATIONS; i++) {
        err = local_set(o->l, "v", &o->mine[i % 4], NULL);
        kit_scen_require_impl(err, "local_set", "08-A");
        kit_scen_check(err == 0, "local_set(v): %s", kit_errname(err));
        kit_scen_check(local_set(o->l, "w", &o->made[i], counted_dtor) == 0, "local_set(w) failed");
        err = local_get(o->l, "v", &v);
        kit_scen_check(err == 0 && v == &o->mine[i % 4], "round %d: local_get(v) gave %p (%s), this thread set %p: threads see each other's values", i, err == 0 ? v : NULL, kit_errname(err), (void *)&o->mine[i % 4]);
        kit_scen_check(local_del(o->l, "w") == 0, "local_del(w) failed");
    }
    return NULL;
}

static void
case_own_values(void)
{
    int rounds = kit_scen_repeat(10);

    for (int r = 0; r < rounds; r++) {
        struct kit_gate gate;
        struct own o[2];
        pthread_t t[2];
        struct local *l = NULL;
        int err = local_new(&l);

        kit_scen_require_impl(err, "local_new", "08-A");
        kit_scen_check(err == 0, "local_new: %s", kit_errname(err));
        kit_gate_init(&gate, 2);
        for (int i = 0; i < 2; i++) {
            memset(&o[i], 0, sizeof(o[i]));
            o[i].l = l;
            o[i].gate = &gate;
            kit_scen_check(pthread_create(&t[i], NULL, own_main, &o[i]) == 0, "pthread_create failed");
        }
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        local_free(l);
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < ITERATIONS; k++)
                kit_scen_check(calls(&o[i].made[k]) == 1, "round %d: thread %d's value %d was released %d times, expected once", r, i, k, calls(&o[i].made[k]));
        kit_gate_destroy(&gate);
    }
}

/* ---- free_race ------------------------------------------------------ */

/* What the holders of one round share.  mu guards ready and go. */
struct race {
    struct local *l;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int ready;
    bool go;
    struct counted v[NHOLDERS][NVALUES];
};

struct holder {
    struct race *ra;
    int id;
};

static void *
holder_main(void *arg)
{
    struct holder *h = arg;
    struct race *ra = h->ra;
    static const char *const names[NVALUES] = { "a", "b", "c" };

    for (int k = 0; k < NVALUES; k++) {
        int err = local_set(ra->l, names[k], &ra->v[h->id][k], counted_dtor);
        kit_scen_require_impl(err, "local_set", "08-A");
        kit_scen_check(err == 0, "local_set: %s", kit_errname(err));
    }
    pthread_mutex_lock(&ra->mu);
    ra->ready++;
    pthread_cond_broadcast(&ra->cv);
    while (!ra->go)
        pthread_cond_wait(&ra->cv, &ra->mu);
    pthread_mutex_unlock(&ra->mu);
    return NULL;                /* exits while main frees l */
}

/* race_round - holders set values; main releases them and frees l at
 * once; every value must be released exactly once. */
static void
race_round(int r)
{
    struct race ra;
    struct holder h[NHOLDERS];
    pthread_t t[NHOLDERS];
    int err;

    memset(&ra, 0, sizeof(ra));
    pthread_mutex_init(&ra.mu, NULL);
    pthread_cond_init(&ra.cv, NULL);
    err = local_new(&ra.l);
    kit_scen_require_impl(err, "local_new", "08-A");
    kit_scen_check(err == 0, "local_new: %s", kit_errname(err));
    for (int i = 0; i < NHOLDERS; i++) {
        h[i] = (struct holder){ .ra = &ra, .id = i };
        kit_scen_check(pthread_create(&t[i], NULL, holder_main, &h[i]) == 0, "pthread_create failed");
    }
    pthread_mutex_lock(&ra.mu);
    while (ra.ready < NHOLDERS)
        pthread_cond_wait(&ra.cv, &ra.mu);
    ra.go = true;
    pthread_cond_broadcast(&ra.cv);
    pthread_mutex_unlock(&ra.mu);
    local_free(ra.l);           /* races with the holders' exits */
    pthread_mutex_lock(&count_mu);
    returned = true;
    pthread_mutex_unlock(&count_mu);
    for (int i = 0; i < NHOLDERS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < NHOLDERS; i++)
        for (int k = 0; k < NVALUES; k++)
            kit_scen_check(calls(&ra.v[i][k]) == 1, "round %d: holder %d's value %d was released %d times, expected exactly once", r, i, k, calls(&ra.v[i][k]));
    pthread_mutex_lock(&count_mu);
    returned = false;
    pthread_mutex_unlock(&count_mu);
    pthread_cond_destroy(&ra.cv);
    pthread_mutex_destroy(&ra.mu);
}

static void
case_free_race(void)
{
    int rounds = kit_scen_repeat(20);

    for (int r = 0; r < rounds; r++)
        race_round(r);
}

/* ---- conn ----------------------------------------------------------- */

struct user {
    struct conn_db *db;
    unsigned long id;
};

static void *
user_main(void *arg)
{
    struct user *u = arg;
    struct conn *first = NULL;
    struct conn *c = NULL;
    char reply[64];

    for (int i = 0; i < 3; i++) {
        int err = conn_get(u->db, &c);
        kit_scen_require_impl(err, "conn_get", "08-D");
        kit_scen_check(err == 0, "conn_get: %s", kit_errname(err));
        if (first == NULL)
            first = c;
        kit_scen_check(c == first, "conn_get call %d in one thread gave another connection", i + 1);
    }
    kit_scen_check(conn_query(c, "q", reply, sizeof(reply)) == 0, "conn_query failed");
    u->id = conn_id(c);
    return NULL;
}

static void
case_conn(void)
{
    int rounds = kit_scen_repeat(10);

    for (int r = 0; r < rounds; r++) {
        struct conn_db *db = NULL;
        struct user u[NUSERS];
        pthread_t t[NUSERS];
        struct conn_stats st;
        int err = conn_db_new(&db);

        kit_scen_require_impl(err, "conn_db_new", "08-D");
        kit_scen_check(err == 0, "conn_db_new: %s", kit_errname(err));
        for (int i = 0; i < NUSERS; i++) {
            u[i] = (struct user){ .db = db };
            kit_scen_check(pthread_create(&t[i], NULL, user_main, &u[i]) == 0, "pthread_create failed");
        }
        for (int i = 0; i < NUSERS; i++)
            pthread_join(t[i], NULL);
        kit_scen_check(conn_stats(db, &st) == 0 && st.opens == NUSERS && st.closes == NUSERS, "round %d: opens %lu closes %lu after %d threads exited, expected %d and %d", r, st.opens, st.closes, NUSERS, NUSERS, NUSERS);
        for (int i = 0; i < NUSERS; i++)
            for (int j = 0; j < i; j++)
                kit_scen_check(u[i].id != u[j].id, "round %d: threads %d and %d got the same connection %lu", r, j, i, u[i].id);
        conn_db_free(db);
    }
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "own_values") == 0)
        case_own_values();
    else if (argc == 2 && strcmp(argv[1], "free_race") == 0)
        case_free_race();
    else if (argc == 2 && strcmp(argv[1], "conn") == 0)
        case_conn();
    else {
        fprintf(stderr, "usage: %s own_values|free_race|conn\n", argv[0]);
        return 2;
    }
    return 0;
}
