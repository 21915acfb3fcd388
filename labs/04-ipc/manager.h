/*
 * manager.h - a server process that owns shared objects, and proxies
 * that reach them over a UNIX socket (lab 04, part C).
 * Python: multiprocessing.Manager() (SyncManager) with one Value('i'), one
 * dict, one Queue and one Lock.  Every proxy call is one round trip.
 */
#ifndef LAB_MANAGER_H
#define LAB_MANAGER_H

#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Longest dict key (bytes, without the NUL) and queue message. */
#define MANAGER_KEY_MAX 255
#define MANAGER_MSG_MAX 65536
/* Messages the manager's queue holds (Python: Manager().Queue(maxsize)). */
#define MANAGER_QUEUE_MAX 64
/* Keys the manager's dict holds. */
#define MANAGER_DICT_MAX 256
/* Proxies connected at once; more are refused (-ECONNREFUSED). */
#define MANAGER_CLIENTS_MAX 60

struct manager;                 /* the server process, seen by its owner */
struct manager_proxy;           /* one connection to the server */

/*
 * manager_new - start the server process.
 * Python:  m = multiprocessing.Manager()   (the value starts at 0, the
 *          dict and the queue empty, the lock free)
 * Returns: 0; -EINVAL if out is NULL; -EAGAIN, -ENOMEM, -EMFILE from
 *          fork and socket.  On failure *out is NULL and no process is
 *          left.
 * Owns:    gives *out; free it with manager_free() in the same process.
 */
int manager_new(struct manager **out);

/*
 * manager_connect - open a proxy to m's server.  Connect in the process
 * that will use the proxy (after fork, not before: two processes must not
 * share one connection).
 * Python:  a proxy (m.Value(...), m.dict(), ...) used in that process
 * Returns: 0; -EINVAL if an argument is NULL; -ECONNREFUSED if the server
 *          has shut down; -errno from socket/connect.  *out NULL on error.
 * Owns:    borrows m; gives *out (free with manager_proxy_free()).
 */
int manager_connect(struct manager *m, struct manager_proxy **out);

/*
 * manager_value_get / manager_value_set - read or write the Value.
 * Python:  v.value   /   v.value = x   (each one round trip)
 * Returns: 0; -EPIPE if the server is gone; -EINVAL for NULL.
 * Owns:    borrows p and out.
 * Threads: one thread at a time per proxy (like a Python proxy).
 */
int manager_value_get(struct manager_proxy *p, long *out);
int manager_value_set(struct manager_proxy *p, long value);

/*
 * manager_value_add - add delta to the Value in the server, in one step
 * that no other proxy can split: the fix for the lost update.
 * Python:  (none: `v.value += 1` is a get then a set, which loses
 *          updates; Python needs the Lock)
 * Returns: 0 with the new value in *result (may be NULL); -EPIPE; -EINVAL.
 * Owns:    borrows p and result.
 */
int manager_value_add(struct manager_proxy *p, long delta, long *result);

/*
 * manager_lock_acquire - take the manager's Lock.
 * Python:  lock.acquire(timeout=-1) -> bool
 * Returns: 0 once this proxy holds it; -ETIMEDOUT if another proxy still
 *          held it after `timeout` s (Python: False); -EDEADLK if this
 *          proxy holds it already (Python's Lock would block forever);
 *          -EPIPE; -EINVAL.  A proxy whose process dies releases the lock
 *          (Python's stays held).
 * Owns:    borrows p.
 */
int manager_lock_acquire(struct manager_proxy *p, double timeout);

/* manager_lock_release - Python: lock.release().  Returns 0; -EPERM if
 * this proxy does not hold it (Python allows any caller: stricter);
 * -EPIPE; -EINVAL. */
int manager_lock_release(struct manager_proxy *p);

/*
 * manager_dict_set / get / del / len - the dict, keyed by C strings of at
 * most MANAGER_KEY_MAX bytes, holding longs.
 * Python:  d[key] = v;  d[key];  del d[key];  len(d)
 * Returns: 0; -ENOENT if get or del finds no such key (Python: KeyError);
 *          -ENAMETOOLONG for a longer key; -ENOSPC if the server's dict
 *          is full; -EPIPE; -EINVAL for NULL.
 * Owns:    borrows p, key and out.
 */
int manager_dict_set(struct manager_proxy *p, const char *key, long value);
int manager_dict_get(struct manager_proxy *p, const char *key, long *out);
int manager_dict_del(struct manager_proxy *p, const char *key);
int manager_dict_len(struct manager_proxy *p, size_t *out);

/*
 * manager_queue_put / manager_queue_get - the server's queue of byte
 * messages (at most MANAGER_QUEUE_MAX of them, each at most
 * MANAGER_MSG_MAX bytes).
 * Python:  q = m.Queue(); q.put(x, timeout=...); q.get(timeout=...)
 * Returns: 0 (get: *msg malloc'd, never NULL, and *len); -ETIMEDOUT when
 *          still full / empty after `timeout` s (Python: Full / Empty;
 *          timeout 0 is the nowait form); -EMSGSIZE; -EPIPE; -EINVAL.
 * Owns:    borrows p and msg; get gives *msg (free with free()).
 */
int manager_queue_put(struct manager_proxy *p, const void *msg, size_t len, double timeout);
int manager_queue_get(struct manager_proxy *p, void **msg, size_t *len, double timeout);

/* manager_proxy_free - close the connection (a lock it holds is
 * released).  Owns: takes p.  NULL is a no-op. */
void manager_proxy_free(struct manager_proxy *p);

/*
 * manager_free - stop the server process (SIGTERM, then reap it) and
 * release m.  Proxies still open get -EPIPE afterwards.
 * Python:  m.shutdown()
 * Owns:    takes m.  NULL is a no-op.  Call it in the process that made m.
 */
void manager_free(struct manager *m);

#endif /* LAB_MANAGER_H */
