/*
 * chatlog.c - the notes' chat log: producer threads post messages to a
 * tqueue, and one saver thread writes them to a file descriptor.
 *
 * DESIGN
 *
 * The saver stops only when it takes the end marker out of the queue.
 * The queue is FIFO, so every message put before the marker is written
 * before it.  chatlog_close() must therefore put the marker only when no
 * post can still follow it: `closing` turns new posts away, and
 * `posting` counts the posts that passed that check but have not finished
 * their put yet; close waits for it to drop to 0 before the marker goes
 * in.  Checking `closing` and putting in two separate steps, without that
 * count, would let a message land behind the marker and be lost.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chatlog.h"
#include "tqueue.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* The item that tells the saver to stop; never written. */
static char end_marker __attribute__((unused));

struct chatlog {
    /* Set by chatlog_new() and read-only afterwards. */
    int fd;                     /* borrowed */
    struct tqueue *q;           /* "text\n" strings, then &end_marker */
    pthread_t saver;

    pthread_mutex_t mu;         /* guards the fields below */
    pthread_cond_t idle;        /* broadcast when posting drops to 0 */
    bool closing;               /* posts now get -EPIPE */
    bool joined;                /* the saver has been joined */
    unsigned posting;           /* posts between the check and the put */
    int err;                    /* the saver's first write error */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static __attribute__((unused)) void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* write_all - write len bytes, retrying short writes and EINTR.
 * Returns 0 or a negative errno. */
static __attribute__((unused)) int
write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* saver_main - the SaveChat thread: write every message until the end
 * marker.  After a write error it keeps taking messages (and drops
 * them), so posters never wait on a dead log. */
static __attribute__((unused)) void *
saver_main(void *arg)
{
    /* TODO(07-F): take messages until the end marker; write each, free it,
     * remember the first write error. Python: SaveChat.run(). Read
     * docs/07-event.md#end-marker. */
    (void)arg;
    return NULL;
}

/* init_sync - the mutex and condition variable.  Returns 0 or -errno. */
static __attribute__((unused)) int
init_sync(struct chatlog *log)
{
    int err = pthread_mutex_init(&log->mu, NULL);

    if (err)
        return -err;
    err = pthread_cond_init(&log->idle, NULL);
    if (err)
        pthread_mutex_destroy(&log->mu);
    return -err;
}

int
chatlog_new(struct chatlog **out, int fd, long maxsize)
{
    /* TODO(07-F): check fd, make a FIFO tqueue, the lock and condition
     * variable, start the saver; undo all on failure. Python:
     * SaveChat(q).start(). Read docs/07-event.md#chat-log. */
    (void)out;
    (void)fd;
    (void)maxsize;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/* line_of - a copy of msg with '\n' appended, or NULL (no memory). */
static __attribute__((unused)) char *
line_of(const char *msg)
{
    size_t len = strlen(msg);
    char *line = malloc(len + 2);

    if (line == NULL)
        return NULL;
    memcpy(line, msg, len);
    line[len] = '\n';
    line[len + 1] = '\0';
    return line;
}

int
chatlog_post(struct chatlog *log, const char *msg)
{
    /* TODO(07-F): refuse with -EPIPE once closing; count the post in flight
     * around the put; wake close when the count drops to 0. Python:
     * q.put(info). Read docs/07-event.md#no-post-behind-the-marker. */
    (void)log;
    (void)msg;
    return -ENOSYS;
}

int
chatlog_close(struct chatlog *log)
{
    /* TODO(07-F): mark closing, wait for posts in flight, put the end marker,
     * join the saver, return its first error; a second call returns the same.
     * Python: q.shutdown(); saver.join(). Read docs/07-event.md#end-marker. */
    (void)log;
    return -ENOSYS;
}

void
chatlog_free(struct chatlog *log)
{
    /* TODO(07-F): close if needed, then release the queue, the lock and the
     * log; NULL is a no-op. Python: del log. Read docs/07-event.md#chat-log. */
    (void)log;
}
