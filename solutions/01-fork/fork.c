/*
 * fork.c - fork returns twice; the child's memory is a copy; n forks make
 * 2^n processes; wait statuses; stdio buffers are copied too (lab 01).
 *
 * DESIGN: every child reports to its parent through a pipe made with
 * O_CLOEXEC and ends with _exit(), never return or exit(): returning
 * would run the caller's code twice, and exit() would flush the caller's
 * stdio buffers a second time.  A child calls only async-signal-safe
 * functions (getpid, write, close, waitpid, _exit), because the caller
 * may have other threads whose locks the child inherits held.  The
 * parent closes its copy of the write end before it reads, or it would
 * never see end of file.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fork.h"

/*
 * write_all / read_all - move exactly len bytes, retrying on EINTR and
 * short transfers.  read_all stops early at end of file.
 * Returns: bytes moved (< len only at end of file), or -errno.
 */
static ssize_t
write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static ssize_t
read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, p + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

/*
 * reap - waitpid(pid) retrying on EINTR.
 * Returns: 0 with *status set, or -errno (-ECHILD: no such child).
 */
static int
reap(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return -errno;
    }
    return 0;
}

/*
 * finish_child - the parent's half after fork: close the write end, read
 * `len` bytes the child sent, reap it.  Closes both pipe ends.
 * Returns: 0, or -EIO if the report was short or the child did not exit 0.
 */
static int
finish_child(pid_t pid, int fds[2], void *buf, size_t len)
{
    ssize_t got;
    int status = 0;
    int err;

    close(fds[1]);      /* DOC: 01-fork#pipe-ends */
    got = read_all(fds[0], buf, len);
    close(fds[0]);
    err = reap(pid, &status);   /* DOC: 01-fork#reaping */
    if (err)
        return err;
    if (got != (ssize_t)len || fork_exitcode(status) != 0)
        return -EIO;
    return 0;
}

int
fork_report(struct fork_report *out)
{
    struct fork_report r = { .parent = getpid() };
    pid_t seen[2];
    int fds[2];
    int err;

    if (!out)
        return -EINVAL;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    r.returned = fork();    /* DOC: 01-fork#returns-twice */
    if (r.returned < 0) {
        err = -errno;
        goto out_close_pipe;
    }
    if (r.returned == 0) {
        seen[0] = getpid();
        seen[1] = getppid();
        close(fds[0]);
        _exit(write_all(fds[1], seen, sizeof(seen)) == sizeof(seen) ? 0 : 1);
    }
    err = finish_child(r.returned, fds, seen, sizeof(seen));
    if (err)
        return err;
    r.child_pid = seen[0];
    r.child_ppid = seen[1];
    *out = r;
    return 0;

out_close_pipe:
    close(fds[0]);
    close(fds[1]);
    return err;
}

int
fork_globals(int *var, int new_value, struct fork_globals *out)
{
    int seen[2];
    int fds[2];
    pid_t pid;
    int err;

    if (!var || !out)
        return -EINVAL;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    pid = fork();
    if (pid < 0) {
        err = -errno;
        close(fds[0]);
        close(fds[1]);
        return err;
    }
    if (pid == 0) {
        seen[0] = *var;
        *var = new_value;   /* DOC: 01-fork#copied-memory */
        seen[1] = *var;
        close(fds[0]);
        _exit(write_all(fds[1], seen, sizeof(seen)) == sizeof(seen) ? 0 : 1);
    }
    err = finish_child(pid, fds, seen, sizeof(seen));
    if (err)
        return err;
    out->child_before = seen[0];
    out->child_after = seen[1];
    out->parent_after = *var;
    return 0;
}

/*
 * tree_member_end - what every process of the tree does after the loop:
 * report its pid, drop its write end, and reap its own children.
 * Returns: 0, or 1 if its write failed or a child of it failed.
 */
static int
tree_member_end(int wfd, const pid_t *kids, int nkids, int failed)
{
    pid_t self = getpid();
    int status;
    int i;

    if (write_all(wfd, &self, sizeof(self)) != sizeof(self))
        failed = 1;
    close(wfd);     /* DOC: 01-fork#pipe-ends */
    for (i = 0; i < nkids; i++) {
        if (reap(kids[i], &status) < 0 || fork_exitcode(status) != 0)
            failed = 1;
    }
    return failed;
}

/*
 * tree_collect - the caller's reading side: pids until end of file.
 * Returns: 0 with *count set, -EINVAL if more than max arrived, or -errno.
 */
static int
tree_collect(int rfd, pid_t *pids, int max, int *count)
{
    pid_t pid;
    ssize_t n;
    int got = 0;

    while ((n = read_all(rfd, &pid, sizeof(pid))) == sizeof(pid)) {
        if (got == max)
            return -EINVAL;
        pids[got++] = pid;
    }
    if (n < 0)
        return (int)n;
    *count = got;
    return 0;
}

int
fork_tree(int n, pid_t *pids, int max, int *count)
{
    pid_t kids[FORK_TREE_MAX_N];
    bool is_caller = true;
    int nkids = 0;
    int failed = 0;
    int fds[2];
    int err = 0;
    int i;

    if (n < 0 || n > FORK_TREE_MAX_N || !pids || !count || max < (1 << n))
        return -EINVAL;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    for (i = 0; i < n && !failed; i++) {
        pid_t pid = fork();     /* DOC: 01-fork#tree */

        if (pid < 0) {
            err = -errno;
            failed = 1;
        } else if (pid == 0) {
            is_caller = false;
            nkids = 0;          /* a new process: only its own children */
        } else {
            kids[nkids++] = pid;
        }
    }
    if (!is_caller) {
        close(fds[0]);
        _exit(tree_member_end(fds[1], kids, nkids, failed));
    }
    failed = tree_member_end(fds[1], kids, nkids, 0);
    i = tree_collect(fds[0], pids, max, count);
    close(fds[0]);
    if (err)
        return err;
    if (i)
        return i;
    return failed ? -ECHILD : 0;
}

int
fork_exitcode(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return -WTERMSIG(wstatus);  /* DOC: 01-fork#wait-status */
    return FORK_NOT_ENDED;
}

int
fork_start(fork_fn *fn, void *arg, pid_t *pid)
{
    pid_t child;

    if (!fn || !pid)
        return -EINVAL;
    child = fork();
    if (child < 0)
        return -errno;
    if (child == 0)
        _exit(fn(arg) & 0xff);
    *pid = child;
    return 0;
}

int
fork_wait(pid_t pid, int *exitcode)
{
    int status = 0;
    int err;

    if (!exitcode)
        return -EINVAL;
    err = reap(pid, &status);
    if (err)
        return err;
    *exitcode = fork_exitcode(status);
    return 0;
}

int
fork_run(fork_fn *fn, void *arg, int *exitcode)
{
    pid_t pid;
    int err;

    if (!exitcode)
        return -EINVAL;
    err = fork_start(fn, arg, &pid);
    if (err)
        return err;
    return fork_wait(pid, exitcode);
}

int
fork_print_and_fork(FILE *f, const char *text, bool flush_first)
{
    pid_t pid;
    int status = 0;
    int err;

    if (!f || !text)
        return -EINVAL;
    if (fputs(text, f) == EOF)
        return -EIO;
    if (flush_first && fflush(f) == EOF)    /* DOC: 01-fork#stdio-twice */
        return -EIO;
    pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0)
        _exit(fflush(f) == EOF ? 1 : 0);
    err = reap(pid, &status);
    if (err)
        return err;
    if (fflush(f) == EOF || fork_exitcode(status) != 0)
        return -EIO;
    return 0;
}
