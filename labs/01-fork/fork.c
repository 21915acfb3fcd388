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
 *
 * STUB: write the bodies marked TODO(01-A..F) (grep -n TODO); the
 * helpers without a TODO are given.  Unused-function warnings are
 * silenced until your code calls them.
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
static ssize_t __attribute__((unused))
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

static ssize_t __attribute__((unused))
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
static int __attribute__((unused))
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
static int __attribute__((unused))
finish_child(pid_t pid, int fds[2], void *buf, size_t len)
{
    /* TODO(01-A): close the write end, read the child's report, reap
       the child.
       Python: os.read, os.waitpid.
       Read docs/01-fork.md#reaping. */
    (void)pid;
    (void)fds;
    (void)buf;
    (void)len;
    return -ENOSYS;
}

int
fork_report(struct fork_report *out)
{
    /* TODO(01-A): fork once; the child reports getpid() and getppid()
       and _exits.
       Python: os.fork, os.getpid, os.getppid.
       Read docs/01-fork.md#returns-twice. */
    (void)out;
    return -ENOSYS;
}

int
fork_globals(int *var, int new_value, struct fork_globals *out)
{
    /* TODO(01-B): the child reads, stores and re-reads *var; the parent
       reads *var after reaping.
       Python: G = 99 in the child.
       Read docs/01-fork.md#copied-memory. */
    (void)var;
    (void)new_value;
    (void)out;
    return -ENOSYS;
}

/*
 * tree_member_end - what every process of the tree does after the loop:
 * report its pid, drop its write end, and reap its own children.
 * Returns: 0, or 1 if its write failed or a child of it failed.
 */
static int __attribute__((unused))
tree_member_end(int wfd, const pid_t *kids, int nkids, int failed)
{
    /* TODO(01-C): report this process's pid, close the write end, reap
       its own children.
       Python: os.write, os.waitpid.
       Read docs/01-fork.md#tree. */
    (void)wfd;
    (void)kids;
    (void)nkids;
    (void)failed;
    return 1;
}

/*
 * tree_collect - the caller's reading side: pids until end of file.
 * Returns: 0 with *count set, -EINVAL if more than max arrived, or -errno.
 */
static int __attribute__((unused))
tree_collect(int rfd, pid_t *pids, int max, int *count)
{
    /* TODO(01-C): read pids until end of file.
       Python: os.read.
       Read docs/01-fork.md#tree. */
    (void)rfd;
    (void)pids;
    (void)max;
    (void)count;
    return -ENOSYS;
}

int
fork_tree(int n, pid_t *pids, int max, int *count)
{
    /* TODO(01-C): fork n times in a row; every process reports, reaps
       its own children, and all but the caller _exit.
       Python: for _ in range(n): os.fork().
       Read docs/01-fork.md#tree. */
    (void)n;
    (void)pids;
    (void)max;
    (void)count;
    return -ENOSYS;
}

int
fork_exitcode(int wstatus)
{
    /* TODO(01-E): decode a wait status: exit code, or -signal.
       Python: os.waitstatus_to_exitcode.
       Read docs/01-fork.md#wait-status. */
    (void)wstatus;
    return -ENOSYS;
}

int
fork_start(fork_fn *fn, void *arg, pid_t *pid)
{
    /* TODO(01-E): fork a child that _exits with fn(arg).
       Python: os.fork(); os._exit(fn(arg)).
       Read docs/01-fork.md#wait-status. */
    (void)fn;
    (void)arg;
    (void)pid;
    return -ENOSYS;
}

int
fork_wait(pid_t pid, int *exitcode)
{
    /* TODO(01-E): wait for the child (retry EINTR), decode its status.
       Python: os.waitpid.
       Read docs/01-fork.md#wait-status. */
    (void)pid;
    (void)exitcode;
    return -ENOSYS;
}

int
fork_run(fork_fn *fn, void *arg, int *exitcode)
{
    /* TODO(01-E): fork_start then fork_wait.
       Python: os.fork + os.waitpid.
       Read docs/01-fork.md#wait-status. */
    (void)fn;
    (void)arg;
    (void)exitcode;
    return -ENOSYS;
}

int
fork_print_and_fork(FILE *f, const char *text, bool flush_first)
{
    /* TODO(01-F): print to f, flush only if asked, fork; both sides
       flush.
       Python: print(); os.fork().
       Read docs/01-fork.md#stdio-twice. */
    (void)f;
    (void)text;
    (void)flush_first;
    return -ENOSYS;
}
