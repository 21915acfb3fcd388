/*
 * test_chatlog.c - functional tests of chatlog.h (lab 07, part F).
 *
 * The log goes to a memfd (read back after close) or to a pipe whose
 * capacity the test shrinks, so that the saver blocks in write() and the
 * rest of the messages are still queued when chatlog_close() is called.
 */
#define _GNU_SOURCE     /* pipe2, memfd_create, gettid, F_SETPIPE_SZ */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kit.h"
#include "chatlog.h"

TestSuite(chatlog, .timeout = 20);

/* Messages per test, and their padded length (many pipe pages' worth). */
#define MESSAGES 200
#define MSG_LEN 99

static struct chatlog *
new_log(int fd, long maxsize)
{
    struct chatlog *log = NULL;
    int err = chatlog_new(&log, fd, maxsize);

    kit_require_impl(err, "chatlog_new", "07-F");
    cr_assert(eq(int, err, 0), "chatlog_new(&log, fd, %ld): expected 0, got %s. See docs/07-event.md#chat-log", maxsize, kit_errname(err));
    return log;
}

/* message - the i-th test message, MSG_LEN characters. */
static void
message(char *buf, int i)
{
    snprintf(buf, MSG_LEN + 1, "msg-%04d-%0*d", i, MSG_LEN - 9, 0);
}

/* count_lines - check the log text: message 0, 1, ... in order; returns
 * how many there are. */
static int
count_lines(const char *text, size_t len)
{
    char want[MSG_LEN + 2];
    int n = 0;

    for (size_t off = 0; off < len; n++) {
        message(want, n);
        strcat(want, "\n");
        cr_assert(len - off >= strlen(want) && memcmp(text + off, want, strlen(want)) == 0, "line %d of the log is not message %d followed by a newline (a message lost, doubled or cut). See docs/07-event.md#chat-log", n + 1, n);
        off += strlen(want);
    }
    return n;
}

/* Catches: the stub.  One poster: every message, once, in order. */
KIT_TEST(chatlog, every_post_reaches_the_log_once_in_order)
{
    int fd = memfd_create("chatlog", MFD_CLOEXEC);
    struct chatlog *log;
    char msg[MSG_LEN + 1];
    char *text;
    off_t size;
    int err;

    cr_assert(fd >= 0, "test setup: memfd_create failed: %s", strerror(errno));
    log = new_log(fd, 4);
    for (int i = 0; i < MESSAGES; i++) {
        message(msg, i);
        err = chatlog_post(log, msg);
        cr_assert(eq(int, err, 0), "chatlog_post(log, msg %d): expected 0, got %s. See docs/07-event.md#chat-log", i, kit_errname(err));
    }
    err = chatlog_close(log);
    cr_assert(eq(int, err, 0), "chatlog_close(log): expected 0, got %s. See docs/07-event.md#end-marker", kit_errname(err));
    size = lseek(fd, 0, SEEK_END);
    text = malloc((size_t)size + 1);
    cr_assert(text != NULL && pread(fd, text, (size_t)size, 0) == size, "test setup: reading the memfd back failed");
    cr_expect(eq(int, count_lines(text, (size_t)size), MESSAGES), "the log holds a different number of messages than the %d posted. See docs/07-event.md#chat-log", MESSAGES);
    free(text);
    chatlog_free(log);
    close(fd);
}

/* The closing thread of the next test. */
struct closer {
    struct chatlog *log;
    int wfd;
    pid_t tid;
    int fds[2];                 /* tid announcement */
    int err;
};

static void *
close_thread(void *arg)
{
    struct closer *c = arg;
    pid_t tid = gettid();

    if (kit_write_full(c->fds[1], &tid, sizeof(tid)) != 0)
        c->err = -EIO;
    else
        c->err = chatlog_close(c->log);
    close(c->wfd);              /* the log is done with it: EOF for the reader */
    return NULL;
}

/* read_all - read fd to EOF; gives a buffer, its length in *len. */
static char *
read_all(int fd, size_t *len)
{
    size_t cap = MESSAGES * (MSG_LEN + 1) + 1;
    char *buf = malloc(cap);
    ssize_t n;

    cr_assert(buf != NULL, "test setup: out of memory");
    n = kit_read_full(fd, buf, cap, 10.0);
    cr_assert(n >= 0, "reading the log pipe failed: %s", kit_errname((int)n));
    *len = (size_t)n;
    return buf;
}

/* Catches: close_drops_queued.patch.  The saver is stuck writing to a
 * full pipe when close is called, with most messages still queued: close
 * must wait until they are all written. */
KIT_TEST(chatlog, close_writes_every_message_still_queued)
{
    struct closer c = { .err = 1 };
    char msg[MSG_LEN + 1];
    pthread_t t;
    int fds[2];
    size_t len;
    char *text;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    cr_assert(eq(int, pipe2(c.fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    (void)fcntl(fds[1], F_SETPIPE_SZ, 4096);    /* far less than 200 messages */
    c.log = new_log(fds[1], 0);
    c.wfd = fds[1];
    for (int i = 0; i < MESSAGES; i++) {
        message(msg, i);
        cr_assert(eq(int, chatlog_post(c.log, msg), 0), "chatlog_post(log, msg %d): expected 0", i);
    }
    cr_assert(eq(int, pthread_create(&t, NULL, close_thread, &c), 0), "test setup: pthread_create failed");
    cr_assert(eq(sz, (size_t)kit_read_full(c.fds[0], &c.tid, sizeof(c.tid), 10.0), sizeof(c.tid)), "test setup: the closing thread never started");
    cr_assert(kit_wait_asleep(c.tid, 10.0), "test setup: chatlog_close never blocked, though the saver cannot write (the pipe is full). See docs/07-event.md#end-marker");
    text = read_all(fds[0], &len);
    pthread_join(t, NULL);
    cr_expect(eq(int, c.err, 0), "chatlog_close: expected 0, got %s", kit_errname(c.err));
    cr_expect(eq(int, count_lines(text, len), MESSAGES), "after chatlog_close the log holds fewer than the %d messages posted: close must let the saver write everything still queued. See docs/07-event.md#end-marker", MESSAGES);
    free(text);
    chatlog_free(c.log);
    close(fds[0]);
    close(c.fds[0]);
    close(c.fds[1]);
}

/* Catches: the stub.  Python 3.13: put after shutdown raises ShutDown. */
KIT_TEST(chatlog, post_after_close_fails_with_epipe)
{
    int fd = memfd_create("chatlog", MFD_CLOEXEC);
    struct chatlog *log;
    int err;

    cr_assert(fd >= 0, "test setup: memfd_create failed");
    log = new_log(fd, 0);
    cr_assert(eq(int, chatlog_close(log), 0), "chatlog_close(log): expected 0");
    err = chatlog_post(log, "too late");
    cr_expect(eq(int, err, -EPIPE), "chatlog_post after chatlog_close: expected -EPIPE (Python 3.13: queue.ShutDown), got %s. See docs/07-event.md#no-post-behind-the-marker", kit_errname(err));
    cr_expect(eq(int, chatlog_close(log), 0), "a second chatlog_close: expected the same result (0)");
    cr_expect(eq(i64, (int64_t)lseek(fd, 0, SEEK_END), 0), "the late message reached the log anyway");
    chatlog_free(log);
    close(fd);
}

/* Catches: the stub.  A saver that cannot write reports it at close. */
KIT_TEST(chatlog, close_reports_the_first_write_error)
{
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    struct chatlog *log;
    int err;

    cr_assert(fd >= 0, "test setup: open(/dev/null) failed");
    log = new_log(fd, 0);
    cr_assert(eq(int, chatlog_post(log, "lost"), 0), "chatlog_post: expected 0 (the write fails later, in the saver)");
    err = chatlog_close(log);
    cr_expect(eq(int, err, -EBADF), "chatlog_close on a log whose fd is read-only: expected -EBADF (the saver's write error), got %s. See docs/07-event.md#chat-log", kit_errname(err));
    chatlog_free(log);
    close(fd);
    err = chatlog_new(&log, -1, 0);
    cr_expect(eq(int, err, -EINVAL), "chatlog_new(&log, -1, 0): expected -EINVAL, got %s", kit_errname(err));
}
