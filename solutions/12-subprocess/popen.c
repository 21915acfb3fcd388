/*
 * popen.c - subprocess.Popen in C: fork, redirect, exec another program,
 * and talk to it through pipes without deadlock.
 *
 * DESIGN
 *
 * Starting (part A).  Everything the child needs (pipes, /dev/null, the
 * list of paths to try) is made before fork(): between fork and exec the
 * child may call only async-signal-safe functions, because another
 * thread of the parent may have held malloc's lock at the fork.  The
 * child tells the parent why exec failed through an "exec-error pipe"
 * opened close-on-exec: a successful execve() closes it, so the parent
 * reads EOF; a failure writes errno into it first.  So a missing program
 * is an error of sp_popen_new(), not a child exiting 127.  Every fd is
 * close-on-exec, and the child also marks every fd above 2 close-on-exec
 * (close_range), so descriptors the caller opened without the flag do not
 * leak into the program either.
 *
 * Waiting (part B).  A pid is ours until we reap it; after that the
 * system may give it to a stranger, so signals are sent only while the
 * child is unreaped.  waitpid() has no timeout (and pidfd_open() does not
 * run under Valgrind 3.19), so a timed wait polls waitpid(WNOHANG) with
 * growing naps, as CPython does.
 *
 * Talking (part C).  communicate() poll()s every pipe at once: it writes
 * input when stdin has room and reads whichever output has data.  Reading
 * stdout to its end before stderr deadlocks as soon as the child fills
 * the stderr pipe (64 KiB) while we wait on stdout.  What was read is
 * kept in the object, so a call that times out loses nothing.
 *
 * An object is used by one thread at a time; there is no shared state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "popen.h"

extern char **environ;

/* How many PATH entries sp_popen_new() tries. */
#define SP_PATH_MAX_TRIES 64

/* Naps of a timed wait: from 0.5 ms, doubling, at most 50 ms (CPython). */
#define SP_NAP_FIRST 0.0005
#define SP_NAP_MAX 0.05

enum sp_state {
    SP_RUNNING,                 /* the child exists: running or a zombie */
    SP_REAPED,                  /* waited for: returncode known */
};

/* Output collected by communicate(). */
struct sp_buf {
    char *data;
    size_t len;
    size_t cap;
};

struct sp_popen {
    pid_t pid;
    enum sp_state state;
    int returncode;             /* SP_REAPED only */
    int fd[3];                  /* the parent's pipe ends, -1 if none */
    bool piped[3];              /* which streams were pipes at the start */
    bool talking;               /* communicate() has started */
    const char *input;          /* kept from the first communicate() */
    size_t input_len;
    size_t input_off;
    struct sp_buf got[3];       /* [1] stdout, [2] stderr */
};

/* The child's three descriptors and what the parent must close after
 * fork(); filled by open_streams(). */
struct sp_plan {
    int child_fd[3];            /* what becomes 0, 1, 2 (-1: inherit) */
    int parent_fd[3];           /* our pipe ends (-1: none) */
    int to_close[3];            /* child-side fds we opened, -1 unused */
};

/* Everything the child's exec needs, built before fork(). */
struct sp_exec {
    char *const *argv;
    char *const *envp;
    const char *cwd;
    char *paths[SP_PATH_MAX_TRIES];
    int npaths;
};

/* ---- time ------------------------------------------------------------ */

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* deadline_after - now + timeout, or -1 (none) for a negative timeout. */
static double
deadline_after(double timeout)
{
    return timeout < 0 ? -1.0 : now() + timeout;
}

/* time_left - the timeout that ends at `deadline` (LAB_FOREVER for
 * none), never negative.  Cannot fail. */
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

/* nap - sleep `seconds` (EINTR just ends the nap early). */
static void
nap(double seconds)
{
    struct timespec ts;

    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    (void)nanosleep(&ts, NULL);
}

/* close_fd - close *fd if open and mark it closed.  Cannot fail. */
static void
close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* ---- part A: checking the options, building the child's plan -------- */

/* check_stream - is `s` legal for stream `which`?  Returns 0 or -EINVAL. */
static int
check_stream(const struct sp_stream *s, int which)
{
    if (s->how < SP_INHERIT || s->how > SP_STDOUT)
        return -EINVAL;
    if (s->how == SP_STDOUT && which != STDERR_FILENO)
        return -EINVAL;
    if (s->how == SP_FD && s->fd < 0)
        return -EINVAL;
    return 0;
}

/* check_env - every string in env must be "K=V" with a non-empty K.
 * Returns 0 or -EINVAL. */
static int
check_env(char *const *env)
{
    size_t i;

    for (i = 0; env != NULL && env[i] != NULL; i++) {
        const char *eq = strchr(env[i], '=');

        if (eq == NULL || eq == env[i])
            return -EINVAL;
    }
    return 0;
}

/* check_options - validate opts for sp_popen_new (R11: before any side
 * effect).  Returns 0 or -EINVAL. */
static int
check_options(const struct sp_options *o)
{
    if (o->capture || o->check || o->input != NULL || o->input_len > 0)
        return -EINVAL;
    if (check_stream(&o->in, STDIN_FILENO) ||
        check_stream(&o->out, STDOUT_FILENO) ||
        check_stream(&o->err, STDERR_FILENO))
        return -EINVAL;
    return check_env(o->env);
}

/* path_of - the PATH to search: from env if it has one, else ours. */
static const char *
path_of(char *const *env)
{
    const char *path;
    size_t i;

    if (env == NULL) {
        path = getenv("PATH");
        return path != NULL ? path : "/bin:/usr/bin";
    }
    for (i = 0; env[i] != NULL; i++) {
        if (strncmp(env[i], "PATH=", 5) == 0)
            return env[i] + 5;
    }
    return "/bin:/usr/bin";
}

/* free_paths - release what build_paths made.  Cannot fail. */
static void
free_paths(struct sp_exec *ex)
{
    int i;

    for (i = 0; i < ex->npaths; i++)
        free(ex->paths[i]);
    ex->npaths = 0;
}

/*
 * build_paths - the files the child will try to execve(): argv[0] itself
 * if it has a '/', else each PATH directory joined with it (an empty
 * entry is the current directory).  Returns 0 or -ENOMEM.
 */
static int
build_paths(struct sp_exec *ex, const char *prog, char *const *env)
{
    const char *dir = path_of(env);
    size_t len;

    ex->npaths = 0;
    if (strchr(prog, '/') != NULL) {
        ex->paths[0] = strdup(prog);
        ex->npaths = ex->paths[0] != NULL;
        return ex->npaths ? 0 : -ENOMEM;
    }
    while (ex->npaths < SP_PATH_MAX_TRIES) {
        len = strcspn(dir, ":");
        if (asprintf(&ex->paths[ex->npaths], "%.*s%s%s", (int)len, dir,
                     len > 0 ? "/" : "", prog) < 0) {
            free_paths(ex);
            return -ENOMEM;
        }
        ex->npaths++;
        if (dir[len] == '\0')
            break;
        dir += len + 1;
    }
    return 0;
}

/* plan_init - an empty plan: inherit everything.  Cannot fail. */
static void
plan_init(struct sp_plan *pl)
{
    int i;

    for (i = 0; i < 3; i++) {
        pl->child_fd[i] = -1;
        pl->parent_fd[i] = -1;
    }
    for (i = 0; i < 3; i++)
        pl->to_close[i] = -1;
}

/* plan_close - close every fd the plan opened (parent ends too).
 * Cannot fail. */
static void
plan_close(struct sp_plan *pl)
{
    int i;

    for (i = 0; i < 3; i++)
        close_fd(&pl->parent_fd[i]);
    for (i = 0; i < 3; i++)
        close_fd(&pl->to_close[i]);
}

/*
 * open_stream - make what stream `which` needs: a close-on-exec pipe
 * (the child's end in child_fd, ours in parent_fd), /dev/null, or the
 * caller's fd.  SP_STDOUT is resolved by open_streams.  Returns 0 or
 * -errno; on failure the caller closes the plan.
 */
static int
open_stream(struct sp_plan *pl, const struct sp_stream *s, int which)
{
    int fds[2];
    int mode = which == STDIN_FILENO ? O_RDONLY : O_WRONLY;

    if (s->how == SP_FD)
        pl->child_fd[which] = s->fd;
    if (s->how == SP_DEVNULL) {
        pl->to_close[which] = open("/dev/null", mode | O_CLOEXEC);
        if (pl->to_close[which] < 0)
            return -errno;
        pl->child_fd[which] = pl->to_close[which];
    }
    if (s->how != SP_PIPE)
        return 0;
    if (pipe2(fds, O_CLOEXEC) < 0)      /* DOC: 12-subprocess#streams */
        return -errno;
    /* stdin: the child reads fds[0]; stdout/stderr: it writes fds[1]. */
    pl->child_fd[which] = fds[which == STDIN_FILENO ? 0 : 1];
    pl->parent_fd[which] = fds[which == STDIN_FILENO ? 1 : 0];
    pl->to_close[which] = pl->child_fd[which];
    return 0;
}

/* open_streams - open_stream for all three.  Returns 0 or -errno (and
 * then nothing is left open). */
static int
open_streams(struct sp_plan *pl, const struct sp_options *o)
{
    const struct sp_stream *s[3] = { &o->in, &o->out, &o->err };
    int err = 0;
    int i;

    plan_init(pl);
    for (i = 0; i < 3 && err == 0; i++)
        err = open_stream(pl, s[i], i);
    if (err) {
        plan_close(pl);
        return err;
    }
    if (o->err.how == SP_STDOUT)
        pl->child_fd[STDERR_FILENO] = pl->child_fd[STDOUT_FILENO] >= 0
                                          ? pl->child_fd[STDOUT_FILENO]
                                          : STDOUT_FILENO;
    return 0;
}

/* ---- part A: the child, between fork and exec ----------------------- */

/*
 * child_redirect - make child_fd[0..2] the child's fds 0, 1 and 2.
 * Sources below 3 are first moved up, so that one dup2 never clobbers a
 * source another still needs.  Async-signal-safe.  Returns 0 or errno.
 */
static int
child_redirect(int fds[3])
{
    int i;

    for (i = 0; i < 3; i++) {
        if (fds[i] >= 0 && fds[i] < 3 && fds[i] != i) {
            fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
            if (fds[i] < 0)
                return errno;
        }
    }
    for (i = 0; i < 3; i++) {
        if (fds[i] < 0)
            continue;
        /* dup2 onto itself keeps close-on-exec: clear it by hand. */
        if (fds[i] == i ? fcntl(i, F_SETFD, 0) < 0 : dup2(fds[i], i) < 0)
            return errno;
    }
    return 0;
}

/* child_close_fds - mark every fd above 2 close-on-exec (close_fds=True).
 * Async-signal-safe.  Cannot fail: falls back to a loop. */
static void
child_close_fds(long max_fd)
{
    long fd;

    /* DOC: 12-subprocess#no-leaks */
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    for (fd = 3; fd < max_fd; fd++)
        (void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

/* child_reset_signals - no signal blocked, SIGPIPE default, as a fresh
 * program expects.  Async-signal-safe. */
static void
child_reset_signals(void)
{
    struct sigaction sa;
    sigset_t none;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    (void)sigaction(SIGPIPE, &sa, NULL);
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * child_exec - the child's side of sp_popen_new(), right after fork():
 * set up, try each path, and on failure write errno into the exec-error
 * pipe `err_fd` and _exit(127).  Only async-signal-safe calls.  Does not
 * return.
 */
static void
child_exec(const struct sp_exec *ex, int fds[3], int err_fd, long max_fd)
{
    int saved = 0;
    int err = 0;
    int i;

    child_reset_signals();
    if (ex->cwd != NULL && chdir(ex->cwd) < 0)
        err = errno;
    if (err == 0)
        err = child_redirect(fds);
    if (err == 0) {
        child_close_fds(max_fd);
        for (i = 0; i < ex->npaths; i++) {
            execve(ex->paths[i], ex->argv, ex->envp);
            err = errno;
            /* As CPython: the first error other than "not there" wins
             * (a file found but not runnable gives EACCES). */
            if (err != ENOENT && err != ENOTDIR && saved == 0)
                saved = err;
        }
        if (saved != 0)
            err = saved;
    }
    /* DOC: 12-subprocess#exec-error-pipe */
    (void)!write(err_fd, &err, sizeof(err));
    _exit(127);
}

/* ---- part A: the parent ---------------------------------------------- */

/* read_exec_error - read the child's errno from the exec-error pipe:
 * 0 at EOF (execve succeeded), else the errno it sent. */
static int
read_exec_error(int fd)
{
    int err = 0;
    ssize_t n;

    do
        n = read(fd, &err, sizeof(err));
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof(err) ? err : 0;
}

/* reap_blocking - waitpid(pid, 0), retried on EINTR.  Returns the
 * status (0 if the child was already gone). */
static int
reap_blocking(pid_t pid)
{
    int status = 0;

    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    return status;
}

/*
 * spawn - make the exec-error pipe, fork, and run child_exec in the
 * child.  The plan's child-side fds are closed in the parent here.
 * Returns the pid, or -errno (exec failures included: that child has
 * been reaped).
 */
static pid_t
spawn(const struct sp_exec *ex, struct sp_plan *pl)
{
    long max_fd = sysconf(_SC_OPEN_MAX);
    int ep[2];
    pid_t pid;
    int err;
    int i;

    if (pipe2(ep, O_CLOEXEC) < 0)
        return -errno;
    pid = fork();
    if (pid == 0)
        child_exec(ex, pl->child_fd, ep[1], max_fd);
    err = pid < 0 ? errno : 0;
    close(ep[1]);               /* or read() below never sees EOF */
    for (i = 0; i < 3; i++)
        close_fd(&pl->to_close[i]);     /* DOC: 12-subprocess#close-ends */
    if (pid > 0)
        err = read_exec_error(ep[0]);
    close(ep[0]);
    if (pid > 0 && err != 0)
        (void)reap_blocking(pid);
    return err != 0 ? -err : pid;
}

int
sp_popen_new(struct sp_popen **out, char *const argv[],
             const struct sp_options *opts)
{
    static const struct sp_options defaults = { .cwd = NULL };
    struct sp_exec ex = { .npaths = 0 };
    struct sp_plan pl;
    struct sp_popen *p;
    pid_t pid;
    int err;
    int i;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (opts == NULL)
        opts = &defaults;
    if (argv == NULL || argv[0] == NULL || check_options(opts) != 0)
        return -EINVAL;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        return -ENOMEM;
    ex.argv = argv;
    ex.envp = opts->env != NULL ? opts->env : environ;
    ex.cwd = opts->cwd;
    err = build_paths(&ex, argv[0], opts->env);
    if (err)
        goto out_free;
    err = open_streams(&pl, opts);
    if (err)
        goto out_free_paths;
    pid = spawn(&ex, &pl);
    if (pid < 0) {
        err = (int)pid;
        plan_close(&pl);
        goto out_free_paths;
    }
    p->pid = pid;
    p->state = SP_RUNNING;
    p->returncode = SP_NO_RETURNCODE;
    for (i = 0; i < 3; i++) {
        p->fd[i] = pl.parent_fd[i];
        p->piped[i] = p->fd[i] >= 0;
    }
    *out = p;
out_free_paths:
    free_paths(&ex);
out_free:
    if (err)
        free(p);
    return err;
}

pid_t
sp_popen_pid(const struct sp_popen *p)
{
    return p == NULL ? 0 : p->pid;
}

int
sp_popen_fd(const struct sp_popen *p, int which)
{
    if (p == NULL || which < 0 || which > 2)
        return -1;
    return p->fd[which];
}

int
sp_popen_close_fd(struct sp_popen *p, int which)
{
    if (p == NULL || which < 0 || which > 2)
        return -EINVAL;
    close_fd(&p->fd[which]);
    return 0;
}

/* ---- part B: waiting, signals, returncode ---------------------------- */

/* decode_status - Python's returncode from a wait status: the exit code,
 * or -N for death by signal N.  Cannot fail. */
static int
decode_status(int status)
{
    if (WIFSIGNALED(status))
        return -WTERMSIG(status);       /* DOC: 12-subprocess#returncode */
    return WEXITSTATUS(status);
}

/* try_reap - reap the child if it has ended.  Never blocks.  Returns 0
 * (reaped now or before) or -EAGAIN (still running). */
static int
try_reap(struct sp_popen *p)
{
    int status;
    pid_t r;

    if (p->state == SP_REAPED)
        return 0;
    do
        r = waitpid(p->pid, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return -EAGAIN;
    /* r < 0: someone else reaped it (a SIGCHLD handler set to SIG_IGN,
     * say); the code is lost, as Python reports 0 then. */
    p->returncode = r < 0 ? 0 : decode_status(status);
    p->state = SP_REAPED;
    return 0;
}

int
sp_popen_poll(struct sp_popen *p, int *returncode)
{
    int err;

    if (p == NULL)
        return -EINVAL;
    err = try_reap(p);
    if (err == 0 && returncode != NULL)
        *returncode = p->returncode;
    return err;
}

/* wait_forever - block in waitpid until the child ends and reap it. */
static void
wait_forever(struct sp_popen *p)
{
    int status;
    pid_t r;

    do
        r = waitpid(p->pid, &status, 0);
    while (r < 0 && errno == EINTR);
    p->returncode = r < 0 ? 0 : decode_status(status);
    p->state = SP_REAPED;
}

int
sp_popen_wait(struct sp_popen *p, int *returncode, double timeout)
{
    double deadline;
    double step = SP_NAP_FIRST;
    double left;

    if (p == NULL || isnan(timeout))
        return -EINVAL;
    deadline = deadline_after(timeout);
    if (timeout < 0 && p->state == SP_RUNNING)
        wait_forever(p);
    /* DOC: 12-subprocess#wait-timeout */
    while (try_reap(p) == -EAGAIN) {
        left = deadline - now();
        if (left <= 0)
            return -ETIMEDOUT;
        nap(step < left ? step : left);
        step = step * 2 < SP_NAP_MAX ? step * 2 : SP_NAP_MAX;
    }
    if (returncode != NULL)
        *returncode = p->returncode;
    return 0;
}

int
sp_popen_send_signal(struct sp_popen *p, int sig)
{
    if (p == NULL || sig <= 0 || sig >= NSIG)
        return -EINVAL;
    /* A reaped pid may already be a stranger's: look first. */
    if (try_reap(p) == 0)
        return 0;               /* DOC: 12-subprocess#stale-pid */
    if (kill(p->pid, sig) < 0 && errno != ESRCH)
        return -errno;
    return 0;
}

int
sp_popen_terminate(struct sp_popen *p)
{
    return sp_popen_send_signal(p, SIGTERM);
}

int
sp_popen_kill(struct sp_popen *p)
{
    return sp_popen_send_signal(p, SIGKILL);
}

int
sp_popen_returncode(const struct sp_popen *p, int *returncode)
{
    if (p == NULL || returncode == NULL)
        return -EINVAL;
    if (p->state != SP_REAPED)
        return -EAGAIN;
    *returncode = p->returncode;
    return 0;
}

void
sp_popen_free(struct sp_popen *p)
{
    int i;

    if (p == NULL)
        return;
    if (p->state == SP_RUNNING) {
        (void)kill(p->pid, SIGKILL);    /* DOC: 12-subprocess#free */
        wait_forever(p);
    }
    for (i = 0; i < 3; i++) {
        close_fd(&p->fd[i]);
        free(p->got[i].data);
    }
    free(p);
}

void
sp_result_release(struct sp_result *res)
{
    if (res == NULL)
        return;
    free(res->out);
    free(res->err);
    memset(res, 0, sizeof(*res));
    res->returncode = SP_NO_RETURNCODE;
}

/* ---- part C: communicate --------------------------------------------- */

/* buf_reserve - room for `more` bytes plus a NUL.  Returns 0 or -ENOMEM. */
static int
buf_reserve(struct sp_buf *b, size_t more)
{
    size_t cap = b->cap ? b->cap : 4096;
    char *data;

    while (cap < b->len + more + 1)
        cap *= 2;
    if (cap == b->cap)
        return 0;
    data = realloc(b->data, cap);
    if (data == NULL)
        return -ENOMEM;
    b->data = data;
    b->cap = cap;
    return 0;
}

/*
 * read_some - one read() from the pipe for stream `which` into its
 * buffer; closes the pipe at EOF.  Returns 0 or -errno.
 */
static int
read_some(struct sp_popen *p, int which)
{
    struct sp_buf *b = &p->got[which];
    ssize_t n;
    int err = buf_reserve(b, 65536);

    if (err)
        return err;
    n = read(p->fd[which], b->data + b->len, b->cap - b->len - 1);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -errno;
    if (n == 0)
        close_fd(&p->fd[which]);        /* EOF: the child closed it */
    b->len += (size_t)n;
    b->data[b->len] = '\0';
    return 0;
}

/* write_nosigpipe - write() with SIGPIPE blocked in this thread, and a
 * SIGPIPE it raised discarded: a child that stopped reading must not kill
 * the parent.  Returns what write() returns (errno set). */
static ssize_t
write_nosigpipe(int fd, const void *buf, size_t len)
{
    static const struct timespec zero = { 0, 0 };
    sigset_t pipe_set;
    sigset_t old;
    sigset_t pending;
    ssize_t n;
    int saved;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    n = write(fd, buf, len);
    saved = errno;
    /* Discard only a SIGPIPE we caused, never one already pending. */
    if (n < 0 && saved == EPIPE && !sigismember(&pending, SIGPIPE))
        (void)sigtimedwait(&pipe_set, NULL, &zero);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return n;
}

/* write_some - write what stdin takes now; close it when all is written
 * or the child has stopped reading (EPIPE, ignored as in Python). */
static int
write_some(struct sp_popen *p)
{
    ssize_t n = write_nosigpipe(p->fd[STDIN_FILENO],
                                p->input + p->input_off,
                                p->input_len - p->input_off);

    if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EPIPE)
        return -errno;
    if (n > 0)
        p->input_off += (size_t)n;
    if ((n < 0 && errno == EPIPE) || p->input_off == p->input_len)
        close_fd(&p->fd[STDIN_FILENO]);  /* the child sees EOF */
    return 0;
}

/*
 * start_talking - the first communicate(): keep the input, make our end
 * of stdin non-blocking (a write must never wait: output may need
 * reading), close stdin at once if there is nothing to send.
 */
static int
start_talking(struct sp_popen *p, const void *input, size_t input_len)
{
    int fd = p->fd[STDIN_FILENO];
    int fl;

    p->talking = true;
    p->input = input;
    p->input_len = input_len;
    if (fd < 0)
        return 0;
    if (input_len == 0) {
        close_fd(&p->fd[STDIN_FILENO]);
        return 0;
    }
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

/*
 * pump - poll every open pipe at once and move data until all are
 * closed or `deadline` passes.  Returns 0, -ETIMEDOUT, or -errno.
 */
static int
pump(struct sp_popen *p, double deadline)
{
    struct pollfd pfd[3];
    int n;
    int i;
    int err = 0;

    while (err == 0) {
        for (i = 0; i < 3; i++) {
            pfd[i].fd = p->fd[i];       /* a negative fd is skipped */
            pfd[i].events = i == STDIN_FILENO ? POLLOUT : POLLIN;
            pfd[i].revents = 0;
        }
        if (pfd[0].fd < 0 && pfd[1].fd < 0 && pfd[2].fd < 0)
            return 0;
        /* DOC: 12-subprocess#communicate */
        n = poll(pfd, 3, ms_until(deadline));
        if (n < 0 && errno != EINTR)
            return -errno;
        if (n == 0 && deadline >= 0 && now() >= deadline)
            return -ETIMEDOUT;
        for (i = 0; i < 3 && err == 0 && n > 0; i++) {
            if (pfd[i].revents == 0)
                continue;
            err = i == STDIN_FILENO ? write_some(p) : read_some(p, i);
        }
    }
    return err;
}

/* copy_buf - a NUL-terminated copy of b, or NULL for a stream that was
 * not a pipe.  Returns 0 or -ENOMEM. */
static int
copy_buf(const struct sp_buf *b, bool piped, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!piped)
        return 0;
    *out = malloc(b->len + 1);
    if (*out == NULL)
        return -ENOMEM;
    if (b->len > 0)
        memcpy(*out, b->data, b->len);
    (*out)[b->len] = '\0';
    *len = b->len;
    return 0;
}

/* fill_result - copies of everything read so far, and the returncode. */
static int
fill_result(const struct sp_popen *p, struct sp_result *res)
{
    int err;

    res->returncode = p->state == SP_REAPED ? p->returncode
                                            : SP_NO_RETURNCODE;
    err = copy_buf(&p->got[1], p->piped[1], &res->out, &res->out_len);
    if (err == 0)
        err = copy_buf(&p->got[2], p->piped[2], &res->err, &res->err_len);
    if (err) {
        free(res->out);
        res->out = NULL;
        res->out_len = 0;
    }
    return err;
}

int
sp_popen_communicate(struct sp_popen *p, const void *input,
                     size_t input_len, struct sp_result *res, double timeout)
{
    double deadline;
    int err;
    int fill;

    if (p == NULL || res == NULL || isnan(timeout))
        return -EINVAL;
    if (input_len > 0 && (input == NULL || !p->piped[STDIN_FILENO]))
        return -EINVAL;
    deadline = deadline_after(timeout);
    res->out = NULL;
    res->err = NULL;
    res->out_len = 0;
    res->err_len = 0;
    if (!p->talking) {
        err = start_talking(p, input, input_len);
        if (err)
            return err;
    }
    err = pump(p, deadline);
    if (err == 0)
        err = sp_popen_wait(p, NULL, time_left(deadline));
    if (err == 0 || err == -ETIMEDOUT) {
        fill = fill_result(p, res);
        err = fill ? fill : err;
    }
    return err;
}
