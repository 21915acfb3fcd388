/*
 * kit.h - the harness runtime: the one header every test and scenario includes.
 *
 * Prototypes are grouped under one comment per source file in harness/lib/
 * (xv6's defs.h).  Tests (Criterion) may use everything; scenario programs
 * (run under Valgrind, TSan and schedule noise) use only the parts marked
 * "scenarios" and must not include <criterion/criterion.h>.
 *
 * Tunables live in kit_param.h.  Errors follow the kit's rule: 0 or a
 * negative errno.
 */
#ifndef KIT_H
#define KIT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "kit_param.h"

/* ---- kit_errname.c (tests and scenarios) ---------------------------- */

/* kit_errname - "-ETIMEDOUT" for -ETIMEDOUT, "0" for 0, "-E?(n)" else.
 * Cannot fail; returns a static string. */
const char *kit_errname(int err);

/* ---- kit_time.c (tests and scenarios) ------------------------------- */

/* kit_now - seconds on CLOCK_MONOTONIC. */
double kit_now(void);

/* ---- kit_scenario.c (scenarios) -------------------------------------- */

/*
 * A scenario program is `main(argc, argv)` with argv[1] naming a case.
 * It exits 0 when the case held, 1 after kit_scen_fail() explained why,
 * and 2 on bad usage.  kit_scen_fail prints "FAIL: <message>" on stderr
 * (one line, which the harness quotes) and exits 1.  Does not return.
 */
void kit_scen_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* kit_scen_check - kit_scen_fail unless cond. */
#define kit_scen_check(cond, ...)                                            \
    do {                                                                     \
        if (!(cond))                                                         \
            kit_scen_fail(__VA_ARGS__);                                      \
    } while (0)

/* kit_scen_require_impl - in a scenario: kit_scen_fail with "not
 * implemented yet: see TODO(<todo>)" when err is -ENOSYS. */
void kit_scen_require_impl(int err, const char *what, const char *todo);

/* kit_scen_seed - the KIT_SEED this run was started with (0 = no noise). */
unsigned long kit_scen_seed(void);

/* kit_scen_repeat - how many in-process rounds a case should run:
 * KIT_ROUNDS from the environment, else `dflt`. */
int kit_scen_repeat(int dflt);

/* ---- kit_io.c (tests and scenarios) ------------------------------------- */

/* kit_read_full - read until `len` bytes, end of file, or `timeout` s.
 * Returns the bytes read (short only at EOF or, if some came, at the
 * deadline), -ETIMEDOUT if none came in time, or -errno. */
ssize_t kit_read_full(int fd, void *buf, size_t len, double timeout);

/* kit_write_full - write all `len` bytes (retrying EINTR and short
 * writes).  Returns 0 or -errno (-EPIPE: the reader is gone). */
int kit_write_full(int fd, const void *buf, size_t len);

/* kit_tcp_connect - a close-on-exec TCP socket connected to
 * 127.0.0.1:port.  Returns the fd (caller closes) or -errno. */
int kit_tcp_connect(int port);

/* kit_wait_until - poll pred(arg) every 2 ms until it is true or
 * `timeout` s pass; returns its last value.  Only for states no event
 * announces (a zombie in /proc); everything else waits on the event. */
bool kit_wait_until(bool (*pred)(void *arg), void *arg, double timeout);

/* kit_wait_asleep - wait until process or thread `id` (a pid, or a tid
 * from gettid()) is asleep ('S'), e.g. blocked in the wait a test wants to
 * act on, so the test need not sleep.  Returns whether it got there in
 * `timeout` s. */
bool kit_wait_asleep(pid_t id, double timeout);

/* ---- kit_gate.c (scenarios) ---------------------------------------------- */

/* A start gate: kit_gate_wait returns in all N threads at once.  A spin
 * gate natively (N <= cores), a barrier under Valgrind. */
struct kit_gate {
    atomic_uint arrived;
    atomic_int open;
    unsigned n;
    bool use_barrier;
    pthread_barrier_t barrier;
};

void kit_gate_init(struct kit_gate *g, unsigned n);
void kit_gate_wait(struct kit_gate *g);
void kit_gate_destroy(struct kit_gate *g);

/* ---- kit_hold.c (tests and scenarios) ----------------------------------- */

/* A hold: workers call kit_hold_arrive and stay parked until the test
 * calls kit_hold_release; kit_hold_wait_ready waits until n have arrived.
 * (Waits have no timeout: the test's watchdog covers them.) */
struct kit_hold {
    pthread_mutex_t mu; /* guards ready and go */
    pthread_cond_t cv;  /* broadcast on every change */
    int ready;
    bool go;
};

void kit_hold_init(struct kit_hold *h);
void kit_hold_arrive(struct kit_hold *h);
void kit_hold_wait_ready(struct kit_hold *h, int n);
void kit_hold_release(struct kit_hold *h);
void kit_hold_destroy(struct kit_hold *h);

/* ---- kit_noise.c (scenarios, ordering build only) --------------------- */

/*
 * Linked with -Wl,--wrap=... (see harness/lab.mk, NOISE_WRAP): before and
 * after pthread mutex/cond/create/join, sem, fork, waitpid, read, write,
 * send and recv, yield or sleep 0..KIT_NOISE_MAX_US µs with probability
 * KIT_NOISE_PCT %, from a per-thread generator seeded by KIT_SEED and the
 * thread's creation order.  The same seed replays the same noise.
 * kit_noise_point() adds a noise point by hand (a no-op in other builds
 * is the weak default in kit_scenario.c).
 */
void kit_noise_point(void);

/* ---- kit_spawn.c (tests) --------------------------------------------- */

/* How a spawned program ended. */
struct kit_exit {
    pid_t pid;           /* the process spawned (Valgrind keeps the pid) */
    bool timed_out;      /* killed by the harness at its deadline */
    bool signaled;       /* ended by a signal (term_sig) */
    bool left_processes; /* its process group outlived it (then killed) */
    int code;            /* exit code, or the signal number if signaled */
    double wall;         /* seconds from spawn to end */
    char stacks[2048];   /* on timeout: the head of the stack dump */
    char fail_line[512]; /* the last "FAIL: ..." line it printed, if any */
};

/*
 * kit_spawn - run argv (argv[0] a path) in its own process group, with
 * `env` (NULL-terminated "K=V" list, may be NULL) added to the
 * environment, stdout+stderr to `log_path`, and wait at most `timeout`
 * seconds.  On timeout: dump the stacks of its threads (gdb, or vgdb for
 * a Valgrind process) into the log and `out->stacks`, then SIGKILL the
 * whole group.  Always reaps.
 * Returns: 0 (see *out), -ENOENT no such program, or -errno from
 * fork/pipe/open.  Owns: borrows every pointer.
 */
int kit_spawn(char *const argv[], char *const env[], const char *log_path,
              double timeout, struct kit_exit *out);

/* ---- kit_stackdump.c (tests and scenarios) -------------------------------- */

/* kit_dump_stacks - print every thread of `pid` (gdb batch + the kit's
 * lock-graph script, or vgdb under Valgrind) into fd `out_fd`: one line
 * per thread with the mutex (and its owner) or cond it waits on, the
 * wait-for cycle if any, then full backtraces.  Returns 0 or -errno. */
int kit_dump_stacks(pid_t pid, int out_fd);

/* ---- kit_tool.c (tests): Valgrind and TSan runs ----------------------- */

enum kit_tool {
    KIT_NATIVE,   /* plain -O0 -g build, no tool */
    KIT_HELGRIND, /* valgrind --tool=helgrind, XML parsed */
    KIT_DRD,      /* valgrind --tool=drd, XML parsed */
    KIT_TSAN,     /* the -fsanitize=thread build, log parsed */
    KIT_MEMCHECK, /* valgrind memcheck, leaks in the top process fail */
    KIT_NOISE,    /* the --wrap schedule-noise build */
};

/* What a tool said about one run of a scenario. */
struct kit_tool_report {
    struct kit_exit exit;
    int nerrors;          /* findings, all processes (leaks: top only) */
    char kinds[160];      /* distinct kinds, e.g. "Race LockOrder" */
    char first[768];      /* first finding: kind, text, both file:lines */
    char log_dir[256];    /* where the raw XML / logs are kept */
    char repro[512];      /* the command that reproduces this run */
};

/* kit_tool_name - "helgrind", "drd", ... Cannot fail. */
const char *kit_tool_name(enum kit_tool tool);

/*
 * kit_tool_run - run scenario `scen` (a file name in this lab's build
 * dir) with case `arg` under `tool`, with deadline `timeout` (scaled by
 * the tool's slowdown), and parse what the tool wrote.
 * `env` adds variables (may be NULL).  Returns 0 or -errno as kit_spawn.
 */
int kit_tool_run(enum kit_tool tool, const char *scen, const char *arg,
                 char *const env[], double timeout,
                 struct kit_tool_report *out);

/* ---- kit_test.c (tests): the test wrapper ---------------------------- */

/*
 * KIT_TEST(suite, name, ...) - a Criterion Test whose body runs inside the
 * harness: a watchdog that dumps every thread's stack (and the mutex each
 * waits for) and fails the test before the suite's .timeout, and the
 * hygiene checks after the body (no child or orphan left, no new fd, no
 * new /dev/shm entry, no thread still running).  Extra arguments are
 * Criterion's test fields.  Each file declares TestSuite(suite,
 * .timeout = N) once; the watchdog fires at KIT_WATCHDOG_FRACTION of it.
 */
#define KIT_TEST(suite, name, ...)                                           \
    static void kit_body_##suite##_##name(void);                             \
    Test(suite, name, ##__VA_ARGS__)                                         \
    {                                                                        \
        kit_test_begin(#suite, #name);                                       \
        kit_body_##suite##_##name();                                         \
        kit_test_end();                                                      \
    }                                                                        \
    static void kit_body_##suite##_##name(void)

void kit_test_begin(const char *suite, const char *name);
void kit_test_end(void);

/* kit_test_name - "suite::name" of the running test. */
const char *kit_test_name(void);

/* kit_lab - this binary's lab, e.g. "01-fork": the name of the folder
 * the test binary was built in (harness/lab.mk puts it there). */
const char *kit_lab(void);

/* kit_build_dir - that folder, which also holds the lab's scenarios. */
const char *kit_build_dir(void);

/*
 * kit_repro - the command that reruns the current test, with extra
 * make variables appended (e.g. "SEED=17 REPEAT=1"; may be NULL).
 * Returns a static buffer.
 */
const char *kit_repro(const char *extra);

/* ---- kit_assert.c (tests): verdicts with explanations ------------------ */

/*
 * kit_require_impl - fail now with "not implemented yet: see TODO(<todo>)"
 * when `err` is -ENOSYS, so a stub never produces a confusing mismatch.
 * `what` names the call.
 */
#define kit_require_impl(err, what, todo)                                    \
    kit_require_impl_at(__FILE__, __LINE__, err, what, todo)
void kit_require_impl_at(const char *file, int line, int err,
                         const char *what, const char *todo);

/*
 * kit_expect_tool_clean - run scenario `scen` case `arg` under `tool` and
 * fail the test with the first finding (kind, text, file:line, docs,
 * reproduce command) if the tool reports anything, the scenario fails or
 * times out.  With FAST=1 the Valgrind tools are skipped (and say so).
 * `docs` is the anchor to cite, e.g. "02-process#join".
 */
#define kit_expect_tool_clean(tool, scen, arg, docs)                         \
    kit_expect_tool_clean_at(__FILE__, __LINE__, tool, scen, arg, docs)
void kit_expect_tool_clean_at(const char *file, int line, enum kit_tool tool,
                              const char *scen, const char *arg,
                              const char *docs);

/*
 * kit_expect_ordering - run scenario `scen` case `arg` under schedule
 * noise for seeds SEED .. SEED+REPEAT-1 (defaults KIT_DEFAULT_SEED and
 * KIT_DEFAULT_REPEAT; `repeat` <= 0 means the default), and fail with
 * "failed k/n, seeds a b c ..., first: <the scenario's FAIL line>" and the
 * replay command if any run fails.  Never passes on retry.
 */
#define kit_expect_ordering(scen, arg, repeat, docs)                         \
    kit_expect_ordering_at(__FILE__, __LINE__, scen, arg, repeat, docs)
void kit_expect_ordering_at(const char *file, int line, const char *scen,
                            const char *arg, int repeat, const char *docs);

/*
 * kit_expect_scenario - run scenario `scen` case `arg` natively once and
 * fail unless it exits 0 within the deadline.
 */
#define kit_expect_scenario(scen, arg, docs)                                 \
    kit_expect_tool_clean_at(__FILE__, __LINE__, KIT_NATIVE, scen, arg, docs)

/* kit_docs - "docs/02-process.md#join" for the anchor "02-process#join".
 * Returns a static buffer (one per thread). */
const char *kit_docs(const char *anchor);

/* kit_rel - `path` relative to the kit's root (the working directory) when
 * it lies inside it.  Returns `path` or a pointer into it. */
const char *kit_rel(const char *path);

/* ---- kit_hygiene.c (tests) ------------------------------------------- */

/* A snapshot of what a test may leave behind. */
struct kit_hygiene;

/* kit_hygiene_take - snapshot fds, /dev/shm, threads.  Gives: free with
 * kit_hygiene_free.  Returns NULL only when out of memory. */
struct kit_hygiene *kit_hygiene_take(void);

/*
 * kit_hygiene_diff - compare now with `before`; write a one-line account
 * of every leak into buf ("" when clean), kill and reap leftover
 * processes so the next check starts clean.  Returns the leak count.
 */
int kit_hygiene_diff(const struct kit_hygiene *before, char *buf,
                     size_t len);

void kit_hygiene_free(struct kit_hygiene *h);

/*
 * kit_proc_children - list the processes whose parent is `parent` (from
 * /proc): up to `max` pids into `pids` (may be NULL), and how many of
 * them are zombies into *zombies (may be NULL).  Returns the number of
 * children found (may exceed max) or -errno.  Owns: borrows.
 */
int kit_proc_children(pid_t parent, pid_t *pids, int max, int *zombies);

/* kit_proc_state - the state letter of `pid` ('R', 'S', 'Z', ...) from
 * /proc/PID/stat, or 0 if there is no such process.  Cannot fail. */
char kit_proc_state(pid_t pid);

/* kit_end_children - SIGKILL and reap every child of this process (the
 * test's own and orphans it adopted as subreaper).  Cannot fail. */
void kit_end_children(void);

/* kit_task_state - the state letter of thread `tid` of this process
 * (from /proc/self/task/TID/stat; gettid() gives a thread its tid), or 0
 * if there is no such thread.  Cannot fail. */
char kit_task_state(pid_t tid);

/* kit_proc_syscall - the number of the system call process `pid` (or its
 * thread `tid`, if tid > 0) is sleeping in, e.g. SYS_recvfrom, or -1 while
 * it runs or if it is gone.  With kit_proc_state == 'S' this says a
 * process is blocked where the test expects it.  Cannot fail. */
long kit_proc_syscall(pid_t pid, pid_t tid);

/* kit_fd_count - open descriptors of this process.  Returns >= 0 or
 * -errno. */
int kit_fd_count(void);

/* ---- kit_watchdog.c (tests) ------------------------------------------ */

/* kit_watchdog_start - fail the test with a stack dump after `seconds`.
 * kit_watchdog_stop - disarm it.  One watchdog per test process. */
void kit_watchdog_start(double seconds);
void kit_watchdog_stop(void);


#endif /* KIT_H */
