/*
 * conn.h - one connection per thread, opened on the thread's first use
 * and closed when the thread exits (lab 08, part D).
 * Python:  a threading.local() holding a sqlite3 connection:
 *              def conn(self):
 *                  if not hasattr(self.local, "conn"):
 *                      self.local.conn = sqlite3.connect(self.path)
 *                  return self.local.conn
 * A "connection" here is a connected socket pair: a query is written to
 * one end and read back from the other, so it costs two real fds.
 */
#ifndef LAB_CONN_H
#define LAB_CONN_H

#include <stddef.h>

/* Longest query (and reply), including the terminating NUL. */
#define CONN_QUERY_MAX 128

struct conn_db;                 /* opaque: where connections come from */
struct conn;                    /* opaque: one thread's connection */

/* What a database has handed out so far. */
struct conn_stats {
    unsigned long opens;        /* connections opened, ever */
    unsigned long closes;       /* connections closed, ever */
};

/*
 * conn_db_new - make a database with no connection open.
 * Python:  DB(path)
 * Returns: 0; -EINVAL if out is NULL; -EAGAIN, -ENOMEM.  On failure *out
 *          is NULL.
 * Owns:    gives *out; free it with conn_db_free().
 */
int conn_db_new(struct conn_db **out);

/*
 * conn_get - the calling thread's connection, opened on its first call in
 * this thread; every later call in the same thread returns the same one.
 * Python:  DB.conn()
 * Returns: 0 and *out; -EINVAL if db or out is NULL; -EMFILE, -ENFILE,
 *          -ENOMEM from opening.
 * Owns:    borrows db; *out stays the database's: it is closed when the
 *          thread exits, calls conn_close(), or the database is freed.
 * Threads: any thread; two threads never get the same connection.
 */
int conn_get(struct conn_db *db, struct conn **out);

/*
 * conn_query - send `query` over the connection and read the reply,
 * "<id>:<query>" (id from conn_id()), into reply.
 * Python:  conn.execute(query)
 * Returns: 0; -EPERM if the calling thread is not the one that opened c
 *          (Python's sqlite3: ProgrammingError "SQLite objects created in
 *          a thread can only be used in that same thread"); -EINVAL if c,
 *          query or reply is NULL or query does not fit in
 *          CONN_QUERY_MAX; -ENOSPC if the reply does not fit in len;
 *          -errno from the socket.
 * Owns:    borrows everything.
 */
int conn_query(struct conn *c, const char *query, char *reply, size_t len);

/* conn_id - the connection's number: 1 for the database's first open,
 * counting up.  0 for NULL.  Cannot fail. */
unsigned long conn_id(const struct conn *c);

/*
 * conn_close - close the calling thread's connection now; its next
 * conn_get() opens a new one.
 * Python:  self.local.conn.close(); del self.local.conn
 * Returns: 0; -ENOENT if this thread has none open; -EINVAL for NULL.
 */
int conn_close(struct conn_db *db);

/*
 * conn_stats - how many connections were opened and closed so far.
 * Returns: 0; -EINVAL if db or out is NULL.
 * Threads: any thread.  A thread's close is counted before pthread_join()
 *          on that thread returns.
 */
int conn_stats(struct conn_db *db, struct conn_stats *out);

/*
 * conn_db_free - close every connection still open, in any thread, and
 * free the database.
 * Owns:    takes db.
 * Threads: no thread may use db or its connections during or after the
 *          call; threads that hold connections may still be alive.
 *          NULL is a no-op.
 */
void conn_db_free(struct conn_db *db);

#endif /* LAB_CONN_H */
