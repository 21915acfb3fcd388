/*
 * wire.h - length-prefixed frames over a stream socket, with deadlines
 * (lab 04, given: the plumbing under manager.c and remote.c).
 * Python: multiprocessing.connection's framing (send_bytes/recv_bytes).
 * You write the same idea yourself in duplex.c; this copy is complete.
 */
#ifndef LAB_WIRE_H
#define LAB_WIRE_H

#include <stddef.h>

/* Longest frame wire_recv() accepts; longer headers are -EPROTO. */
#define WIRE_FRAME_MAX (1u << 20)

/* wire_deadline - the CLOCK_MONOTONIC time `timeout` s from now, or -1
 * (none) for a negative timeout.  Cannot fail. */
double wire_deadline(double timeout);

/* wire_ms_left - poll()'s timeout for `deadline`: -1 for none, else the
 * milliseconds left (0 when passed), rounded up.  Cannot fail. */
int wire_ms_left(double deadline);

/*
 * wire_send - send one frame: a 4-byte length, then head, then body.
 * Python:  Connection.send_bytes
 * Returns: 0; -EPIPE if the peer is gone (no SIGPIPE); -EMSGSIZE if the
 *          frame would exceed WIRE_FRAME_MAX; -ENOMEM; -errno.
 * Owns:    borrows head and body (either may be NULL with length 0).
 */
int wire_send(int fd, const void *head, size_t hlen, const void *body, size_t blen);

/*
 * wire_recv - receive one whole frame by `deadline` (wire_deadline()).
 * Python:  Connection.recv_bytes
 * Returns: 0 with *buf (malloc'd, never NULL) and *len; -EPIPE at end of
 *          stream before a frame; -EPROTO if the stream ends inside a
 *          frame or a length exceeds WIRE_FRAME_MAX; -ETIMEDOUT; -ENOMEM;
 *          -errno.  On failure *buf is NULL.
 * Owns:    gives *buf (free with free()).
 */
int wire_recv(int fd, void **buf, size_t *len, double deadline);

/*
 * wire_server_child - call first in a forked server process: die with
 * the parent (PR_SET_PDEATHSIG), so no server outlives its owner.
 * Returns: 0, or -ESRCH if `parent` is already gone.
 */
int wire_server_child(int parent);

/*
 * wire_close_inherited - close every descriptor from 3 up except `keep`
 * (-1 for none).  A forked server calls it so that it holds no copy of
 * another object's pipe end (whose reader would then never see EOF).
 * Python:  (none: a fork-started Python server keeps what it inherits)
 * Returns: 0 or -errno.
 */
int wire_close_inherited(int keep);

#endif /* LAB_WIRE_H */
