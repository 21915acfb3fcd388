/*
 * udpchat.h - the notes' full-duplex UDP chat: one socket, a sending
 * thread and a receiving thread (lab 05, part H).
 * Python:  udp_socket shared by Thread(target=send) and Thread(target=rec)
 */
#ifndef LAB_UDPCHAT_H
#define LAB_UDPCHAT_H

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Longest message, in bytes; a longer input line is cut into pieces. */
#define UDPCHAT_MSG_MAX 1024

struct udpchat;                 /* opaque: only udpchat_* look inside */

/*
 * udpchat_new - a chat peer with a UDP socket bound to 127.0.0.1:port.
 * Python:  socket(AF_INET, SOCK_DGRAM); bind(("", port))
 * Returns: 0; -EINVAL if out is NULL or port is not 0..65535 (0: the
 *          system picks a free port); -EADDRINUSE, -ENOMEM, -EMFILE ...
 *          On failure *out is NULL and no socket is left open.
 * Owns:    gives *out (free with udpchat_free()).
 */
int udpchat_new(struct udpchat **out, int port);

/* udpchat_port - the bound port (what the other peer sends to); 0 for
 * NULL.  Cannot fail.  Owns: borrows c. */
int udpchat_port(const struct udpchat *c);

/*
 * udpchat_start - start the two threads.  The sender reads lines from
 * `in_fd` and sends each (without its newline) as one datagram to
 * 127.0.0.1:peer_port; on the line "exit", or at the end of input, it
 * sends "exit" and ends.  The receiver writes every datagram it gets to
 * `out_fd` followed by a newline, until the peer's "exit", which ends it
 * (and is not written).
 * Python:  Thread(target=send, ...).start(); Thread(target=rec, ...).start()
 * Returns: 0; -EINVAL if c is NULL, already started, a fd is negative,
 *          or peer_port is not 1..65535; errors of thread_new/start (a
 *          failed start leaves no thread running).
 * Owns:    borrows c; keeps in_fd and out_fd (the caller keeps them open
 *          until udpchat_join() returns 0).
 */
int udpchat_start(struct udpchat *c, int in_fd, int out_fd, int peer_port);

/*
 * udpchat_join - wait for both threads to end (this side typed "exit"
 * and the peer said "exit").
 * Returns: 0, or the first error a thread met (-errno from read, write
 *          or sendto); -ETIMEDOUT if they still run after `timeout`
 *          seconds; -EINVAL if c is NULL, not started, or timeout is NaN.
 * Owns:    borrows c.
 * Threads: any thread but the chat's own.
 */
int udpchat_join(struct udpchat *c, double timeout);

/*
 * udpchat_free - release c.  A receiver still waiting for the peer is
 * woken with an "exit" sent to its own socket; the sender is waited for
 * (it ends at "exit" or the end of its input).  Closes the socket.
 * Owns:    takes c.  NULL is a no-op.
 */
void udpchat_free(struct udpchat *c);

#endif /* LAB_UDPCHAT_H */
