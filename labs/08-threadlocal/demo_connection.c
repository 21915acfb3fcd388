/*
 * demo_connection.c - one connection per thread: each worker asks for
 * its connection three times and gets the one it opened first; every
 * connection is closed when its thread ends.
 *
 * Python:
 *     def conn(self):
 *         if not hasattr(self.local, "conn"):
 *             self.local.conn = sqlite3.connect(self.path)
 *         return self.local.conn
 */
#include <pthread.h>
#include <stdio.h>

#include "conn.h"

#define WORKERS 3

static void *
worker(void *arg)
{
    struct conn_db *db = arg;
    struct conn *c = NULL;
    char reply[64];

    for (int i = 0; i < 3; i++) {
        if (conn_get(db, &c) != 0)
            return NULL;
        if (conn_query(c, "select 1", reply, sizeof(reply)) == 0)
            printf("  call %d: connection %lu answered \"%s\"\n", i + 1,
                   conn_id(c), reply);
    }
    return NULL;
}

static void
print_stats(struct conn_db *db, const char *when)
{
    struct conn_stats st = { 0, 0 };

    conn_stats(db, &st);
    printf("%s: %lu opened, %lu closed\n", when, st.opens, st.closes);
}

int
main(void)
{
    struct conn_db *db = NULL;
    pthread_t t[WORKERS];
    int i;

    if (conn_db_new(&db) != 0) {
        fprintf(stderr, "conn_db_new failed (is part D done?)\n");
        return 1;
    }
    for (i = 0; i < WORKERS; i++)
        if (pthread_create(&t[i], NULL, worker, db) != 0)
            return 1;
    for (i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    print_stats(db, "after the workers ended");
    conn_db_free(db);
    return 0;
}
