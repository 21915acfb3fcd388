/*
 * singdance.c (stub) - two threads, one singing and one dancing, each writing
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
static __attribute__((unused)) void
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
static __attribute__((unused)) int
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
static __attribute__((unused)) void
perform(void *arg)
{
    /* TODO(05-F): write "<verb> I\n" for I = 0 .. rounds-1, one write() per
     * line, pausing after each; stop at the first error (kept in p->err).
     * Python: sing() / dance(). Read docs/05-threads.md#one-write-per-line. */
    (void)arg;
}

int
singdance_run(int out, int rounds, double pause)
{
    /* TODO(05-F): check the arguments, start a sing thread and a dance thread,
     * join both, free both, return the first error. Python:
     * Thread(target=sing).start(); .... Read docs/05-threads.md#singdance. */
    (void)out;
    (void)rounds;
    (void)pause;
    return -ENOSYS;
}
