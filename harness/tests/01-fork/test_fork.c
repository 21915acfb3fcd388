/*
 * test_fork.c - functional tests of fork.h: fork returns twice, memory is
 * copied, a tree of forks, wait statuses, the stdio pitfall (lab 01).
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "fork.h"

TestSuite(fork, .timeout = 20);

/* Exit code the children of the fork_run tests use. */
#define SEVEN 7

/* The tree size used where one size is enough: 32 processes. */
#define TREE_N 5

/* Catches: nothing on its own; the stub (not implemented).  Mirrors OS-01. */
KIT_TEST(fork, report_gives_matching_pids)
{
    struct fork_report r;
    int err = fork_report(&r);

    kit_require_impl(err, "fork_report", "01-A");
    cr_assert(eq(int, err, 0), "fork_report(&r): expected 0, got %s. See docs/01-fork.md#returns-twice", kit_errname(err));
    cr_expect(eq(int, r.parent, getpid()), "fork_report: r.parent should be the caller's getpid() %d, got %d. See docs/01-fork.md#returns-twice", (int)getpid(), (int)r.parent);
    cr_expect(ge(int, r.returned, 1), "fork_report: fork() returns the child's pid (> 0) in the parent, got r.returned = %d. See docs/01-fork.md#returns-twice", (int)r.returned);
    cr_expect(eq(int, r.child_pid, r.returned), "fork_report: the child's getpid() (%d) must equal what fork() returned in the parent (%d). See docs/01-fork.md#returns-twice", (int)r.child_pid, (int)r.returned);
    cr_expect(eq(int, r.child_ppid, r.parent), "fork_report: the child's getppid() (%d) must be the parent's pid (%d). See docs/01-fork.md#returns-twice", (int)r.child_ppid, (int)r.parent);
}

/* Catches: report_no_waitpid.patch (the child is left a zombie). */
KIT_TEST(fork, report_reaps_the_child)
{
    struct fork_report r;
    int err = fork_report(&r);
    char state;

    kit_require_impl(err, "fork_report", "01-A");
    cr_assert(eq(int, err, 0), "fork_report(&r): expected 0, got %s. See docs/01-fork.md#reaping", kit_errname(err));
    state = kit_proc_state(r.returned);
    cr_assert(eq(int, state, 0), "after fork_report returns, child %d must be gone (reaped with waitpid), but /proc says its state is '%c'%s. See docs/01-fork.md#reaping", (int)r.returned, state ? state : '?', state == 'Z' ? " (a zombie: nobody waited for it)" : "");
}

/* Catches: the stub.  Mirrors Python's refusal of bad arguments. */
KIT_TEST(fork, report_rejects_null)
{
    int err = fork_report(NULL);

    kit_require_impl(err, "fork_report(NULL)", "01-A");
    cr_assert(eq(int, err, -EINVAL), "fork_report(NULL): expected -EINVAL (no child may be made for a call that cannot report), got %s. See docs/01-fork.md#returns-twice", kit_errname(err));
}

static int g_value = 100;

/* Catches: the stub.  Mirrors OS-04. */
KIT_TEST(fork, globals_child_change_is_invisible_to_parent)
{
    struct fork_globals out;
    int err;

    g_value = 100;
    err = fork_globals(&g_value, 101, &out);
    kit_require_impl(err, "fork_globals", "01-B");
    cr_assert(eq(int, err, 0), "fork_globals(&g, 101, &out): expected 0, got %s. See docs/01-fork.md#copied-memory", kit_errname(err));
    cr_expect(eq(int, out.child_before, 100), "fork_globals: the child starts with a copy of g, so it must read 100, got %d. See docs/01-fork.md#copied-memory", out.child_before);
    cr_expect(eq(int, out.child_after, 101), "fork_globals: the child must read back its own store 101, got %d. See docs/01-fork.md#copied-memory", out.child_after);
    cr_expect(eq(int, out.parent_after, 100), "fork_globals: the parent's g must still be 100 after the child stored 101 in its copy, got %d. See docs/01-fork.md#copied-memory", out.parent_after);
    cr_expect(eq(int, g_value, 100), "fork_globals: g in the caller changed to %d; the child's store must not reach the parent. See docs/01-fork.md#copied-memory", g_value);
}

/* Catches: the stub. */
KIT_TEST(fork, globals_rejects_null)
{
    struct fork_globals out;
    int err = fork_globals(NULL, 1, &out);

    kit_require_impl(err, "fork_globals(NULL, ...)", "01-B");
    cr_assert(eq(int, err, -EINVAL), "fork_globals(NULL, 1, &out): expected -EINVAL, got %s. See docs/01-fork.md#copied-memory", kit_errname(err));
}

/* check_tree - fork_tree(n) gives 2^n distinct pids, the caller's among them. */
static void
check_tree(int n)
{
    pid_t pids[1 << FORK_TREE_MAX_N];
    int count = -1;
    int self = 0;
    int err = fork_tree(n, pids, 1 << FORK_TREE_MAX_N, &count);
    int i;
    int j;

    kit_require_impl(err, "fork_tree", "01-C");
    cr_assert(eq(int, err, 0), "fork_tree(%d, ...): expected 0, got %s. See docs/01-fork.md#tree", n, kit_errname(err));
    cr_assert(eq(int, count, 1 << n), "fork_tree(%d, ...): %d forks in a row make 2^%d = %d processes, each reporting once; got %d pids. See docs/01-fork.md#tree", n, n, n, 1 << n, count);
    for (i = 0; i < count; i++) {
        self += pids[i] == getpid();
        for (j = 0; j < i; j++)
            cr_assert(ne(int, pids[i], pids[j]), "fork_tree(%d, ...): pid %d reported twice (entries %d and %d): every process reports once. See docs/01-fork.md#tree", n, (int)pids[i], j, i);
    }
    cr_assert(eq(int, self, 1), "fork_tree(%d, ...): the caller is one of the 2^n processes and must report its own pid %d once, found it %d times. See docs/01-fork.md#tree", n, (int)getpid(), self);
}

/* Catches: tree_keeps_write_end.patch (the caller never sees end of file:
 * the watchdog fails the test with the stack of the blocked read). */
KIT_TEST(fork, tree_gives_two_to_the_n_distinct_pids)
{
    int n;

    for (n = 0; n <= TREE_N; n++)
        check_tree(n);
}

/* Catches: tree_child_skips_reaping.patch (grandchildren are orphaned;
 * the test worker is their subreaper, so they stay visible). */
KIT_TEST(fork, tree_leaves_no_process_behind)
{
    pid_t pids[1 << TREE_N];
    int count = 0;
    int err = fork_tree(TREE_N, pids, 1 << TREE_N, &count);
    int left;
    int i;

    kit_require_impl(err, "fork_tree", "01-C");
    cr_assert(eq(int, err, 0), "fork_tree(%d, ...): expected 0, got %s. See docs/01-fork.md#tree", TREE_N, kit_errname(err));
    for (i = 0; i < count; i++) {
        char st = pids[i] == getpid() ? 0 : kit_proc_state(pids[i]);

        cr_assert(eq(int, st, 0), "after fork_tree(%d) returns, process %d of the tree still exists (state '%c'): every process must reap its own children before it _exits, or they become orphans. See docs/01-fork.md#tree", TREE_N, (int)pids[i], st);
    }
    left = kit_proc_children(getpid(), NULL, 0, NULL);
    cr_assert(eq(int, left, 0), "after fork_tree(%d) returns, the caller still has %d child process(es). See docs/01-fork.md#tree", TREE_N, left);
}

/* Catches: the stub. */
KIT_TEST(fork, tree_rejects_bad_sizes)
{
    pid_t pids[4];
    int count;
    int err = fork_tree(FORK_TREE_MAX_N + 1, pids, 4, &count);

    kit_require_impl(err, "fork_tree", "01-C");
    cr_expect(eq(int, err, -EINVAL), "fork_tree(%d, ...): n above FORK_TREE_MAX_N must give -EINVAL, got %s. See docs/01-fork.md#tree", FORK_TREE_MAX_N + 1, kit_errname(err));
    err = fork_tree(3, pids, 4, &count);
    cr_expect(eq(int, err, -EINVAL), "fork_tree(3, pids, 4, ...): 8 pids do not fit in 4 entries: expected -EINVAL before any fork, got %s. See docs/01-fork.md#tree", kit_errname(err));
}

/* Catches: exitcode_ignores_signals.patch.  Mirrors OS-02, OS-03. */
KIT_TEST(fork, exitcode_decodes_exit_and_signal)
{
    int got = fork_exitcode(SEVEN << 8);

    kit_require_impl(got, "fork_exitcode", "01-E");
    cr_expect(eq(int, got, SEVEN), "fork_exitcode(0x%x) (exited with 7): expected 7, got %d. See docs/01-fork.md#wait-status", SEVEN << 8, got);
    got = fork_exitcode(SIGTERM);
    cr_expect(eq(int, got, -SIGTERM), "fork_exitcode(%d) (killed by SIGTERM): expected -15 as Python's waitstatus_to_exitcode gives, got %d. See docs/01-fork.md#wait-status", SIGTERM, got);
    got = fork_exitcode(SIGSEGV | 0x80);
    cr_expect(eq(int, got, -SIGSEGV), "fork_exitcode(0x%x) (SIGSEGV with a core dump): expected -11, got %d. See docs/01-fork.md#wait-status", SIGSEGV | 0x80, got);
    got = fork_exitcode((SIGSTOP << 8) | 0x7f);
    cr_expect(eq(int, got, FORK_NOT_ENDED), "fork_exitcode(0x%x) (stopped, not ended): expected FORK_NOT_ENDED (Python raises ValueError), got %d. See docs/01-fork.md#wait-status", (SIGSTOP << 8) | 0x7f, got);
}

static int
return_seven(void *arg)
{
    (void)arg;
    return SEVEN;
}

/* Catches: the stub.  Mirrors OS-02. */
KIT_TEST(fork, run_reports_exit_code_seven)
{
    int code = -1;
    int err = fork_run(return_seven, NULL, &code);

    kit_require_impl(err, "fork_run", "01-E");
    cr_assert(eq(int, err, 0), "fork_run(return_seven): expected 0, got %s. See docs/01-fork.md#wait-status", kit_errname(err));
    cr_assert(eq(int, code, SEVEN), "fork_run(return_seven): the child _exits with 7, so the exit code must be 7, got %d. See docs/01-fork.md#wait-status", code);
}

/* die_by - in a child: take the default action of `sig` and raise it
 * (no core file).  Does not return. */
static void
die_by(int sig)
{
    struct rlimit none = { 0, 0 };
    sigset_t set;

    setrlimit(RLIMIT_CORE, &none);
    signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(0);
}

static int
crash_with_sigsegv(void *arg)
{
    (void)arg;
    die_by(SIGSEGV);
    return 0;
}

/* Catches: exitcode_ignores_signals.patch.  Mirrors OS-03 with SIGSEGV. */
KIT_TEST(fork, run_reports_minus_eleven_for_sigsegv)
{
    int code = 0;
    int err = fork_run(crash_with_sigsegv, NULL, &code);

    kit_require_impl(err, "fork_run", "01-E");
    cr_assert(eq(int, err, 0), "fork_run(crash_with_sigsegv): expected 0, got %s. See docs/01-fork.md#wait-status", kit_errname(err));
    cr_assert(eq(int, code, -SIGSEGV), "fork_run(crash_with_sigsegv): a child killed by SIGSEGV must give -11, got %d. See docs/01-fork.md#wait-status", code);
}

/* wait_for_kill - in a child: default SIGTERM, tell the parent it is
 * ready through the pipe fd *arg, then wait to be killed. */
static int
wait_for_kill(void *arg)
{
    int fd = *(int *)arg;
    sigset_t set;

    signal(SIGTERM, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    if (write(fd, "r", 1) != 1)
        return 1;
    for (;;)
        pause();
}

/* Catches: exitcode_ignores_signals.patch.  Mirrors OS-03. */
KIT_TEST(fork, wait_reports_minus_fifteen_for_sigterm)
{
    int fds[2];
    pid_t pid = 0;
    char c;
    int code = 0;
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "pipe2 failed: %s", strerror(errno));
    err = fork_start(wait_for_kill, &fds[1], &pid);
    kit_require_impl(err, "fork_start", "01-E");
    cr_assert(eq(int, err, 0), "fork_start(wait_for_kill): expected 0, got %s. See docs/01-fork.md#wait-status", kit_errname(err));
    close(fds[1]);
    cr_assert(eq(int, (int)read(fds[0], &c, 1), 1), "the child made by fork_start never ran wait_for_kill (no ready byte). See docs/01-fork.md#wait-status");
    close(fds[0]);
    kill(pid, SIGTERM);
    err = fork_wait(pid, &code);
    kit_require_impl(err, "fork_wait", "01-E");
    cr_assert(eq(int, err, 0), "fork_wait(%d): expected 0, got %s. See docs/01-fork.md#wait-status", (int)pid, kit_errname(err));
    cr_assert(eq(int, code, -SIGTERM), "fork_wait on a child killed by SIGTERM: expected -15, got %d. See docs/01-fork.md#wait-status", code);
}

/* Catches: the stub.  Mirrors OS-07. */
KIT_TEST(fork, wait_without_children_fails_with_echild)
{
    int code = 12345;
    int err = fork_wait(-1, &code);

    kit_require_impl(err, "fork_wait", "01-E");
    cr_assert(eq(int, err, -ECHILD), "fork_wait(-1) with no child: expected -ECHILD (Python: ChildProcessError), got %s. See docs/01-fork.md#wait-status", kit_errname(err));
    cr_expect(eq(int, code, 12345), "fork_wait(-1) failed but changed *exitcode to %d: a failed call must leave its outputs alone. See docs/01-fork.md#wait-status", code);
}

/* print_through_pipe - run fork_print_and_fork on a fully buffered FILE
 * over a pipe and return what came out of the pipe in buf. */
static void
print_through_pipe(bool flush_first, char *buf, size_t len)
{
    int fds[2];
    FILE *f;
    ssize_t n;
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "pipe2 failed: %s", strerror(errno));
    f = fdopen(fds[1], "w");
    cr_assert(f != NULL, "fdopen failed: %s", strerror(errno));
    setvbuf(f, NULL, _IOFBF, BUFSIZ);
    err = fork_print_and_fork(f, "hello", flush_first);
    fclose(f);
    if (err == -ENOSYS)
        close(fds[0]);
    kit_require_impl(err, "fork_print_and_fork", "01-F");
    cr_assert(eq(int, err, 0), "fork_print_and_fork(f, \"hello\", %s): expected 0, got %s. See docs/01-fork.md#stdio-twice", flush_first ? "true" : "false", kit_errname(err));
    n = read(fds[0], buf, len - 1);
    close(fds[0]);
    buf[n < 0 ? 0 : n] = '\0';
}

/* Catches: the stub.  Mirrors OS-09 (buffered). */
KIT_TEST(fork, stdio_buffer_is_printed_twice_without_flush)
{
    char out[64];

    print_through_pipe(false, out, sizeof(out));
    cr_assert(eq(str, out, "hellohello"), "fork_print_and_fork(f, \"hello\", false): the unflushed buffer is copied into the child and both flush it, so the pipe must hold \"hellohello\", got \"%s\". See docs/01-fork.md#stdio-twice", out);
}

/* Catches: the stub.  Mirrors OS-09 (flushed first). */
KIT_TEST(fork, stdio_flush_before_fork_prints_once)
{
    char out[64];

    print_through_pipe(true, out, sizeof(out));
    cr_assert(eq(str, out, "hello"), "fork_print_and_fork(f, \"hello\", true): flushing before fork leaves the child an empty buffer, so the pipe must hold \"hello\", got \"%s\". See docs/01-fork.md#stdio-twice", out);
}
