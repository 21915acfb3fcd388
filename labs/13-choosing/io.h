/*
 * io.h - one I/O-bound job (M loopback requests, each answered after a
 * delay) done with one thread per connection, and with a small
 * single-threaded epoll event loop; plus the slow server they talk to
 * (lab 13, parts C-D).
 * Python: threading.Thread per request, and asyncio (or gevent) with one
 * coroutine per request.  docs/13-choosing.md has the side-by-side version.
 * Lab 11's scheduler is the full version of this loop (coroutines that
 * park on I/O); this one keeps a state per connection instead.
 */
#ifndef LAB_IO_H
#define LAB_IO_H

#include <stdint.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Most connections one call may open. */
#define IO_CONNS_MAX 128

/* The protocol: the client sends its id (4 bytes, host order, ids count
 * from 0); after the server's delay the client gets back id + IO_REPLY_ADD
 * (4 bytes) and the server closes the connection. */
#define IO_REPLY_ADD 1000u

#ifndef LAB_WINDOW_DEFINED
#define LAB_WINDOW_DEFINED
/* When a worker worked: seconds on CLOCK_MONOTONIC, which every process
 * of the machine shares, so windows from different processes compare. */
struct lab_window {
    double start;               /* the worker began its part */
    double end;                 /* the worker had its part's answer */
};
#endif

/* What a fetch gives back. */
struct io_result {
    int replies;                /* right replies received: all of them */
    /* Connection k: from just before its connect() to its reply read. */
    struct lab_window window[IO_CONNS_MAX];
};

struct io_server;               /* opaque: only io_server_* look inside */

/*
 * io_server_start - listen on 127.0.0.1 (a free port) and answer every
 * request `delay` seconds after it arrived, many at once, from one
 * thread of its own running an epoll loop.  Given, not a task.
 * Python:  an asyncio server whose handler does `await sleep(delay)`
 * Returns: 0; -EINVAL if out is NULL or delay is negative or NaN;
 *          -errno from socket, bind, listen, epoll or pthread_create.
 *          On failure *out is NULL and nothing is left open.
 * Owns:    gives *out (free with io_server_free).
 * Threads: any thread.
 */
int io_server_start(struct io_server **out, double delay);

/* io_server_port - the port it listens on; 0 for NULL.  Cannot fail. */
int io_server_port(const struct io_server *s);

/*
 * io_server_peak - the most requests the server held at one instant,
 * each waiting out its delay: the server's own view of how much its
 * clients overlapped.  0 for NULL.
 * Owns:    borrows s.  Threads: any thread.
 */
int io_server_peak(struct io_server *s);

/*
 * io_server_free - stop the server at once (requests still waiting are
 * dropped: their clients see the connection close), join its thread and
 * close every descriptor.  NULL is a no-op.
 * Owns:    takes s.  Threads: no other thread may use s.
 */
void io_server_free(struct io_server *s);

/*
 * io_fetch_threads - send requests 0..conns-1 to 127.0.0.1:port, one
 * thread per connection, each doing a blocking connect/write/read, and
 * record each connection's window.  All threads start before any is
 * joined.
 * Python:  ts = [Thread(target=fetch, args=(port, k)) for k in range(M)]
 *          for t in ts: t.start()
 *          for t in ts: t.join()
 * Returns: 0 when every reply came back right; -EINVAL if port is not in
 *          1..65535, conns is not in 1..IO_CONNS_MAX, out is NULL or
 *          timeout is NaN; -ETIMEDOUT if `timeout` seconds (for the whole
 *          call; LAB_FOREVER = none) passed before every reply;
 *          -ECONNREFUSED (or another -errno) from a connection; -EPROTO
 *          for a wrong or missing reply.  The first error found wins.
 *          out->replies and the windows of answered connections are
 *          filled in every case but -EINVAL.  Every socket is closed and
 *          every thread joined before it returns.
 * Owns:    borrows out.
 * Threads: any thread.
 */
int io_fetch_threads(int port, int conns, double timeout, struct io_result *out);

/*
 * io_fetch_loop - the same requests from the calling thread alone: every
 * socket non-blocking, all connects issued first, then one epoll loop
 * that moves each connection on (connected -> request sent -> reply read)
 * as the kernel says it is ready.  No thread is created.
 * Python:  async def main(): await asyncio.gather(*(fetch(port, k) ...))
 *          asyncio.run(main())
 *          (gevent: joinall([spawn(fetch, port, k) ...]))
 * Returns: as io_fetch_threads.
 * Owns:    borrows out.
 * Threads: any thread; the loop is not shared with other threads.
 */
int io_fetch_loop(int port, int conns, double timeout, struct io_result *out);

#endif /* LAB_IO_H */
