/*
 * downloads.c (stub) - the notes' DownloadTask as a thread "subclass": each
 * pretend download is a timed wait in its own thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <time.h>

#include "downloads.h"
#include "thread.h"

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static __attribute__((unused)) double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* download_run - run(): wait until `seconds` after the start, on an
 * absolute CLOCK_MONOTONIC deadline (signals do not stretch it). */
static __attribute__((unused)) void
download_run(struct thread *self, void *ctx)
{
    /* TODO(05-G): wait d->seconds on an absolute CLOCK_MONOTONIC deadline,
     * then record d->took. Python: DownloadTask.run: time.sleep(n). Read
     * docs/05-threads.md#downloads. */
    (void)self;
    (void)ctx;
}

static const struct thread_ops download_ops = {
    .run = download_run,
    .free_ctx = NULL,           /* the caller owns the tasks */
};

/* join_all - join and free the first n threads.  Cannot fail. */
static __attribute__((unused)) void
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
static __attribute__((unused)) int
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
    /* TODO(05-G): check the tasks; one thread per task; parallel: start all,
     * then join all; else join each before the next; fill *total. Python:
     * t1.start(); t2.start(); t1.join(); t2.join(). Read
     * docs/05-threads.md#downloads. */
    (void)tasks;
    (void)n;
    (void)parallel;
    (void)total;
    return -ENOSYS;
}
