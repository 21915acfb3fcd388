/*
 * singdance.c - two threads, one singing and one dancing, each writing
 * its own numbered lines; the system decides how they interleave.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "singdance.h"
#include "thread.h"

/* What each thread gets: Python's args=(...) packed in a struct. */
struct performer {
    const char *verb;           /* "sing" or "dance" */
    int out;
    int rounds;
    double pause;
    int err;                    /* written by the thread, read after join */
};

/* pause_for - sleep `seconds`, resuming after signals.  Cannot fail. */
static void
pause_for(double seconds)
{
    struct timespec ts;

    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        continue;
}

/* write_line - one write() per line, so two threads' lines never mix
 * (a pipe write of up to PIPE_BUF bytes is atomic).  Returns 0 or
 * -errno. */
static int
write_line(int fd, const char *line, size_t len)
{
    ssize_t n;

    do
        n = write(fd, line, len);   /* DOC: 05-threads#one-write-per-line */
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    return (size_t)n == len ? 0 : -EIO;
}

/* perform - the target of both threads: `rounds` lines, a pause after
 * each. */
static void
perform(void *arg)
{
    struct performer *p = arg;
    char line[64];
    int i;

    for (i = 0; i < p->rounds && p->err == 0; i++) {
        int len = snprintf(line, sizeof(line), "%s %d\n", p->verb, i);
        p->err = write_line(p->out, line, (size_t)len);
        if (p->pause > 0)
            pause_for(p->pause);
    }
}

int
singdance_run(int out, int rounds, double pause)
{
    struct performer sing = { "sing", out, rounds, pause, 0 };
    struct performer dance = { "dance", out, rounds, pause, 0 };
    struct thread *t1 = NULL;
    struct thread *t2 = NULL;
    int err;

    if (out < 0 || rounds < 0 || isnan(pause) || pause < 0)
        return -EINVAL;
    err = thread_new(&t1, perform, &sing, NULL);
    if (err == 0)
        err = thread_new(&t2, perform, &dance, NULL);
    if (err == 0)
        err = thread_start(t1); /* DOC: 05-threads#singdance */
    if (err == 0)
        err = thread_start(t2);
    /* Join whatever started: the performers live on this stack. */
    if (thread_ident(t1) != 0)
        (void)thread_join(t1, LAB_FOREVER);
    if (thread_ident(t2) != 0)
        (void)thread_join(t2, LAB_FOREVER);
    thread_free(t1);
    thread_free(t2);
    if (err == 0)
        err = sing.err ? sing.err : dance.err;
    return err;
}
