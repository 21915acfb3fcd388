/*
 * downloads.c - the notes' DownloadTask as a thread "subclass": each
 * pretend download is a timed wait in its own thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <time.h>

#include "downloads.h"
#include "thread.h"

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* download_run - run(): wait until `seconds` after the start, on an
 * absolute CLOCK_MONOTONIC deadline (signals do not stretch it). */
static void
download_run(struct thread *self, void *ctx)
{
    struct download *d = ctx;
    double t0 = now();
    struct timespec due;

    (void)self;
    clock_gettime(CLOCK_MONOTONIC, &due);
    due.tv_sec += (time_t)d->seconds;
    due.tv_nsec += (long)((d->seconds - floor(d->seconds)) * 1e9);
    if (due.tv_nsec >= 1000000000L) {
        due.tv_sec++;
        due.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) ==
           EINTR)
        continue;
    d->took = now() - t0;       /* read by the caller after join */
}

static const struct thread_ops download_ops = {
    .run = download_run,
    .free_ctx = NULL,           /* the caller owns the tasks */
};

/* join_all - join and free the first n threads.  Cannot fail. */
static void
join_all(struct thread **threads, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        (void)thread_join(threads[i], LAB_FOREVER);
        thread_free(threads[i]);
    }
}

/* start_one - make and start the thread of one task.  Returns 0 or the
 * error of thread_new_ops/thread_start (nothing left behind). */
static int
start_one(struct download *d, struct thread **out)
{
    struct thread_options opts = { .name = d->name };
    int err = thread_new_ops(out, &download_ops, d, &opts);

    if (err)
        return err;
    err = thread_start(*out);
    if (err) {
        thread_free(*out);
        *out = NULL;
    }
    return err;
}

int
downloads_run(struct download *tasks, size_t n, bool parallel,
              double *total)
{
    struct thread *threads[DOWNLOADS_MAX];
    double t0 = now();
    size_t started = 0;
    int err = 0;
    size_t i;

    if (tasks == NULL || total == NULL || n == 0 || n > DOWNLOADS_MAX)
        return -EINVAL;
    for (i = 0; i < n; i++) {
        if (isnan(tasks[i].seconds) || tasks[i].seconds < 0)
            return -EINVAL;
    }
    for (i = 0; i < n && err == 0; i++) {
        err = start_one(&tasks[i], &threads[started]);
        if (err)
            break;
        started++;
        if (!parallel) {        /* DOC: 05-threads#downloads */
            join_all(threads, started);
            started = 0;
        }
    }
    join_all(threads, started);
    *total = now() - t0;
    return err;
}
