/*
 * duplex.h - a pair of connected ends that send whole messages both ways
 * (lab 04, part B).
 * Python: multiprocessing.Pipe(duplex=True) and its Connection objects.
 */
#ifndef LAB_DUPLEX_H
#define LAB_DUPLEX_H

#include <stddef.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Longest message pipe_send() accepts (Python has no limit but memory). */
#define PIPE_MSG_MAX (256u << 20)

struct pipe_conn;               /* opaque: one end of the pipe */

/*
 * pipe_new - make two connected ends.  Fork after this call and each
 * process keeps one end and frees the other.
 * Python:  a, b = multiprocessing.Pipe()
 * Returns: 0; -EINVAL if a or b is NULL; -EMFILE, -ENFILE, -ENOMEM.
 *          On failure *a and *b are NULL.
 * Owns:    gives *a and *b; each process frees its copies with
 *          pipe_close().
 */
int pipe_new(struct pipe_conn **a, struct pipe_conn **b);

/*
 * pipe_send - send one message of `len` bytes (0 is allowed).
 * Python:  Connection.send_bytes(buf)
 * Returns: 0 once the whole message is written (it may block while the
 *          peer is not reading); -EPIPE if the peer end is closed
 *          everywhere (Python: BrokenPipeError); -EMSGSIZE if len >
 *          PIPE_MSG_MAX; -EINVAL if c is NULL or msg is NULL with len > 0.
 *          Never raises SIGPIPE.
 * Owns:    borrows c and msg.
 * Threads: one thread at a time per end (as in Python).
 */
int pipe_send(struct pipe_conn *c, const void *msg, size_t len);

/*
 * pipe_recv - receive the next whole message, however long, waiting for
 * it without limit.
 * Python:  Connection.recv_bytes()
 * Returns: 0 with *msg (malloc'd, never NULL, even for an empty message)
 *          and *len; -EPIPE when the peer end is closed everywhere and
 *          every message has been read (Python: EOFError); -EPROTO if the
 *          peer went away in the middle of a message; -ENOMEM; -EINVAL if
 *          an argument is NULL.  On failure *msg is NULL.
 * Owns:    borrows c; gives *msg, which the caller frees with free().
 * Threads: one thread at a time per end.
 */
int pipe_recv(struct pipe_conn *c, void **msg, size_t *len);

/*
 * pipe_poll - wait until pipe_recv() would not block.
 * Python:  Connection.poll(timeout=0.0) -> bool
 * Returns: 0 when a message, or the end of the stream, is waiting (then
 *          pipe_recv() returns at once); -ETIMEDOUT if nothing came within
 *          `timeout` seconds (Python: False); -EINVAL for NULL or NaN.
 *          LAB_FOREVER waits without limit (Python: poll(None)).  Never
 *          consumes anything.
 * Owns:    borrows c.
 */
int pipe_poll(struct pipe_conn *c, double timeout);

/*
 * pipe_close - close this process's copy of the end and free it.  The
 * peer sees the end of the stream once every process has closed its copy.
 * Python:  Connection.close()
 * Owns:    takes c.  NULL is a no-op.
 */
void pipe_close(struct pipe_conn *c);

#endif /* LAB_DUPLEX_H */
