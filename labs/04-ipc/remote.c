/*
 * remote.c (stub) - the notes' distributed task master in C: a forked server
 * process serves a task queue and a result queue over TCP on 127.0.0.1
 * to clients that authenticate with an HMAC-SHA256 challenge-response.
 *
 * DESIGN
 *
 * The server is one thread and a poll() loop, as in manager.c.  A task
 * that a worker takes is not deleted: it moves to the `leased` list,
 * tagged with the worker's connection, until that connection answers it
 * with remote_result_put().  If the connection closes first (the worker
 * died), every task it held goes back to the front of the task queue
 * (DOC: 04-ipc#requeue).  A result for a task the connection does not
 * hold is refused, so the master sees each task's result exactly once.
 *
 * Authentication happens once per connection, at accept: the server
 * sends a random challenge, the client answers HMAC(key, challenge) and
 * its own challenge, the server checks and answers HMAC(key, client's
 * challenge).  Only HMACs and random bytes cross the wire.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "remote.h"
#include "wire.h"

#define NONCE_LEN 32            /* bytes of each random challenge */
#define MAC_LEN 32              /* HMAC-SHA256 */
#define HANDSHAKE_S 5.0         /* the whole handshake, either side */
#define CLIENTS_MAX 60

enum remote_op {
    OP_TASK_PUT = 1,
    OP_TASK_GET,
    OP_RESULT_PUT,
    OP_RESULT_GET,
};

struct request {
    uint32_t op;
    uint32_t pad;
    uint64_t id;                /* RESULT_PUT: the task answered */
    double timeout;             /* negative: forever */
};

struct reply {
    int32_t status;
    uint32_t pad;
    uint64_t id;
};

struct remote_master {
    pid_t pid;
    int port;
};

struct remote_conn {
    int fd;
};

/* ---- the server's state ------------------------------------------------ */

/* A task or a result: `id` is the task's. */
struct job {
    uint64_t id;
    int owner;                  /* leased: the worker's fd */
    void *msg;
    size_t len;
    struct job *next;
};

struct jobq {
    struct job *head;
    struct job *tail;
};

struct client {
    int fd;
    bool parked;                /* a TASK_GET or RESULT_GET waits */
    uint32_t op;
    uint64_t seq;
    double deadline;
};

struct server {
    int lfd;
    unsigned char key[REMOTE_KEY_MAX];
    size_t keylen;
    struct client clients[CLIENTS_MAX];
    int nclients;
    uint64_t next_seq;
    uint64_t next_id;
    struct jobq tasks;
    struct jobq results;
    struct job *leased;         /* tasks taken and not yet answered */
};

/* mac - HMAC-SHA256 of `nonce` under `key`.  Returns 0 or -EIO. */
static int
mac(const unsigned char *key, size_t keylen, const unsigned char *nonce,
    unsigned char out[MAC_LEN])
{
    /* TODO(04-D): HMAC-SHA256 of the nonce under the key (OpenSSL HMAC(),
     * EVP_sha256()). Python: hmac.new(authkey, message, 'sha256'). Read
     * docs/04-ipc.md#auth. */
    (void)key;
    (void)keylen;
    (void)nonce;
    (void)out;
    return -ENOSYS;
}

static inline void
jobq_push(struct jobq *q, struct job *j)
{
    j->next = NULL;
    if (q->tail != NULL)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
}

static inline void
jobq_push_front(struct jobq *q, struct job *j)
{
    j->next = q->head;
    q->head = j;
    if (q->tail == NULL)
        q->tail = j;
}

static inline struct job *
jobq_pop(struct jobq *q)
{
    struct job *j = q->head;

    if (j != NULL) {
        q->head = j->next;
        if (q->head == NULL)
            q->tail = NULL;
    }
    return j;
}

static void
reply_to(int fd, int status, uint64_t id, const void *msg, size_t len)
{
    struct reply r = { .status = status, .id = id };

    (void)wire_send(fd, &r, sizeof(r), msg, len);
}

/* try_serve - hand c the oldest task (leasing it) or the oldest result.
 * Returns true if it did (and replied). */
static bool
try_serve(struct server *s, struct client *c)
{
    /* TODO(04-D): hand c the oldest task (moving it to leased, owned by c) or
     * the oldest result, and reply. Python: task_queue.get() on the server.
     * Read docs/04-ipc.md#requeue. */
    (void)s;
    (void)c;
    (void)jobq_pop;
    return false;
}

/* serve_parked - run parked gets, oldest first, while any can run. */
static void
serve_parked(struct server *s)
{
    bool progress = true;

    while (progress) {
        struct client *oldest = NULL;
        progress = false;
        for (int i = 0; i < s->nclients; i++) {
            struct client *c = &s->clients[i];
            struct jobq *q = c->op == OP_TASK_GET ? &s->tasks : &s->results;
            if (c->parked && q->head != NULL &&
                (oldest == NULL || c->seq < oldest->seq))
                oldest = c;
        }
        if (oldest != NULL)
            progress = try_serve(s, oldest);
    }
}

/* unlease - remove task `id` held by `fd` from the leased list.
 * Returns it, or NULL if fd holds no such task. */
static struct job *
unlease(struct server *s, uint64_t id, int fd)
{
    /* TODO(04-D): find task id leased by fd, unlink and return it; NULL if fd
     * holds no such task. Python: (none). Read docs/04-ipc.md#exactly-once. */
    (void)s;
    (void)id;
    (void)fd;
    return NULL;
}

/* put_job - queue a new task (ids count from 1) or the result for the
 * task `id` leased by c.  `msg` is taken. */
static void
put_job(struct server *s, struct client *c, const struct request *rq,
        void *msg, size_t len)
{
    /* TODO(04-D): TASK_PUT: a new job with the next id on the task queue;
     * RESULT_PUT: only for a task c holds, moved to the results; reply, serve
     * waiters. Python: task_queue.put / result_queue.put. Read
     * docs/04-ipc.md#exactly-once. */
    (void)c;
    (void)rq;
    (void)unlease;
    (void)jobq_push;
    free(msg);
    (void)len;
    serve_parked(s);
}

/* handle - run one request; `body` is taken. */
static void
handle(struct server *s, struct client *c, const struct request *rq,
       void *body, size_t len)
{
    if (rq->op == OP_TASK_PUT || rq->op == OP_RESULT_PUT) {
        put_job(s, c, rq, body, len);
        return;
    }
    free(body);
    if (rq->op != OP_TASK_GET && rq->op != OP_RESULT_GET) {
        reply_to(c->fd, -EINVAL, 0, NULL, 0);
        return;
    }
    c->parked = true;
    c->op = rq->op;
    c->seq = s->next_seq++;
    c->deadline = wire_deadline(rq->timeout);
    serve_parked(s);
}

/* drop_client - forget client i; the tasks it held go back to the front
 * of the queue, oldest id first. */
static void
drop_client(struct server *s, int i)
{
    /* TODO(04-D): forget client i: every task it still holds goes back to the
     * front of the task queue, oldest first. Python: (Python loses them). Read
     * docs/04-ipc.md#requeue. */
    (void)s;
    (void)i;
    (void)jobq_push_front;
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

    if (c->parked || wire_recv(c->fd, (void **)&frame, &len,
                               wire_deadline(HANDSHAKE_S)) != 0 ||
        len < sizeof(rq)) {
        free(frame);
        drop_client(s, i);
        return false;
    }
    memcpy(&rq, frame, sizeof(rq));
    len -= sizeof(rq);
    body = malloc(len > 0 ? len : 1);
    if (body == NULL) {
        free(frame);
        reply_to(c->fd, -ENOMEM, 0, NULL, 0);
        return true;
    }
    memcpy(body, frame + sizeof(rq), len);
    free(frame);
    handle(s, c, &rq, body, len);
    return true;
}

/*
 * server_auth - the server's half of the handshake on a new connection.
 * Returns 0 when the client proved it knows the key, -EACCES when it did
 * not (it is told so), or another -errno.
 */
static int
server_auth(struct server *s, int fd)
{
    /* TODO(04-D): send a random challenge, check the client's HMAC of it
     * (CRYPTO_memcmp; refuse with -EACCES), answer the client's challenge.
     * Python: multiprocessing.connection.deliver_challenge. Read
     * docs/04-ipc.md#auth. */
    (void)s;
    (void)fd;
    (void)mac;
    return -ENOSYS;
}

/* accept_client - accept, authenticate, and add one connection. */
static void
accept_client(struct server *s)
{
    int one = 1;
    int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0)
        return;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (s->nclients == CLIENTS_MAX || server_auth(s, fd) != 0) {
        close(fd);
        return;
    }
    s->clients[s->nclients++] = (struct client){ .fd = fd, .deadline = -1 };
}

/* expire - answer -ETIMEDOUT to parked gets past their deadline; return
 * poll()'s timeout for the nearest deadline still ahead. */
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
    struct pollfd pfds[CLIENTS_MAX + 1];

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

/* server_main - the child's life.  Does not return. */
static void
server_main(int lfd, pid_t parent, const void *key, size_t keylen)
{
    /* TODO(04-D): in the forked child: die with the parent, close inherited
     * descriptors but lfd, copy the key, serve forever. Python:
     * BaseManager.start(). Read docs/04-ipc.md#remote. */
    (void)lfd;
    (void)parent;
    (void)key;
    (void)keylen;
    (void)server_loop;
    _exit(1);
}

/* ---- the owner's and the clients' side ---------------------------------- */

/* check_key - the argument checks remote_master_new and remote_connect
 * share.  Returns 0 or -EINVAL. */
static int
check_key(int port, const void *key, size_t keylen)
{
    if ((key == NULL && keylen > 0) || keylen > REMOTE_KEY_MAX)
        return -EINVAL;
    if (port < 0 || port > 65535)
        return -EINVAL;
    return 0;
}

/* listen_on - a listening TCP socket on 127.0.0.1:port; *bound gets the
 * real port.  Returns the fd or -errno. */
static int
listen_on(int port, int *bound)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int err;

    if (fd < 0)
        return -errno;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        err = -errno;
        close(fd);
        return err;
    }
    *bound = ntohs(sa.sin_port);
    return fd;
}

int
remote_master_new(struct remote_master **out, int port, const void *key,
                  size_t keylen)
{
    /* TODO(04-D): check the arguments, listen on 127.0.0.1:port, fork the
     * server; *out = NULL on failure. Python: QueueManager(address,
     * authkey).start(). Read docs/04-ipc.md#remote. */
    (void)port;
    (void)key;
    (void)keylen;
    (void)check_key;
    (void)listen_on;
    (void)server_main;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
remote_master_port(const struct remote_master *m)
{
    return m == NULL ? 0 : m->port;
}

/* tcp_connect - a connected close-on-exec socket to 127.0.0.1:port. */
static int
tcp_connect(int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -errno;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        int err = -errno;
        if (err == -EINTR)
            continue;
        close(fd);
        return err;
    }
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/*
 * client_auth - the client's half: answer the server's challenge, send
 * ours, check the server's answer.  Returns 0, -EACCES (either side
 * found the other's key wrong), -EPROTO, -ETIMEDOUT or -errno.
 */
static int
client_auth(int fd, const unsigned char *key, size_t keylen)
{
    /* TODO(04-D): answer the server's challenge with HMAC(key, it) plus our own
     * challenge; check its answer; -EACCES if either side refuses. Python:
     * multiprocessing.connection.answer_challenge. Read docs/04-ipc.md#auth. */
    (void)fd;
    (void)key;
    (void)keylen;
    return -ENOSYS;
}

int
remote_connect(struct remote_conn **out, int port, const void *key,
               size_t keylen)
{
    /* TODO(04-D): connect to 127.0.0.1:port and authenticate; *out = NULL on
     * failure. Python: QueueManager(address, authkey).connect(). Read
     * docs/04-ipc.md#auth. */
    (void)port;
    (void)key;
    (void)keylen;
    (void)tcp_connect;
    (void)client_auth;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/* call - one round trip; on success *id and (if msg) *msg and *len are set
 * from the reply.  Returns the reply's status, or -EPIPE / -EPROTO. */
static int
call(struct remote_conn *c, const struct request *rq, const void *body,
     size_t blen, uint64_t *id, void **msg, size_t *len)
{
    struct reply r;
    unsigned char *frame;
    size_t flen;
    int err = wire_send(c->fd, rq, sizeof(*rq), body, blen);

    if (err == 0)
        err = wire_recv(c->fd, (void **)&frame, &flen, -1.0);
    if (err)
        return err;
    if (flen < sizeof(r)) {
        free(frame);
        return -EPROTO;
    }
    memcpy(&r, frame, sizeof(r));
    if (r.status == 0 && id != NULL)
        *id = r.id;
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
remote_task_put(struct remote_conn *c, const void *task, size_t len,
                uint64_t *id)
{
    struct request rq = { .op = OP_TASK_PUT };

    if (c == NULL || (task == NULL && len > 0))
        return -EINVAL;
    if (len > REMOTE_MSG_MAX)
        return -EMSGSIZE;
    return call(c, &rq, task, len, id, NULL, NULL);
}

/* get_call - the TASK_GET / RESULT_GET round trip. */
static int
get_call(struct remote_conn *c, uint32_t op, uint64_t *id, void **msg,
         size_t *len, double timeout)
{
    struct request rq = { .op = op, .timeout = timeout };

    if (msg != NULL)
        *msg = NULL;
    if (c == NULL || id == NULL || msg == NULL || len == NULL ||
        isnan(timeout))
        return -EINVAL;
    return call(c, &rq, NULL, 0, id, msg, len);
}

int
remote_task_get(struct remote_conn *c, uint64_t *id, void **task,
                size_t *len, double timeout)
{
    return get_call(c, OP_TASK_GET, id, task, len, timeout);
}

int
remote_result_put(struct remote_conn *c, uint64_t id, const void *result,
                  size_t len)
{
    struct request rq = { .op = OP_RESULT_PUT, .id = id };

    if (c == NULL || (result == NULL && len > 0))
        return -EINVAL;
    if (len > REMOTE_MSG_MAX)
        return -EMSGSIZE;
    return call(c, &rq, result, len, NULL, NULL, NULL);
}

int
remote_result_get(struct remote_conn *c, uint64_t *id, void **result,
                  size_t *len, double timeout)
{
    return get_call(c, OP_RESULT_GET, id, result, len, timeout);
}

void
remote_close(struct remote_conn *c)
{
    if (c == NULL)
        return;
    close(c->fd);
    free(c);
}

void
remote_master_free(struct remote_master *m)
{
    /* TODO(04-D): stop the server (SIGTERM), reap it, free m. Python:
     * manager.shutdown(). Read docs/04-ipc.md#remote. */
    (void)m;
}
