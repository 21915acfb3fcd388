/*
 * scenario_order.c - lab 12 under schedule noise (the ordering tier):
 * each case repeats one behaviour whose result must not depend on who
 * runs first, the parent or the child.
 *
 *   exec_error   a missing program is -ENOENT from the start, a present
 *                one starts; no child is ever left behind
 *   both_ways    communicate() with 256 KiB each way through a child that
 *                writes stderr before it reads (SP-09, smaller)
 *   pipeline     yes | head -n 1: "y\n", yes ended by SIGPIPE
 *   run_timeout  run() past its timeout: -ETIMEDOUT, killed and reaped
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "sp.h"

#define WAY (256 * 1024)

/* no_children - fail unless every child has been reaped. */
static void
no_children(const char *after)
{
    int zombies = 0;
    int n = kit_proc_children(getpid(), NULL, 0, &zombies);

    kit_scen_check(n == 0, "after %s: %d children left (%d zombies)", after, n, zombies);
}

static void
exec_error(void)
{
    char *nope[] = { "no-such-program-12", NULL };
    char *yes[] = { "/bin/true", NULL };
    struct sp_popen *p = NULL;
    int code = -1;
    int err = sp_popen_new(&p, nope, NULL);

    kit_scen_require_impl(err, "sp_popen_new", "12-A");
    kit_scen_check(err == -ENOENT, "sp_popen_new(missing): expected -ENOENT, got %s", kit_errname(err));
    no_children("a failed start");
    err = sp_popen_new(&p, yes, NULL);
    kit_scen_check(err == 0, "sp_popen_new(/bin/true): expected 0, got %s", kit_errname(err));
    err = sp_popen_wait(p, &code, LAB_FOREVER);
    kit_scen_check(err == 0 && code == 0, "wait(/bin/true): expected 0 and code 0, got %s and %d", kit_errname(err), code);
    sp_popen_free(p);
}

static void
both_ways(void)
{
    char *argv[] = { "/bin/sh", "-c", "head -c 262144 /dev/zero >&2; cat", NULL };
    struct sp_options o = {
        .in.how = SP_PIPE, .out.how = SP_PIPE, .err.how = SP_PIPE,
    };
    static char in[WAY];
    struct sp_result r = { 0 };
    struct sp_popen *p = NULL;
    int err;

    memset(in, 'x', sizeof(in));
    err = sp_popen_new(&p, argv, &o);
    kit_scen_require_impl(err, "sp_popen_new", "12-A");
    kit_scen_check(err == 0, "sp_popen_new: %s", kit_errname(err));
    err = sp_popen_communicate(p, in, sizeof(in), &r, 30.0);
    kit_scen_require_impl(err, "sp_popen_communicate", "12-C");
    kit_scen_check(err == 0, "communicate 256 KiB each way: expected 0, got %s", kit_errname(err));
    kit_scen_check(r.out_len == WAY && r.err_len == WAY, "communicate: expected %d bytes on stdout and stderr, got %zu and %zu", WAY, r.out_len, r.err_len);
    kit_scen_check(memcmp(r.out, in, WAY) == 0, "stdout differs from the input");
    sp_result_release(&r);
    sp_popen_free(p);
}

static void
pipeline(void)
{
    char *a[] = { "yes", NULL };
    char *b[] = { "head", "-n", "1", NULL };
    char *const *const stages[] = { a, b };
    struct sp_options o = { .capture = true };
    struct sp_result r = { 0 };
    int codes[2] = { 9, 9 };
    int err = sp_pipeline(stages, 2, &o, &r, codes, 30.0);

    kit_scen_require_impl(err, "sp_pipeline", "12-E");
    kit_scen_check(err == 0, "yes | head -n 1: expected 0, got %s", kit_errname(err));
    kit_scen_check(r.out != NULL && strcmp(r.out, "y\n") == 0, "yes | head -n 1: expected \"y\\n\", got \"%s\"", r.out ? r.out : "(null)");
    kit_scen_check(codes[0] == -SIGPIPE && codes[1] == 0, "codes: expected -13 0, got %d %d", codes[0], codes[1]);
    sp_result_release(&r);
    no_children("a pipeline");
}

static void
run_timeout(void)
{
    char *argv[] = { "/bin/sleep", "60", NULL };
    struct sp_result r = { 0 };
    int err = sp_run(argv, NULL, &r, 0.05);

    kit_scen_require_impl(err, "sp_run", "12-D");
    kit_scen_check(err == -ETIMEDOUT, "run(sleep 60, 0.05): expected -ETIMEDOUT, got %s", kit_errname(err));
    kit_scen_check(r.returncode == -SIGKILL, "returncode after the timeout: expected -9, got %d", r.returncode);
    sp_result_release(&r);
    no_children("a timed-out run");
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
        { "exec_error", exec_error },
        { "both_ways", both_ways },
        { "pipeline", pipeline },
        { "run_timeout", run_timeout },
    };
    size_t i;
    int k;
    int rounds = kit_scen_repeat(3);

    for (i = 0; argc == 2 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(argv[1], cases[i].name) != 0)
            continue;
        for (k = 0; k < rounds; k++)
            cases[i].fn();
        return 0;
    }
    fprintf(stderr, "usage: %s exec_error|both_ways|pipeline|run_timeout\n", argv[0]);
    return 2;
}
