/*
 * downloads.h - the notes' DownloadTask: "downloads" that wait in
 * threads, side by side or one after the other (lab 05, part G).
 * Python:  class DownloadTask(Thread): def run(self): time.sleep(n)
 */
#ifndef LAB_DOWNLOADS_H
#define LAB_DOWNLOADS_H

#include <stdbool.h>
#include <stddef.h>

/* Most tasks one call runs. */
#define DOWNLOADS_MAX 64

/* One pretend download. */
struct download {
    const char *name;           /* for the demo's messages */
    double seconds;             /* how long it "downloads" (a timed wait) */
    double took;                /* out: seconds it really took */
};

/*
 * downloads_run - run every task in its own thread (a thread_new_ops
 * object, the run() form), and wait for all of them.  With `parallel`
 * every thread is started before any is joined; without it each thread
 * is joined before the next starts.
 * Python:  t1.start(); t2.start(); t1.join(); t2.join()  (parallel)
 * Returns: 0, with tasks[i].took and *total (wall seconds of the whole
 *          call) filled; -EINVAL if tasks or total is NULL, n is 0 or
 *          more than DOWNLOADS_MAX, or a task's seconds is negative or
 *          NaN; errors of thread_new_ops()
 *          and thread_start() (threads already started are joined first).
 * Owns:    borrows tasks (and their names) and total.
 * Threads: any thread.
 */
int downloads_run(struct download *tasks, size_t n, bool parallel, double *total);

#endif /* LAB_DOWNLOADS_H */
