/*
 * test_singdance.c - functional tests of singdance.h (lab 05, part F):
 * only what is guaranteed is checked, never the interleaving.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "singdance.h"

TestSuite(singdance, .timeout = 20);

#define ROUNDS 40

/* Catches: the stub.  Each thread's lines all arrive, each thread's in
 * its own order; how the two interleave is not checked. */
KIT_TEST(singdance, both_threads_write_all_their_lines_in_order)
{
    char buf[4096];
    char *line;
    char *save = NULL;
    int next_sing = 0;
    int next_dance = 0;
    int fds[2];
    ssize_t n;
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    err = singdance_run(fds[1], ROUNDS, 0.001);
    close(fds[1]);
    kit_require_impl(err, "singdance_run", "05-F");
    cr_assert(eq(int, err, 0), "singdance_run(fd, %d, 0.001): expected 0, got %s. See docs/05-threads.md#singdance", ROUNDS, kit_errname(err));
    n = kit_read_full(fds[0], buf, sizeof(buf) - 1, 5.0);
    close(fds[0]);
    cr_assert(eq(int, !!(n > 0), 1), "singdance_run wrote nothing to the pipe. See docs/05-threads.md#singdance");
    buf[n] = '\0';
    for (line = strtok_r(buf, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        int i = -1;
        if (sscanf(line, "sing %d", &i) == 1) {
            cr_assert(eq(int, i, next_sing), "line \"%s\": expected \"sing %d\": one thread's own lines must stay in order and none may be lost or repeated. See docs/05-threads.md#singdance", line, next_sing);
            next_sing++;
        } else if (sscanf(line, "dance %d", &i) == 1) {
            cr_assert(eq(int, i, next_dance), "line \"%s\": expected \"dance %d\". See docs/05-threads.md#singdance", line, next_dance);
            next_dance++;
        } else {
            cr_assert(eq(int, !!(false), 1), "unexpected line \"%s\" (lines are \"sing I\" or \"dance I\", one write() each, so they never mix). See docs/05-threads.md#one-write-per-line", line);
        }
    }
    cr_expect(eq(int, next_sing, ROUNDS), "got %d sing lines, expected %d. See docs/05-threads.md#singdance", next_sing, ROUNDS);
    cr_expect(eq(int, next_dance, ROUNDS), "got %d dance lines, expected %d. See docs/05-threads.md#singdance", next_dance, ROUNDS);
}

/* Catches: the stub. */
KIT_TEST(singdance, bad_arguments_fail_with_einval)
{
    int err = singdance_run(-1, 1, 0);

    kit_require_impl(err, "singdance_run", "05-F");
    cr_expect(eq(int, err, -EINVAL), "singdance_run(-1, 1, 0): expected -EINVAL, got %s. See docs/05-threads.md#singdance", kit_errname(err));
    err = singdance_run(1, -1, 0);
    cr_expect(eq(int, err, -EINVAL), "singdance_run(1, -1, 0): expected -EINVAL, got %s. See docs/05-threads.md#singdance", kit_errname(err));
    err = singdance_run(1, 1, -0.5);
    cr_expect(eq(int, err, -EINVAL), "singdance_run(1, 1, -0.5): expected -EINVAL, got %s. See docs/05-threads.md#singdance", kit_errname(err));
}
