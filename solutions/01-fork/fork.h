/*
 * fork.h - one call, two returns: fork, getpid/getppid, copied memory, a
 * tree of forks, wait statuses and the stdio pitfall (lab 01, parts A, B,
 * C, E, F).
 * Python: os.fork, os.getpid, os.getppid, os.waitpid, os._exit,
 * os.waitstatus_to_exitcode.  Where C differs from Python, the function
 * says so.
 *
 * Every child these functions make ends with _exit() and is reaped before
 * the function returns: no call leaves a zombie, an orphan or an fd.
 * Between fork and _exit a child runs only async-signal-safe calls (the
 * caller may have threads), except where fork_print_and_fork says not.
 */
#ifndef LAB_FORK_H
#define LAB_FORK_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* The largest n fork_tree accepts: 2^6 = 64 processes. */
#define FORK_TREE_MAX_N 6

/* fork_exitcode's answer for a status that is neither an exit nor a
 * signal death (stopped or continued). */
#define FORK_NOT_ENDED INT_MIN

/* What each side of one fork saw (part A). */
struct fork_report {
    pid_t parent;     /* getpid() of the caller */
    pid_t returned;   /* what fork() returned in the parent */
    pid_t child_pid;  /* getpid() as the child saw it */
    pid_t child_ppid; /* getppid() as the child saw it */
};

/* What the child and the parent saw of one variable (part B). */
struct fork_globals {
    int child_before; /* *var in the child, right after fork */
    int child_after;  /* *var in the child, after it stored new_value */
    int parent_after; /* *var in the parent, after the child was reaped */
};

/* The work a child runs: its return value (0..255) is the exit code. */
typedef int fork_fn(void *arg);

/*
 * fork_report - fork once; the child sends getpid() and getppid() through
 * a pipe and _exits; the parent reads them, reaps the child, and fills *out.
 * Python:  pid = os.fork(); child: os.getpid(), os.getppid(), os._exit(0)
 * Returns: 0; -EINVAL if out is NULL; -errno from pipe2 or fork
 *          (Python: OSError); -EIO if the child's report was cut short or
 *          the child did not exit 0.  On failure *out is unchanged.
 * Owns:    borrows out.
 */
int fork_report(struct fork_report *out);

/*
 * fork_globals - show that a child gets a copy of memory: the child reads
 * *var, stores new_value in it, reads it back, reports both and _exits; the
 * parent reaps it and reads *var again, which the child's store never
 * touched.
 * Python:  G = 1; if os.fork() == 0: G = 99; ...  (the parent still sees 1)
 * Returns: 0; -EINVAL if var or out is NULL; -errno from pipe2 or fork;
 *          -EIO if the child's report was cut short or it did not exit 0.
 * Owns:    borrows var and out.
 */
int fork_globals(int *var, int new_value, struct fork_globals *out);

/*
 * fork_tree - call fork n times in a row, so that 2^n processes exist
 * (the caller included); each of them writes its pid into one shared
 * pipe, reaps its own children, and (all but the caller) _exits.  The
 * caller reads every pid until end of file and returns them in pids.
 * Python:  for _ in range(n): os.fork()   (then every process reports)
 * Returns: 0 with *count = 2^n; -EINVAL if n < 0, n > FORK_TREE_MAX_N,
 *          pids or count is NULL, or max < 2^n; -errno from pipe2 or fork
 *          in the caller; -ECHILD if a process of the tree failed (its
 *          fork or write failed).  When it returns, every process of the
 *          tree but the caller has exited and been reaped.
 * Owns:    borrows pids (max entries) and count.
 */
int fork_tree(int n, pid_t *pids, int max, int *count);

/*
 * fork_exitcode - decode a wait status.
 * Python:  os.waitstatus_to_exitcode(status)
 * Returns: the exit code (0..255) of a process that exited, -signum for
 *          one a signal killed, FORK_NOT_ENDED for any other status
 *          (Python raises ValueError).  Cannot fail.
 */
int fork_exitcode(int wstatus);

/*
 * fork_start - fork a child that runs fn(arg) and _exits with its return
 * value; the caller must reap it with fork_wait.
 * Python:  pid = os.fork(); if pid == 0: os._exit(fn(arg))
 * Returns: 0 with *pid set; -EINVAL if fn or pid is NULL; -errno from
 *          fork (Python: OSError).
 * Owns:    keeps arg until the child is reaped (the child has its own
 *          copy); borrows pid.
 * Threads: fn runs in a child that has only this thread: it must use only
 *          async-signal-safe calls if the caller has other threads.
 */
int fork_start(fork_fn *fn, void *arg, pid_t *pid);

/*
 * fork_wait - wait for child `pid` (or any child if pid is -1) to end,
 * retrying on EINTR, and decode its status.
 * Python:  os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
 * Returns: 0 with *exitcode as fork_exitcode gives it; -EINVAL if exitcode
 *          is NULL; -ECHILD if there is no such child to wait for
 *          (Python: ChildProcessError).
 * Owns:    borrows exitcode.
 */
int fork_wait(pid_t pid, int *exitcode);

/*
 * fork_run - fork_start then fork_wait: run fn(arg) in a child and report
 * how the child ended.
 * Python:  the two lines above, as one call
 * Returns: as fork_start and fork_wait.
 * Owns:    borrows arg and exitcode.
 * Threads: as fork_start.
 */
int fork_run(fork_fn *fn, void *arg, int *exitcode);

/*
 * fork_print_and_fork - the stdio pitfall: print `text` to f (buffered),
 * fflush(f) first only if flush_first, then fork; the child flushes f (as
 * exit() or a return from main would) and _exits; the parent reaps it and
 * flushes f.  Without the early flush, text comes out twice.
 * Python:  print(text, end=''); os.fork(); both flush at exit
 * Returns: 0; -EINVAL if f or text is NULL; -errno from fork; -EIO if a
 *          write to f failed.
 * Owns:    borrows f and text.
 * Threads: f must not be used by another thread during the call (the
 *          child calls fflush, which is not async-signal-safe).
 */
int fork_print_and_fork(FILE *f, const char *text, bool flush_first);

#endif /* LAB_FORK_H */
