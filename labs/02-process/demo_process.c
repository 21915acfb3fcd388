/*
 * demo_process.c - the notes' first Process example: two "downloads" run
 * in two child processes at once, each with its own argument; the
 * parent starts both, then joins both.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

/* What Python passes as args=(filename,): one struct per child. */
struct download {
    const char *filename;
    double seconds;             /* how long the pretend download takes */
};

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* download_task - the target: print, "download" (sleep), print. */
static int
download_task(void *arg)
{
    const struct download *d = arg;
    struct timespec ts = { 0, (long)(d->seconds * 1e9) };

    printf("child %d: downloading %s...\n", (int)getpid(), d->filename);
    nanosleep(&ts, NULL);
    printf("child %d: %s done in %.1f s\n", (int)getpid(), d->filename,
           d->seconds);
    return 0;
}

/* start_download - Process(target=download_task, args=(d,)).start() */
static struct process *
start_download(struct download *d)
{
    struct process *p = NULL;

    if (process_new(&p, download_task, d, NULL) != 0 ||
        process_start(p) != 0) {
        process_free(p);
        return NULL;
    }
    printf("parent %d: started %s as pid %d\n", (int)getpid(),
           process_name(p), (int)process_pid(p));
    return p;
}

int
main(void)
{
    struct download a = { "python-intro-1.pdf", 0.4 };
    struct download b = { "python-intro-2.pdf", 0.3 };
    double t0 = now();
    struct process *p1 = start_download(&a);
    struct process *p2 = start_download(&b);
    int c1 = -1;
    int c2 = -1;

    if (p1 == NULL || p2 == NULL)
        return 1;
    process_join(p1, LAB_FOREVER);  /* wait, or the parent ends first */
    process_join(p2, LAB_FOREVER);
    process_exitcode(p1, &c1);
    process_exitcode(p2, &c2);
    printf("parent: both joined after %.2f s (not 0.7: they overlapped); exit codes %d %d\n",
           now() - t0, c1, c2);
    process_free(p1);
    process_free(p2);
    return c1 == 0 && c2 == 0 ? 0 : 1;
}
