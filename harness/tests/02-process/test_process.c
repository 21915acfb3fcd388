/*
 * test_process.c - functional tests of process.h: the object and its
 * lifecycle, join with a timeout, exit codes, signals, daemons and
 * shutdown, the run() table, fork versus spawn (lab 02).
 *
 * Children that must last block in pause() or on a pipe the test holds;
 * "has the child ended?" is learned with waitid(WNOWAIT), which waits for
 * the end without reaping, so the code under test still does the reaping.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "process.h"

TestSuite(process, .timeout = 20);

/* How many processes the "right after start" tests make. */
#define MANY 20

/* ---- helpers: pipes the test holds, and the targets children run ---- */

/* A pipe whose read end a child blocks on until the test closes the
 * write end (the child closes its own copy of the write end first). */
struct gate {
    int rfd;
    int wfd;
};

static void
gate_open(struct gate *g)
{
    int fds[2];

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed: %s", strerror(errno));
    g->rfd = fds[0];
    g->wfd = fds[1];
}

/* gate_close - close whichever ends are still open. */
static void
gate_close(struct gate *g)
{
    if (g->rfd >= 0)
        close(g->rfd);
    if (g->wfd >= 0)
        close(g->wfd);
    g->rfd = -1;
    g->wfd = -1;
}

/* gate_release - let the child go: close the test's write end. */
static void
gate_release(struct gate *g)
{
    close(g->wfd);
    g->wfd = -1;
}

/* read_full - read exactly n bytes; returns n, or less on EOF/error. */
static size_t
read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

/* wait_ended - block until `pid` has ended, without reaping it. */
static void
wait_ended(pid_t pid)
{
    siginfo_t info;
    int r;

    do
        r = waitid(P_PID, pid, &info, WEXITED | WNOWAIT);
    while (r < 0 && errno == EINTR);
    cr_assert(eq(int, r, 0), "test setup: waitid(%d, WNOWAIT) failed: %s (is the child really this process's child?)", (int)pid, strerror(errno));
}

/* Target: block until the gate is released, then return 0. */
static int
wait_gate(void *arg)
{
    struct gate *g = arg;
    char c;

    close(g->wfd);
    for (;;) {
        ssize_t n = read(g->rfd, &c, 1);
        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return 2;
    }
}

/* Target: never return on its own. */
static int
block_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return 0;                   /* not reached */
}

/* Target: return the int arg points to. */
static int
return_value(void *arg)
{
    return *(int *)arg;
}

/* Target: die of the signal arg points to. */
static int
raise_signal(void *arg)
{
    raise(*(int *)arg);
    return 0;
}

/* start_or_fail - process_new + process_start of `target`, asserting. */
static struct process *
start_or_fail(process_target *target, void *arg,
              const struct process_options *opts)
{
    struct process *p = NULL;
    int err = process_new(&p, target, arg, opts);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new(&p, target, arg, opts): expected 0, got %s. See docs/02-process.md#new", kit_errname(err));
    err = process_start(p);
    kit_require_impl(err, "process_start", "02-A");
    cr_assert(eq(int, err, 0), "process_start(p) on a new process: expected 0, got %s. See docs/02-process.md#start", kit_errname(err));
    return p;
}

/* join_or_fail - process_join(p, LAB_FOREVER) must return 0. */
static void
join_or_fail(struct process *p)
{
    int err = process_join(p, LAB_FOREVER);

    kit_require_impl(err, "process_join", "02-B");
    cr_assert(eq(int, err, 0), "process_join(p, LAB_FOREVER) on a started process: expected 0, got %s. See docs/02-process.md#join", kit_errname(err));
}

/* exitcode_of - process_exitcode(p) must succeed; returns the code. */
static int
exitcode_of(struct process *p)
{
    int code = 12345;
    int err = process_exitcode(p, &code);

    kit_require_impl(err, "process_exitcode", "02-B");
    cr_assert(eq(int, err, 0), "process_exitcode(p, &code) after the child ended: expected 0, got %s (-EAGAIN is Python's None: no exit code yet). See docs/02-process.md#exitcode", kit_errname(err));
    return code;
}

/* ---- part A: the object and its lifecycle ---------------------------- */

/* Catches: the stub.  Python: Process(target=None) builds an object that
 * does nothing; the contract refuses it, leaving nothing allocated. */
KIT_TEST(process, new_with_null_target_fails_with_einval)
{
    struct process *p = (struct process *)&p;
    int err = process_new(&p, NULL, NULL, NULL);

    kit_require_impl(err, "process_new(&p, NULL, ...)", "02-A");
    cr_expect(eq(int, err, -EINVAL), "process_new(&p, NULL target, NULL, NULL): expected -EINVAL, got %s. See docs/02-process.md#new", kit_errname(err));
    cr_expect(eq(ptr, p, NULL), "process_new with a NULL target must set *out to NULL so a later process_free(p) is safe. See docs/02-process.md#new");
    err = process_new(NULL, return_value, NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "process_new(NULL, target, ...): expected -EINVAL, got %s. See docs/02-process.md#new", kit_errname(err));
    process_free(NULL);
}

/* Catches: the stub.  Mirrors PROC-01. */
KIT_TEST(process, new_process_is_initial_with_no_pid_and_no_exitcode)
{
    struct process_options opts = { .name = "SomeProcess" };
    struct process *p = NULL;
    int code = 12345;
    int err = process_new(&p, return_value, &code, &opts);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new(&p, f, arg, {.name = \"SomeProcess\"}): expected 0, got %s. See docs/02-process.md#new", kit_errname(err));
    cr_expect(eq(str, (char *)process_name(p), "SomeProcess"), "process_name(p): expected the name given in the options. See docs/02-process.md#names");
    cr_expect(not(process_daemon(p)), "process_daemon(p): a process is not a daemon unless the options say so (Python: daemon=False). See docs/02-process.md#daemon");
    cr_expect(not(process_is_alive(p)), "process_is_alive(p) before start: expected false. See docs/02-process.md#lifecycle");
    cr_expect(eq(int, process_pid(p), 0), "process_pid(p) before start: expected 0 (Python: None), got %d. See docs/02-process.md#lifecycle", (int)process_pid(p));
    err = process_exitcode(p, &code);
    cr_expect(eq(int, err, -EAGAIN), "process_exitcode(p) before start: expected -EAGAIN (Python: None), got %s. See docs/02-process.md#exitcode", kit_errname(err));
    cr_expect(eq(str, (char *)process_status(p), "initial"), "process_status(p) before start: expected \"initial\", got \"%s\". See docs/02-process.md#lifecycle", process_status(p));
    process_free(p);
}

/* Target: make a process and send its default name down the pipe. */
static int
send_first_child_name(void *arg)
{
    char name[PROCESS_NAME_MAX] = "";
    struct process *q = NULL;

    if (process_new(&q, block_forever, NULL, NULL) == 0)
        snprintf(name, sizeof(name), "%s", process_name(q));
    process_free(q);
    return write(*(int *)arg, name, sizeof(name)) == sizeof(name) ? 0 : 3;
}

/* Catches: the stub.  Mirrors PROC-04: "Process-N", N counting up by one
 * per process made, from 1 again in each child (named "Process-N:1"). */
KIT_TEST(process, default_names_count_up_per_parent)
{
    struct process *a = NULL;
    struct process *b = NULL;
    char want[2 * PROCESS_NAME_MAX];
    char got[PROCESS_NAME_MAX] = "";
    unsigned n = 0;
    int fds[2];
    int err = process_new(&a, send_first_child_name, &fds[1], NULL);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new(&a, f, arg, NULL): expected 0, got %s. See docs/02-process.md#names", kit_errname(err));
    cr_assert(eq(int, sscanf(process_name(a), "Process-%u", &n), 1), "process_name(a) with no name given: expected \"Process-N\", got \"%s\". See docs/02-process.md#names", process_name(a));
    cr_assert(eq(int, process_new(&b, block_forever, NULL, NULL), 0), "second process_new failed");
    snprintf(want, sizeof(want), "Process-%u", n + 1);
    cr_expect(eq(str, (char *)process_name(b), want), "the next default name after \"%s\" must be \"%s\", got \"%s\". See docs/02-process.md#names", process_name(a), want, process_name(b));
    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    err = process_start(a);
    cr_assert(eq(int, err, 0), "process_start(a): expected 0, got %s. See docs/02-process.md#start", kit_errname(err));
    close(fds[1]);
    read_full(fds[0], got, sizeof(got));
    close(fds[0]);
    join_or_fail(a);
    snprintf(want, sizeof(want), "Process-%u:1", n);
    cr_expect(eq(str, got, want), "the first process made inside child \"%s\" must be named \"%s\" (the counter restarts in each child; Python's identity is a tuple), got \"%s\". See docs/02-process.md#names", process_name(a), want, got);
    process_free(a);
    process_free(b);
}

/* What send_ids reports. */
struct ids {
    int pid;
    int ppid;
    int value;
};

/* The arg of send_ids: the value to echo, where to write, what to wait. */
struct ids_arg {
    int value;
    int out;
    struct gate gate;
};

/* Target: report (getpid, getppid, value), then wait for the gate. */
static int
send_ids(void *arg)
{
    struct ids_arg *a = arg;
    struct ids msg = { getpid(), getppid(), a->value };

    if (write(a->out, &msg, sizeof(msg)) != sizeof(msg))
        return 3;
    return wait_gate(&a->gate);
}

/* Catches: the stub.  Mirrors PROC-02: the target runs in a child of the
 * caller with its argument; alive while it runs; exit code 0 after. */
KIT_TEST(process, start_runs_target_in_a_child_with_its_arg)
{
    struct ids_arg a = { .value = 4242 };
    struct ids got = { 0, 0, 0 };
    struct process *p;
    int fds[2];

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    a.out = fds[1];
    gate_open(&a.gate);
    p = start_or_fail(send_ids, &a, NULL);
    close(fds[1]);
    cr_assert(eq(sz, read_full(fds[0], &got, sizeof(got)), sizeof(got)), "the child never reported: did process_start run target(arg) in the child? See docs/02-process.md#start");
    close(fds[0]);
    cr_expect(eq(int, got.ppid, (int)getpid()), "in the child, getppid() must be the caller's pid %d, got %d. See docs/02-process.md#start", (int)getpid(), got.ppid);
    cr_expect(eq(int, got.pid, (int)process_pid(p)), "process_pid(p) = %d must be the child's getpid() = %d. See docs/02-process.md#lifecycle", (int)process_pid(p), got.pid);
    cr_expect(eq(int, got.value, 4242), "the target must get the arg given to process_new: expected 4242, got %d. See docs/02-process.md#new", got.value);
    cr_expect(process_is_alive(p), "process_is_alive(p) while the target blocks: expected true. See docs/02-process.md#lifecycle");
    cr_expect(eq(str, (char *)process_status(p), "started"), "process_status(p) while running: expected \"started\", got \"%s\". See docs/02-process.md#lifecycle", process_status(p));
    gate_release(&a.gate);
    join_or_fail(p);
    cr_expect(not(process_is_alive(p)), "process_is_alive(p) after join: expected false. See docs/02-process.md#lifecycle");
    cr_expect(eq(int, exitcode_of(p), 0), "exit code of a target that returned 0: expected 0. See docs/02-process.md#exitcode");
    cr_expect(eq(str, (char *)process_status(p), "stopped"), "process_status(p) after join: expected \"stopped\", got \"%s\". See docs/02-process.md#lifecycle", process_status(p));
    gate_close(&a.gate);
    process_free(p);
}

/* Catches: start_twice.patch.  Mirrors PROC-10. */
KIT_TEST(process, start_twice_fails_with_einval)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    pid_t first = process_pid(p);
    int err = process_start(p);

    cr_expect(eq(int, err, -EINVAL), "process_start(p) a second time: expected -EINVAL (Python: AssertionError \"cannot start a process twice\"), got %s. See docs/02-process.md#start-once", kit_errname(err));
    cr_expect(eq(int, process_pid(p), first), "a refused second start must not change process_pid(p): was %d, now %d. See docs/02-process.md#start-once", (int)first, (int)process_pid(p));
    process_free(p);
}

/* Catches: the stub.  Mirrors PROC-11. */
KIT_TEST(process, join_before_start_fails_with_einval)
{
    struct process *p = NULL;
    int err = process_new(&p, block_forever, NULL, NULL);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new: expected 0, got %s. See docs/02-process.md#new", kit_errname(err));
    err = process_join(p, LAB_FOREVER);
    kit_require_impl(err, "process_join", "02-B");
    cr_expect(eq(int, err, -EINVAL), "process_join(p) before start: expected -EINVAL (Python: AssertionError \"can only join a started process\"), got %s. See docs/02-process.md#lifecycle", kit_errname(err));
    err = process_join(NULL, 0);
    cr_expect(eq(int, err, -EINVAL), "process_join(NULL, 0): expected -EINVAL, got %s. See docs/02-process.md#join", kit_errname(err));
    process_free(p);
}

/* Catches: free_leaks_child.patch (the child is left running and is
 * orphaned).  The contract: process_free kills and reaps a live child. */
KIT_TEST(process, free_ends_a_live_child)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    pid_t pid = process_pid(p);
    char state;

    process_free(p);
    state = kit_proc_state(pid);
    cr_assert(eq(int, state, 0), "after process_free(p) on a running child, process %d must be gone (killed and reaped), but /proc says its state is '%c'. See docs/02-process.md#free", (int)pid, state ? state : '?');
}

/* ---- part B: join with a timeout, is_alive, exit codes --------------- */

/* Catches: join_ignores_timeout.patch (the join blocks until the
 * watchdog fires).  Mirrors PROC-05. */
KIT_TEST(process, join_times_out_while_the_child_runs)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    double t0 = kit_now();
    int err = process_join(p, 0.2);
    double took = kit_now() - t0;

    kit_require_impl(err, "process_join", "02-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "process_join(p, 0.2) on a child blocked in pause(): expected -ETIMEDOUT, got %s. See docs/02-process.md#join", kit_errname(err));
    cr_expect(ge(dbl, took, 0.195), "process_join(p, 0.2) returned after %.3f s: it must wait the whole timeout (at least 0.195 s). See docs/02-process.md#join", took);
    cr_expect(le(dbl, took, 5.0), "process_join(p, 0.2) returned after %.3f s: far beyond its timeout. See docs/02-process.md#join", took);
    cr_expect(process_is_alive(p), "process_is_alive(p) after a timed-out join: the child still runs, expected true. See docs/02-process.md#join");
    process_kill(p);
    join_or_fail(p);
    process_free(p);
}

/* Catches: join_ignores_timeout.patch.  Mirrors PROC-06 (Python also
 * returns at once for join(-1); in C a negative timeout is LAB_FOREVER). */
KIT_TEST(process, join_with_zero_timeout_returns_at_once)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    double t0 = kit_now();
    int err = process_join(p, 0);
    double took = kit_now() - t0;

    kit_require_impl(err, "process_join", "02-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "process_join(p, 0) on a running child: expected -ETIMEDOUT, got %s. See docs/02-process.md#join", kit_errname(err));
    cr_expect(lt(dbl, took, 2.0), "process_join(p, 0) took %.3f s: a zero timeout only checks. See docs/02-process.md#join", took);
    err = process_join(p, NAN);
    cr_expect(eq(int, err, -EINVAL), "process_join(p, NAN): expected -EINVAL, got %s. See docs/02-process.md#join", kit_errname(err));
    process_kill(p);
    join_or_fail(p);
    process_free(p);
}

/* Catches: join_never_reaps.patch (the child stays a zombie). */
KIT_TEST(process, join_reaps_the_child)
{
    int zero = 0;
    struct process *p = start_or_fail(return_value, &zero, NULL);
    pid_t pid = process_pid(p);
    char state;

    join_or_fail(p);
    state = kit_proc_state(pid);
    cr_expect(eq(int, state, 0), "after process_join returns 0, child %d must be reaped, but /proc says its state is '%c'%s. See docs/02-process.md#reap-once", (int)pid, state ? state : '?', state == 'Z' ? " (a zombie: join waited but never called waitpid)" : "");
    cr_expect(eq(int, process_join(p, 0), 0), "process_join(p, 0) on a process already joined: expected 0 at once (join may be called many times). See docs/02-process.md#join");
    process_free(p);
}

/* Catches: exitcode_raw_status.patch.  Mirrors PROC-09. */
KIT_TEST(process, exitcode_is_the_targets_return_value)
{
    static const int codes[] = { 0, 3, 42, 255 };

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        int want = codes[i];
        struct process *p = start_or_fail(return_value, &want, NULL);
        int got;

        join_or_fail(p);
        got = exitcode_of(p);
        process_free(p);
        cr_expect(eq(int, got, want), "a target returning %d: expected exit code %d, got %d. See docs/02-process.md#exitcode", want, want, got);
    }
}

/* Catches: exitcode_raw_status.patch (reports 10, the raw status). */
KIT_TEST(process, exitcode_is_minus_signal_for_a_signal_death)
{
    int sig = SIGUSR1;
    struct process *p = start_or_fail(raise_signal, &sig, NULL);
    int got;

    join_or_fail(p);
    got = exitcode_of(p);
    cr_expect(eq(int, got, -SIGUSR1), "a child killed by SIGUSR1 (%d): expected exit code -%d (Python: -signum), got %d. See docs/02-process.md#exitcode", SIGUSR1, SIGUSR1, got);
    process_free(p);
}

/* Catches: the stub; join_never_reaps.patch is caught above.  Python's
 * is_alive() polls: it reaps a child that has ended. */
KIT_TEST(process, is_alive_reaps_an_ended_child_without_join)
{
    int seven = 7;
    struct process *p = start_or_fail(return_value, &seven, NULL);
    pid_t pid = process_pid(p);
    char state;

    wait_ended(pid);
    cr_expect(not(process_is_alive(p)), "process_is_alive(p) after the child ended: expected false. See docs/02-process.md#lifecycle");
    state = kit_proc_state(pid);
    cr_expect(eq(int, state, 0), "process_is_alive(p) saw the end, so it must have reaped child %d, but /proc says '%c'. See docs/02-process.md#reap-once", (int)pid, state ? state : '?');
    cr_expect(eq(int, exitcode_of(p), 7), "exit code after is_alive reaped: expected 7. See docs/02-process.md#exitcode");
    cr_expect(eq(int, process_join(p, 0), 0), "process_join(p, 0) after is_alive reaped: expected 0 at once. See docs/02-process.md#join");
    process_free(p);
}

/* Catches: the stub.  Python: exitcode stays None while the child runs. */
KIT_TEST(process, exitcode_is_eagain_while_running)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    int code = 12345;
    int err = process_exitcode(p, &code);

    kit_require_impl(err, "process_exitcode", "02-B");
    cr_expect(eq(int, err, -EAGAIN), "process_exitcode(p) while the child runs: expected -EAGAIN (Python: None), got %s. See docs/02-process.md#exitcode", kit_errname(err));
    cr_expect(eq(int, code, 12345), "process_exitcode must not write *code when it has no code. See docs/02-process.md#exitcode");
    process_kill(p);
    join_or_fail(p);
    process_free(p);
}

/* ---- part C: terminate and kill --------------------------------------- */

/* Catches: the stub.  Mirrors PROC-07. */
KIT_TEST(process, terminate_gives_exitcode_minus_15)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    int err = process_terminate(p);

    kit_require_impl(err, "process_terminate", "02-C");
    cr_expect(eq(int, err, 0), "process_terminate(p) on a running child: expected 0, got %s. See docs/02-process.md#terminate", kit_errname(err));
    join_or_fail(p);
    cr_expect(eq(int, exitcode_of(p), -SIGTERM), "exit code after terminate: expected -15 (SIGTERM). See docs/02-process.md#terminate");
    process_free(p);
}

/* Catches: the stub.  Mirrors PROC-08. */
KIT_TEST(process, kill_gives_exitcode_minus_9)
{
    struct process *p = start_or_fail(block_forever, NULL, NULL);
    int err = process_kill(p);

    kit_require_impl(err, "process_kill", "02-C");
    cr_expect(eq(int, err, 0), "process_kill(p) on a running child: expected 0, got %s. See docs/02-process.md#terminate", kit_errname(err));
    join_or_fail(p);
    cr_expect(eq(int, exitcode_of(p), -SIGKILL), "exit code after kill: expected -9 (SIGKILL). See docs/02-process.md#terminate");
    process_free(p);
}

/* Catches: the stub.  Mirrors PROC-21: terminate() right after start()
 * gives -15 even if the child has not run a single line yet, because the
 * signal goes to a pid that exists from the moment fork() returns. */
KIT_TEST(process, terminate_right_after_start_gives_minus_15)
{
    struct process *ps[MANY];
    int i;

    for (i = 0; i < MANY; i++) {
        ps[i] = start_or_fail(block_forever, NULL, NULL);
        kit_require_impl(process_terminate(ps[i]), "process_terminate", "02-C");
    }
    for (i = 0; i < MANY; i++) {
        int code;
        join_or_fail(ps[i]);
        code = exitcode_of(ps[i]);
        cr_expect(eq(int, code, -SIGTERM), "process %d of %d, terminated right after start: expected exit code -15, got %d. See docs/02-process.md#terminate", i + 1, MANY, code);
        process_free(ps[i]);
    }
}

/* Catches: terminate_after_reap.patch (kill() on a pid that is no longer
 * ours: here -ESRCH; on a busy system, a stranger that got the pid). */
KIT_TEST(process, terminate_after_join_returns_0_and_signals_nothing)
{
    int zero = 0;
    struct process *p = start_or_fail(return_value, &zero, NULL);
    int err;

    join_or_fail(p);
    err = process_terminate(p);
    kit_require_impl(err, "process_terminate", "02-C");
    cr_expect(eq(int, err, 0), "process_terminate(p) after join: expected 0 and no signal sent (the pid was reaped and may belong to another process now), got %s. See docs/02-process.md#stale-pid", kit_errname(err));
    err = process_kill(p);
    cr_expect(eq(int, err, 0), "process_kill(p) after join: expected 0 and no signal sent, got %s. See docs/02-process.md#stale-pid", kit_errname(err));
    cr_expect(eq(int, exitcode_of(p), 0), "exit code after a late terminate: must stay 0. See docs/02-process.md#stale-pid");
    process_free(p);
}

/* Catches: the stub.  A child that has ended but is not reaped yet is
 * still ours: a signal to it is harmless and changes no exit code. */
KIT_TEST(process, terminate_after_the_end_keeps_the_exit_code)
{
    int five = 5;
    struct process *p = start_or_fail(return_value, &five, NULL);
    int err;

    wait_ended(process_pid(p));
    err = process_terminate(p);
    kit_require_impl(err, "process_terminate", "02-C");
    cr_expect(eq(int, err, 0), "process_terminate(p) on a child that already ended: expected 0, got %s. See docs/02-process.md#stale-pid", kit_errname(err));
    join_or_fail(p);
    cr_expect(eq(int, exitcode_of(p), 5), "a child that returned 5 before terminate(): expected exit code 5. See docs/02-process.md#stale-pid");
    process_free(p);
}

/* Catches: the stub. */
KIT_TEST(process, signals_before_start_fail_with_einval)
{
    struct process *p = NULL;
    int err = process_new(&p, block_forever, NULL, NULL);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new: expected 0, got %s. See docs/02-process.md#new", kit_errname(err));
    err = process_terminate(p);
    kit_require_impl(err, "process_terminate", "02-C");
    cr_expect(eq(int, err, -EINVAL), "process_terminate(p) before start: expected -EINVAL, got %s. See docs/02-process.md#terminate", kit_errname(err));
    err = process_kill(p);
    cr_expect(eq(int, err, -EINVAL), "process_kill(p) before start: expected -EINVAL, got %s. See docs/02-process.md#terminate", kit_errname(err));
    err = process_terminate(NULL);
    cr_expect(eq(int, err, -EINVAL), "process_terminate(NULL): expected -EINVAL, got %s. See docs/02-process.md#terminate", kit_errname(err));
    process_free(p);
}

/* ---- part D: daemons and shutdown ------------------------------------ */

/* The daemon holds the write end; the other child waits for its EOF. */
struct relay {
    int rfd;
    int wfd;
};

/* Target (daemon): hold the write end open until killed. */
static int
hold_write_end(void *arg)
{
    struct relay *r = arg;

    close(r->rfd);
    for (;;)
        pause();
    return 0;                   /* not reached */
}

/* Target (not a daemon): return 0 once every write end is closed. */
static int
wait_for_eof(void *arg)
{
    struct relay *r = arg;
    char c;

    close(r->wfd);
    for (;;) {
        ssize_t n = read(r->rfd, &c, 1);
        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return 2;
    }
}

/* Catches: the stub.  Mirrors PROC-17. */
KIT_TEST(process, daemon_flag_comes_from_the_options)
{
    struct process_options opts = { .daemon = true };
    struct process *p = NULL;
    int err = process_new(&p, block_forever, NULL, &opts);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new with {.daemon = true}: expected 0, got %s. See docs/02-process.md#daemon", kit_errname(err));
    cr_expect(process_daemon(p), "process_daemon(p) with {.daemon = true}: expected true. See docs/02-process.md#daemon");
    process_free(p);
}

/* Catches: shutdown_joins_daemons.patch (the daemon is never ended: the
 * shutdown times out), shutdown_terminates_all.patch (the other child is
 * killed, -15, instead of waited for).  Mirrors PROC-18 and PROC-19. */
KIT_TEST(process, shutdown_terminates_daemons_and_joins_the_rest)
{
    struct process_options daemonic = { .daemon = true };
    struct relay r;
    struct process *d;
    struct process *n;
    int fds[2];
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    r.rfd = fds[0];
    r.wfd = fds[1];
    d = start_or_fail(hold_write_end, &r, &daemonic);
    n = start_or_fail(wait_for_eof, &r, NULL);
    close(fds[0]);
    close(fds[1]);
    err = process_shutdown(10.0);
    kit_require_impl(err, "process_shutdown", "02-D");
    cr_expect(eq(int, err, 0), "process_shutdown(10.0) with one daemon (blocked in pause) and one ordinary child (waiting for the daemon to end): expected 0, got %s. The daemon must be terminated, not waited for. See docs/02-process.md#daemon", kit_errname(err));
    if (err == 0) {
        cr_expect(eq(int, exitcode_of(d), -SIGTERM), "the daemon's exit code after shutdown: expected -15 (terminated). See docs/02-process.md#daemon");
        cr_expect(eq(int, exitcode_of(n), 0), "the ordinary child's exit code after shutdown: expected 0 (joined, not terminated: it ends by itself once the daemon is gone). See docs/02-process.md#daemon");
    }
    process_free(d);
    process_free(n);
}

/* ---- part E: the run() table ("subclass overriding run") ------------- */

/* The ctx of the upper-casing worker: two pipes, as Python's Pipe(). */
struct upper_ctx {
    int req_r;
    int req_w;
    int rep_r;
    int rep_w;
    int *freed;         /* counts free_ctx calls (in the parent) */
};

/* run(): upper-case each 5-byte request until EOF (PROC-16's worker). */
static int
upper_run(struct process *self, void *ctx)
{
    struct upper_ctx *c = ctx;
    char buf[5];

    (void)self;
    close(c->req_w);
    close(c->rep_r);
    while (read_full(c->req_r, buf, sizeof(buf)) == sizeof(buf)) {
        for (size_t i = 0; i < sizeof(buf); i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        if (write(c->rep_w, buf, sizeof(buf)) != sizeof(buf))
            return 3;
    }
    return 0;
}

static void
upper_free(void *ctx)
{
    struct upper_ctx *c = ctx;

    (*c->freed)++;
}

static const struct process_ops upper_ops = {
    .run = upper_run,
    .free_ctx = upper_free,
};

/* submit - send one 5-byte word, return the reply in `out`. */
static void
submit(struct upper_ctx *c, const char *word, char out[6])
{
    memset(out, 0, 6);
    cr_assert(eq(int, (int)write(c->req_w, word, 5), 5), "test: write to the worker failed");
    read_full(c->rep_r, out, 5);
}

/* Catches: the stub.  Mirrors PROC-16; free_ctx runs once, at free. */
KIT_TEST(process, subclass_run_echoes_upper_over_a_pipe)
{
    int freed = 0;
    struct upper_ctx c = { .freed = &freed };
    struct process *p = NULL;
    char reply[6];
    int a[2];
    int b[2];
    int err;

    cr_assert(eq(int, pipe2(a, O_CLOEXEC) | pipe2(b, O_CLOEXEC), 0), "test setup: pipe2 failed");
    c = (struct upper_ctx){ a[0], a[1], b[0], b[1], &freed };
    err = process_new_ops(&p, &upper_ops, &c, NULL);
    kit_require_impl(err, "process_new_ops", "02-E");
    cr_assert(eq(int, err, 0), "process_new_ops(&p, &ops, ctx, NULL): expected 0, got %s. See docs/02-process.md#run-table", kit_errname(err));
    err = process_start(p);
    kit_require_impl(err, "process_start", "02-A");
    cr_assert(eq(int, err, 0), "process_start(p) of an ops process: expected 0, got %s. See docs/02-process.md#run-table", kit_errname(err));
    close(c.req_r);
    close(c.rep_w);
    submit(&c, "hello", reply);
    cr_expect(eq(str, reply, "HELLO"), "submit(\"hello\") to the run() worker: expected \"HELLO\", got \"%s\". See docs/02-process.md#run-table", reply);
    submit(&c, "world", reply);
    cr_expect(eq(str, reply, "WORLD"), "submit(\"world\"): expected \"WORLD\", got \"%s\". See docs/02-process.md#run-table", reply);
    close(c.req_w);
    join_or_fail(p);
    close(c.rep_r);
    cr_expect(eq(int, exitcode_of(p), 0), "the run() worker returns 0 at EOF: expected exit code 0. See docs/02-process.md#run-table");
    cr_expect(eq(int, freed, 0), "ops->free_ctx ran before process_free. See docs/02-process.md#run-table");
    process_free(p);
    cr_expect(eq(int, freed, 1), "process_free(p) must call ops->free_ctx(ctx) exactly once, got %d calls. See docs/02-process.md#run-table", freed);
}

/* run(): send process_name(self) and process_pid(self) down ctx's fd. */
static int
who_am_i_run(struct process *self, void *ctx)
{
    struct {
        char name[PROCESS_NAME_MAX];
        int pid;
    } msg = { "", (int)process_pid(self) };

    snprintf(msg.name, sizeof(msg.name), "%s", process_name(self));
    return write(*(int *)ctx, &msg, sizeof(msg)) == sizeof(msg) ? 0 : 3;
}

static const struct process_ops who_am_i_ops = { .run = who_am_i_run };

/* Catches: the stub.  In the child, self.name is the name given and
 * self.pid is the child's own pid (Python: current_process()). */
KIT_TEST(process, run_sees_its_own_name_and_pid)
{
    struct process_options opts = { .name = "process1" };
    struct {
        char name[PROCESS_NAME_MAX];
        int pid;
    } got = { "", 0 };
    struct process *p = NULL;
    int fds[2];
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    err = process_new_ops(&p, &who_am_i_ops, &fds[1], &opts);
    kit_require_impl(err, "process_new_ops", "02-E");
    cr_assert(eq(int, err, 0), "process_new_ops: expected 0, got %s. See docs/02-process.md#run-table", kit_errname(err));
    err = process_start(p);
    cr_assert(eq(int, err, 0), "process_start: expected 0, got %s. See docs/02-process.md#run-table", kit_errname(err));
    close(fds[1]);
    read_full(fds[0], &got, sizeof(got));
    close(fds[0]);
    join_or_fail(p);
    cr_expect(eq(str, got.name, "process1"), "process_name(self) inside run(): expected \"process1\", got \"%s\". See docs/02-process.md#run-table", got.name);
    cr_expect(eq(int, got.pid, (int)process_pid(p)), "process_pid(self) inside run() must be the child's own pid %d, got %d. See docs/02-process.md#run-table", (int)process_pid(p), got.pid);
    process_free(p);
}

/* Catches: the stub. */
KIT_TEST(process, new_ops_rejects_null_ops_and_spawn)
{
    static const struct process_ops no_run = { .run = NULL };
    struct process_options spawn = { .start = PROCESS_START_SPAWN };
    struct process *p = (struct process *)&p;
    int err = process_new_ops(&p, NULL, NULL, NULL);

    kit_require_impl(err, "process_new_ops", "02-E");
    cr_expect(eq(int, err, -EINVAL), "process_new_ops(&p, NULL ops, ...): expected -EINVAL, got %s. See docs/02-process.md#run-table", kit_errname(err));
    cr_expect(eq(ptr, p, NULL), "a failed process_new_ops must set *out to NULL. See docs/02-process.md#run-table");
    err = process_new_ops(&p, &no_run, NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "process_new_ops with ops->run == NULL: expected -EINVAL, got %s. See docs/02-process.md#run-table", kit_errname(err));
    err = process_new_ops(&p, &who_am_i_ops, NULL, &spawn);
    cr_expect(eq(int, err, -EINVAL), "process_new_ops with PROCESS_START_SPAWN: expected -EINVAL (a table of pointers cannot reach a fresh program), got %s. See docs/02-process.md#spawn-needs-a-name", kit_errname(err));
    process_free(p);
}

/* ---- part F: start methods ------------------------------------------- */

/* A global the test changes at run time (SM-05). */
static int g_setting = 5;

static int
return_setting(void *arg)
{
    (void)arg;
    return g_setting;
}

/* Catches: the stub.  Mirrors SM-05 for fork: the child is a copy of the
 * parent at process_start(), globals included. */
KIT_TEST(process, fork_child_sees_globals_set_at_run_time)
{
    struct process *p;

    g_setting = 42;
    p = start_or_fail(return_setting, NULL, NULL);
    join_or_fail(p);
    cr_expect(eq(int, exitcode_of(p), 42), "a fork child reading a global set to 42 just before start: expected exit code 42. See docs/02-process.md#fork-or-spawn");
    process_free(p);
}

/* Catches: the stub.  Spawn finds targets by name; one that was never
 * registered cannot be sent (Python: PicklingError), and the failed start
 * leaves no child and no fd. */
KIT_TEST(process, spawn_of_an_unregistered_target_fails_and_leaves_nothing)
{
    struct process_options spawn = { .start = PROCESS_START_SPAWN };
    struct process *p = NULL;
    int err = process_new(&p, return_setting, NULL, &spawn);

    kit_require_impl(err, "process_new", "02-A");
    cr_assert(eq(int, err, 0), "process_new with PROCESS_START_SPAWN: expected 0 (the name is looked up at start), got %s. See docs/02-process.md#spawn", kit_errname(err));
    err = process_start(p);
    kit_require_impl(err, "process_start", "02-F");
    cr_expect(eq(int, err, -ENOENT), "process_start(p) with spawn and a target never given to process_register: expected -ENOENT, got %s. See docs/02-process.md#spawn", kit_errname(err));
    cr_expect(eq(int, process_pid(p), 0), "a failed start must leave no child: process_pid(p) should stay 0, got %d. See docs/02-process.md#spawn", (int)process_pid(p));
    cr_expect(not(process_is_alive(p)), "a failed start must leave no child: process_is_alive(p) should be false. See docs/02-process.md#spawn");
    process_free(p);
}

/* Catches: the stub.  Mirrors SM-02 for spawn (scenario_spawn.c). */
KIT_TEST(process, spawn_runs_a_registered_target_with_a_string_arg)
{
    kit_expect_scenario("scenario_spawn", "runs_target", "02-process#spawn");
}

/* Catches: the stub.  Mirrors SM-05 for spawn: the child is a fresh run
 * of the program, so it sees the global's load-time value. */
KIT_TEST(process, spawn_child_does_not_see_globals_set_at_run_time)
{
    kit_expect_scenario("scenario_spawn", "globals", "02-process#fork-or-spawn");
}

/* Catches: the stub.  Mirrors SM-06: a target registered only after
 * main() started is unknown in the fresh child, which exits 1; the
 * parent goes on. */
KIT_TEST(process, target_registered_at_run_time_is_not_found_in_the_child)
{
    kit_expect_scenario("scenario_spawn", "runtime_target", "02-process#importable");
}
