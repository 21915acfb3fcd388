/*
 * test_mpq.c - functional tests of mpq.h: the shared-memory queue between
 * processes (lab 04, part A).
 *
 * A child that must block does so inside the call under test; the test
 * learns that it is blocked from /proc (state 'S' after it said "ready"
 * on a pipe), since no event announces "now waiting on a condvar".
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "mpq.h"

TestSuite(mpq, .timeout = 20);

/* new_or_fail - mpq_new(maxsize, msg_max), asserting success. */
static struct mpq *
new_or_fail(size_t maxsize, size_t msg_max)
{
    struct mpq *q = NULL;
    int err = mpq_new(&q, maxsize, msg_max);

    kit_require_impl(err, "mpq_new", "04-A");
    cr_assert(eq(int, err, 0), "mpq_new(&q, %zu, %zu): expected 0, got %s. See docs/04-ipc.md#shared-memory", maxsize, msg_max, kit_errname(err));
    return q;
}

/* put_str - put a C string (without its NUL), asserting success. */
static void
put_str(struct mpq *q, const char *s)
{
    int err = mpq_put(q, s, strlen(s), 5.0);

    kit_require_impl(err, "mpq_put", "04-A");
    cr_assert(eq(int, err, 0), "mpq_put(q, \"%s\", %zu, 5.0) on a queue with room: expected 0, got %s. See docs/04-ipc.md#put-and-get", s, strlen(s), kit_errname(err));
}

/* expect_get - the next message is `want`. */
static void
expect_get(struct mpq *q, const char *want, double timeout)
{
    char buf[256];
    size_t len = 9999;
    int err = mpq_get(q, buf, sizeof(buf), &len, timeout);

    kit_require_impl(err, "mpq_get", "04-A");
    cr_assert(eq(int, err, 0), "mpq_get(q, buf, 256, &len, %.1f): expected 0 and \"%s\", got %s. See docs/04-ipc.md#put-and-get", timeout, want, kit_errname(err));
    cr_assert(eq(sz, len, strlen(want)), "mpq_get: expected a %zu-byte message \"%s\", got %zu bytes. Each message keeps its own length. See docs/04-ipc.md#put-and-get", strlen(want), want, len);
    cr_assert(eq(int, memcmp(buf, want, len), 0), "mpq_get: expected \"%s\", got \"%.*s\" (messages come out in the order they went in). See docs/04-ipc.md#put-and-get", want, (int)len, buf);
}

/* sleeping - kit_wait_until predicate: the process is blocked. */
static bool
sleeping(void *arg)
{
    return kit_proc_state(*(pid_t *)arg) == 'S';
}

/* A child being waited for by kit_wait_until. */
struct waited {
    pid_t pid;
    int status;
};

/* exited - kit_wait_until predicate: the child has ended (reaped). */
static bool
exited(void *arg)
{
    struct waited *w = arg;

    return waitpid(w->pid, &w->status, WNOHANG) == w->pid;
}

/* reap - reap pid within `timeout` s, else kill and reap it.  Returns
 * its wait status, or -1 if it had to be killed. */
static int
reap(pid_t pid, double timeout)
{
    struct waited w = { .pid = pid };

    if (kit_wait_until(exited, &w, timeout))
        return w.status;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Catches: the stub.  Mirrors MQ-05 with messages of several sizes,
 * the empty one included. */
KIT_TEST(mpq, put_then_get_returns_messages_in_order)
{
    static const char *const msgs[] = { "a", "", "hello", "0123456789" };
    struct mpq *q = new_or_fail(8, 64);

    for (int i = 0; i < 4; i++)
        put_str(q, msgs[i]);
    for (int i = 0; i < 4; i++)
        expect_get(q, msgs[i], 5.0);
    mpq_free(q);
}

/* Catches: the stub.  Mirrors MQ-02 and MQ-03 (block=False). */
KIT_TEST(mpq, nowait_on_full_and_empty_fails_with_eagain)
{
    struct mpq *q = new_or_fail(2, 16);
    char buf[16];
    size_t len;
    int err = mpq_get_nowait(q, buf, sizeof(buf), &len);

    kit_require_impl(err, "mpq_get_nowait", "04-A");
    cr_expect(eq(int, err, -EAGAIN), "mpq_get_nowait on an empty queue: expected -EAGAIN (Python: queue.Empty), got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    put_str(q, "x");
    put_str(q, "y");
    err = mpq_put_nowait(q, "z", 1);
    cr_expect(eq(int, err, -EAGAIN), "mpq_put_nowait on a full queue (maxsize 2, 2 in it): expected -EAGAIN (Python: queue.Full), got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    expect_get(q, "x", 0);
    mpq_free(q);
}

/* Catches: the stub.  Mirrors MQ-03 [TIME]: get(True, 0.2) on an empty
 * queue gives up after about 0.2 s, not at once and not never. */
KIT_TEST(mpq, timed_get_on_empty_queue_times_out_after_the_timeout)
{
    struct mpq *q = new_or_fail(2, 16);
    char buf[16];
    size_t len;
    double t0 = kit_now();
    int err = mpq_get(q, buf, sizeof(buf), &len, 0.2);
    double took = kit_now() - t0;

    kit_require_impl(err, "mpq_get", "04-A");
    cr_expect(eq(int, err, -ETIMEDOUT), "mpq_get(q, ..., 0.2) on an empty queue: expected -ETIMEDOUT, got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    cr_expect(ge(dbl, took, 0.195), "mpq_get(..., 0.2) returned after %.3f s: it must wait the whole timeout. See docs/04-ipc.md#put-and-get", took);
    cr_expect(le(dbl, took, 2.0), "mpq_get(..., 0.2) returned after %.3f s: far past its timeout. See docs/04-ipc.md#put-and-get", took);
    mpq_free(q);
}

/* Catches: the stub.  Mirrors MQ-04. */
KIT_TEST(mpq, qsize_empty_and_full_follow_puts_and_gets)
{
    struct mpq *q = new_or_fail(2, 16);
    size_t n = mpq_qsize(q);

    cr_expect(mpq_empty(q), "mpq_empty on a new queue: expected true. See docs/04-ipc.md#put-and-get");
    put_str(q, "a");
    n = mpq_qsize(q);
    cr_expect(eq(sz, n, 1), "mpq_qsize after one put: expected 1, got %zu. See docs/04-ipc.md#put-and-get", n);
    put_str(q, "b");
    cr_expect(mpq_full(q), "mpq_full with 2 messages in a queue of maxsize 2: expected true. See docs/04-ipc.md#put-and-get");
    expect_get(q, "a", 0);
    n = mpq_qsize(q);
    cr_expect(eq(sz, n, 1), "mpq_qsize after two puts and a get: expected 1, got %zu. See docs/04-ipc.md#put-and-get", n);
    cr_expect(eq(int, mpq_full(q) || mpq_empty(q), 0), "one message in a queue of 2: neither full nor empty. See docs/04-ipc.md#put-and-get");
    mpq_free(q);
}

/* Catches: the stub.  A message longer than msg_max is refused on put;
 * a buffer too small for the next message leaves it in the queue
 * (Python's BufferTooShort) and says how long it is. */
KIT_TEST(mpq, oversized_messages_are_refused_and_short_buffers_keep_them)
{
    struct mpq *q = new_or_fail(4, 8);
    char big[9] = "123456789";
    char small[2];
    size_t len = 0;
    int err = mpq_put(q, big, 9, 1.0);

    kit_require_impl(err, "mpq_put", "04-A");
    cr_expect(eq(int, err, -EMSGSIZE), "mpq_put of 9 bytes into a queue with msg_max 8: expected -EMSGSIZE, got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    put_str(q, "abcd");
    err = mpq_get(q, small, sizeof(small), &len, 1.0);
    cr_expect(eq(int, err, -EMSGSIZE), "mpq_get into a 2-byte buffer when the next message has 4: expected -EMSGSIZE, got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    cr_expect(eq(sz, len, 4), "mpq_get with a short buffer must report the message's length in *len: expected 4, got %zu. See docs/04-ipc.md#put-and-get", len);
    expect_get(q, "abcd", 0);
    mpq_free(q);
}

/* Catches: the stub.  Mirrors MQ-09. */
KIT_TEST(mpq, closed_handle_refuses_put_and_get)
{
    struct mpq *q = new_or_fail(4, 8);
    char buf[8];
    size_t len;
    int err = mpq_close(q);

    kit_require_impl(err, "mpq_close", "04-A");
    err = mpq_put(q, "a", 1, 0);
    cr_expect(eq(int, err, -EINVAL), "mpq_put after mpq_close: expected -EINVAL (Python: ValueError: Queue is closed), got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    err = mpq_get(q, buf, sizeof(buf), &len, 0);
    cr_expect(eq(int, err, -EINVAL), "mpq_get after mpq_close: expected -EINVAL, got %s. See docs/04-ipc.md#put-and-get", kit_errname(err));
    mpq_free(q);
    mpq_free(NULL);
}

/* Child: say ready on fd, then put into the full queue (blocks). */
static int
child_put_blocked(struct mpq *q, int fd)
{
    if (write(fd, "r", 1) != 1)
        return 3;
    return mpq_put(q, "late", 4, LAB_FOREVER) == 0 ? 0 : 4;
}

/* Child: say ready on fd, then get from the empty queue (blocks). */
static int
child_get_blocked(struct mpq *q, int fd)
{
    char buf[16];
    size_t len;

    if (write(fd, "r", 1) != 1)
        return 3;
    if (mpq_get(q, buf, sizeof(buf), &len, LAB_FOREVER) != 0)
        return 4;
    return len == 4 && memcmp(buf, "ping", 4) == 0 ? 0 : 5;
}

/* start_blocked - fork a child running fn(q, pipe), wait until it is
 * blocked inside the queue.  Returns its pid. */
static pid_t
start_blocked(struct mpq *q, int (*fn)(struct mpq *, int))
{
    int fds[2];
    char c;
    pid_t pid;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    pid = fork();
    cr_assert(ge(int, pid, 0), "test setup: fork failed");
    if (pid == 0) {
        close(fds[0]);
        _exit(fn(q, fds[1]));
    }
    close(fds[1]);
    cr_assert(eq(long, (long)kit_read_full(fds[0], &c, 1, 5.0), 1L), "test setup: the child never said it was ready");
    close(fds[0]);
    cr_assert(kit_wait_until(sleeping, &pid, 5.0), "test setup: the child never blocked in the queue (state '%c')", kit_proc_state(pid));
    return pid;
}

/* Catches: mpq_get_forgets_not_full.patch (a get that never wakes the
 * producers: the classic lost wakeup).  A producer blocked on a full
 * queue in another process must finish once the parent makes room. */
KIT_TEST(mpq, put_blocked_on_full_queue_finishes_when_a_get_makes_room)
{
    struct mpq *q = new_or_fail(1, 8);
    pid_t pid;
    int status;

    put_str(q, "full");
    pid = start_blocked(q, child_put_blocked);
    expect_get(q, "full", 1.0);
    status = reap(pid, 5.0);
    cr_assert(ne(int, status, -1), "a child blocked in mpq_put on a full queue was still blocked 5 s after the parent's mpq_get made room: nobody woke it (lost wakeup). See docs/04-ipc.md#wait-loop");
    cr_expect(eq(int, WEXITSTATUS(status), 0), "the child's mpq_put returned an error (child exit %d). See docs/04-ipc.md#wait-loop", WEXITSTATUS(status));
    expect_get(q, "late", 1.0);
    mpq_free(q);
}

/* Catches: mpq_put_forgets_not_empty.patch.  A consumer blocked on an empty
 * queue in another process receives the parent's message. */
KIT_TEST(mpq, get_blocked_on_empty_queue_receives_a_later_put)
{
    struct mpq *q = new_or_fail(2, 8);
    pid_t pid = start_blocked(q, child_get_blocked);
    int status;

    put_str(q, "ping");
    status = reap(pid, 5.0);
    cr_assert(ne(int, status, -1), "a child blocked in mpq_get on an empty queue was still blocked 5 s after the parent put a message: nobody woke it (lost wakeup). See docs/04-ipc.md#wait-loop");
    cr_expect(eq(int, WEXITSTATUS(status), 0), "the child's mpq_get failed or got the wrong bytes (child exit %d; 5 = wrong message). See docs/04-ipc.md#wait-loop", WEXITSTATUS(status));
    mpq_free(q);
}

/* Child: put "kept", take the lock, say so, and wait to be killed. */
static int
child_die_holding_lock(struct mpq *q, int fd)
{
    if (mpq_put(q, "kept", 4, 1.0) != 0 || mpq_lock(q) != 0)
        return 3;
    if (write(fd, "r", 1) != 1)
        return 3;
    for (;;)
        pause();
}

/* Catches: not_robust.patch (a plain process-shared mutex: the queue
 * wedges forever) and owner_death_ignored.patch (EOWNERDEAD taken as an
 * error: the queue is unusable).  A process killed while holding the
 * queue's lock must not wedge the others, and the message it had put
 * must still be there. */
KIT_TEST(mpq, lock_holder_killed_leaves_a_working_queue_and_its_message)
{
    struct mpq *q = new_or_fail(4, 8);
    pid_t pid = start_blocked(q, child_die_holding_lock);
    char buf[8];
    size_t len = 0;
    int err;

    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    err = mpq_get(q, buf, sizeof(buf), &len, 5.0);
    cr_assert(eq(int, err, 0), "mpq_get(q, ..., 5.0) after the lock holder was killed: expected 0 and the message it had put, got %s (a robust mutex hands EOWNERDEAD to the next locker, who must repair and call pthread_mutex_consistent). See docs/04-ipc.md#robust", kit_errname(err));
    cr_expect(all(eq(sz, len, 4), eq(int, memcmp(buf, "kept", 4), 0)), "mpq_get after the death: expected \"kept\" (a message already put is never lost), got %zu bytes. See docs/04-ipc.md#commit", len);
    put_str(q, "next");
    expect_get(q, "next", 1.0);
    mpq_free(q);
}

/* Catches: the stub.  Bad arguments fail with -EINVAL, leaving *out NULL. */
KIT_TEST(mpq, new_rejects_a_zero_message_size)
{
    struct mpq *q = (struct mpq *)&q;
    int err = mpq_new(&q, 4, 0);

    kit_require_impl(err, "mpq_new", "04-A");
    cr_expect(eq(int, err, -EINVAL), "mpq_new(&q, 4, 0): expected -EINVAL (a queue of 0-byte slots is useless), got %s. See docs/04-ipc.md#shared-memory", kit_errname(err));
    cr_expect(eq(ptr, q, NULL), "mpq_new must set *out to NULL on failure. See docs/04-ipc.md#shared-memory");
}
