/*
 * cosched.h - a gevent-style scheduler on one thread: spawn, join, sleep,
 * and I/O calls that park the coroutine instead of blocking the thread
 * (lab 11, parts B and C).
 * Python:  gevent (spawn, Greenlet.join, joinall, sleep) and the socket
 *          and os calls that gevent.monkey.patch_all() makes cooperative.
 *          Where C differs from Python, the function says so;
 *          docs/11-coroutines.md has the side-by-side version.
 */
#ifndef LAB_COSCHED_H
#define LAB_COSCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "co.h"                 /* LAB_FOREVER, struct co */

struct co_hub;                  /* opaque: the loop (gevent's hub) */
struct co_task;                 /* opaque: one spawned coroutine (Greenlet) */

/* The function a task runs, with the hub it runs on.  Its return value
 * is the task's value (Python: Greenlet.value). */
typedef void *co_task_fn(struct co_hub *hub, void *arg);

/*
 * co_hub_new - make a hub: the loop that runs tasks, timers and epoll.
 *          It runs on its own coroutine, entered whenever a caller (a
 *          task or the code outside every task) must wait.
 * Python:  gevent.get_hub() (Python makes one per thread on demand)
 * Returns: 0; -EINVAL if out is NULL; -ENOMEM; -EMFILE from
 *          epoll_create1.  On failure *out is NULL.
 * Owns:    gives *out, freed with co_hub_free().
 * Threads: the hub belongs to the calling thread.
 */
int co_hub_new(struct co_hub **out);

/*
 * co_hub_free - release the hub.  Tasks that have not finished are
 *          dropped where they stand (their frames are not unwound, as
 *          co_free() says) and count as killed; the caller still frees
 *          the task objects it holds.
 * Python:  hub.destroy()
 * Owns:    takes hub.  NULL is a no-op.
 * Threads: the owning thread, from outside every task.
 */
void co_hub_free(struct co_hub *hub);

/*
 * co_spawn - make a task that will run fn(hub, arg) and queue it.  It
 *          does not run until the caller waits (sleep, join or I/O);
 *          tasks start in spawn order.
 * Python:  gevent.spawn(fn, *args) -> Greenlet
 * Returns: 0; -EINVAL if hub, out or fn is NULL; -ENOMEM.  On failure
 *          *out is NULL and nothing was queued.
 * Owns:    borrows hub; gives *out (free with co_task_free()); keeps arg
 *          until fn returns.
 * Threads: the hub's thread, inside or outside a task.
 */
int co_spawn(struct co_hub *hub, struct co_task **out, co_task_fn *fn, void *arg);

/*
 * co_join - wait until `task` has finished, running the hub meanwhile.
 * Python:  Greenlet.join(timeout=None) -> None
 * Returns: 0 once it has finished (at once if it had; also when the hub
 *          was freed and it counts as killed); -ETIMEDOUT if `timeout`
 *          seconds passed first (Python returns None either way; C says
 *          which); -EDEADLK if task is the caller, or if nothing could
 *          ever wake the caller (no task ready, no timer, no fd: Python
 *          raises LoopExit); -EBUSY if another coroutine outside the
 *          tasks is already waiting on this hub; -EINVAL if task is NULL,
 *          or timeout is NaN; -ENOMEM.  LAB_FOREVER waits without limit.
 * Owns:    borrows task.
 */
int co_join(struct co_task *task, double timeout);

/*
 * co_joinall - wait until every task in tasks[0..n) has finished, or
 *          `timeout` seconds have passed in all.
 * Python:  gevent.joinall(greenlets, timeout=None) -> finished greenlets
 * Returns: 0 when all have finished; -ETIMEDOUT if some had not at the
 *          deadline; the other errors as co_join().  *done (may be NULL)
 *          gets how many of the n have finished, in every case but
 *          -EINVAL.  Python returns the finished ones; C counts them:
 *          co_task_ready() tells which.  All tasks must share one hub.
 * Owns:    borrows tasks, every task and done.
 */
int co_joinall(struct co_task *const tasks[], size_t n, double timeout, size_t *done);

/*
 * co_sleep - park the caller for `seconds`, running other tasks
 *          meanwhile.  co_sleep(hub, 0) moves the caller to the back of
 *          the ready queue: every other ready task runs once, and due
 *          timers and ready fds are handled, before it goes on.
 * Python:  gevent.sleep(seconds=0)  (what time.sleep becomes after
 *          monkey.patch_all())
 * Returns: 0 after at least `seconds` (never early); -EINVAL if hub is
 *          NULL or seconds is negative or NaN; -EBUSY, -ENOMEM as
 *          co_join().
 * Owns:    borrows hub.
 */
int co_sleep(struct co_hub *hub, double seconds);

/* co_task_ready - Python: Greenlet.ready(): finished (or killed when
 * its hub was freed).  False for NULL.  Cannot fail. */
bool co_task_ready(const struct co_task *task);

/*
 * co_task_value - what the task's function returned.
 * Python:  Greenlet.value (and get(block=False))
 * Returns: 0 with *value set; -EAGAIN if it has not finished (Python:
 *          value is None, get raises Timeout); -ECANCELED if its hub was
 *          freed before it finished (Python: a GreenletExit instance);
 *          -EINVAL if task or value is NULL.
 * Owns:    borrows task and value; *value is whatever fn returned.
 */
int co_task_value(const struct co_task *task, void **value);

/*
 * co_task_free - drop the caller's hold on a task.  A task that has not
 *          finished keeps running: the hub frees it when it finishes or
 *          when the hub is freed (Python: the hub keeps a reference).
 * Owns:    takes task.  NULL is a no-op.
 * Threads: the hub's thread.
 */
void co_task_free(struct co_task *task);

/*
 * co_read - read up to len bytes from fd, parking the caller (not the
 *          thread) until fd is readable.  fd is switched to non-blocking
 *          mode (O_NONBLOCK), as gevent does with its sockets; that flag
 *          is shared with every dup of fd.
 * Python:  os.read(fd, n) / sock.recv(n) after monkey.patch_all()
 * Returns: the bytes read, 0 at end of file; -EBUSY if another coroutine
 *          is already parked on fd in this hub (gevent:
 *          ConcurrentObjectUseError); -EINVAL if hub or buf is NULL;
 *          -errno from read or epoll (-EBADF, -EPERM for a regular file,
 *          which epoll cannot watch).  EINTR is retried.
 * Owns:    borrows hub and buf.
 */
ssize_t co_read(struct co_hub *hub, int fd, void *buf, size_t len);

/*
 * co_write - write all len bytes to fd, parking the caller whenever fd
 *          is full.  fd becomes non-blocking, as in co_read().
 * Python:  sock.sendall(data) after monkey.patch_all()
 * Returns: 0 once everything was written; -EPIPE if the reader is gone
 *          (after SIGPIPE, which kills the process unless it is ignored:
 *          Python ignores it at start-up); -EBUSY, -EINVAL and -errno as
 *          co_read().
 * Owns:    borrows hub and buf.
 */
int co_write(struct co_hub *hub, int fd, const void *buf, size_t len);

/*
 * co_accept - take the next connection on the listening socket fd,
 *          parking the caller until one arrives.
 * Python:  sock.accept() after monkey.patch_all()
 * Returns: the new socket's fd (close-on-exec and non-blocking; the
 *          caller closes it); -EBUSY, -EINVAL as co_read(); -errno from
 *          accept4 (-EINVAL: fd is not listening).
 * Owns:    borrows hub; gives the new fd.
 */
int co_accept(struct co_hub *hub, int fd);

/*
 * co_connect - connect the socket fd to addr, parking the caller until
 *          the connection is made or refused.
 * Python:  sock.connect(address) after monkey.patch_all()
 * Returns: 0 once connected; -ECONNREFUSED and the other -errno from
 *          connect (or from SO_ERROR when it completes later); -EBUSY,
 *          -EINVAL as co_read() (also for a NULL addr).
 * Owns:    borrows hub and addr.
 */
int co_connect(struct co_hub *hub, int fd, const struct sockaddr *addr, socklen_t addrlen);

#endif /* LAB_COSCHED_H */
