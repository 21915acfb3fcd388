/*
 * manager.c - multiprocessing.Manager() in C: a forked server process
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
    if (c->op == OP_LOCK) {
        if (s->lock_owner >= 0)
            return false;
        s->lock_owner = c->fd;                  /* DOC: 04-ipc#manager-lock */
        reply_to(c->fd, 0, 0, NULL, 0);
    } else if (c->op == OP_QUEUE_GET) {
        struct item *it = &s->queue[s->qhead];
        if (s->qlen == 0)
            return false;
        reply_to(c->fd, 0, 0, it->msg, it->len);
        free(it->msg);
        s->qhead = (s->qhead + 1) % MANAGER_QUEUE_MAX;
        s->qlen--;
    } else {
        struct item *it;
        if (s->qlen == MANAGER_QUEUE_MAX)
            return false;
        it = &s->queue[(s->qhead + s->qlen) % MANAGER_QUEUE_MAX];
        it->msg = c->msg;
        it->len = c->len;
        c->msg = NULL;
        s->qlen++;
        reply_to(c->fd, 0, 0, NULL, 0);
    }
    c->parked = false;
    return true;
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
    bool progress = true;

    while (progress) {
        struct client *c = next_parked(s, true, 0);
        progress = false;
        while (c != NULL) {
            progress |= try_serve(s, c);
            c = next_parked(s, false, c->seq);
        }
    }
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
    switch (rq->op) {
    case OP_VALUE_GET:
        reply_to(c->fd, 0, s->value, NULL, 0);
        break;
    case OP_VALUE_SET:
        s->value = (long)rq->arg;
        reply_to(c->fd, 0, 0, NULL, 0);
        break;
    case OP_VALUE_ADD:
        s->value += (long)rq->arg;              /* DOC: 04-ipc#atomic-add */
        reply_to(c->fd, 0, s->value, NULL, 0);
        break;
    case OP_LOCK:
        if (s->lock_owner == c->fd)
            reply_to(c->fd, -EDEADLK, 0, NULL, 0);
        else
            park(s, c, rq, NULL, 0);
        break;
    case OP_UNLOCK:
        if (s->lock_owner != c->fd) {
            reply_to(c->fd, -EPERM, 0, NULL, 0);
            break;
        }
        s->lock_owner = -1;
        reply_to(c->fd, 0, 0, NULL, 0);
        serve_parked(s);
        break;
    case OP_QUEUE_PUT:
    case OP_QUEUE_GET:
        park(s, c, rq, rq->op == OP_QUEUE_PUT ? body : NULL, len);
        if (rq->op == OP_QUEUE_PUT)
            body = NULL;
        break;
    case OP_DICT_LEN:
        reply_to(c->fd, 0, s->nkeys, NULL, 0);
        break;
    default:
        dict_op(s, c->fd, rq->op, body, (long)rq->arg);
        break;
    }
    free(body);
}

/* drop_client - forget client i (it hung up or broke the protocol): its
 * parked request goes, and so does its Lock. */
static void
drop_client(struct server *s, int i)
{
    struct client *c = &s->clients[i];

    if (s->lock_owner == c->fd)
        s->lock_owner = -1;                     /* DOC: 04-ipc#manager-lock */
    close(c->fd);
    free(c->msg);
    s->clients[i] = s->clients[--s->nclients];
    serve_parked(s);
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
    struct server *s;

    if (wire_server_child(parent) != 0)
        _exit(1);
    (void)wire_close_inherited(lfd);            /* DOC: 04-ipc#inherited */
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        _exit(1);
    s->lfd = lfd;
    s->lock_owner = -1;
    server_loop(s);
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
    struct manager *m;
    pid_t parent = getpid();
    int lfd;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return -ENOMEM;
    lfd = make_listener(m);
    if (lfd < 0) {
        err = lfd;
        goto out_free;
    }
    m->pid = fork();
    if (m->pid < 0) {
        err = -errno;
        goto out_close;
    }
    if (m->pid == 0)
        server_main(lfd, parent);
    close(lfd);                 /* the server's copy keeps it listening */
    *out = m;
    return 0;

out_close:
    close(lfd);
out_free:
    free(m);
    return err;
}

int
manager_connect(struct manager *m, struct manager_proxy **out)
{
    struct manager_proxy *p;
    int err;

    if (out != NULL)
        *out = NULL;
    if (m == NULL || out == NULL)
        return -EINVAL;
    p = malloc(sizeof(*p));
    if (p == NULL)
        return -ENOMEM;
    p->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p->fd < 0) {
        err = -errno;
        goto out_free;
    }
    while (connect(p->fd, (struct sockaddr *)&m->addr, m->addr_len) != 0) {
        if (errno == EINTR)
            continue;
        err = -errno;
        goto out_close;
    }
    *out = p;
    return 0;

out_close:
    close(p->fd);
out_free:
    free(p);
    return err;
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
    struct request rq = { .op = op, .arg = arg, .timeout = timeout };
    struct reply r;
    unsigned char *frame;
    size_t flen;
    int err;

    err = wire_send(p->fd, &rq, sizeof(rq), body, blen);
    if (err == 0)
        err = wire_recv(p->fd, (void **)&frame, &flen, -1.0);
    if (err)
        return err == -ECONNRESET ? -EPIPE : err;
    if (flen < sizeof(r)) {
        free(frame);
        return -EPROTO;
    }
    memcpy(&r, frame, sizeof(r));
    if (value != NULL)
        *value = (long)r.value;
    if (r.status == 0 && msg != NULL) {
        *len = flen - sizeof(r);
        memmove(frame, frame + sizeof(r), *len);
        *msg = frame;
        return 0;
    }
    free(frame);
    return r.status;
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
    if (p == NULL)
        return -EINVAL;
    return call(p, OP_VALUE_ADD, delta, 0, NULL, 0, result, NULL, NULL);
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
    if (m == NULL)
        return;
    kill(m->pid, SIGTERM);
    while (waitpid(m->pid, NULL, 0) < 0 && errno == EINTR)
        continue;
    free(m);
}
