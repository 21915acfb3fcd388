/*
 * test_downloads.c - functional tests of downloads.h (lab 05, part G).
 * Speed is never compared with a fixed number: the same tasks are run
 * one after the other and side by side in the same test.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <math.h>

#include "kit.h"
#include "downloads.h"

TestSuite(downloads, .timeout = 20);

/* Catches: downloads_join_at_once.patch (each thread joined right
 * after its start: the "parallel" run takes the sum).  The notes'
 * DownloadTask pair: total near the longest task, well under the sum. */
KIT_TEST(downloads, parallel_total_is_near_the_longest_not_the_sum)
{
    struct download tasks[2] = {
        { "python-intro.pdf", 0.25, 0 },
        { "hot-movie.avi", 0.5, 0 },
    };
    double seq = 0;
    double par = 0;
    int err = downloads_run(tasks, 2, false, &seq);

    kit_require_impl(err, "downloads_run", "05-G");
    cr_assert(eq(int, err, 0), "downloads_run(tasks, 2, false, &total): expected 0, got %s. See docs/05-threads.md#downloads", kit_errname(err));
    err = downloads_run(tasks, 2, true, &par);
    cr_assert(eq(int, err, 0), "downloads_run(tasks, 2, true, &total): expected 0, got %s. See docs/05-threads.md#downloads", kit_errname(err));
    cr_expect(eq(int, !!(seq >= 0.745), 1), "one after the other, tasks of 0.25 s and 0.5 s took %.3f s: expected at least their sum, 0.75 s. See docs/05-threads.md#downloads", seq);
    cr_expect(eq(int, !!(par >= 0.495), 1), "side by side, the tasks took %.3f s: expected at least the longest, 0.5 s. See docs/05-threads.md#downloads", par);
    cr_expect(eq(int, !!(par < seq - 0.125), 1), "side by side took %.3f s, one after the other %.3f s: in parallel the total is near the longest task, so it must save at least half the shorter one (0.125 s). Is every thread started before any is joined? See docs/05-threads.md#downloads", par, seq);
}

/* Catches: the stub. */
KIT_TEST(downloads, each_task_took_at_least_its_time)
{
    struct download tasks[3] = {
        { "a", 0.05, 0 }, { "b", 0.1, 0 }, { "c", 0.0, 0 },
    };
    double total = 0;
    int err = downloads_run(tasks, 3, true, &total);

    kit_require_impl(err, "downloads_run", "05-G");
    cr_assert(eq(int, err, 0), "downloads_run(3 tasks, parallel): expected 0, got %s. See docs/05-threads.md#downloads", kit_errname(err));
    for (int i = 0; i < 3; i++)
        cr_expect(eq(int, !!(tasks[i].took >= tasks[i].seconds - 0.005 && tasks[i].took < tasks[i].seconds + 2), 1), "task %d (%.2f s) reports took = %.3f s. See docs/05-threads.md#downloads", i, tasks[i].seconds, tasks[i].took);
    tasks[1].seconds = NAN;
    err = downloads_run(tasks, 3, true, &total);
    cr_expect(eq(int, err, -EINVAL), "downloads_run with a NaN duration: expected -EINVAL, got %s. See docs/05-threads.md#downloads", kit_errname(err));
    err = downloads_run(tasks, 0, true, &total);
    cr_expect(eq(int, err, -EINVAL), "downloads_run with n = 0: expected -EINVAL, got %s. See docs/05-threads.md#downloads", kit_errname(err));
}
