/*
 * echosrv.h - the notes' thread-per-client TCP server: an accepting
 * thread, and one thread per connection that echoes what it reads
 * (lab 05, part I).
 * Python:  class TCPServer(Thread) / class HandleData(Thread)
 */
#ifndef LAB_ECHOSRV_H
#define LAB_ECHOSRV_H

struct echosrv;                 /* opaque: only echosrv_* look inside */

/*
 * echosrv_new - a listening TCP socket on 127.0.0.1:port (close-on-exec).
 * Python:  socket(AF_INET, SOCK_STREAM); bind; listen(128)
 * Returns: 0; -EINVAL if out is NULL or port is not 0..65535 (0: the
 *          system picks); -EADDRINUSE, -ENOMEM, -EMFILE ...  On failure
 *          *out is NULL and no socket is left open.
 * Owns:    gives *out (free with echosrv_free()).
 */
int echosrv_new(struct echosrv **out, int port);

/* echosrv_port - the port it listens on; 0 for NULL.  Cannot fail. */
int echosrv_port(const struct echosrv *s);

/*
 * echosrv_start - start the accepting thread.  Each accepted client gets
 * its own thread, which sends back every byte it receives until the
 * client closes, then closes the connection.
 * Python:  TCPServer(port).start()
 * Returns: 0; -EINVAL if s is NULL or already started; errors of
 *          thread_new/thread_start.
 * Owns:    borrows s.
 */
int echosrv_start(struct echosrv *s);

/*
 * echosrv_shutdown - stop accepting, end every client connection, join
 * every thread and close every socket, the listening one included.
 * Python:  (no counterpart in the notes: their server runs forever)
 * Returns: 0 (also when not started or already shut down); -EINVAL if s
 *          is NULL.  Afterwards no thread of the server runs and no
 *          socket of it is open.
 * Owns:    borrows s.
 * Threads: one thread at a time; not from a handler.
 */
int echosrv_shutdown(struct echosrv *s);

/* echosrv_free - shut down (as echosrv_shutdown) and release s.
 * Owns: takes s.  NULL is a no-op. */
void echosrv_free(struct echosrv *s);

#endif /* LAB_ECHOSRV_H */
