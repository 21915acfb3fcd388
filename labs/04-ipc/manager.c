/*
 * manager.c (stub) - multiprocessing.Manager() in C: a forked server process
 * owns a Value, a dict, a Queue and a Lock; proxies send it one request
 * frame per call over a UNIX socket and wait for one reply frame.
 *
 * DESIGN
 *
 * The server is one thread running a poll() loop, so every request is
 * handled whole before the next one starts: that is what makes
 * manager_value_add atomic, and what makes `get` then `set` from two
 * proxies lose updates (two round trips, with other requests between).
 * A request that must wait (a held Lock, an empty or full Queue) parks
 * its client with a deadline; the client's reply is simply sent later.
 * Each proxy has at most one request in flight, so one parked slot per
 * client is enough.  Parked clients are served oldest first (`seq`).
 * A client that disconnects loses its parked request and its Lock.
 *
 * The socket lives in Linux's abstract namespace: nothing is left on
 * disk.  The server closes every descriptor it inherited, so it never
 * holds a copy of somebody else's pipe end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manager.h"
#include "wire.h"

/* How long the server waits for the rest of a frame it started reading. */
#define REQUEST_READ_S 5.0

enum manager_op {
    OP_VALUE_GET = 1,
    OP_VALUE_SET,
    OP_VALUE_ADD,
    OP_LOCK,
    OP_UNLOCK,
    OP_DICT_SET,
    OP_DICT_GET,
    OP_DICT_DEL,
    OP_DICT_LEN,
    OP_QUEUE_PUT,
    OP_QUEUE_GET,
};

/* A request's fixed part; a key or a message follows it. */
struct request {
    uint32_t op;
    uint32_t pad;
    int64_t arg;
    double timeout;             /* negative: forever */
};

/* A reply's fixed part; a message may follow it. */
struct reply {
    int32_t status;             /* 0 or -errno */
    uint32_t pad;
    int64_t value;
};

struct manager {
    pid_t pid;                  /* the server */
    struct sockaddr_un addr;
    socklen_t addr_len;
};

struct manager_proxy {
    int fd;
};

/* ---- the server's state (only the server process touches it) -------- */

struct client {
    int fd;
    bool parked;                /* a LOCK, QUEUE_GET or QUEUE_PUT waits */
    uint32_t op;
    uint64_t seq;               /* park order: oldest served first */
    double deadline;            /* -1: none */
    void *msg;                  /* a parked QUEUE_PUT's message */
    size_t len;
};

struct item {
    void *msg;
    size_t len;
};

struct server {
    int lfd;
    struct client clients[MANAGER_CLIENTS_MAX];
    int nclients;
    uint64_t next_seq;
    long value;                                 /* the Value */
    int lock_owner;                             /* a client fd, or -1 */
    char keys[MANAGER_DICT_MAX][MANAGER_KEY_MAX + 1];
    long vals[MANAGER_DICT_MAX];
    int nkeys;
    struct item queue[MANAGER_QUEUE_MAX];       /* ring */
    int qhead;
    int qlen;
};

/* reply_to - send a reply (errors ignored: a gone client is dropped when
 * poll() reports it). */
static void
reply_to(int fd, int status, long value, const void *msg, size_t len)
{
    struct reply r = { .status = status, .value = value };

    (void)wire_send(fd, &r, sizeof(r), msg, len);
}

/* dict_find - the index of key, or -1. */
static int
dict_find(struct server *s, const char *key)
{
    for (int i = 0; i < s->nkeys; i++) {
        if (strcmp(s->keys[i], key) == 0)
            return i;
    }
    return -1;
}

/* dict_op - a dict request on `key` (a NUL-terminated copy). */
static void
dict_op(struct server *s, int fd, uint32_t op, const char *key, long arg)
{
    int i = dict_find(s, key);

    if (op == OP_DICT_GET) {
        reply_to(fd, i < 0 ? -ENOENT : 0, i < 0 ? 0 : s->vals[i], NULL, 0);
    } else if (op == OP_DICT_DEL) {
        if (i >= 0) {
            s->nkeys--;
            memcpy(s->keys[i], s->keys[s->nkeys], sizeof(s->keys[i]));
            s->vals[i] = s->vals[s->nkeys];
        }
        reply_to(fd, i < 0 ? -ENOENT : 0, 0, NULL, 0);
    } else if (i < 0 && s->nkeys == MANAGER_DICT_MAX) {
        reply_to(fd, -ENOSPC, 0, NULL, 0);
    } else {
        if (i < 0) {
            i = s->nkeys++;
            snprintf(s->keys[i], sizeof(s->keys[i]), "%s", key);
        }
        s->vals[i] = arg;
        reply_to(fd, 0, 0, NULL, 0);
    }
}

/* try_serve - do c's parked request if it can run now: take the Lock,
 * take a message, or store one.  Returns true if it ran (and replied). */
static bool
try_serve(struct server *s, struct client *c)
{
    /* TODO(04-C): run c's parked LOCK / QUEUE_GET / QUEUE_PUT if it can run now
     * (the lock free, a message there, room left) and reply. Python:
     * SyncManager's Lock and Queue. Read docs/04-ipc.md#manager-lock. */
    (void)s;
    (void)c;
    return false;
}

/* next_parked - the parked client with the smallest seq above `after`
 * (any seq if `first`), or NULL. */
static struct client *
next_parked(struct server *s, bool first, uint64_t after)
{
    struct client *next = NULL;

    for (int i = 0; i < s->nclients; i++) {
        struct client *c = &s->clients[i];
        if (c->parked && (first || c->seq > after) &&
            (next == NULL || c->seq < next->seq))
            next = c;
    }
    return next;
}

/* serve_parked - offer every parked request, oldest first, a chance to
 * run (try_serve decides); repeat while any of them ran. */
static void
serve_parked(struct server *s)
{
    /* TODO(04-C): run parked requests that can run, oldest first, until none
     * can. Python: (the server's threads, one per proxy). Read
     * docs/04-ipc.md#manager-lock. */
    (void)s;
    (void)try_serve;
    (void)next_parked;
}

/* park - make c wait for `op`; `msg` (a QUEUE_PUT's copy) is taken. */
static void
park(struct server *s, struct client *c, const struct request *rq,
     void *msg, size_t len)
{
    c->parked = true;
    c->op = rq->op;
    c->seq = s->next_seq++;
    c->deadline = wire_deadline(rq->timeout);
    c->msg = msg;
    c->len = len;
    serve_parked(s);
}

/* handle - run one request from c.  `body` (len bytes) follows the
 * request; it is taken.  Requests that change state serve waiters. */
static void
handle(struct server *s, struct client *c, const struct request *rq,
       void *body, size_t len)
{
    /* TODO(04-C): run one request: value get/set/add in one step, lock, unlock
     * (owner only), queue ops park, dict ops; free body unless kept. Python:
     * Server.serve_client. Read docs/04-ipc.md#atomic-add. */
    (void)s;
    (void)c;
    (void)rq;
    (void)len;
    (void)park;
    (void)dict_op;
    free(body);
}

/* drop_client - forget client i (it hung up or broke the protocol): its
 * parked request goes, and so does its Lock. */
static void
drop_client(struct server *s, int i)
{
    /* TODO(04-C): forget client i: close it, free its parked message, release
     * its lock, serve waiters. Python: (a proxy's connection closing). Read
     * docs/04-ipc.md#manager-lock. */
    (void)s;
    (void)i;
}

/* read_request - read and run one request from client i.  Returns false
 * if the client was dropped. */
static bool
read_request(struct server *s, int i)
{
    struct client *c = &s->clients[i];
    struct request rq;
    unsigned char *frame = NULL;
    size_t len = 0;
    void *body;
    size_t blen;

    /* A parked client sends nothing until its reply: more is a hang-up
     * or a protocol error. */
    if (c->parked || wire_recv(c->fd, (void **)&frame, &len,
                               wire_deadline(REQUEST_READ_S)) != 0 ||
        len < sizeof(rq)) {
        free(frame);
        drop_client(s, i);
        return false;
    }
    memcpy(&rq, frame, sizeof(rq));
    blen = len - sizeof(rq);
    body = malloc(blen + 1);
    if (body != NULL) {
        memcpy(body, frame + sizeof(rq), blen);
        ((char *)body)[blen] = '\0';            /* a dict key's NUL */
    }
    free(frame);
    if (body == NULL)
        reply_to(c->fd, -ENOMEM, 0, NULL, 0);
    else
        handle(s, c, &rq, body, blen);
    return true;
}

/* accept_client - take one pending connection (refused when full). */
static void
accept_client(struct server *s)
{
    int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0)
        return;
    if (s->nclients == MANAGER_CLIENTS_MAX) {
        close(fd);
        return;
    }
    s->clients[s->nclients++] = (struct client){ .fd = fd, .deadline = -1 };
}

/* expire - answer -ETIMEDOUT to every parked request past its deadline;
 * return poll()'s timeout for the nearest deadline still ahead. */
static int
expire(struct server *s)
{
    int ms = -1;

    for (int i = 0; i < s->nclients; i++) {
        struct client *c = &s->clients[i];
        int left;
        if (!c->parked || c->deadline < 0)
            continue;
        left = wire_ms_left(c->deadline);
        if (left == 0) {
            c->parked = false;
            free(c->msg);
            c->msg = NULL;
            reply_to(c->fd, -ETIMEDOUT, 0, NULL, 0);
        } else if (ms < 0 || left < ms) {
            ms = left;
        }
    }
    return ms;
}

/* server_loop - serve until killed.  Does not return. */
static void
server_loop(struct server *s)
{
    struct pollfd pfds[MANAGER_CLIENTS_MAX + 1];

    for (;;) {
        int ms = expire(s);
        int n = s->nclients;
        pfds[0] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
        for (int i = 0; i < n; i++)
            pfds[i + 1] = (struct pollfd){ .fd = s->clients[i].fd,
                                           .events = POLLIN };
        if (poll(pfds, (nfds_t)n + 1, ms) <= 0)
            continue;
        /* Backwards: dropping client i moves the last one into slot i. */
        for (int i = n - 1; i >= 0; i--) {
            if (pfds[i + 1].revents != 0)
                (void)read_request(s, i);
        }
        if (pfds[0].revents & POLLIN)
            accept_client(s);
    }
}

/* server_main - the child's life: cut loose from the parent's
 * descriptors, then serve.  Does not return. */
static void
server_main(int lfd, pid_t parent)
{
    /* TODO(04-C): in the forked child: die with the parent, close every
     * inherited descriptor but lfd, allocate the state and serve forever.
     * Python: Manager().start(). Read docs/04-ipc.md#inherited. */
    (void)lfd;
    (void)parent;
    (void)server_loop;
    _exit(1);
}

/* ---- the owner's side -------------------------------------------------- */

/* make_listener - a listening socket at a fresh abstract address. */
static int
make_listener(struct manager *m)
{
    static unsigned long counter;
    int fd;
    int len;

    m->addr.sun_family = AF_UNIX;
    len = snprintf(m->addr.sun_path + 1, sizeof(m->addr.sun_path) - 1,
                   "kit04-manager-%d-%lu", (int)getpid(), ++counter);
    m->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
                              (size_t)len);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&m->addr, m->addr_len) != 0 ||
        listen(fd, 64) != 0) {
        int err = -errno;
        close(fd);
        return err;
    }
    return fd;
}

int
manager_new(struct manager **out)
{
    /* TODO(04-C): make the listener, fork the server (the child never returns),
     * keep its pid; *out = NULL on failure. Python: multiprocessing.Manager().
     * Read docs/04-ipc.md#manager. */
    (void)make_listener;
    (void)server_main;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
manager_connect(struct manager *m, struct manager_proxy **out)
{
    /* TODO(04-C): a close-on-exec UNIX socket connected to the server's
     * abstract address. Python: a proxy's connection. Read
     * docs/04-ipc.md#manager. */
    (void)m;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/*
 * call - one round trip: send the request (with `body`), wait for the
 * reply.  Returns the reply's status (0 or -errno), or -EPIPE / -EPROTO
 * when the server is gone.  *value and *msg (gives, may be NULL) are set
 * from the reply on success.
 */
static int
call(struct manager_proxy *p, uint32_t op, long arg, double timeout,
     const void *body, size_t blen, long *value, void **msg, size_t *len)
{
    /* TODO(04-C): send one request frame, wait for the reply frame, hand back
     * status, value and message. Python: BaseProxy._callmethod. Read
     * docs/04-ipc.md#manager. */
    (void)p;
    (void)op;
    (void)arg;
    (void)timeout;
    (void)body;
    (void)blen;
    (void)value;
    (void)msg;
    (void)len;
    return -ENOSYS;
}

int
manager_value_get(struct manager_proxy *p, long *out)
{
    if (p == NULL || out == NULL)
        return -EINVAL;
    return call(p, OP_VALUE_GET, 0, 0, NULL, 0, out, NULL, NULL);
}

int
manager_value_set(struct manager_proxy *p, long value)
{
    if (p == NULL)
        return -EINVAL;
    return call(p, OP_VALUE_SET, value, 0, NULL, 0, NULL, NULL, NULL);
}

int
manager_value_add(struct manager_proxy *p, long delta, long *result)
{
    /* TODO(04-C): ask the server to add in one step (one round trip), so no
     * other proxy can come between the read and the write. Python: (none:
     * Python needs the Lock). Read docs/04-ipc.md#atomic-add. */
    (void)p;
    (void)delta;
    (void)result;
    return -ENOSYS;
}

int
manager_lock_acquire(struct manager_proxy *p, double timeout)
{
    if (p == NULL || isnan(timeout))
        return -EINVAL;
    return call(p, OP_LOCK, 0, timeout, NULL, 0, NULL, NULL, NULL);
}

int
manager_lock_release(struct manager_proxy *p)
{
    if (p == NULL)
        return -EINVAL;
    return call(p, OP_UNLOCK, 0, 0, NULL, 0, NULL, NULL, NULL);
}

/* dict_call - a dict request carrying `key` with its NUL. */
static int
dict_call(struct manager_proxy *p, uint32_t op, const char *key, long arg,
          long *out)
{
    size_t n;

    if (p == NULL || key == NULL)
        return -EINVAL;
    n = strlen(key);
    if (n > MANAGER_KEY_MAX)
        return -ENAMETOOLONG;
    return call(p, op, arg, 0, key, n + 1, out, NULL, NULL);
}

int
manager_dict_set(struct manager_proxy *p, const char *key, long value)
{
    return dict_call(p, OP_DICT_SET, key, value, NULL);
}

int
manager_dict_get(struct manager_proxy *p, const char *key, long *out)
{
    if (out == NULL)
        return -EINVAL;
    return dict_call(p, OP_DICT_GET, key, 0, out);
}

int
manager_dict_del(struct manager_proxy *p, const char *key)
{
    return dict_call(p, OP_DICT_DEL, key, 0, NULL);
}

int
manager_dict_len(struct manager_proxy *p, size_t *out)
{
    long n = 0;
    int err;

    if (p == NULL || out == NULL)
        return -EINVAL;
    err = call(p, OP_DICT_LEN, 0, 0, NULL, 0, &n, NULL, NULL);
    if (err == 0)
        *out = (size_t)n;
    return err;
}

int
manager_queue_put(struct manager_proxy *p, const void *msg, size_t len,
                  double timeout)
{
    if (p == NULL || (msg == NULL && len > 0) || isnan(timeout))
        return -EINVAL;
    if (len > MANAGER_MSG_MAX)
        return -EMSGSIZE;
    return call(p, OP_QUEUE_PUT, 0, timeout, msg, len, NULL, NULL, NULL);
}

int
manager_queue_get(struct manager_proxy *p, void **msg, size_t *len,
                  double timeout)
{
    if (msg != NULL)
        *msg = NULL;
    if (p == NULL || msg == NULL || len == NULL || isnan(timeout))
        return -EINVAL;
    return call(p, OP_QUEUE_GET, 0, timeout, NULL, 0, NULL, msg, len);
}

void
manager_proxy_free(struct manager_proxy *p)
{
    if (p == NULL)
        return;
    close(p->fd);
    free(p);
}

void
manager_free(struct manager *m)
{
    /* TODO(04-C): stop the server (SIGTERM), reap it, free m. Python:
     * Manager.shutdown(). Read docs/04-ipc.md#manager. */
    (void)m;
}
