/*
 * process.c (stub) - multiprocessing.Process in C: make a child by fork (or by
 * re-executing the program), wait for it with a timeout, signal it, and
 * reap it exactly once.
 *
 * DESIGN
 *
 * A started child is watched through a "sentinel" pipe, as Python does:
 * the parent keeps the read end, the child holds the only write end, so
 * poll() on the read end reports EOF once the child has gone.  That gives
 * join() its timeout (waitpid() has none, and pidfd_open() does not run
 * under Valgrind 3.19).
 *
 * A pid belongs to us only until we reap it; after that the system may
 * give it to a stranger.  So every waitpid() that reaps runs under the
 * object's lock and moves the state to ENDED in the same critical section,
 * and kill() runs only under that lock while the state is STARTED.  The
 * one wait done without the lock, after EOF, uses waitid(WNOWAIT), which
 * sees the zombie without reaping it, and only one thread (the "reaper")
 * does it at a time; the others wait on `ended`.
 *
 * process_start() holds reg_mu around pipe2() + fork() + close(): no other
 * start can fork while a sentinel's write end is open in the parent (it
 * would leak into that sibling and delay EOF), and the child inherits the
 * registry in a known state.  Lock order: a process's mu before reg_mu.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

/* argv[1] of a spawned child: "this run is a child, not the program". */
#define PROCESS_SPAWN_FLAG "--process-spawn"

/* How many targets process_register() can hold. */
#define PROCESS_TARGETS_MAX 64

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

enum process_state {
    PROCESS_NEW,                /* made, not started */
    PROCESS_STARTED,            /* the child exists: running or a zombie */
    PROCESS_ENDED,              /* reaped: code known, pid no longer ours */
};

/* Python's repr words for each state. */
static const char *const state_names[] = {
    [PROCESS_NEW] = "initial",
    [PROCESS_STARTED] = "started",
    [PROCESS_ENDED] = "stopped",
};

struct process {
    /* Set by process_new*() and read-only afterwards: no lock needed. */
    char name[PROCESS_NAME_MAX];
    char ident[PROCESS_NAME_MAX];   /* "3" or "3:1": Python's _identity */
    bool daemon;
    enum process_start start;
    const struct process_ops *ops;
    process_target *target;         /* process_new() objects only */
    void *ctx;                      /* the target's arg, or the ops' ctx */

    /* reg_mu guards: */
    struct process *reg_next;       /* list of started, unfreed processes */

    /* mu guards the fields below; never held across a blocking wait. */
    pthread_mutex_t mu;
    pthread_cond_t ended;           /* broadcast when the reaper is done */
    enum process_state state;
    bool reaping;                   /* a thread is in waitid() for it */
    pid_t pid;                      /* STARTED and ENDED; then read-only */
    int sentinel;                   /* read end, -1 before start */
    int code;                       /* ENDED: exit code or -signal */
};

/* reg_mu guards the registry: started processes, the name counter and
 * the spawn targets.  Taken after a process's mu, never before. */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct process *reg_head;
static unsigned long reg_counter;   /* N of the last "Process-N" */
static struct {
    const char *name;
    process_target *fn;
} reg_targets[PROCESS_TARGETS_MAX];
static int reg_ntargets;

/* Written only in a child, right after fork or exec, while it has one
 * thread; never written in the parent. */
static struct process *child_self;      /* fork child: its own object */
static char self_ident[PROCESS_NAME_MAX]; /* "" in the main program */
static int self_sentinel = -1;          /* our own sentinel's write end */

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* deadline_after - the absolute deadline `timeout` seconds from now, or
 * -1 (no deadline) for a negative timeout.  Cannot fail. */
static double
deadline_after(double timeout)
{
    return timeout < 0 ? -1.0 : now() + timeout;
}

/* time_left - the timeout that ends at `deadline` (LAB_FOREVER for none),
 * never negative.  Cannot fail. */
static double
time_left(double deadline)
{
    double left;

    if (deadline < 0)
        return LAB_FOREVER;
    left = deadline - now();
    return left > 0 ? left : 0;
}

/* ms_until - poll()'s timeout for `deadline`: -1 for none, else the
 * milliseconds left, rounded up so poll() never wakes early. */
static int
ms_until(double deadline)
{
    double left;

    if (deadline < 0)
        return -1;
    left = deadline - now();
    if (left <= 0)
        return 0;
    if (left > INT_MAX / 1000.0 - 1)
        return INT_MAX;
    return (int)(left * 1000.0) + 1;
}

/* ---- the registry: started processes, names, spawn targets ---------- */

/* registry_unlink - forget p (no-op if it was never started).
 * Takes reg_mu. */
static void
registry_unlink(struct process *p)
{
    struct process **pp;

    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    for (pp = &reg_head; *pp != NULL; pp = &(*pp)->reg_next) {
        if (*pp == p) {
            *pp = p->reg_next;
            break;
        }
    }
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
}

/* registry_snapshot - copy the started processes into a new array.
 * Returns 0 (*out may be NULL when *n is 0) or -ENOMEM.  Gives *out. */
static int
registry_snapshot(struct process ***out, size_t *n)
{
    struct process *p;
    size_t count = 0;
    size_t i = 0;

    *out = NULL;
    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    for (p = reg_head; p != NULL; p = p->reg_next)
        count++;
    if (count > 0)
        *out = malloc(count * sizeof(**out));
    if (count > 0 && *out == NULL) {
        LAB_CHECK(pthread_mutex_unlock(&reg_mu));
        return -ENOMEM;
    }
    for (p = reg_head; p != NULL; p = p->reg_next)
        (*out)[i++] = p;
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
    *n = count;
    return 0;
}

/* target_find_locked - the function registered as `name`, or NULL.
 * reg_mu held. */
static process_target *
target_find_locked(const char *name)
{
    int i;

    for (i = 0; i < reg_ntargets; i++) {
        if (strcmp(reg_targets[i].name, name) == 0)
            return reg_targets[i].fn;
    }
    return NULL;
}

/* target_name - the name `fn` was registered under, or NULL.
 * Takes reg_mu. */
static const char *
target_name(process_target *fn)
{
    const char *name = NULL;
    int i;

    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    for (i = 0; i < reg_ntargets && name == NULL; i++) {
        if (reg_targets[i].fn == fn)
            name = reg_targets[i].name;
    }
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
    return name;
}

int
process_register(const char *name, process_target *fn)
{
    process_target *old;
    int err = 0;

    if (name == NULL || fn == NULL || name[0] == '\0' ||
        strlen(name) >= PROCESS_NAME_MAX)
        return -EINVAL;
    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    old = target_find_locked(name);
    if (old != NULL) {
        err = old == fn ? 0 : -EEXIST;
    } else if (reg_ntargets == PROCESS_TARGETS_MAX) {
        err = -ENOSPC;
    } else {
        reg_targets[reg_ntargets].name = name;
        reg_targets[reg_ntargets].fn = fn;
        reg_ntargets++;
    }
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
    return err;
}

/* ---- making the object ---------------------------------------------- */

/* run_target - the run() of every process_new() object: call the target
 * (Python's default Process.run). */
static int
run_target(struct process *self, void *arg)
{
    return self->target(arg);
}

static const struct process_ops target_ops = {
    .run = run_target,
    .free_ctx = NULL,
};

/* name_process - give p its identity ("N", or "parent:N" in a child) and
 * its name (`name`, or "Process-" + identity).  Returns 0 or
 * -ENAMETOOLONG. */
static int
name_process(struct process *p, const char *name)
{
    unsigned long n;
    int len;

    LAB_CHECK(pthread_mutex_lock(&reg_mu));
    n = ++reg_counter;          /* DOC: 02-process#names */
    LAB_CHECK(pthread_mutex_unlock(&reg_mu));
    if (self_ident[0] != '\0')
        len = snprintf(p->ident, sizeof(p->ident), "%s:%lu", self_ident, n);
    else
        len = snprintf(p->ident, sizeof(p->ident), "%lu", n);
    if (len < 0 || (size_t)len >= sizeof(p->ident))
        return -ENAMETOOLONG;
    if (name != NULL)
        len = snprintf(p->name, sizeof(p->name), "%s", name);
    else
        len = snprintf(p->name, sizeof(p->name), "Process-%s", p->ident);
    if (len < 0 || (size_t)len >= sizeof(p->name))
        return -ENAMETOOLONG;
    return 0;
}

/*
 * process_alloc - allocate and name a NEW process object.  The caller has
 * checked out, ops and target.  Returns 0, -EINVAL (bad start method),
 * -ENAMETOOLONG, -ENOMEM, or a pthread init error.  Gives *out.
 */
static int
process_alloc(struct process **out, const struct process_ops *ops,
              process_target *target, void *ctx,
              const struct process_options *opts)
{
    /* TODO(02-A): allocate a NEW object: check the start method and name
     * length, name it, init its lock and condvar. Python: Process.__init__.
     * Read docs/02-process.md#new. */
    (void)out;
    (void)ops;
    (void)target;
    (void)ctx;
    (void)opts;
    (void)name_process;
    return -ENOSYS;
}

int
process_new(struct process **out, process_target *target, void *arg,
            const struct process_options *opts)
{
    /* TODO(02-A): reject a NULL out or target (setting *out = NULL first),
     * then build the object whose run() calls the target. Python:
     * Process(target=f, args=...). Read docs/02-process.md#new. */
    (void)target;
    (void)arg;
    (void)opts;
    (void)target_ops;
    (void)process_alloc;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
process_new_ops(struct process **out, const struct process_ops *ops,
                void *ctx, const struct process_options *opts)
{
    /* TODO(02-E): like process_new, with the caller's run() table; refuse
     * NULL ops, NULL run and spawn. Python: class Worker(Process): def
     * run(self). Read docs/02-process.md#run-table. */
    (void)ctx;
    (void)ops;
    (void)opts;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

/* ---- starting: fork, or fork + exec --------------------------------- */

/* Everything a spawned child's execve() needs, built before fork(). */
struct spawn_argv {
    char exe[PATH_MAX];
    char fd[16];
    char *argv[7];
};

/*
 * spawn_prepare - build the command line that re-executes this program
 * as p's child: exe --process-spawn TARGET IDENT FD [ARG].  `fd` is the
 * sentinel's write end.  Returns 0, -ENOENT (target not registered),
 * -ENAMETOOLONG, or -errno from readlink.
 */
static int
spawn_prepare(struct process *p, int fd, struct spawn_argv *sa)
{
    /* TODO(02-F): find the target's registered name, resolve /proc/self/exe
     * with readlink, build the child's argv. Python:
     * multiprocessing.get_context("spawn"). Read docs/02-process.md#spawn. */
    (void)p;
    (void)fd;
    (void)sa;
    (void)target_name;
    return -ENOSYS;
}

/* exec_child - in a spawn child: keep the sentinel open across exec and
 * run the program again.  Only async-signal-safe calls (the parent may
 * have other threads).  Does not return. */
static void
exec_child(int keep_fd, char *const argv[])
{
    /* TODO(02-F): clear close-on-exec on the sentinel's write end and execve
     * the program; _exit if that fails. Python: spawn. Read
     * docs/02-process.md#spawn. */
    (void)keep_fd;
    (void)argv;
    _exit(PROCESS_EXIT_EXEC_FAILED);
}

/*
 * run_child - the child's side of process_start(), right after fork():
 * reg_mu is held (by this thread's copy) and p->mu too.  Becomes `p`:
 * resets the registry, runs p's run() and _exit()s with its code.
 * Does not return.
 */
static void
run_child(struct process *p, const int fds[2], const struct spawn_argv *sa)
{
    /* TODO(02-A): in the child: keep only our sentinel end, exec for spawn,
     * else become p, reset the registry, release both locks, run, flush,
     * _exit. Python: Process._bootstrap. Read docs/02-process.md#start. */
    (void)p;
    (void)fds;
    (void)sa;
    (void)self_sentinel;
    (void)exec_child;
    _exit(PROCESS_EXIT_EXEC_FAILED);
}

/*
 * fork_child - make the sentinel pipe and the child, under reg_mu.
 * p->mu held, state NEW.  On success sets p->pid, p->sentinel and links
 * p into the registry.  Returns 0 or -errno (nothing left behind).
 */
static int
fork_child(struct process *p, struct spawn_argv *sa)
{
    /* TODO(02-A): make the sentinel pipe, then fork under reg_mu; the parent
     * keeps the read end and links p into the registry. Python:
     * Process.start. Read docs/02-process.md#start. */
    (void)p;
    (void)sa;
    (void)spawn_prepare;
    (void)run_child;
    return -ENOSYS;
}

int
process_start(struct process *p)
{
    /* TODO(02-A): start a NEW process once (-EINVAL otherwise) and move it
     * to STARTED. Python: Process.start. Read docs/02-process.md#start. */
    (void)p;
    (void)fork_child;
    return -ENOSYS;
}

/* ---- waiting and reaping ------------------------------------------- */

/* decode_status - Python's exitcode from a wait status: the exit code,
 * or -N for death by signal N.  Cannot fail. */
static int
decode_status(int status)
{
    /* TODO(02-B): turn a wait status into Python's exitcode: the exit code,
     * or -N for signal N. Python: Process.exitcode. Read
     * docs/02-process.md#exitcode. */
    (void)status;
    return -ENOSYS;
}

/*
 * reap_locked - if the child has ended, reap it and move to ENDED.
 * p->mu held, state STARTED.  Never blocks.  Leaves the child alone while
 * a reaper is in waitid() for it (that thread reaps).
 * Returns 0 (reaped now), -EAGAIN (still running or being reaped), or
 * -ECHILD (something else reaped it; the state becomes ENDED, code 255).
 */
static int
reap_locked(struct process *p)
{
    /* TODO(02-B): waitpid(WNOHANG) unless a reaper is out; on success record
     * the code and move to ENDED. Python: Popen.poll. Read
     * docs/02-process.md#reap-once. */
    (void)p;
    (void)decode_status;
    return -ENOSYS;
}

/*
 * collect_locked - after the sentinel said EOF: reap the child, or wait
 * for the thread that is already doing it.  p->mu held; returns with it
 * held and the state ENDED.  Returns 0 or -ECHILD.
 */
static int
collect_locked(struct process *p)
{
    siginfo_t info;
    int err = 0;

    while (p->state == PROCESS_STARTED) {
        if (p->reaping) {
            LAB_CHECK(pthread_cond_wait(&p->ended, &p->mu));
            continue;
        }
        /* EOF comes as the child closes its files, a moment before it is
         * a zombie.  Wait for that without the lock and without reaping,
         * so the pid stays ours (and safe to signal) until reap_locked. */
        p->reaping = true;
        LAB_CHECK(pthread_mutex_unlock(&p->mu));
        while (waitid(P_PID, p->pid, &info, WEXITED | WNOWAIT) < 0 &&
               errno == EINTR)
            continue;
        LAB_CHECK(pthread_mutex_lock(&p->mu));
        p->reaping = false;
        err = reap_locked(p);
        LAB_CHECK(pthread_cond_broadcast(&p->ended));
    }
    return err == -ECHILD ? err : 0;
}

/* wait_sentinel - block until `fd` reports EOF (the child is gone) or
 * `deadline` passes.  Returns 0, -ETIMEDOUT, or -errno from poll. */
static int
wait_sentinel(int fd, double deadline)
{
    /* TODO(02-B): poll the sentinel until EOF or the deadline; retry EINTR
     * toward the same deadline. Python: connection.wait([sentinel],
     * timeout). Read docs/02-process.md#join. */
    (void)fd;
    (void)deadline;
    (void)ms_until;
    return -ENOSYS;
}

int
process_join(struct process *p, double timeout)
{
    /* TODO(02-B): check the state under the lock, wait for the sentinel
     * without it, then collect_locked. Python: Process.join(timeout). Read
     * docs/02-process.md#join. */
    (void)p;
    (void)timeout;
    (void)deadline_after;
    (void)wait_sentinel;
    (void)collect_locked;
    return -ENOSYS;
}

bool
process_is_alive(struct process *p)
{
    /* TODO(02-B): under the lock: reap if it ended, then say whether it is
     * still STARTED. Python: Process.is_alive. Read
     * docs/02-process.md#lifecycle. */
    (void)p;
    return false;
}

int
process_exitcode(struct process *p, int *code)
{
    /* TODO(02-B): under the lock: reap if it ended; the code once ENDED,
     * else -EAGAIN. Python: Process.exitcode. Read
     * docs/02-process.md#exitcode. */
    (void)p;
    (void)code;
    return -ENOSYS;
}

const char *
process_status(struct process *p)
{
    const char *s;

    if (p == NULL)
        return state_names[PROCESS_NEW];
    if (p == child_self)
        return state_names[PROCESS_STARTED];
    LAB_CHECK(pthread_mutex_lock(&p->mu));
    if (p->state == PROCESS_STARTED)
        (void)reap_locked(p);
    s = state_names[p->state];
    LAB_CHECK(pthread_mutex_unlock(&p->mu));
    return s;
}

/* ---- signals -------------------------------------------------------- */

/* send_signal - kill(pid, sig) while the pid is still ours.  Returns 0,
 * -EINVAL (NULL, not started, or ourselves), or -errno from kill. */
static int
send_signal(struct process *p, int sig)
{
    /* TODO(02-C): kill() only while the pid is still ours (STARTED), under
     * the lock. Python: Process.terminate / Process.kill. Read
     * docs/02-process.md#stale-pid. */
    (void)p;
    (void)sig;
    return -ENOSYS;
}

int
process_terminate(struct process *p)
{
    return send_signal(p, SIGTERM);
}

int
process_kill(struct process *p)
{
    return send_signal(p, SIGKILL);
}

/* ---- plain accessors ------------------------------------------------ */

pid_t
process_pid(const struct process *p)
{
    /* TODO(02-A): the pid under the lock (getpid() for the child's own
     * object). Python: Process.pid. Read docs/02-process.md#lifecycle. */
    (void)p;
    return 0;
}

const char *
process_name(const struct process *p)
{
    return p == NULL ? "" : p->name;
}

bool
process_daemon(const struct process *p)
{
    return p != NULL && p->daemon;
}

/* ---- the end -------------------------------------------------------- */

/* end_child - if p's child is still ours, SIGKILL and reap it.  No other
 * thread uses p (process_free's rule).  Cannot fail. */
static void
end_child(struct process *p)
{
    /* TODO(02-A): if the child is still ours: SIGKILL it and reap it.
     * Python: Process.close. Read docs/02-process.md#free. */
    (void)p;
}

void
process_free(struct process *p)
{
    /* TODO(02-A): unlink, end the child, close the sentinel, destroy the
     * lock, free_ctx, free. Python: Process.close. Read
     * docs/02-process.md#free. */
    (void)p;
    (void)registry_unlink;
    (void)end_child;
}

int
process_shutdown(double timeout)
{
    /* TODO(02-D): terminate every started daemon, then join every started
     * process within the timeout. Python:
     * multiprocessing.util._exit_function. Read docs/02-process.md#daemon. */
    (void)timeout;
    (void)registry_snapshot;
    (void)time_left;
    return -ENOSYS;
}

/* ---- the spawned child's entry point -------------------------------- */

void
process_spawn_main(int argc, char **argv)
{
    /* TODO(02-F): in a spawned child: restore identity and sentinel, look up
     * the target by name, run it and _exit; else return. Python: if __name__
     * == "__main__". Read docs/02-process.md#importable. */
    (void)argc;
    (void)argv;
}
