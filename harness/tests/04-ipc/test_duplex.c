/*
 * test_duplex.c - functional tests of duplex.h: whole messages both ways
 * between processes, poll with a timeout, EOF and EPIPE (lab 04, part B).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "duplex.h"

TestSuite(pipe, .timeout = 20);

/* Bytes in the large message: past 1 MiB, far past a socket buffer. */
#define BIG (2u << 20)

static void
new_or_fail(struct pipe_conn **a, struct pipe_conn **b)
{
    int err = pipe_new(a, b);

    kit_require_impl(err, "pipe_new", "04-B");
    cr_assert(eq(int, err, 0), "pipe_new(&a, &b): expected 0, got %s. See docs/04-ipc.md#duplex", kit_errname(err));
}

/* recv_or_fail - poll (5 s) then receive one message. */
static void *
recv_or_fail(struct pipe_conn *c, size_t *len)
{
    void *msg = NULL;
    int err = pipe_poll(c, 5.0);

    kit_require_impl(err, "pipe_poll", "04-B");
    cr_assert(eq(int, err, 0), "pipe_poll(c, 5.0) while the peer sends: expected 0 (a message is waiting), got %s. See docs/04-ipc.md#duplex", kit_errname(err));
    err = pipe_recv(c, &msg, len);
    kit_require_impl(err, "pipe_recv", "04-B");
    cr_assert(eq(int, err, 0), "pipe_recv(c, &msg, &len): expected 0, got %s. See docs/04-ipc.md#framing", kit_errname(err));
    return msg;
}

/* Catches: the stub.  Mirrors PIPE-01 and PIPE-03: both directions,
 * boundaries kept, the empty message delivered. */
KIT_TEST(pipe, messages_keep_their_boundaries_both_ways)
{
    struct pipe_conn *a;
    struct pipe_conn *b;
    size_t len = 99;
    char *m;
    int err;

    new_or_fail(&a, &b);
    err = pipe_send(a, "a", 1);
    kit_require_impl(err, "pipe_send", "04-B");
    cr_assert(eq(int, err, 0), "pipe_send(a, \"a\", 1): expected 0, got %s. See docs/04-ipc.md#duplex", kit_errname(err));
    pipe_send(a, "", 0);
    pipe_send(a, "cd", 2);
    pipe_send(b, "back", 4);
    m = recv_or_fail(b, &len);
    cr_expect(all(eq(sz, len, 1), eq(chr, m[0], 'a')), "first message: expected \"a\" (1 byte), got %zu bytes. See docs/04-ipc.md#framing", len);
    free(m);
    m = recv_or_fail(b, &len);
    cr_expect(eq(sz, len, 0), "second message: expected the empty message, got %zu bytes (messages must not merge). See docs/04-ipc.md#framing", len);
    free(m);
    m = recv_or_fail(b, &len);
    cr_expect(all(eq(sz, len, 2), eq(int, memcmp(m, "cd", 2), 0)), "third message: expected \"cd\", got %zu bytes. See docs/04-ipc.md#framing", len);
    free(m);
    m = recv_or_fail(a, &len);
    cr_expect(all(eq(sz, len, 4), eq(int, memcmp(m, "back", 4), 0)), "the other direction: expected \"back\", got %zu bytes. See docs/04-ipc.md#duplex", len);
    free(m);
    pipe_close(a);
    pipe_close(b);
}

/* Catches: the stub.  Mirrors PIPE-04: nothing pending, poll(0.2) says
 * so after about 0.2 s and consumes nothing. */
KIT_TEST(pipe, poll_times_out_when_nothing_was_sent)
{
    struct pipe_conn *a;
    struct pipe_conn *b;
    double t0;
    double took;
    int err;

    new_or_fail(&a, &b);
    t0 = kit_now();
    err = pipe_poll(a, 0.2);
    took = kit_now() - t0;
    kit_require_impl(err, "pipe_poll", "04-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "pipe_poll(a, 0.2) with nothing sent: expected -ETIMEDOUT (Python: False), got %s. See docs/04-ipc.md#duplex", kit_errname(err));
    cr_expect(all(ge(dbl, took, 0.195), le(dbl, took, 2.0)), "pipe_poll(a, 0.2) returned after %.3f s: expected about 0.2 s. See docs/04-ipc.md#duplex", took);
    pipe_close(a);
    pipe_close(b);
}

/* Child: send one BIG message of a known pattern, then exit. */
static void
send_big(struct pipe_conn *c)
{
    unsigned char *buf = malloc(BIG);

    if (buf == NULL)
        _exit(3);
    for (size_t i = 0; i < BIG; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    _exit(pipe_send(c, buf, BIG) == 0 ? 0 : 4);
}

static bool
is_send_call(long nr)
{
    return nr == SYS_write || nr == SYS_writev || nr == SYS_sendto ||
           nr == SYS_sendmsg;
}

static bool
is_recv_call(long nr)
{
    return nr == SYS_read || nr == SYS_readv || nr == SYS_recvfrom ||
           nr == SYS_recvmsg || nr == SYS_poll || nr == SYS_ppoll;
}

/* sender_blocked - the child is asleep in a send: the socket is full. */
static bool
sender_blocked(void *arg)
{
    pid_t pid = *(pid_t *)arg;

    return kit_proc_state(pid) == 'S' && is_send_call(kit_proc_syscall(pid, 0));
}

/* What the reader thread of the big-message test did. */
struct big_reader {
    pthread_mutex_t mu;     /* guards every field below */
    struct pipe_conn *c;
    pid_t tid;              /* 0 until the thread runs */
    bool done;
    int err;
    void *msg;
    size_t len;
};

static void *
big_reader_main(void *arg)
{
    struct big_reader *r = arg;
    void *msg = NULL;
    size_t len = 0;
    int err;

    pthread_mutex_lock(&r->mu);
    r->tid = (pid_t)syscall(SYS_gettid);
    pthread_mutex_unlock(&r->mu);
    err = pipe_recv(r->c, &msg, &len);
    pthread_mutex_lock(&r->mu);
    r->err = err;
    r->msg = msg;
    r->len = len;
    r->done = true;
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* reader_stuck_or_done - the reader returned, or it sleeps in a read
 * waiting for the rest of the message. */
static bool
reader_stuck_or_done(void *arg)
{
    struct big_reader *r = arg;
    bool done;
    pid_t tid;

    pthread_mutex_lock(&r->mu);
    done = r->done;
    tid = r->tid;
    pthread_mutex_unlock(&r->mu);
    if (done)
        return true;
    if (tid == 0)
        return false;
    return is_recv_call(kit_proc_syscall(getpid(), tid)) &&
           kit_task_state(tid) == 'S';
}

/*
 * Catches: recv_one_read.patch (a single recv() taken as the whole
 * message).  Mirrors PIPE-06: a 2 MiB message from another process
 * arrives whole and intact.  To catch the bug every time, the sender is
 * stopped once the socket is full: one recv() then can only get what the
 * socket holds, and a correct reader waits for the rest, which comes
 * when the sender continues.
 */
KIT_TEST(pipe, message_past_one_mebibyte_arrives_whole)
{
    struct big_reader r = {.mu = PTHREAD_MUTEX_INITIALIZER};
    struct pipe_conn *a;
    struct pipe_conn *b;
    pthread_t reader;
    unsigned char *m;
    size_t bad = 0;
    int status = 0;
    pid_t pid;

    new_or_fail(&a, &b);
    pid = fork();
    cr_assert(ge(int, pid, 0), "test setup: fork failed");
    if (pid == 0) {
        pipe_close(b);
        send_big(a);
    }
    pipe_close(a);
    cr_assert(kit_wait_until(sender_blocked, &pid, 10.0), "test setup: the sending child never blocked in a send (a 2 MiB message must fill the socket). See docs/04-ipc.md#framing");
    kill(pid, SIGSTOP);
    r.c = b;
    cr_assert(eq(int, pthread_create(&reader, NULL, big_reader_main, &r), 0));
    kit_wait_until(reader_stuck_or_done, &r, 10.0);
    kill(pid, SIGCONT);
    pthread_join(reader, NULL);
    if (r.err != 0)
        kill(pid, SIGKILL); /* nobody will read the rest it is sending */
    waitpid(pid, &status, 0);
    kit_require_impl(r.err, "pipe_recv", "04-B");
    cr_assert(eq(int, r.err, 0), "pipe_recv of a %u-byte message while the sender pauses with the socket full: expected 0, got %s. One recv() returns only what the socket holds: loop until the whole message is in. See docs/04-ipc.md#framing", BIG, kit_errname(r.err));
    m = r.msg;
    cr_assert(eq(sz, r.len, BIG), "pipe_recv of a %u-byte message: got %zu bytes. One recv() returns whatever the socket holds, not the whole message: loop. See docs/04-ipc.md#framing", BIG, r.len);
    for (size_t i = 0; i < r.len; i++)
        bad += m[i] != (unsigned char)(i * 7 + 3);
    cr_expect(eq(sz, bad, 0), "pipe_recv of a 2 MiB message: %zu bytes differ from what was sent. See docs/04-ipc.md#framing", bad);
    cr_expect(eq(int, status, 0), "the sending child failed (status %d). See docs/04-ipc.md#duplex", status);
    free(m);
    pipe_close(b);
}

/* Catches: the stub.  Mirrors PIPE-05: the peer sends one message and
 * closes; the reader gets the message, then -EPIPE (EOFError). */
KIT_TEST(pipe, recv_after_the_peer_closed_gives_the_message_then_epipe)
{
    struct pipe_conn *a;
    struct pipe_conn *b;
    size_t len;
    void *m = (void *)&m;
    int err;

    new_or_fail(&a, &b);
    pipe_send(a, "last", 4);
    pipe_close(a);
    free(recv_or_fail(b, &len));
    err = pipe_poll(b, 5.0);
    cr_expect(eq(int, err, 0), "pipe_poll after the peer closed: expected 0 (the end of the stream is readable), got %s. See docs/04-ipc.md#eof", kit_errname(err));
    err = pipe_recv(b, &m, &len);
    cr_expect(eq(int, err, -EPIPE), "pipe_recv after the peer closed and its last message was read: expected -EPIPE (Python: EOFError), got %s. See docs/04-ipc.md#eof", kit_errname(err));
    cr_expect(eq(ptr, m, NULL), "pipe_recv must set *msg to NULL when it fails. See docs/04-ipc.md#eof");
    pipe_close(b);
}

/* Catches: send_raises_sigpipe.patch.  Sending to a closed peer returns
 * -EPIPE; it must not kill the sender with SIGPIPE. */
KIT_TEST(pipe, send_to_a_closed_peer_fails_with_epipe_without_sigpipe)
{
    struct pipe_conn *a;
    struct pipe_conn *b;
    int err;

    new_or_fail(&a, &b);
    pipe_close(b);
    err = pipe_send(a, "x", 1);
    kit_require_impl(err, "pipe_send", "04-B");
    cr_expect(eq(int, err, -EPIPE), "pipe_send(a, \"x\", 1) after the peer closed: expected -EPIPE (Python: BrokenPipeError), got %s. See docs/04-ipc.md#eof", kit_errname(err));
    pipe_close(a);
}

/* Catches: the stub. */
KIT_TEST(pipe, new_with_null_fails_with_einval)
{
    struct pipe_conn *a = (struct pipe_conn *)&a;
    int err = pipe_new(&a, NULL);

    kit_require_impl(err, "pipe_new", "04-B");
    cr_expect(eq(int, err, -EINVAL), "pipe_new(&a, NULL): expected -EINVAL, got %s. See docs/04-ipc.md#duplex", kit_errname(err));
    pipe_close(NULL);
}
