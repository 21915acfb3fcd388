/*
 * process.h - a child process as an object: start, join, signal, reap
 * (lab 02, parts A-F).
 * Python: multiprocessing.Process.  Where C differs from Python, the
 * function says so; docs/02-process.md has the side-by-side version.
 */
#ifndef LAB_PROCESS_H
#define LAB_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* Longest process name, including the terminating NUL. */
#define PROCESS_NAME_MAX 64

/* Exit code of a spawned child whose target name is not registered in
 * the re-executed program (Python: the child dies of an exception, 1). */
#define PROCESS_EXIT_NO_TARGET 1

/* Exit code of a spawned child whose execve() failed. */
#define PROCESS_EXIT_EXEC_FAILED 127

struct process;                 /* opaque: only process_* look inside */

/* The function a child runs.  Its return value is the child's exit code;
 * only the low 8 bits reach the parent, as with _exit(). */
typedef int process_target(void *arg);

/* How the child is made (Python: the start method of a context). */
enum process_start {
    PROCESS_START_FORK,         /* a copy of the parent at process_start() */
    PROCESS_START_SPAWN,        /* the program re-executed; target by name */
};

/* Python's keyword arguments.  Pass NULL for all defaults; fields left
 * out of a designated initializer get their defaults too. */
struct process_options {
    const char *name;           /* NULL: "Process-N", N counting from 1 */
    bool daemon;                /* ended, not waited for, by shutdown */
    enum process_start start;   /* default PROCESS_START_FORK */
};

/* The "subclass overriding run()" form: a table of methods. */
struct process_ops {
    /* Runs in the child; its return value is the exit code.  `self` is
     * the child's copy of the object: only process_name(self) and
     * process_pid(self) are meaningful there. */
    int (*run)(struct process *self, void *ctx);
    /* Called once by process_free() in the parent; may be NULL. */
    void (*free_ctx)(void *ctx);
};

/*
 * process_new - make a process object that will run target(arg).
 * Python:  Process(target=f, args=(...), name=None, daemon=None)
 *          C has no tuples: pack the arguments into one struct and pass
 *          its address; keyword arguments become `opts`.
 * Returns: 0; -EINVAL if out or target is NULL, or opts->start is not a
 *          start method; -ENAMETOOLONG if opts->name does not fit in
 *          PROCESS_NAME_MAX; -ENOMEM.  On failure *out is NULL and
 *          nothing was allocated.
 *          With PROCESS_START_SPAWN, arg must be NULL or a C string: a
 *          pointer means nothing in a fresh program, so the child's
 *          target gets its own copy of the string (Python pickles args).
 * Owns:    gives *out to the caller, who frees it with process_free();
 *          keeps arg until process_start() returns (fork copies the memory
 *          it points to; spawn copies the string); borrows opts and
 *          opts->name (the name is copied).
 * Threads: any thread.
 */
int process_new(struct process **out, process_target *target, void *arg, const struct process_options *opts);

/*
 * process_new_ops - make a process object whose child runs ops->run(self, ctx).
 * Python:  class Worker(Process): def run(self): ...
 * Returns: 0; -EINVAL if out, ops or ops->run is NULL, or if opts asks for
 *          PROCESS_START_SPAWN (a table of function pointers cannot be
 *          sent to a fresh program); -ENAMETOOLONG; -ENOMEM.  On failure
 *          *out is NULL and the caller still owns ctx.
 * Owns:    gives *out (free with process_free()); keeps ops until
 *          process_free(); takes ctx on success (process_free() passes it
 *          to ops->free_ctx); borrows opts.
 * Threads: any thread.
 */
int process_new_ops(struct process **out, const struct process_ops *ops, void *ctx, const struct process_options *opts);

/*
 * process_start - create the child and run the target in it.
 * Python:  Process.start()
 * Returns: 0; -EINVAL if p is NULL or already started (Python:
 *          AssertionError "cannot start a process twice"); -ENOENT if the
 *          start method is spawn and the target was never registered
 *          (Python: PicklingError); -EMFILE, -EAGAIN, -ENOMEM from pipe,
 *          fork or readlink.  A failed start leaves no child and no fd.
 * Owns:    borrows p.
 * Threads: any thread.  Flushes stdout and stderr first, as Python does,
 *          so buffered output is not printed twice.
 */
int process_start(struct process *p);

/*
 * process_join - wait until the child has ended, then reap it.
 * Python:  Process.join(timeout=None) -> None
 * Returns: 0 once the child has ended and been reaped (at once if it
 *          already was); -ETIMEDOUT if `timeout` seconds passed first
 *          (Python returns None either way; C says which); -EINVAL if p
 *          is NULL, not started (Python: AssertionError), is the calling
 *          child itself, or timeout is NaN.  LAB_FOREVER (any negative
 *          value) waits without limit; Python treats a negative timeout
 *          as 0.  Interrupted waits resume toward the same deadline.
 * Owns:    borrows p.
 * Threads: any thread; several threads may join one process at once.
 */
int process_join(struct process *p, double timeout);

/*
 * process_is_alive - is the child started and not yet ended?
 * Python:  Process.is_alive()
 * Returns: true while the child runs; false before start, after the end,
 *          and for NULL.  Like Python, it reaps a child that has ended.
 *          In the child, process_is_alive(self) is true.
 * Owns:    borrows p.
 * Threads: any thread.
 */
bool process_is_alive(struct process *p);

/*
 * process_exitcode - how the child ended.
 * Python:  Process.exitcode
 * Returns: 0 and *code = the target's return value (low 8 bits), or -N
 *          when signal N ended it; -EAGAIN while there is no code yet
 *          (Python's None: not started, or still running); -EINVAL if p
 *          or code is NULL.  Reaps a child that has ended.
 * Owns:    borrows p and code.
 * Threads: any thread.
 */
int process_exitcode(struct process *p, int *code);

/*
 * process_terminate - send SIGTERM to the child.
 * Python:  Process.terminate()
 * Returns: 0 (also when the child has already ended: nothing is sent, so
 *          a reaped pid that the system gave to another process is never
 *          signalled); -EINVAL if p is NULL, not started, or the calling
 *          child itself.
 * Owns:    borrows p.
 * Threads: any thread.  The child's own children are not signalled.
 */
int process_terminate(struct process *p);

/* process_kill - as process_terminate(), with SIGKILL.
 * Python: Process.kill().  Returns and Owns as process_terminate(). */
int process_kill(struct process *p);

/*
 * process_pid - the child's process id.
 * Python:  Process.pid
 * Returns: the pid once started (it stays readable after the end); 0
 *          before start and for NULL (Python: None).  In the child,
 *          process_pid(self) is getpid().  Cannot fail.
 * Owns:    borrows p.
 */
pid_t process_pid(const struct process *p);

/* process_name - Python: Process.name.  Returns the name ("" for NULL).
 * Owns: borrows p; the string lives as long as p.  Cannot fail. */
const char *process_name(const struct process *p);

/* process_daemon - Python: Process.daemon.  False for NULL.  The flag is
 * set once, through process_options, before start.  Cannot fail. */
bool process_daemon(const struct process *p);

/*
 * process_status - "initial", "started" or "stopped", as Python's repr
 * shows.  Reaps a child that has ended.
 * Returns: a static string ("initial" for NULL).  Owns: borrows p.
 */
const char *process_status(struct process *p);

/*
 * process_free - release p; a child still running is killed (SIGKILL)
 * and reaped first, so nothing is left behind.
 * Python:  Process.close() (which refuses a running process instead)
 * Owns:    takes p; calls ops->free_ctx(ctx) for a process_new_ops object.
 * Threads: no other thread may be using p.  NULL is a no-op.
 */
void process_free(struct process *p);

/*
 * process_shutdown - what Python does at interpreter exit: terminate
 * every started daemon process, then join every started process.
 * Python:  multiprocessing.util._exit_function()
 * Returns: 0 when every started process has ended and been reaped;
 *          -ETIMEDOUT if some were still running after `timeout` seconds
 *          (LAB_FOREVER: no limit); -EINVAL for a NaN timeout; -ENOMEM.
 * Threads: call it from one thread, while no other thread starts or
 *          frees processes (as at exit).  The objects stay the caller's
 *          to free.
 */
int process_shutdown(double timeout);

/*
 * process_register - give a target a name that a spawned child can look
 * up.  Register at load time with PROCESS_REGISTER so that a re-executed
 * program has the same table (Python: a function importable by name).
 * Returns: 0; -EINVAL if name or fn is NULL or name is "" or longer than
 *          PROCESS_NAME_MAX - 1; -EEXIST if name is already bound to
 *          another function; -ENOSPC if the table is full.
 * Owns:    keeps name for the life of the program (use a literal).
 * Threads: any thread.
 */
int process_register(const char *name, process_target *fn);

/* PROCESS_REGISTER(fn) - register fn under its own name before main()
 * runs, so every execution of the program knows it. */
#define PROCESS_REGISTER(fn)                                                 \
    __attribute__((constructor)) static void process_register_##fn(void)    \
    {                                                                        \
        (void)process_register(#fn, fn);                                     \
    }

/*
 * process_spawn_main - call first thing in main() of a program that uses
 * PROCESS_START_SPAWN.  In a normal run it returns at once.  In a
 * spawned child it runs the named target with the string argument and
 * _exit()s with its code (PROCESS_EXIT_NO_TARGET if the name is not
 * registered in this program), so it does not return.
 * Python:  the `if __name__ == '__main__':` guard (freeze_support()).
 * Owns:    borrows argv.
 */
void process_spawn_main(int argc, char **argv);

#endif /* LAB_PROCESS_H */
