/*
 * conn.c - a per-thread connection: kept in a thread-local object, opened
 * lazily by the thread's first conn_get(), closed by the value's
 * destructor when the thread exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "local.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* The attribute that holds a thread's connection. */
#define CONN_ATTR "conn"

struct conn_db {
    struct local *local;        /* set by conn_db_new(), read-only */
    /* mu guards: */
    pthread_mutex_t mu;
    unsigned long opens;
    unsigned long closes;
};

struct conn {
    /* Set by conn_open(), read-only afterwards. */
    struct conn_db *db;
    pthread_t owner;            /* the thread that opened it */
    unsigned long id;
    /* The owner's only: */
    int fds[2];                 /* a query goes in [0], comes out of [1] */
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

/* conn_open - open a connection for the calling thread and count it.
 * Returns 0 and *out, or -errno (nothing opened). */
static int
conn_open(struct conn_db *db, struct conn **out)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return -ENOMEM;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fds) < 0) {
        int err = -errno;

        free(c);
        return err;
    }
    c->db = db;
    c->owner = pthread_self();
    LAB_CHECK(pthread_mutex_lock(&db->mu));
    c->id = ++db->opens;
    LAB_CHECK(pthread_mutex_unlock(&db->mu));
    *out = c;
    return 0;
}

/* conn_destroy - a local_dtor: close a connection and count the close.
 * Runs in the owning thread at its exit, or in conn_close() or
 * conn_db_free().  Cannot fail. */
static void
conn_destroy(void *arg)
{
    struct conn *c = arg;
    struct conn_db *db = c->db;

    close(c->fds[0]);
    close(c->fds[1]);
    LAB_CHECK(pthread_mutex_lock(&db->mu));
    db->closes++;               /* DOC: 08-threadlocal#closed-at-exit */
    LAB_CHECK(pthread_mutex_unlock(&db->mu));
    free(c);
}

int
conn_db_new(struct conn_db **out)
{
    struct conn_db *db;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    db = calloc(1, sizeof(*db));
    if (db == NULL)
        return -ENOMEM;
    err = -pthread_mutex_init(&db->mu, NULL);
    if (err)
        goto out_free;
    err = local_new(&db->local);
    if (err)
        goto out_destroy_mutex;
    *out = db;
    return 0;

out_destroy_mutex:
    LAB_CHECK(pthread_mutex_destroy(&db->mu));
out_free:
    free(db);
    return err;
}

int
conn_get(struct conn_db *db, struct conn **out)
{
    struct conn *c = NULL;
    void *v;
    int err;

    if (db == NULL || out == NULL)
        return -EINVAL;
    /* DOC: 08-threadlocal#lazy */
    if (local_get(db->local, CONN_ATTR, &v) == 0) {
        *out = v;
        return 0;
    }
    err = conn_open(db, &c);
    if (err)
        return err;
    err = local_set(db->local, CONN_ATTR, c, conn_destroy);
    if (err) {
        conn_destroy(c);
        return err;
    }
    *out = c;
    return 0;
}

/* io_full - write (writing true) or read exactly n bytes, retrying EINTR
 * and short transfers.  Returns 0, -EPIPE at end of file, or -errno. */
static int
io_full(int fd, void *buf, size_t n, bool writing)
{
    char *p = buf;
    size_t done = 0;

    while (done < n) {
        ssize_t r = writing ? write(fd, p + done, n - done)
                            : read(fd, p + done, n - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return -EPIPE;
        done += (size_t)r;
    }
    return 0;
}

int
conn_query(struct conn *c, const char *query, char *reply, size_t len)
{
    char echo[CONN_QUERY_MAX];
    size_t n;
    int err;

    if (c == NULL || query == NULL || reply == NULL)
        return -EINVAL;
    n = strnlen(query, CONN_QUERY_MAX);
    if (n >= CONN_QUERY_MAX)
        return -EINVAL;
    if (!pthread_equal(c->owner, pthread_self()))
        return -EPERM;          /* DOC: 08-threadlocal#same-thread */
    err = io_full(c->fds[0], (void *)query, n, true);   /* only read */
    if (err == 0)
        err = io_full(c->fds[1], echo, n, false);
    if (err)
        return err;
    echo[n] = '\0';
    if ((size_t)snprintf(reply, len, "%lu:%s", c->id, echo) >= len)
        return -ENOSPC;
    return 0;
}

unsigned long
conn_id(const struct conn *c)
{
    return c != NULL ? c->id : 0;
}

int
conn_close(struct conn_db *db)
{
    if (db == NULL)
        return -EINVAL;
    return local_del(db->local, CONN_ATTR);
}

int
conn_stats(struct conn_db *db, struct conn_stats *out)
{
    if (db == NULL || out == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&db->mu));
    out->opens = db->opens;
    out->closes = db->closes;
    LAB_CHECK(pthread_mutex_unlock(&db->mu));
    return 0;
}

void
conn_db_free(struct conn_db *db)
{
    if (db == NULL)
        return;
    local_free(db->local);      /* closes every thread's connection */
    LAB_CHECK(pthread_mutex_destroy(&db->mu));
    free(db);
}
