/*
 * test_io.c - functional tests of io.h: M slow loopback requests with a
 * thread each (part C) and with one epoll loop (part D), right, timed
 * out, refused, and overlapping (lab 13).
 *
 * Overlap is seen twice: from the client's windows, and from the server,
 * which counts the requests it holds at once (io_server_peak).  Neither
 * depends on the machine's speed: a client that waits for each reply
 * before it sends the next request has the server never hold two.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kit.h"
#include "io.h"

TestSuite(io, .timeout = 30);

/* A delay long enough that one request's wait dwarfs starting a thread
 * or a connection, so a correct client always overlaps. */
#define SLOW 0.3
/* A delay no test waits for: timeouts end the calls first. */
#define NEVER 20.0

/* The two clients have the same signature: tests run either. */
typedef int fetch_fn(int port, int conns, double timeout, struct io_result *out);

/* max_overlap - the most windows that contain one instant (reached at
 * some window's start). */
static int
max_overlap(const struct lab_window *w, int n)
{
    int best = 0;

    for (int i = 0; i < n; i++) {
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (w[j].start <= w[i].start && w[i].start < w[j].end)
                k++;
        }
        if (k > best)
            best = k;
    }
    return best;
}

/* server_or_fail - a running server (given code) answering after delay. */
static struct io_server *
server_or_fail(double delay)
{
    struct io_server *s = NULL;
    int err = io_server_start(&s, delay);

    cr_assert(eq(int, err, 0), "test setup: io_server_start(&s, %.2f): expected 0, got %s (the server is given code: restore it from the kit). See docs/13-choosing.md#the-server", delay, kit_errname(err));
    return s;
}

/* closed_port - a loopback port bound but not listening: connecting to
 * it is refused, and no one else can take it while *fd stays open. */
static int
closed_port(int *fd)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);

    *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(ge(int, *fd, 0), "test setup: socket failed: %s", strerror(errno));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert(eq(int, bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0), "test setup: bind failed: %s", strerror(errno));
    cr_assert(eq(int, getsockname(*fd, (struct sockaddr *)&a, &len), 0), "test setup: getsockname failed");
    return ntohs(a.sin_port);
}

/* expect_bad_arguments - every -EINVAL case of the contract. */
static void
expect_bad_arguments(fetch_fn *fetch, const char *name, const char *todo)
{
    struct io_result r;
    int err = fetch(1234, 0, LAB_FOREVER, &r);

    kit_require_impl(err, name, todo);
    cr_expect(eq(int, err, -EINVAL), "%s(1234, 0 conns, ...): expected -EINVAL, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
    err = fetch(1234, IO_CONNS_MAX + 1, LAB_FOREVER, &r);
    cr_expect(eq(int, err, -EINVAL), "%s(1234, IO_CONNS_MAX + 1, ...): expected -EINVAL, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
    err = fetch(0, 1, LAB_FOREVER, &r);
    cr_expect(eq(int, err, -EINVAL), "%s(port 0, 1, ...): expected -EINVAL, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
    err = fetch(1234, 1, NAN, &r);
    cr_expect(eq(int, err, -EINVAL), "%s(1234, 1, NAN, &r): expected -EINVAL, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
    err = fetch(1234, 1, LAB_FOREVER, NULL);
    cr_expect(eq(int, err, -EINVAL), "%s(1234, 1, LAB_FOREVER, NULL out): expected -EINVAL, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
}

/* expect_every_reply - conns requests, all answered right. */
static void
expect_every_reply(fetch_fn *fetch, const char *name, const char *todo,
                   int conns)
{
    struct io_server *s = server_or_fail(0.02);
    struct io_result r = { .replies = -1 };
    int err = fetch(io_server_port(s), conns, LAB_FOREVER, &r);

    io_server_free(s);
    kit_require_impl(err, name, todo);
    cr_assert(eq(int, err, 0), "%s(port, %d, LAB_FOREVER, &r): expected 0, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, conns, kit_errname(err));
    cr_expect(eq(int, r.replies, conns), "%s(port, %d, ...): r.replies expected %d, got %d. See docs/13-choosing.md#the-contract-of-a-fetch", name, conns, conns, r.replies);
}

/* expect_overlap - 4 slow requests: the windows overlap and the server
 * held at least two at once. */
static void
expect_overlap(fetch_fn *fetch, const char *name, const char *todo)
{
    struct io_server *s = server_or_fail(SLOW);
    struct io_result r = { .replies = -1 };
    double t0 = kit_now();
    int err = fetch(io_server_port(s), 4, LAB_FOREVER, &r);
    double t1 = kit_now();
    int peak = io_server_peak(s);
    int overlap;

    io_server_free(s);
    kit_require_impl(err, name, todo);
    cr_assert(eq(int, err, 0), "%s(port, 4, LAB_FOREVER, &r): expected 0, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
    cr_expect(ge(dbl, t1 - t0, SLOW), "%s: 4 requests each answered after %.1f s ended after %.3f s: that is impossible unless the replies are not waited for. See docs/13-choosing.md#the-contract-of-a-fetch", name, SLOW, t1 - t0);
    overlap = max_overlap(r.window, 4);
    cr_expect(ge(int, overlap, 2), "%s(port, 4, ...): the connections' waits must overlap, but at most %d was under way at once (windows [%.3f, %.3f], [%.3f, %.3f], ...). See docs/13-choosing.md#overlap-not-speed", name, overlap, r.window[0].start, r.window[0].end, r.window[1].start, r.window[1].end);
    cr_expect(ge(int, peak, 2), "%s(port, 4, ...): the server never held two requests at once (peak %d): each reply was awaited before the next request went out. See docs/13-choosing.md#overlap-not-speed", name, peak);
}

/* expect_timeout - replies that never come in time: -ETIMEDOUT after the
 * timeout, not before, and long before the server's delay. */
static void
expect_timeout(fetch_fn *fetch, const char *name, const char *todo)
{
    struct io_server *s = server_or_fail(NEVER);
    struct io_result r = { .replies = -1 };
    double t0 = kit_now();
    int err = fetch(io_server_port(s), 3, 0.2, &r);
    double spent = kit_now() - t0;

    io_server_free(s);
    kit_require_impl(err, name, todo);
    cr_expect(eq(int, err, -ETIMEDOUT), "%s(port, 3, 0.2, &r) with replies due in %.0f s: expected -ETIMEDOUT, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, NEVER, kit_errname(err));
    cr_expect(ge(dbl, spent, 0.2), "%s(port, 3, 0.2, &r): returned after %.3f s, before its timeout. See docs/13-choosing.md#the-contract-of-a-fetch", name, spent);
    cr_expect(lt(dbl, spent, NEVER / 2), "%s(port, 3, 0.2, &r): returned after %.3f s: the timeout was not applied. See docs/13-choosing.md#the-contract-of-a-fetch", name, spent);
    cr_expect(eq(int, r.replies, 0), "%s: r.replies after a timeout with no reply: expected 0, got %d. See docs/13-choosing.md#the-contract-of-a-fetch", name, r.replies);
}

/* expect_refused - a port where nothing listens: -ECONNREFUSED. */
static void
expect_refused(fetch_fn *fetch, const char *name, const char *todo)
{
    struct io_result r = { .replies = -1 };
    int fd;
    int port = closed_port(&fd);
    int err = fetch(port, 2, 5.0, &r);

    close(fd);
    kit_require_impl(err, name, todo);
    cr_expect(eq(int, err, -ECONNREFUSED), "%s(port with no listener, 2, 5.0, &r): expected -ECONNREFUSED, got %s. See docs/13-choosing.md#the-contract-of-a-fetch", name, kit_errname(err));
}

/* ---- part C: a thread per connection ---------------------------------- */

/* Catches: the stub. */
KIT_TEST(io, threads_reject_bad_arguments)
{
    expect_bad_arguments(io_fetch_threads, "io_fetch_threads", "13-C");
}

/* Catches: the stub.  Python: Thread(target=fetch) per request. */
KIT_TEST(io, threads_get_every_reply)
{
    expect_every_reply(io_fetch_threads, "io_fetch_threads", "13-C", 16);
}

/* Catches: io_threads_joined_at_once.patch. */
KIT_TEST(io, threads_overlap_their_waits)
{
    expect_overlap(io_fetch_threads, "io_fetch_threads", "13-C");
}

/* Catches: the stub; a deadline per request instead of per call is still
 * bounded, but no deadline at all hangs until the watchdog. */
KIT_TEST(io, threads_time_out_when_replies_are_late)
{
    expect_timeout(io_fetch_threads, "io_fetch_threads", "13-C");
}

/* Catches: the stub. */
KIT_TEST(io, threads_report_a_refused_connection)
{
    expect_refused(io_fetch_threads, "io_fetch_threads", "13-C");
}

/* ---- part D: one event loop ------------------------------------------- */

/* Catches: the stub. */
KIT_TEST(io, loop_rejects_bad_arguments)
{
    expect_bad_arguments(io_fetch_loop, "io_fetch_loop", "13-D");
}

/* Catches: the stub.  Python: asyncio.gather over 100 coroutines. */
KIT_TEST(io, loop_gets_every_reply_for_100_connections)
{
    expect_every_reply(io_fetch_loop, "io_fetch_loop", "13-D", 100);
}

/* Catches: io_loop_one_at_a_time.patch (the loop drives one connection
 * to its reply before it opens the next). */
KIT_TEST(io, loop_overlaps_its_connections)
{
    expect_overlap(io_fetch_loop, "io_fetch_loop", "13-D");
}

/* Catches: io_loop_leaks_on_timeout.patch (sockets still open after the
 * timeout: the hygiene check after the body lists the new fds). */
KIT_TEST(io, loop_times_out_when_replies_are_late)
{
    expect_timeout(io_fetch_loop, "io_fetch_loop", "13-D");
}

/* Catches: the stub.  A refused non-blocking connect shows up either at
 * once or as SO_ERROR when the socket turns writable. */
KIT_TEST(io, loop_reports_a_refused_connection)
{
    expect_refused(io_fetch_loop, "io_fetch_loop", "13-D");
}
