/*
 * test_conn.c - functional tests of conn.h: one lazily opened connection
 * per thread, closed when the thread exits (lab 08, part D).  Every
 * connection holds two real fds, so the hygiene check after each test
 * also catches a connection nobody closed.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "conn.h"

TestSuite(conn, .timeout = 20);

/* Threads in the "many threads" tests, and conn_get calls each makes. */
#define NWORKERS 4
#define GETS 3

static struct conn_db *
new_db(void)
{
    struct conn_db *db = NULL;
    int err = conn_db_new(&db);

    kit_require_impl(err, "conn_db_new", "08-D");
    cr_assert(eq(int, err, 0), "conn_db_new(&db): expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    return db;
}

static struct conn_stats
stats(struct conn_db *db)
{
    struct conn_stats st = { 0, 0 };
    int err = conn_stats(db, &st);

    cr_assert(eq(int, err, 0), "conn_stats(db, &st): expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    return st;
}

static pthread_t
start(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int err = pthread_create(&t, NULL, fn, arg);

    cr_assert(eq(int, err, 0), "test setup: pthread_create failed: %s", strerror(err));
    return t;
}

/* What a worker did, checked by the test after the join. */
struct user {
    struct conn_db *db;
    struct kit_hold *h;             /* NULL: do not wait */
    int get_err;
    bool same;                  /* every get gave the first connection */
    struct conn *c;
    unsigned long id;
    int query_err;
    char reply[64];
};

/* user_main - get the connection GETS times, query once, maybe wait. */
static void *
user_main(void *arg)
{
    struct user *u = arg;
    struct conn *c = NULL;

    u->same = true;
    for (int i = 0; i < GETS && u->get_err == 0; i++) {
        u->get_err = conn_get(u->db, &c);
        if (i == 0)
            u->c = c;
        u->same = u->same && c == u->c;
    }
    u->id = conn_id(c);
    if (u->get_err == 0)
        u->query_err = conn_query(c, "select 1", u->reply, sizeof(u->reply));
    if (u->h != NULL)
        kit_hold_arrive(u->h);
    return NULL;
}

/* Catches: get_opens_every_time.patch (the lookup is skipped, so each
 * call opens a new connection). */
KIT_TEST(conn, get_twice_in_one_thread_gives_the_same_connection_opened_once)
{
    struct conn_db *db = new_db();
    struct user u = { .db = db };
    struct conn_stats st;

    user_main(&u);
    kit_require_impl(u.get_err, "conn_get", "08-D");
    cr_assert(eq(int, u.get_err, 0), "conn_get(db, &c): expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(u.get_err));
    cr_expect(u.same, "conn_get called %d times in one thread gave different connections: expected the same one every time (Python: getattr(self.local, \"conn\")). See docs/08-threadlocal.md#lazy", GETS);
    st = stats(db);
    cr_expect(eq(ulong, st.opens, 1), "opens after %d conn_get calls in one thread: expected 1 (open on first use only), got %lu. See docs/08-threadlocal.md#lazy", GETS, st.opens);
    conn_db_free(db);
}

/* Catches: the stub. */
KIT_TEST(conn, query_round_trips_through_the_connection)
{
    struct conn_db *db = new_db();
    struct user u = { .db = db };

    user_main(&u);
    kit_require_impl(u.get_err, "conn_get", "08-D");
    cr_assert(eq(int, u.query_err, 0), "conn_query(c, \"select 1\"): expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(u.query_err));
    cr_expect(eq(str, u.reply, "1:select 1"), "conn_query reply on the first connection: expected \"1:select 1\", got \"%s\". See docs/08-threadlocal.md#lazy", u.reply);
    conn_db_free(db);
}

/* Catches: conn_no_dtor.patch (the connection is stored with no dtor:
 * nothing closes it when its thread exits). */
KIT_TEST(conn, each_thread_opens_one_connection_and_closes_it_at_exit)
{
    struct conn_db *db = new_db();
    struct user u[NWORKERS];
    pthread_t t[NWORKERS];
    struct conn_stats st;
    int i;

    for (i = 0; i < NWORKERS; i++) {
        u[i] = (struct user){ .db = db };
        t[i] = start(user_main, &u[i]);
    }
    for (i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    kit_require_impl(u[0].get_err, "conn_get", "08-D");
    for (i = 0; i < NWORKERS; i++) {
        cr_expect(eq(int, u[i].get_err, 0), "worker %d: conn_get: expected 0, got %s. See docs/08-threadlocal.md#lazy", i, kit_errname(u[i].get_err));
        cr_expect(u[i].same, "worker %d got different connections from %d conn_get calls. See docs/08-threadlocal.md#lazy", i, GETS);
        for (int j = 0; j < i; j++)
            cr_expect(ne(ulong, u[i].id, u[j].id), "workers %d and %d share connection %lu: each thread needs its own. See docs/08-threadlocal.md#lazy", j, i, u[i].id);
    }
    st = stats(db);
    cr_expect(eq(ulong, st.opens, NWORKERS), "opens after %d workers: expected %d (one per thread), got %lu. See docs/08-threadlocal.md#lazy", NWORKERS, NWORKERS, st.opens);
    cr_expect(eq(ulong, st.closes, NWORKERS), "closes after %d workers exited (joined): expected %d (each closed at its thread's exit), got %lu. See docs/08-threadlocal.md#closed-at-exit", NWORKERS, NWORKERS, st.closes);
    conn_db_free(db);
}

struct borrower {
    struct conn *c;
    int err;
};

static void *
borrower_main(void *arg)
{
    struct borrower *b = arg;
    char reply[64];

    b->err = conn_query(b->c, "select 2", reply, sizeof(reply));
    return NULL;
}

/* Catches: the stub. */
KIT_TEST(conn, a_connection_lent_to_another_thread_refuses_queries)
{
    struct conn_db *db = new_db();
    struct borrower b = { .err = 0 };
    int err = conn_get(db, &b.c);

    kit_require_impl(err, "conn_get", "08-D");
    cr_assert(eq(int, err, 0), "conn_get: expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    pthread_join(start(borrower_main, &b), NULL);
    cr_expect(eq(int, b.err, -EPERM), "conn_query from a thread that did not open the connection: expected -EPERM (Python sqlite3: ProgrammingError), got %s. See docs/08-threadlocal.md#same-thread", kit_errname(b.err));
    conn_db_free(db);
}

/* Catches: the stub. */
KIT_TEST(conn, close_then_get_opens_a_new_connection)
{
    struct conn_db *db = new_db();
    struct conn *c = NULL;
    struct conn_stats st;
    int err = conn_get(db, &c);

    kit_require_impl(err, "conn_get", "08-D");
    cr_assert(eq(int, err, 0), "conn_get: expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    err = conn_close(db);
    cr_expect(eq(int, err, 0), "conn_close(db): expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    err = conn_close(db);
    cr_expect(eq(int, err, -ENOENT), "conn_close(db) with none open: expected -ENOENT, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    err = conn_get(db, &c);
    cr_assert(eq(int, err, 0), "conn_get after close: expected 0, got %s. See docs/08-threadlocal.md#lazy", kit_errname(err));
    cr_expect(eq(ulong, conn_id(c), 2), "conn_id of the connection opened after a close: expected 2, got %lu. See docs/08-threadlocal.md#lazy", conn_id(c));
    st = stats(db);
    cr_expect(eq(ulong, st.opens, 2), "opens: expected 2, got %lu. See docs/08-threadlocal.md#lazy", st.opens);
    cr_expect(eq(ulong, st.closes, 1), "closes: expected 1, got %lu. See docs/08-threadlocal.md#lazy", st.closes);
    conn_db_free(db);
}

/* Catches: the stub.  The fds prove the close: a connection is two. */
KIT_TEST(conn, db_free_closes_connections_that_live_threads_hold)
{
    struct conn_db *db = new_db();
    struct kit_hold h;
    struct user u[NWORKERS];
    pthread_t t[NWORKERS];
    int fds_before = kit_fd_count();
    int i;

    kit_hold_init(&h);
    for (i = 0; i < NWORKERS; i++) {
        u[i] = (struct user){ .db = db, .h = &h };
        t[i] = start(user_main, &u[i]);
    }
    kit_hold_wait_ready(&h, NWORKERS);
    kit_require_impl(u[0].get_err, "conn_get", "08-D");
    conn_db_free(db);
    cr_expect(eq(int, kit_fd_count(), fds_before), "open fds after conn_db_free while %d workers still held connections: expected %d, got %d (each open connection is 2 fds). See docs/08-threadlocal.md#free-while-held", NWORKERS, fds_before, kit_fd_count());
    kit_hold_release(&h);
    for (i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    kit_hold_destroy(&h);
}
