/*
 * demo_downloads.c - the notes' DownloadTask: two "downloads" one after
 * the other, then side by side.  Side by side takes about the longest.
 */
#include <stdio.h>

#include "downloads.h"

/* report - run the tasks one way and print what it took. */
static int
report(struct download *tasks, size_t n, bool parallel)
{
    double total = 0;
    int err = downloads_run(tasks, n, parallel, &total);

    for (size_t i = 0; i < n && err == 0; i++)
        printf("  %s finished in %.2f s\n", tasks[i].name, tasks[i].took);
    printf("%s: %.2f s in all\n", parallel ? "side by side" : "one after the other", total);
    return err;
}

int
main(void)
{
    struct download tasks[2] = {
        { "python-from-scratch.pdf", 0.5, 0 },
        { "peking-hot.avi", 0.8, 0 },
    };

    if (report(tasks, 2, false) != 0 || report(tasks, 2, true) != 0)
        return 1;
    return 0;
}
