/*
 * test_popen.c - functional tests of popen.h: starting a program with its
 * streams redirected, exec failures reported at the start, no leaked
 * descriptors, poll/wait/signals and returncode, communicate without
 * deadlock (lab 12, parts A-C).
 *
 * Children that must last block on a pipe the test holds (cat reading
 * stdin): the test ends them by closing its end.  Exact children are
 * scenario_child in this lab's build folder.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit.h"
#include "popen.h"

TestSuite(sp_popen, .timeout = 20);

/* 4 MiB + 1: more than any pipe buffer, and not a round number. */
#define BIG (4 * 1024 * 1024 + 1)

static char *cat_argv[] = { "/bin/cat", NULL };

/* ---- helpers ---------------------------------------------------------- */

/* child_path - the absolute path of scenario_child. */
static const char *
child_path(void)
{
    static char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/scenario_child", kit_build_dir());
    return path;
}

/* start_or_fail - sp_popen_new that must succeed. */
static struct sp_popen *
start_or_fail(char *const argv[], const struct sp_options *o)
{
    struct sp_popen *p = NULL;
    int err = sp_popen_new(&p, argv, o);

    kit_require_impl(err, "sp_popen_new", "12-A");
    cr_assert(eq(int, err, 0), "sp_popen_new(&p, {\"%s\", ...}, opts): expected 0, got %s. See docs/12-subprocess.md#start", argv[0], kit_errname(err));
    return p;
}

/* cat_on_a_pipe - cat whose stdin is a pipe: it runs until we close it. */
static struct sp_popen *
cat_on_a_pipe(void)
{
    struct sp_options o = { .in.how = SP_PIPE };

    return start_or_fail(cat_argv, &o);
}

/* wait_or_fail - sp_popen_wait(p, LAB_FOREVER) must give 0; returns the
 * code. */
static int
wait_or_fail(struct sp_popen *p)
{
    int code = SP_NO_RETURNCODE;
    int err = sp_popen_wait(p, &code, LAB_FOREVER);

    kit_require_impl(err, "sp_popen_wait", "12-B");
    cr_assert(eq(int, err, 0), "sp_popen_wait(p, &code, LAB_FOREVER): expected 0, got %s. See docs/12-subprocess.md#wait-timeout", kit_errname(err));
    return code;
}

/* communicate_or_fail - communicate(input) within 10 s must give 0. */
static void
communicate_or_fail(struct sp_popen *p, const void *in, size_t len,
                    struct sp_result *r)
{
    int err = sp_popen_communicate(p, in, len, r, 10.0);

    kit_require_impl(err, "sp_popen_communicate", "12-C");
    cr_assert(eq(int, err, 0), "sp_popen_communicate(p, input of %zu bytes, &res, 10.0): expected 0, got %s (-ETIMEDOUT: a pipe never reached EOF, or the pipes were served one at a time). See docs/12-subprocess.md#communicate", len, kit_errname(err));
}

/* ---- part A: starting --------------------------------------------------- */

/* Catches: the stub.  Mirrors SP-20 for what C can get wrong. */
KIT_TEST(sp_popen, bad_arguments_fail_with_einval_and_start_nothing)
{
    struct sp_options out_merge = { .out.how = SP_STDOUT };
    struct sp_options bad_fd = { .in.how = SP_FD, .in.fd = -1 };
    struct sp_options run_only = { .capture = true };
    char *bad_env[] = { "NOEQUALS", NULL };
    struct sp_options env = { .env = bad_env };
    struct sp_popen *p = (struct sp_popen *)&p;
    char *empty[] = { NULL };
    int err = sp_popen_new(&p, empty, NULL);

    kit_require_impl(err, "sp_popen_new", "12-A");
    cr_expect(eq(int, err, -EINVAL), "sp_popen_new(&p, {NULL}, NULL): expected -EINVAL (no program), got %s. See docs/12-subprocess.md#start", kit_errname(err));
    cr_expect(eq(ptr, p, NULL), "sp_popen_new must set *out to NULL on failure. See docs/12-subprocess.md#start");
    err = sp_popen_new(&p, cat_argv, &out_merge);
    cr_expect(eq(int, err, -EINVAL), "sp_popen_new with .out.how = SP_STDOUT: expected -EINVAL (only stderr can follow stdout), got %s. See docs/12-subprocess.md#streams", kit_errname(err));
    err = sp_popen_new(&p, cat_argv, &bad_fd);
    cr_expect(eq(int, err, -EINVAL), "sp_popen_new with SP_FD and fd -1: expected -EINVAL, got %s. See docs/12-subprocess.md#streams", kit_errname(err));
    err = sp_popen_new(&p, cat_argv, &run_only);
    cr_expect(eq(int, err, -EINVAL), "sp_popen_new with .capture = true (a sp_run option): expected -EINVAL, got %s. See docs/12-subprocess.md#start", kit_errname(err));
    err = sp_popen_new(&p, cat_argv, &env);
    cr_expect(eq(int, err, -EINVAL), "sp_popen_new with env {\"NOEQUALS\"}: expected -EINVAL (Python: ValueError), got %s. See docs/12-subprocess.md#start", kit_errname(err));
    sp_popen_free(NULL);
}

/* Catches: exec_error_as_127.patch.  Mirrors SP-20: a missing program is
 * an error of the call that starts it, with its errno, not a child that
 * exits 127; the failed child is reaped. */
KIT_TEST(sp_popen, missing_program_fails_at_start_with_enoent)
{
    char *nope[] = { "/no/such/program-12", NULL };
    char *nope_path[] = { "no-such-program-12", NULL };
    struct sp_popen *p = NULL;
    int zombies = 0;
    int err = sp_popen_new(&p, nope, NULL);

    kit_require_impl(err, "sp_popen_new", "12-A");
    cr_expect(eq(int, err, -ENOENT), "sp_popen_new(&p, {\"/no/such/program-12\"}, NULL): expected -ENOENT (Python: FileNotFoundError), got %s (0 means the failure would only show as exit code 127). See docs/12-subprocess.md#exec-error-pipe", kit_errname(err));
    sp_popen_free(p);
    p = NULL;
    err = sp_popen_new(&p, nope_path, NULL);
    cr_expect(eq(int, err, -ENOENT), "sp_popen_new(&p, {\"no-such-program-12\"}, NULL) searched in PATH: expected -ENOENT, got %s. See docs/12-subprocess.md#exec-error-pipe", kit_errname(err));
    sp_popen_free(p);
    cr_expect(eq(int, kit_proc_children(getpid(), NULL, 0, &zombies), 0), "after a failed start no child may be left (the failed child must be reaped); %d zombies. See docs/12-subprocess.md#exec-error-pipe", zombies);
}

/* Catches: the stub.  Mirrors SP-20: a file that is not executable. */
KIT_TEST(sp_popen, non_executable_file_fails_at_start_with_eacces)
{
    char path[] = "/tmp/kit12-noexec-XXXXXX";
    int fd = mkstemp(path);
    char *argv[] = { path, NULL };
    struct sp_popen *p = NULL;
    int err;

    cr_assert(fd >= 0, "test setup: mkstemp failed: %s", strerror(errno));
    cr_assert(eq(int, kit_write_full(fd, "#!/bin/sh\n", 10), 0), "test setup: write failed");
    close(fd);
    chmod(path, 0644);
    err = sp_popen_new(&p, argv, NULL);
    unlink(path);
    kit_require_impl(err, "sp_popen_new", "12-A");
    cr_expect(eq(int, err, -EACCES), "sp_popen_new on a file without the x bit: expected -EACCES (Python: PermissionError), got %s. See docs/12-subprocess.md#exec-error-pipe", kit_errname(err));
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-20: a bad cwd is the start's error. */
KIT_TEST(sp_popen, missing_cwd_fails_at_start_with_enoent)
{
    struct sp_options o = { .cwd = "/no/such/dir-12" };
    struct sp_popen *p = NULL;
    int err = sp_popen_new(&p, cat_argv, &o);

    kit_require_impl(err, "sp_popen_new", "12-A");
    cr_expect(eq(int, err, -ENOENT), "sp_popen_new with .cwd = \"/no/such/dir-12\": expected -ENOENT (Python: FileNotFoundError), got %s. See docs/12-subprocess.md#exec-error-pipe", kit_errname(err));
    sp_popen_free(p);
}

/* Catches: fd_leak_into_child.patch.  The child gets fds 0, 1, 2 and
 * nothing else: not our pipe ends, and not a descriptor the caller
 * opened without close-on-exec (Python: close_fds=True). */
KIT_TEST(sp_popen, child_sees_only_its_three_streams)
{
    struct sp_options o = {
        .in.how = SP_PIPE, .out.how = SP_PIPE, .err.how = SP_PIPE,
    };
    char *argv[] = { (char *)child_path(), "fds", NULL };
    struct sp_result r = { 0 };
    int leaky = dup(STDERR_FILENO);     /* no close-on-exec on purpose */
    struct sp_popen *p;

    cr_assert(leaky > 2, "test setup: dup failed");
    p = start_or_fail(argv, &o);
    close(leaky);
    communicate_or_fail(p, NULL, 0, &r);
    cr_expect(eq(int, r.returncode, 0), "scenario_child fds: expected exit 0, got %d (stderr: %s). See docs/12-subprocess.md#no-leaks", r.returncode, r.err ? r.err : "");
    cr_expect(eq(str, r.out ? r.out : "(null)", ""), "the child must see only fds 0, 1, 2; it also saw: %s(fd %d was opened by the caller without O_CLOEXEC). See docs/12-subprocess.md#no-leaks", r.out ? r.out : "(null)", leaky);
    sp_result_release(&r);
    sp_popen_free(p);
}

/* Catches: parent_keeps_write_end.patch.  After the start the parent
 * holds exactly one new fd per pipe (its own end); the child's end is
 * closed here, or EOF never comes. */
KIT_TEST(sp_popen, parent_keeps_only_its_own_pipe_ends)
{
    struct sp_options o = { .out.how = SP_PIPE, .err.how = SP_PIPE };
    char *argv[] = { "/bin/sh", "-c", "echo hi", NULL };
    struct sp_result r = { 0 };
    int before = kit_fd_count();
    struct sp_popen *p = start_or_fail(argv, &o);
    int after = kit_fd_count();

    cr_expect(eq(int, after - before, 2), "sp_popen_new with stdout and stderr pipes: the parent must gain exactly 2 fds (its read ends), it gained %d: the child's write ends must be closed in the parent. See docs/12-subprocess.md#close-ends", after - before);
    cr_expect(sp_popen_fd(p, 1) >= 0 && sp_popen_fd(p, 2) >= 0 && sp_popen_fd(p, 0) == -1, "sp_popen_fd(p, 0/1/2): expected -1 for the inherited stdin and our read ends for 1 and 2, got %d %d %d. See docs/12-subprocess.md#streams", sp_popen_fd(p, 0), sp_popen_fd(p, 1), sp_popen_fd(p, 2));
    communicate_or_fail(p, NULL, 0, &r);
    cr_expect(eq(str, r.out ? r.out : "(null)", "hi\n"), "sh -c 'echo hi' with a stdout pipe: expected \"hi\\n\", got \"%s\". See docs/12-subprocess.md#communicate", r.out ? r.out : "(null)");
    sp_result_release(&r);
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-28 and SP-04: DEVNULL, a caller's fd,
 * and stderr sent where stdout goes. */
KIT_TEST(sp_popen, devnull_fd_and_stdout_redirections_reach_the_child)
{
    char *argv[] = { "/bin/sh", "-c", "cat; echo out; echo err >&2", NULL };
    struct sp_options o = { .in.how = SP_DEVNULL, .err.how = SP_STDOUT };
    char got[64] = "";
    int fds[2];
    struct sp_popen *p;
    ssize_t n;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    o.out = (struct sp_stream){ .how = SP_FD, .fd = fds[1] };
    p = start_or_fail(argv, &o);
    close(fds[1]);
    cr_expect(eq(int, wait_or_fail(p), 0), "the child's exit code: expected 0. See docs/12-subprocess.md#streams");
    n = kit_read_full(fds[0], got, sizeof(got) - 1, 5.0);
    close(fds[0]);
    got[n > 0 ? n : 0] = '\0';
    cr_expect(eq(str, got, "out\nerr\n"), "stdin /dev/null, stdout our pipe (SP_FD), stderr SP_STDOUT: expected \"out\\nerr\\n\" on our pipe, got \"%s\". See docs/12-subprocess.md#streams", got);
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-25: cwd, and env replacing the whole
 * environment. */
KIT_TEST(sp_popen, cwd_and_env_reach_the_child)
{
    char *env[] = { "FRUIT=banana", NULL };
    char *argv[] = { "/bin/sh", "-c", "pwd; echo $FRUIT ${HOME-unset}", NULL };
    struct sp_options o = { .out.how = SP_PIPE, .cwd = "/", .env = env };
    struct sp_result r = { 0 };
    struct sp_popen *p = start_or_fail(argv, &o);

    communicate_or_fail(p, NULL, 0, &r);
    cr_expect(eq(str, r.out ? r.out : "(null)", "/\nbanana unset\n"), "sh -c 'pwd; echo $FRUIT ${HOME-unset}' with cwd \"/\" and env {FRUIT=banana}: expected \"/\\nbanana unset\\n\", got \"%s\". See docs/12-subprocess.md#start", r.out ? r.out : "(null)");
    sp_result_release(&r);
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-01: a bare name is found in PATH. */
KIT_TEST(sp_popen, bare_program_name_is_found_in_path)
{
    char *argv[] = { "true", NULL };
    struct sp_popen *p = start_or_fail(argv, NULL);

    cr_expect(eq(int, wait_or_fail(p), 0), "\"true\" found in PATH: expected exit 0. See docs/12-subprocess.md#start");
    cr_expect(sp_popen_pid(p) > 0, "sp_popen_pid(p) after start: expected the child's pid. See docs/12-subprocess.md#start");
    sp_popen_free(p);
}

/* ---- part B: poll, wait, signals ----------------------------------- */

/* Catches: the stub.  Mirrors SP-13. */
KIT_TEST(sp_popen, poll_is_eagain_while_running_then_the_code)
{
    struct sp_popen *p = cat_on_a_pipe();
    int code = 12345;
    int err = sp_popen_poll(p, &code);

    kit_require_impl(err, "sp_popen_poll", "12-B");
    cr_expect(eq(int, err, -EAGAIN), "sp_popen_poll(p) while cat waits on its stdin: expected -EAGAIN (Python: None), got %s. See docs/12-subprocess.md#returncode", kit_errname(err));
    err = sp_popen_returncode(p, &code);
    cr_expect(eq(int, err, -EAGAIN), "sp_popen_returncode(p) while running: expected -EAGAIN, got %s. See docs/12-subprocess.md#returncode", kit_errname(err));
    sp_popen_close_fd(p, 0);
    cr_expect(eq(int, wait_or_fail(p), 0), "cat after its stdin closed: expected exit 0. See docs/12-subprocess.md#returncode");
    err = sp_popen_poll(p, &code);
    cr_expect(eq(int, err, 0), "sp_popen_poll(p) after the end: expected 0, got %s. See docs/12-subprocess.md#returncode", kit_errname(err));
    cr_expect(eq(int, code, 0), "sp_popen_poll(p) after the end: expected code 0 again, got %d. See docs/12-subprocess.md#returncode", code);
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-12: wait(timeout) on a running child
 * returns -ETIMEDOUT after about that long and does not kill it. */
KIT_TEST(sp_popen, wait_times_out_while_the_child_runs)
{
    struct sp_popen *p = cat_on_a_pipe();
    int code = 12345;
    double t0 = kit_now();
    int err = sp_popen_wait(p, &code, 0.2);
    double took = kit_now() - t0;

    kit_require_impl(err, "sp_popen_wait", "12-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "sp_popen_wait(p, &code, 0.2) on a child blocked on its stdin: expected -ETIMEDOUT, got %s. See docs/12-subprocess.md#wait-timeout", kit_errname(err));
    cr_expect(took >= 0.195 && took < 5.0, "sp_popen_wait(p, &code, 0.2) took %.3f s: expected about 0.2 s. See docs/12-subprocess.md#wait-timeout", took);
    cr_expect(eq(int, sp_popen_poll(p, &code), -EAGAIN), "after a timed-out wait the child must still run (Python does not kill it). See docs/12-subprocess.md#wait-timeout");
    sp_popen_close_fd(p, 0);
    cr_expect(eq(int, wait_or_fail(p), 0), "a second wait after closing stdin: expected exit 0. See docs/12-subprocess.md#wait-timeout");
    sp_popen_free(p);
}

/* Catches: wait_timeout_zombie.patch.  A wait with a timeout that sees
 * the end must reap: no zombie is left, and the code is the exit code. */
KIT_TEST(sp_popen, wait_with_timeout_reaps_the_child)
{
    char *argv[] = { "/bin/sh", "-c", "exit 7", NULL };
    struct sp_popen *p = start_or_fail(argv, NULL);
    pid_t pid = sp_popen_pid(p);
    int code = 12345;
    int err = sp_popen_wait(p, &code, 10.0);
    char state = kit_proc_state(pid);

    kit_require_impl(err, "sp_popen_wait", "12-B");
    cr_expect(eq(int, err, 0), "sp_popen_wait(p, &code, 10.0) on sh -c 'exit 7': expected 0, got %s. See docs/12-subprocess.md#wait-timeout", kit_errname(err));
    cr_expect(eq(int, code, 7), "sp_popen_wait: expected returncode 7, got %d. See docs/12-subprocess.md#returncode", code);
    cr_expect(eq(chr, state, 0), "after sp_popen_wait(p, &code, 10.0) returned, pid %d is still in /proc in state '%c' (Z = a zombie: it was never reaped). See docs/12-subprocess.md#wait-timeout", (int)pid, state ? state : '-');
    sp_popen_free(p);
}

/* Catches: returncode_raw_status.patch.  Mirrors SP-14. */
KIT_TEST(sp_popen, returncode_is_minus_the_signal_that_ended_the_child)
{
    static const int sigs[] = { SIGTERM, SIGKILL, SIGUSR1 };
    int i;

    for (i = 0; i < 3; i++) {
        struct sp_popen *p = cat_on_a_pipe();
        int err = i == 0 ? sp_popen_terminate(p)
                  : i == 1 ? sp_popen_kill(p)
                           : sp_popen_send_signal(p, SIGUSR1);
        int code;

        kit_require_impl(err, "sp_popen_terminate/kill/send_signal", "12-B");
        cr_expect(eq(int, err, 0), "signal %d to a running child: expected 0, got %s. See docs/12-subprocess.md#returncode", sigs[i], kit_errname(err));
        code = wait_or_fail(p);
        cr_expect(eq(int, code, -sigs[i]), "a child ended by signal %d: expected returncode %d, got %d. See docs/12-subprocess.md#returncode", sigs[i], -sigs[i], code);
        sp_popen_free(p);
    }
}

/* Catches: the stub.  Mirrors SP-16: signals after the reap do nothing
 * (the pid may belong to a stranger by now). */
KIT_TEST(sp_popen, signals_after_the_reap_do_nothing)
{
    char *argv[] = { "/bin/sh", "-c", "exit 5", NULL };
    struct sp_popen *p = start_or_fail(argv, NULL);
    int code = 12345;
    int err;

    cr_assert(eq(int, wait_or_fail(p), 5), "sh -c 'exit 5': expected code 5. See docs/12-subprocess.md#returncode");
    err = sp_popen_terminate(p);
    cr_expect(eq(int, err, 0), "sp_popen_terminate(p) after the reap: expected 0 (a no-op), got %s. See docs/12-subprocess.md#stale-pid", kit_errname(err));
    err = sp_popen_kill(p);
    cr_expect(eq(int, err, 0), "sp_popen_kill(p) after the reap: expected 0 (a no-op), got %s. See docs/12-subprocess.md#stale-pid", kit_errname(err));
    err = sp_popen_returncode(p, &code);
    cr_expect(all(eq(int, err, 0), eq(int, code, 5)), "sp_popen_returncode(p) after the reap: expected 0 and code 5, got %s and %d. See docs/12-subprocess.md#returncode", kit_errname(err), code);
    sp_popen_free(p);
}

/* Catches: the stub.  sp_popen_free on a running child kills and reaps
 * it (hygiene: nothing left behind). */
KIT_TEST(sp_popen, free_ends_a_running_child)
{
    struct sp_popen *p = cat_on_a_pipe();
    int code = 12345;
    int zombies = 0;
    int err = sp_popen_poll(p, &code);

    kit_require_impl(err, "sp_popen_poll", "12-B");
    sp_popen_free(p);
    cr_expect(eq(int, kit_proc_children(getpid(), NULL, 0, &zombies), 0), "after sp_popen_free(p) of a running child, no child may be left (%d zombies): kill it, then reap it. See docs/12-subprocess.md#free", zombies);
}

/* ---- part C: communicate ------------------------------------------ */

/* Catches: stdin_left_open.patch.  Mirrors SP-08: input goes in, stdin
 * is closed so cat sees EOF, output comes back. */
KIT_TEST(sp_popen, communicate_sends_input_and_closes_stdin)
{
    struct sp_options o = {
        .in.how = SP_PIPE, .out.how = SP_PIPE, .err.how = SP_PIPE,
    };
    struct sp_popen *p = start_or_fail(cat_argv, &o);
    struct sp_result r = { 0 };

    communicate_or_fail(p, "banana", 6, &r);
    cr_expect(eq(str, r.out ? r.out : "(null)", "banana"), "cat fed \"banana\": expected stdout \"banana\", got \"%s\". See docs/12-subprocess.md#communicate", r.out ? r.out : "(null)");
    cr_expect(eq(str, r.err ? r.err : "(null)", ""), "cat: expected empty stderr, got \"%s\". See docs/12-subprocess.md#communicate", r.err ? r.err : "(null)");
    cr_expect(eq(int, r.returncode, 0), "cat: expected returncode 0, got %d. See docs/12-subprocess.md#communicate", r.returncode);
    sp_result_release(&r);
    sp_popen_free(p);
}

/* Catches: communicate_stdout_first.patch.  Mirrors SP-09: the child
 * writes 4 MiB + 1 to stderr before it reads any input, then echoes
 * 4 MiB + 1 of input: only a parent that serves all pipes at once gets
 * through. */
KIT_TEST(sp_popen, communicate_moves_mibs_both_ways_at_once)
{
    struct sp_options o = {
        .in.how = SP_PIPE, .out.how = SP_PIPE, .err.how = SP_PIPE,
    };
    char n[32];
    char *argv[] = { (char *)child_path(), "err_then_echo", n, NULL };
    char *in = malloc(BIG);
    struct sp_result r = { 0 };
    struct sp_popen *p;
    size_t i;

    cr_assert(in != NULL, "test setup: out of memory");
    for (i = 0; i < BIG; i++)
        in[i] = (char)('a' + i % 23);
    snprintf(n, sizeof(n), "%d", BIG);
    p = start_or_fail(argv, &o);
    communicate_or_fail(p, in, BIG, &r);
    cr_expect(eq(sz, r.err_len, (size_t)BIG), "stderr: expected %d bytes, got %zu. See docs/12-subprocess.md#communicate", BIG, r.err_len);
    cr_expect(eq(sz, r.out_len, (size_t)BIG), "stdout (the echoed input): expected %d bytes, got %zu. See docs/12-subprocess.md#communicate", BIG, r.out_len);
    cr_expect(r.out != NULL && r.out_len == BIG && memcmp(r.out, in, BIG) == 0, "stdout must equal the input byte for byte. See docs/12-subprocess.md#communicate");
    free(in);
    sp_result_release(&r);
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-10: a timeout leaves the child running
 * and loses nothing; the next call returns everything from the start.
 * The child's stdin is a pipe the test holds, so "later" is an event. */
KIT_TEST(sp_popen, communicate_timeout_loses_nothing)
{
    char *argv[] = { "/bin/sh", "-c", "echo first; read x; echo second", NULL };
    struct sp_options o = { .out.how = SP_PIPE };
    struct sp_result r = { 0 };
    struct sp_popen *p;
    int fds[2];
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    o.in = (struct sp_stream){ .how = SP_FD, .fd = fds[0] };
    p = start_or_fail(argv, &o);
    close(fds[0]);
    err = sp_popen_communicate(p, NULL, 0, &r, 0.3);
    kit_require_impl(err, "sp_popen_communicate", "12-C");
    cr_expect(eq(int, err, -ETIMEDOUT), "sp_popen_communicate(p, NULL, 0, &r, 0.3) while the child waits for input: expected -ETIMEDOUT, got %s. See docs/12-subprocess.md#communicate-timeout", kit_errname(err));
    cr_expect(eq(str, r.out ? r.out : "(null)", "first\n"), "after the timeout res.out must hold what came so far, \"first\\n\"; got \"%s\". See docs/12-subprocess.md#communicate-timeout", r.out ? r.out : "(null)");
    sp_result_release(&r);
    close(fds[1]);              /* the child's `read` ends */
    communicate_or_fail(p, NULL, 0, &r);
    cr_expect(eq(str, r.out ? r.out : "(null)", "first\nsecond\n"), "the second communicate must return everything from the start: expected \"first\\nsecond\\n\", got \"%s\". See docs/12-subprocess.md#communicate-timeout", r.out ? r.out : "(null)");
    sp_result_release(&r);
    sp_popen_free(p);
}

/* Catches: the stub.  Mirrors SP-27: a child that exits without reading
 * its input is not an error, and its SIGPIPE does not kill the parent. */
KIT_TEST(sp_popen, communicate_ignores_a_child_that_never_reads)
{
    char *argv[] = { "/bin/true", NULL };
    struct sp_options o = { .in.how = SP_PIPE };
    char *in = calloc(1, BIG);
    struct sp_result r = { 0 };
    struct sp_popen *p;

    cr_assert(in != NULL, "test setup: out of memory");
    p = start_or_fail(argv, &o);
    communicate_or_fail(p, in, BIG, &r);
    cr_expect(eq(int, r.returncode, 0), "/bin/true fed 4 MiB: expected returncode 0, got %d. See docs/12-subprocess.md#communicate", r.returncode);
    cr_expect(eq(ptr, r.out, NULL), "stdout was not a pipe: res.out must be NULL (Python: None). See docs/12-subprocess.md#communicate");
    free(in);
    sp_result_release(&r);
    sp_popen_free(p);
}
