/*
 * responsive.c - a terminal version of the notes' responsive interface:
 * the main loop answers commands at once while a daemon thread does the
 * long "download".
 *
 * DESIGN
 *
 * The download thread may outlive responsive_run() (it is a daemon: quit
 * does not wait for it), so what it shares with the loop cannot live on
 * the loop's stack.  It lives in a heap `struct desk` with a reference
 * count: the loop holds one reference, each download thread another, and
 * the last to let go frees it.  After quit the loop sets `closed`, so a
 * download that finishes later writes nothing to a fd that is no longer
 * ours.  Every answer is one write() under the lock, so lines never mix.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "responsive.h"
#include "thread.h"

/* The notes' download takes 10 s. */
#define RESPONSIVE_DEFAULT_S 10.0

/* Longest command line. */
#define RESPONSIVE_LINE_MAX 256

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* What the loop and the download threads share. */
struct desk {
    double seconds;             /* read-only */
    int out_fd;                 /* read-only */
    /* mu guards: */
    pthread_mutex_t mu;
    int refs;
    bool downloading;
    bool closed;                /* the loop returned: write nothing */
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

/* say_locked - one line to out_fd in one write(), unless closed.
 * d->mu held.  Returns 0 or -errno. */
static int
say_locked(struct desk *d, const char *line)
{
    size_t len = strlen(line);
    ssize_t n;

    if (d->closed)
        return 0;
    do
        n = write(d->out_fd, line, len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

/* desk_put - drop one reference; the last one frees the desk. */
static void
desk_put(struct desk *d)
{
    bool last;

    LAB_CHECK(pthread_mutex_lock(&d->mu));
    last = --d->refs == 0;
    LAB_CHECK(pthread_mutex_unlock(&d->mu));
    if (last) {
        LAB_CHECK(pthread_mutex_destroy(&d->mu));
        free(d);
    }
}

/* download - the daemon thread: wait, then announce the end.  Takes the
 * reference the loop gave it. */
static void
download(void *arg)
{
    struct desk *d = arg;
    struct timespec ts;

    ts.tv_sec = (time_t)d->seconds;
    ts.tv_nsec = (long)((d->seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        continue;
    LAB_CHECK(pthread_mutex_lock(&d->mu));
    d->downloading = false;
    (void)say_locked(d, "download finished\n");
    LAB_CHECK(pthread_mutex_unlock(&d->mu));
    desk_put(d);
}

/* start_download - a daemon thread for one download, freed (detached)
 * at once: nobody joins a daemon.  d->mu held.  Returns 0 or an error. */
static int
start_download_locked(struct desk *d)
{
    struct thread_options opts = { .name = "download", .daemon = true };
    struct thread *t;
    int err = thread_new(&t, download, d, &opts);

    if (err)
        return err;
    d->refs++;                  /* the thread's reference */
    err = thread_start(t);      /* DOC: 05-threads#daemon-download */
    if (err)
        d->refs--;
    else
        d->downloading = true;
    thread_free(t);
    return err;
}

/* answer - handle one command line.  Returns 1 on quit, 0, or -errno. */
static int
answer(struct desk *d, const char *cmd)
{
    char line[RESPONSIVE_LINE_MAX + 32];
    int err = 0;

    if (strcmp(cmd, "quit") == 0)
        return 1;
    LAB_CHECK(pthread_mutex_lock(&d->mu));
    if (strcmp(cmd, "download") == 0 && d->downloading) {
        err = say_locked(d, "busy\n");
    } else if (strcmp(cmd, "download") == 0) {
        err = start_download_locked(d);
        if (err == 0)
            err = say_locked(d, "download started\n");
    } else if (strcmp(cmd, "about") == 0) {
        err = say_locked(d, "about: lab 05, a responsive terminal program\n");
    } else if (strcmp(cmd, "status") == 0) {
        err = say_locked(d, d->downloading ? "status: downloading\n"
                                           : "status: idle\n");
    } else {
        snprintf(line, sizeof(line), "unknown command: %s\n", cmd);
        err = say_locked(d, line);
    }
    LAB_CHECK(pthread_mutex_unlock(&d->mu));
    return err;
}

/* read_line - the next line of fd into line (no newline), cut at
 * RESPONSIVE_LINE_MAX - 1.  One byte at a time: nothing is read past the
 * line.  Returns 1, 0 at end of input, or -errno. */
static int
read_line(int fd, char *line)
{
    size_t len = 0;
    ssize_t n;
    char c;

    for (;;) {
        n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0 && len == 0)
            return 0;
        if (n == 0 || c == '\n')
            break;
        if (len < RESPONSIVE_LINE_MAX - 1)
            line[len++] = c;
    }
    line[len] = '\0';
    return 1;
}

/* serve - the main loop: answer until quit or end of input. */
static int
serve(struct desk *d, int in_fd)
{
    char line[RESPONSIVE_LINE_MAX];
    int err;

    while ((err = read_line(in_fd, line)) > 0) {
        err = answer(d, line);
        if (err != 0)
            break;
    }
    return err < 0 ? err : 0;
}

int
responsive_run(int in_fd, int out_fd, const struct responsive_options *opts)
{
    double seconds = opts != NULL && opts->download_seconds != 0
                         ? opts->download_seconds
                         : RESPONSIVE_DEFAULT_S;
    struct desk *d;
    int err;

    if (in_fd < 0 || out_fd < 0 || isnan(seconds) || seconds < 0)
        return -EINVAL;
    d = calloc(1, sizeof(*d));
    if (d == NULL)
        return -ENOMEM;
    err = -pthread_mutex_init(&d->mu, NULL);
    if (err) {
        free(d);
        return err;
    }
    d->seconds = seconds;
    d->out_fd = out_fd;
    d->refs = 1;
    err = serve(d, in_fd);
    LAB_CHECK(pthread_mutex_lock(&d->mu));
    if (err == 0)
        err = say_locked(d, "bye\n");
    d->closed = true;           /* DOC: 05-threads#quit-at-once */
    LAB_CHECK(pthread_mutex_unlock(&d->mu));
    desk_put(d);
    return err;
}
