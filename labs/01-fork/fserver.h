/*
 * fserver.h - a fork-per-connection TCP echo server that reaps its
 * children from a SIGCHLD handler (lab 01, part D).
 * Python:  socketserver.ForkingTCPServer(("127.0.0.1", 0), EchoHandler),
 *          run in a process of its own.  Where C differs, the function
 *          says so.
 *
 * Three kinds of process: the caller; the server (forked by
 * fserver_start), which accepts connections; and one connection child per
 * accepted client, which echoes until the client closes and then _exits.
 * The server reaps connection children in its SIGCHLD handler with a
 * waitpid(-1, WNOHANG) loop, because signals coalesce: one SIGCHLD may
 * stand for many dead children.
 */
#ifndef LAB_FSERVER_H
#define LAB_FSERVER_H

#include <sys/types.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never expires */
#endif

/* The listen() backlog used when the options do not give one. */
#define FSERVER_DEFAULT_BACKLOG 64

struct fserver;     /* opaque: only fserver_* functions look inside */

/* Keyword arguments of fserver_start; zero or NULL means the default. */
struct fserver_options {
    int backlog;    /* listen() backlog (Python: request_queue_size) */
};

/*
 * fserver_start - listen on 127.0.0.1 on a port the kernel picks, then
 * fork the server process, which accepts connections and forks one child
 * per connection.  Connections made as soon as this returns are queued.
 * Python:  srv = ForkingTCPServer(("127.0.0.1", 0), EchoHandler);
 *          Process(target=srv.serve_forever).start()
 * Returns: 0; -EINVAL if out is NULL or opts->backlog < 0; -ENOMEM;
 *          -errno from socket, bind, listen, pipe2 or fork (Python:
 *          OSError).  On failure *out is NULL and nothing is left open.
 * Owns:    gives *out to the caller, who frees it with fserver_free();
 *          borrows opts (may be NULL).
 * Threads: any thread, but the server is killed (SIGKILL) when the thread
 *          that started it ends (so a crashed caller never leaves a server
 *          behind): start it from a thread that outlives it.
 */
int fserver_start(struct fserver **out, const struct fserver_options *opts);

/* fserver_port - the TCP port it listens on (host order), or -EINVAL for
 * NULL.  Python: srv.server_address[1].  Cannot fail otherwise. */
int fserver_port(const struct fserver *s);

/* fserver_pid - the server process's pid, or -EINVAL for NULL.  Cannot
 * fail otherwise.  Python: the serving Process's pid. */
pid_t fserver_pid(const struct fserver *s);

/*
 * fserver_stop - send the server SIGTERM and wait up to `timeout` seconds
 * for it to end: it stops accepting, waits for every connection child
 * (each ends when its client closes), and exits 0.  Then reap it.
 * Python:  srv.shutdown(); srv.server_close(); p.join(timeout)
 * Returns: 0 with *exitcode (may be NULL) set as fork_exitcode() decodes
 *          it (0 for a clean stop); -ETIMEDOUT if it was still running at
 *          the deadline (it keeps running: call again, or fserver_free);
 *          -EINVAL if s is NULL, timeout is NaN, or it was already
 *          stopped.  LAB_FOREVER waits without limit.
 * Owns:    borrows s and exitcode.
 */
int fserver_stop(struct fserver *s, int *exitcode, double timeout);

/*
 * fserver_free - release s.  A server still running is killed (SIGKILL)
 * and reaped; its connection children die with it.  Accepts NULL; cannot
 * fail.
 * Owns:    takes s.
 */
void fserver_free(struct fserver *s);

#endif /* LAB_FSERVER_H */
