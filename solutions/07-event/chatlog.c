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
static char end_marker;

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
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* write_all - write len bytes, retrying short writes and EINTR.
 * Returns 0 or a negative errno. */
static int
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
static void *
saver_main(void *arg)
{
    struct chatlog *log = arg;
    void *item;
    int err;

    for (;;) {
        if (tqueue_get(log->q, &item, true, LAB_FOREVER) != 0)
            continue;           /* cannot happen: no deadline */
        if (item == &end_marker)
            return NULL;        /* DOC: 07-event#end-marker */
        err = write_all(log->fd, item, strlen(item));
        free(item);
        if (err == 0)
            continue;
        LAB_CHECK(pthread_mutex_lock(&log->mu));
        if (log->err == 0)
            log->err = err;
        LAB_CHECK(pthread_mutex_unlock(&log->mu));
    }
}

/* init_sync - the mutex and condition variable.  Returns 0 or -errno. */
static int
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
    struct chatlog *log;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (fd < 0)
        return -EINVAL;
    log = calloc(1, sizeof(*log));
    if (log == NULL)
        return -ENOMEM;
    log->fd = fd;
    err = tqueue_new(&log->q, TQUEUE_FIFO, maxsize, NULL);
    if (err)
        goto out_free;
    err = init_sync(log);
    if (err)
        goto out_free_queue;
    err = -pthread_create(&log->saver, NULL, saver_main, log);
    if (err)
        goto out_destroy_sync;
    *out = log;
    return 0;

out_destroy_sync:
    pthread_cond_destroy(&log->idle);
    pthread_mutex_destroy(&log->mu);
out_free_queue:
    tqueue_free(log->q);
out_free:
    free(log);
    return err;
}

/* line_of - a copy of msg with '\n' appended, or NULL (no memory). */
static char *
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
    char *line;
    int err;

    if (log == NULL || msg == NULL)
        return -EINVAL;
    line = line_of(msg);
    if (line == NULL)
        return -ENOMEM;
    LAB_CHECK(pthread_mutex_lock(&log->mu));
    if (log->closing) {
        LAB_CHECK(pthread_mutex_unlock(&log->mu));
        free(line);
        return -EPIPE;
    }
    log->posting++;             /* DOC: 07-event#no-post-behind-the-marker */
    LAB_CHECK(pthread_mutex_unlock(&log->mu));
    err = tqueue_put(log->q, line, true, LAB_FOREVER);
    if (err)
        free(line);
    LAB_CHECK(pthread_mutex_lock(&log->mu));
    if (--log->posting == 0 && log->closing)
        LAB_CHECK(pthread_cond_broadcast(&log->idle));
    LAB_CHECK(pthread_mutex_unlock(&log->mu));
    return err;
}

int
chatlog_close(struct chatlog *log)
{
    int err;

    if (log == NULL)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&log->mu));
    if (log->joined) {
        err = log->err;
        LAB_CHECK(pthread_mutex_unlock(&log->mu));
        return err;
    }
    log->closing = true;
    while (log->posting > 0)
        LAB_CHECK(pthread_cond_wait(&log->idle, &log->mu));
    LAB_CHECK(pthread_mutex_unlock(&log->mu));
    /* Every post got in before this: the marker goes last. */
    while (tqueue_put(log->q, &end_marker, true, LAB_FOREVER) != 0)
        continue;               /* only -ENOMEM; the saver makes room */
    LAB_CHECK(pthread_join(log->saver, NULL));
    LAB_CHECK(pthread_mutex_lock(&log->mu));
    log->joined = true;
    err = log->err;
    LAB_CHECK(pthread_mutex_unlock(&log->mu));
    return err;
}

void
chatlog_free(struct chatlog *log)
{
    void *item;

    if (log == NULL)
        return;
    (void)chatlog_close(log);
    while (tqueue_get_nowait(log->q, &item) == 0)
        free(item);             /* none: the saver drained the queue */
    tqueue_free(log->q);
    LAB_CHECK(pthread_cond_destroy(&log->idle));
    LAB_CHECK(pthread_mutex_destroy(&log->mu));
    free(log);
}
