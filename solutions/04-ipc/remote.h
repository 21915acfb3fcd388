/*
 * remote.h - a task master that serves a task queue and a result queue
 * over TCP on 127.0.0.1, to workers that prove they know a shared key
 * (lab 04, part D).
 * Python: BaseManager subclass with register('get_task_queue', ...) and
 * register('get_result_queue', ...), address=('127.0.0.1', port),
 * authkey=b'...'; workers connect() with the same authkey.
 */
#ifndef LAB_REMOTE_H
#define LAB_REMOTE_H

#include <stddef.h>
#include <stdint.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Longest task or result (bytes), and longest key. */
#define REMOTE_MSG_MAX 65536
#define REMOTE_KEY_MAX 256

struct remote_master;           /* the server process, seen by its owner */
struct remote_conn;             /* one authenticated connection */

/*
 * remote_master_new - start the server process listening on
 * 127.0.0.1:port (0: any free port; see remote_master_port()).
 * Python:  QueueManager(address=('127.0.0.1', port), authkey=key).start()
 * Returns: 0; -EINVAL if out is NULL, key is NULL with keylen > 0, keylen
 *          > REMOTE_KEY_MAX or port is not 0..65535; -EADDRINUSE;
 *          -errno from socket, bind or fork.  *out NULL on error.
 * Owns:    gives *out (free with remote_master_free()); borrows key (the
 *          server keeps its own copy).
 */
int remote_master_new(struct remote_master **out, int port, const void *key, size_t keylen);

/* remote_master_port - the port the server listens on (Python: the
 * manager's address[1]).  0 for NULL.  Cannot fail. */
int remote_master_port(const struct remote_master *m);

/*
 * remote_connect - connect to 127.0.0.1:port and authenticate both ways
 * with an HMAC-SHA256 challenge-response: each side sends a random
 * challenge and checks the other's HMAC of it.  The key never crosses the
 * wire.
 * Python:  QueueManager(address=(...), authkey=key).connect()
 * Returns: 0; -EACCES if the keys differ (Python: AuthenticationError);
 *          -ECONNREFUSED if nobody listens; -EPROTO if the peer does not
 *          speak the protocol; -ETIMEDOUT if it stays silent for 5 s;
 *          -EINVAL as remote_master_new.  *out NULL on error.
 * Owns:    gives *out (free with remote_close()); borrows key.
 */
int remote_connect(struct remote_conn **out, int port, const void *key, size_t keylen);

/*
 * remote_task_put - append a task to the task queue.
 * Python:  task_queue.put(n)
 * Returns: 0 with the task's id in *id (may be NULL; ids count from 1);
 *          -EMSGSIZE; -EPIPE if the master is gone; -EINVAL.
 * Owns:    borrows c, task and id.
 */
int remote_task_put(struct remote_conn *c, const void *task, size_t len, uint64_t *id);

/*
 * remote_task_get - take the oldest task.  It stays this connection's
 * until remote_result_put() answers it; if the connection closes first
 * (the worker died), the task goes back to the front of the queue.
 * Python:  task_queue.get(timeout=...)   (Python loses the task instead)
 * Returns: 0 with *id, *task (malloc'd, never NULL) and *len;
 *          -ETIMEDOUT if none came within `timeout` s (Python: Empty);
 *          -EPIPE; -EINVAL.
 * Owns:    borrows c, id and len; gives *task (free with free()).
 */
int remote_task_get(struct remote_conn *c, uint64_t *id, void **task, size_t *len, double timeout);

/*
 * remote_result_put - answer task `id`, taken by this connection.
 * Python:  result_queue.put(r)
 * Returns: 0; -ENOENT if this connection holds no task `id` (unknown,
 *          already answered, or taken by another worker: the master must
 *          see each result exactly once); -EMSGSIZE; -EPIPE; -EINVAL.
 * Owns:    borrows c and result.
 */
int remote_result_put(struct remote_conn *c, uint64_t id, const void *result, size_t len);

/*
 * remote_result_get - take the oldest result.
 * Python:  result_queue.get(timeout=...)
 * Returns: 0 with the task's *id, *result (malloc'd, never NULL) and
 *          *len; -ETIMEDOUT (Python: Empty); -EPIPE; -EINVAL.
 * Owns:    borrows c, id and len; gives *result (free with free()).
 */
int remote_result_get(struct remote_conn *c, uint64_t *id, void **result, size_t *len, double timeout);

/* remote_close - close the connection; its unanswered tasks go back to
 * the queue.  Owns: takes c.  NULL is a no-op. */
void remote_close(struct remote_conn *c);

/*
 * remote_master_free - stop the server (SIGTERM, reap) and release m.
 * Python:  manager.shutdown()
 * Owns:    takes m.  NULL is a no-op.  Call it in the process that made m.
 */
void remote_master_free(struct remote_master *m);

#endif /* LAB_REMOTE_H */
