/*
 * test_sp.c - functional tests of sp.h: run, call, check_call,
 * check_output, getstatusoutput and pipelines (lab 12, parts D-E).
 *
 * Programs are /bin tools and /bin/sh one-liners whose output is exact.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "sp.h"

TestSuite(sp, .timeout = 20);

/* nz - a printable string for a maybe-NULL buffer. */
static const char *
nz(const char *s)
{
    return s != NULL ? s : "(null)";
}

/* ---- part D: run and friends ----------------------------------------- */

/* Catches: the stub.  Mirrors SP-02 without check: a failing program is
 * not an error of run(); both streams are captured apart. */
KIT_TEST(sp, run_captures_stdout_stderr_and_the_code)
{
    char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
    struct sp_options o = { .capture = true };
    struct sp_result r = { 0 };
    int err = sp_run(argv, &o, &r, 10.0);

    kit_require_impl(err, "sp_run", "12-D");
    cr_expect(eq(int, err, 0), "sp_run(sh -c '...; exit 3', capture): expected 0 (a non-zero code is not an error without .check), got %s. See docs/12-subprocess.md#run", kit_errname(err));
    cr_expect(eq(int, r.returncode, 3), "res.returncode: expected 3, got %d. See docs/12-subprocess.md#run", r.returncode);
    cr_expect(eq(str, (char *)nz(r.out), "out\n"), "res.out: expected \"out\\n\", got \"%s\". See docs/12-subprocess.md#run", nz(r.out));
    cr_expect(eq(str, (char *)nz(r.err), "err\n"), "res.err: expected \"err\\n\", got \"%s\". See docs/12-subprocess.md#run", nz(r.err));
    sp_result_release(&r);
}

/* Catches: the stub.  Mirrors SP-02: check=True turns the code into an
 * error that carries it, and the output is kept. */
KIT_TEST(sp, run_with_check_fails_with_the_code_and_output)
{
    char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
    struct sp_options o = { .capture = true, .check = true };
    struct sp_result r = { 0 };
    int err = sp_run(argv, &o, &r, 10.0);

    kit_require_impl(err, "sp_run", "12-D");
    cr_expect(eq(int, err, SP_ECALLED), "sp_run(..., .check = true) on exit 3: expected SP_ECALLED (%s, Python: CalledProcessError), got %s. See docs/12-subprocess.md#check", kit_errname(SP_ECALLED), kit_errname(err));
    cr_expect(eq(int, r.returncode, 3), "res.returncode with the error: expected 3, got %d. See docs/12-subprocess.md#check", r.returncode);
    cr_expect(eq(str, (char *)nz(r.out), "out\n"), "res.out with the error: expected \"out\\n\", got \"%s\". See docs/12-subprocess.md#check", nz(r.out));
    sp_result_release(&r);
}

/* Catches: the stub.  run(input=...) feeds stdin. */
KIT_TEST(sp, run_feeds_input_to_stdin)
{
    char *argv[] = { "cat", NULL };
    struct sp_options o = { .capture = true, .input = "banana", .input_len = 6 };
    struct sp_result r = { 0 };
    int err = sp_run(argv, &o, &r, 10.0);

    kit_require_impl(err, "sp_run", "12-D");
    cr_expect(eq(int, err, 0), "sp_run(cat, input \"banana\"): expected 0, got %s. See docs/12-subprocess.md#run", kit_errname(err));
    cr_expect(eq(str, (char *)nz(r.out), "banana"), "res.out: expected \"banana\", got \"%s\". See docs/12-subprocess.md#run", nz(r.out));
    sp_result_release(&r);
}

/* Catches: run_timeout_no_kill.patch (the wait after the timeout never
 * ends: the watchdog fires).  Mirrors SP-17 and SP-19: the child is
 * killed and reaped, what it wrote before is kept. */
KIT_TEST(sp, run_timeout_kills_and_reaps_the_child)
{
    char *argv[] = { "sh", "-c", "printf BDFL; exec sleep 60", NULL };
    struct sp_options o = { .capture = true };
    struct sp_result r = { 0 };
    double t0 = kit_now();
    int err = sp_run(argv, &o, &r, 1.0);
    double took = kit_now() - t0;
    int zombies = 0;

    kit_require_impl(err, "sp_run", "12-D");
    cr_expect(eq(int, err, -ETIMEDOUT), "sp_run(sleep 60, timeout 1.0): expected -ETIMEDOUT, got %s. See docs/12-subprocess.md#run-timeout", kit_errname(err));
    cr_expect(took >= 0.99 && took < 10.0, "sp_run(..., 1.0) took %.3f s: expected about 1 s. See docs/12-subprocess.md#run-timeout", took);
    cr_expect(eq(int, r.returncode, -SIGKILL), "res.returncode after the timeout: expected -9 (killed), got %d. See docs/12-subprocess.md#run-timeout", r.returncode);
    cr_expect(eq(str, (char *)nz(r.out), "BDFL"), "res.out after the timeout: expected what the child wrote first, \"BDFL\", got \"%s\". See docs/12-subprocess.md#run-timeout", nz(r.out));
    cr_expect(eq(int, kit_proc_children(getpid(), NULL, 0, &zombies), 0), "after sp_run timed out no child may be left (%d zombies): kill it, then reap it. See docs/12-subprocess.md#run-timeout", zombies);
    sp_result_release(&r);
}

/* Catches: the stub.  Mirrors SP-20 and SP-21: a missing program is an
 * error of run() and call(); through the shell it is code 127. */
KIT_TEST(sp, missing_program_is_enoent_but_127_through_the_shell)
{
    char *argv[] = { "no-such-program-12", NULL };
    char *out = NULL;
    struct sp_result r = { 0 };
    int code = 12345;
    int err = sp_run(argv, NULL, &r, 10.0);

    kit_require_impl(err, "sp_run", "12-D");
    cr_expect(eq(int, err, -ENOENT), "sp_run({\"no-such-program-12\"}): expected -ENOENT (Python: FileNotFoundError), got %s. See docs/12-subprocess.md#exec-error-pipe", kit_errname(err));
    err = sp_call(argv, NULL, &code, 10.0);
    cr_expect(eq(int, err, -ENOENT), "sp_call({\"no-such-program-12\"}): expected -ENOENT, got %s. See docs/12-subprocess.md#exec-error-pipe", kit_errname(err));
    err = sp_getstatusoutput("no-such-program-12", &code, &out);
    cr_expect(all(eq(int, err, 0), eq(int, code, 127)), "sp_getstatusoutput(\"no-such-program-12\"): expected 0 and status 127 (the shell ran; it could not find the program), got %s and %d. See docs/12-subprocess.md#getstatusoutput", kit_errname(err), code);
    cr_expect(out != NULL && strstr(out, "not found") != NULL, "sp_getstatusoutput output: expected the shell's \"not found\", got \"%s\". See docs/12-subprocess.md#getstatusoutput", nz(out));
    free(out);
    sp_result_release(&r);
}

/* Catches: the stub.  Mirrors SP-03. */
KIT_TEST(sp, call_and_check_call_give_the_code)
{
    char *exit47[] = { "sh", "-c", "exit 47", NULL };
    char *yes[] = { "true", NULL };
    char *no[] = { "false", NULL };
    int code = 12345;
    int err = sp_call(exit47, NULL, &code, 10.0);

    kit_require_impl(err, "sp_call", "12-D");
    cr_expect(all(eq(int, err, 0), eq(int, code, 47)), "sp_call(sh -c 'exit 47'): expected 0 and code 47, got %s and %d. See docs/12-subprocess.md#run", kit_errname(err), code);
    err = sp_check_call(yes, NULL, &code, 10.0);
    cr_expect(eq(int, err, 0), "sp_check_call(true): expected 0, got %s. See docs/12-subprocess.md#check", kit_errname(err));
    err = sp_check_call(no, NULL, &code, 10.0);
    cr_expect(all(eq(int, err, SP_ECALLED), eq(int, code, 1)), "sp_check_call(false): expected SP_ECALLED and code 1, got %s and %d. See docs/12-subprocess.md#check", kit_errname(err), code);
}

/* Catches: check_output_ignores_code.patch.  Mirrors SP-05. */
KIT_TEST(sp, check_output_fails_with_the_code_and_keeps_the_output)
{
    char *argv[] = { "sh", "-c", "echo partial; exit 5", NULL };
    struct sp_result r = { 0 };
    int err = sp_check_output(argv, NULL, &r, 10.0);

    kit_require_impl(err, "sp_check_output", "12-D");
    cr_expect(eq(int, err, SP_ECALLED), "sp_check_output(sh -c 'echo partial; exit 5'): expected SP_ECALLED (%s), got %s. See docs/12-subprocess.md#check", kit_errname(SP_ECALLED), kit_errname(err));
    cr_expect(eq(int, r.returncode, 5), "res.returncode: expected 5, got %d. See docs/12-subprocess.md#check", r.returncode);
    cr_expect(eq(str, (char *)nz(r.out), "partial\n"), "res.out (Python: CalledProcessError.output): expected \"partial\\n\", got \"%s\". See docs/12-subprocess.md#check", nz(r.out));
    sp_result_release(&r);
}

/* Catches: the stub.  Mirrors SP-04: stdout only, or stderr merged. */
KIT_TEST(sp, check_output_returns_stdout_and_merges_stderr_when_asked)
{
    char *hi[] = { "echo", "hi", NULL };
    char *ab[] = { "sh", "-c", "echo a; echo b >&2", NULL };
    struct sp_options merge = { .err.how = SP_STDOUT };
    struct sp_result r = { 0 };
    int err = sp_check_output(hi, NULL, &r, 10.0);

    kit_require_impl(err, "sp_check_output", "12-D");
    cr_expect(all(eq(int, err, 0), eq(str, (char *)nz(r.out), "hi\n")), "sp_check_output(echo hi): expected 0 and \"hi\\n\", got %s and \"%s\". See docs/12-subprocess.md#check", kit_errname(err), nz(r.out));
    sp_result_release(&r);
    err = sp_check_output(ab, &merge, &r, 10.0);
    cr_expect(all(eq(int, err, 0), eq(str, (char *)nz(r.out), "a\nb\n")), "sp_check_output(echo a; echo b >&2, .err.how = SP_STDOUT): expected 0 and \"a\\nb\\n\", got %s and \"%s\". See docs/12-subprocess.md#check", kit_errname(err), nz(r.out));
    sp_result_release(&r);
}

/* Catches: getstatusoutput_strips_all.patch.  Mirrors SP-06. */
KIT_TEST(sp, getstatusoutput_strips_exactly_one_trailing_newline)
{
    static const struct {
        const char *cmd;
        int status;
        const char *out;
    } cases[] = {
        { "echo xyzzy", 0, "xyzzy" },
        { "exit 3", 3, "" },
        { "printf 'a\\n\\n'", 0, "a\n" },
        { "echo err >&2", 0, "err" },
        { "kill -15 $$", -15, "" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        int status = 12345;
        int err = sp_getstatusoutput(cases[i].cmd, &status, &out);

        kit_require_impl(err, "sp_getstatusoutput", "12-D");
        cr_expect(eq(int, err, 0), "sp_getstatusoutput(\"%s\"): expected 0, got %s. See docs/12-subprocess.md#getstatusoutput", cases[i].cmd, kit_errname(err));
        cr_expect(eq(int, status, cases[i].status), "sp_getstatusoutput(\"%s\"): expected status %d, got %d. See docs/12-subprocess.md#getstatusoutput", cases[i].cmd, cases[i].status, status);
        cr_expect(eq(str, (char *)nz(out), (char *)cases[i].out), "sp_getstatusoutput(\"%s\"): expected output \"%s\" (one trailing newline removed, no more), got \"%s\". See docs/12-subprocess.md#getstatusoutput", cases[i].cmd, cases[i].out, nz(out));
        free(out);
    }
}

/* Catches: the stub.  Mirrors SP-20: what Python refuses with ValueError. */
KIT_TEST(sp, options_python_refuses_fail_with_einval)
{
    char *argv[] = { "true", NULL };
    struct sp_options cap_out = { .capture = true, .out.how = SP_DEVNULL };
    struct sp_options in_twice = { .input = "x", .input_len = 1, .in.how = SP_DEVNULL };
    struct sp_options out_set = { .out.how = SP_DEVNULL };
    struct sp_options piped = { .out.how = SP_PIPE };
    struct sp_result r = { 0 };
    int code;
    int err = sp_run(argv, &cap_out, &r, 10.0);

    kit_require_impl(err, "sp_run", "12-D");
    cr_expect(eq(int, err, -EINVAL), "sp_run with .capture and .out set: expected -EINVAL, got %s. See docs/12-subprocess.md#run", kit_errname(err));
    err = sp_run(argv, &in_twice, &r, 10.0);
    cr_expect(eq(int, err, -EINVAL), "sp_run with .input and .in set: expected -EINVAL (Python: \"stdin and input arguments may not both be used\"), got %s. See docs/12-subprocess.md#run", kit_errname(err));
    err = sp_check_output(argv, &out_set, &r, 10.0);
    cr_expect(eq(int, err, -EINVAL), "sp_check_output with .out set: expected -EINVAL (Python: \"stdout argument not allowed\"), got %s. See docs/12-subprocess.md#check", kit_errname(err));
    err = sp_call(argv, &piped, &code, 10.0);
    cr_expect(eq(int, err, -EINVAL), "sp_call with a stdout pipe: expected -EINVAL (nobody would read it), got %s. See docs/12-subprocess.md#run", kit_errname(err));
    sp_result_release(&r);
}

/* ---- part E: pipelines -------------------------------------------------- */

/* Catches: the stub.  printf | sort | head -n 2. */
KIT_TEST(sp, pipeline_passes_data_through_three_stages)
{
    char *a[] = { "printf", "c\\nb\\na\\n", NULL };
    char *b[] = { "sort", NULL };
    char *c[] = { "head", "-n", "2", NULL };
    char *const *const stages[] = { a, b, c };
    struct sp_options o = { .capture = true };
    struct sp_result r = { 0 };
    int codes[3] = { 9, 9, 9 };
    int err = sp_pipeline(stages, 3, &o, &r, codes, 10.0);

    kit_require_impl(err, "sp_pipeline", "12-E");
    cr_expect(eq(int, err, 0), "sp_pipeline(printf | sort | head -n 2): expected 0, got %s. See docs/12-subprocess.md#pipeline", kit_errname(err));
    cr_expect(eq(str, (char *)nz(r.out), "a\nb\n"), "printf 'c\\nb\\na\\n' | sort | head -n 2: expected \"a\\nb\\n\", got \"%s\". See docs/12-subprocess.md#pipeline", nz(r.out));
    cr_expect(codes[0] == 0 && codes[1] == 0 && codes[2] == 0, "codes: expected 0 0 0, got %d %d %d. See docs/12-subprocess.md#pipeline", codes[0], codes[1], codes[2]);
    sp_result_release(&r);
}

/* Catches: the stub.  Each stage's own code is reported. */
KIT_TEST(sp, pipeline_reports_each_stages_code)
{
    char *a[] = { "sh", "-c", "echo x; exit 3", NULL };
    char *b[] = { "sh", "-c", "cat; exit 4", NULL };
    char *c[] = { "cat", NULL };
    char *const *const stages[] = { a, b, c };
    struct sp_options o = { .capture = true, .in.how = SP_DEVNULL };
    struct sp_result r = { 0 };
    int codes[3] = { 9, 9, 9 };
    int err = sp_pipeline(stages, 3, &o, &r, codes, 10.0);

    kit_require_impl(err, "sp_pipeline", "12-E");
    cr_expect(eq(int, err, 0), "sp_pipeline(exit 3 | exit 4 | cat): expected 0, got %s. See docs/12-subprocess.md#pipeline", kit_errname(err));
    cr_expect(codes[0] == 3 && codes[1] == 4 && codes[2] == 0, "codes: expected 3 4 0, got %d %d %d. See docs/12-subprocess.md#pipeline", codes[0], codes[1], codes[2]);
    cr_expect(eq(int, r.returncode, 0), "res.returncode is the last stage's: expected 0, got %d. See docs/12-subprocess.md#pipeline", r.returncode);
    cr_expect(eq(str, (char *)nz(r.out), "x\n"), "output: expected \"x\\n\", got \"%s\". See docs/12-subprocess.md#pipeline", nz(r.out));
    sp_result_release(&r);
}

/* Catches: pipeline_keeps_read_end.patch.  yes | head -n 1: once head
 * exits, yes must die of SIGPIPE; it cannot while the parent still holds
 * a read end of their pipe (it blocks on the full pipe instead). */
KIT_TEST(sp, pipeline_producer_gets_sigpipe_when_the_consumer_exits)
{
    char *a[] = { "yes", NULL };
    char *b[] = { "head", "-n", "1", NULL };
    char *const *const stages[] = { a, b };
    struct sp_options o = { .capture = true };
    struct sp_result r = { 0 };
    int codes[2] = { 9, 9 };
    int err = sp_pipeline(stages, 2, &o, &r, codes, 5.0);

    kit_require_impl(err, "sp_pipeline", "12-E");
    cr_expect(eq(int, err, 0), "sp_pipeline(yes | head -n 1, timeout 5): expected 0, got %s (-ETIMEDOUT: yes never got SIGPIPE; is a read end of its pipe still open in the parent?). See docs/12-subprocess.md#pipeline", kit_errname(err));
    cr_expect(eq(str, (char *)nz(r.out), "y\n"), "yes | head -n 1: expected \"y\\n\", got \"%s\". See docs/12-subprocess.md#pipeline", nz(r.out));
    cr_expect(eq(int, codes[0], -SIGPIPE), "yes after head exited: expected code -13 (SIGPIPE), got %d. See docs/12-subprocess.md#pipeline", codes[0]);
    sp_result_release(&r);
}

/* Catches: the stub.  A stage that cannot start fails the pipeline; the
 * stages already started are stopped and reaped. */
KIT_TEST(sp, pipeline_with_a_missing_stage_fails_and_leaves_nothing)
{
    char *a[] = { "cat", NULL };
    char *b[] = { "no-such-program-12", NULL };
    char *const *const stages[] = { a, b };
    struct sp_options o = { .capture = true };
    struct sp_result r = { 0 };
    int codes[2] = { 9, 9 };
    int zombies = 0;
    int fds[2];
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    o.in = (struct sp_stream){ .how = SP_FD, .fd = fds[0] };
    err = sp_pipeline(stages, 2, &o, &r, codes, 10.0);
    close(fds[0]);
    close(fds[1]);
    kit_require_impl(err, "sp_pipeline", "12-E");
    cr_expect(eq(int, err, -ENOENT), "sp_pipeline(cat | no-such-program-12): expected -ENOENT, got %s. See docs/12-subprocess.md#pipeline", kit_errname(err));
    cr_expect(eq(int, kit_proc_children(getpid(), NULL, 0, &zombies), 0), "after a failed pipeline no stage may be left (%d zombies): the started cat must be killed and reaped. See docs/12-subprocess.md#pipeline", zombies);
    sp_result_release(&r);
}
