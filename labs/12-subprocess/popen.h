/*
 * popen.h - run another program as a child with its streams redirected,
 * talk to it through pipes without deadlock, wait for it, signal it
 * (lab 12, parts A-C).
 * Python: subprocess.Popen.  Where C differs from Python, the function
 * says so; docs/12-subprocess.md has the side-by-side version.
 * Not libc's popen(3): every name here starts with sp_popen_.
 */
#ifndef LAB_POPEN_H
#define LAB_POPEN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

/* returncode while the child has not ended and been reaped (Python:
 * Popen.returncode is None). */
#define SP_NO_RETURNCODE INT_MIN

/* Where one of the child's standard streams goes. */
enum sp_redirect {
    SP_INHERIT,     /* the parent's own stream (Python: None, the default) */
    SP_PIPE,        /* a new pipe; the parent keeps the other end */
    SP_DEVNULL,     /* /dev/null (Python: DEVNULL) */
    SP_FD,          /* the caller's descriptor `fd` (Python: an int) */
    SP_STDOUT,      /* stderr only: where stdout goes (Python: STDOUT) */
};

/* One stream, e.g. `.out.how = SP_PIPE` or
 * `.in = { .how = SP_FD, .fd = fd }`.  Zero means SP_INHERIT. */
struct sp_stream {
    enum sp_redirect how;
    int fd;                     /* SP_FD only: borrowed, dup2'd in the child */
};

/* Python's keyword arguments.  Pass NULL for all defaults; fields left
 * out of a designated initializer get their defaults too. */
struct sp_options {
    struct sp_stream in;        /* stdin=  */
    struct sp_stream out;       /* stdout= */
    struct sp_stream err;       /* stderr= */
    const char *cwd;            /* cwd=: NULL runs in the parent's */
    char *const *env;           /* env=: "K=V" strings, NULL-terminated;
                                   NULL passes the parent's environment */
    /* sp_run() only (sp.h); sp_popen_new() refuses them with -EINVAL: */
    bool capture;               /* capture_output=True */
    const void *input;          /* input=: bytes fed to stdin */
    size_t input_len;
    bool check;                 /* check=True */
};

/* What came back from a child.  Zero it before first use
 * (`struct sp_result r = { 0 };`); release it with sp_result_release(). */
struct sp_result {
    int returncode;             /* exit code, -N for signal N, or
                                   SP_NO_RETURNCODE */
    char *out;                  /* captured stdout, NUL-terminated; NULL
                                   when stdout was not a pipe */
    size_t out_len;             /* bytes in out, without the NUL */
    char *err;                  /* captured stderr, as out */
    size_t err_len;
};

struct sp_popen;                /* opaque: only sp_popen_* look inside */

/*
 * sp_popen_new - start argv[0] with arguments argv as a child process,
 * its streams set up as opts says.
 * Python:  Popen(args, stdin=None, stdout=None, stderr=None, cwd=None,
 *                env=None, close_fds=True)
 *          argv[0] without a '/' is looked up in PATH (the PATH of
 *          opts->env if it has one, else the parent's), as Python does.
 * Returns: 0 once the child runs the new program.  A program that could
 *          not be started is an error here, never a child exiting 127:
 *          -ENOENT (no such program, or no such cwd; Python:
 *          FileNotFoundError), -EACCES (not executable:
 *          PermissionError), -ENOEXEC, or the errno chdir() or execve()
 *          gave; the failed child has been reaped.  -EINVAL if out, argv
 *          or argv[0] is NULL, an env string has no '=', a stream's `how`
 *          is out of range, SP_STDOUT is used for stdin or stdout, SP_FD
 *          has a negative fd, or a sp_run()-only field is set.  -EMFILE,
 *          -ENFILE, -EAGAIN, -ENOMEM from pipe2, open or fork.  On failure
 *          *out is NULL and nothing is left: no child, no fd.
 * Owns:    gives *out to the caller, who frees it with sp_popen_free();
 *          borrows argv, opts and everything they point to (the child
 *          gets copies).
 * Threads: any thread.  The child gets only fds 0, 1 and 2: every other
 *          descriptor of the parent is closed in it (close_fds=True),
 *          whichever thread opened it.  It starts with no signal blocked
 *          and SIGPIPE at its default action.
 */
int sp_popen_new(struct sp_popen **out, char *const argv[], const struct sp_options *opts);

/* sp_popen_pid - Python: Popen.pid.  The child's pid (it stays readable
 * after the child is reaped); 0 for NULL.  Cannot fail.  Owns: borrows p. */
pid_t sp_popen_pid(const struct sp_popen *p);

/*
 * sp_popen_fd - the parent's end of the pipe for stream `which` (0 stdin,
 * 1 stdout, 2 stderr).
 * Python:  Popen.stdin, Popen.stdout, Popen.stderr (file objects there,
 *          descriptors here)
 * Returns: the descriptor (close-on-exec), or -1 if that stream is not a
 *          pipe, is closed, or p is NULL or which is out of range.
 * Owns:    borrows p; the descriptor stays p's: do not close it yourself,
 *          use sp_popen_close_fd().  It may be passed as { .how = SP_FD, .fd = fd } to
 *          another sp_popen_new() to build a pipeline.
 */
int sp_popen_fd(const struct sp_popen *p, int which);

/*
 * sp_popen_close_fd - close the parent's end of the pipe for `which`.
 * Python:  p.stdout.close() (as in the docs' pipeline recipe, after the
 *          next stage has its own copy)
 * Returns: 0 (also if it was already closed or never a pipe); -EINVAL if
 *          p is NULL or which is not 0, 1 or 2.
 * Owns:    borrows p.
 */
int sp_popen_close_fd(struct sp_popen *p, int which);

/*
 * sp_popen_poll - has the child ended?  Reaps it if so.
 * Python:  Popen.poll() -> returncode or None
 * Returns: 0 with *returncode set (exit code, or -N for signal N) once the
 *          child has ended, every time after that too; -EAGAIN while it
 *          runs (Python: None); -EINVAL if p is NULL.  Never blocks.
 * Owns:    borrows p; returncode may be NULL.
 */
int sp_popen_poll(struct sp_popen *p, int *returncode);

/*
 * sp_popen_wait - block until the child ends, then reap it.
 * Python:  Popen.wait(timeout=None) -> returncode
 * Returns: 0 with *returncode set (at once if already reaped);
 *          -ETIMEDOUT if `timeout` seconds passed first (Python:
 *          TimeoutExpired); the child is not killed, and a later call may
 *          wait again; -EINVAL if p is NULL or timeout is NaN.
 *          LAB_FOREVER (any negative value) waits without limit.
 *          Interrupted waits resume toward the same deadline.
 *          A child writing to a full pipe nobody reads never ends: use
 *          sp_popen_communicate() when stdout or stderr is a pipe.
 * Owns:    borrows p; returncode may be NULL.
 */
int sp_popen_wait(struct sp_popen *p, int *returncode, double timeout);

/*
 * sp_popen_communicate - write `input` to the child's stdin pipe and
 * close it, read stdout and stderr pipes to their end, all at once, then
 * wait for the child.
 * Python:  Popen.communicate(input=None, timeout=None) -> (out, err)
 * Returns: 0 with *res filled: returncode, and out/err holding everything
 *          the child wrote to each pipe (NULL for a stream that is not a
 *          pipe).  -ETIMEDOUT if `timeout` seconds passed first: *res
 *          holds copies of what came so far (returncode
 *          SP_NO_RETURNCODE unless the child ended); the child is not
 *          killed, and calling again continues where this call stopped
 *          and returns everything from the start, nothing lost.
 *          -EINVAL if p or res is NULL, input_len > 0 with input NULL or
 *          stdin not a pipe, or timeout is NaN; -ENOMEM; -errno from
 *          poll or read.  A child that exits without reading its input is
 *          not an error (the EPIPE is ignored, as in Python).  Never
 *          deadlocks, however much is written each way.
 * Owns:    borrows p; keeps input until a call returns something other
 *          than -ETIMEDOUT (a retry ignores its own input argument, as
 *          Python does); gives res->out and res->err (free with
 *          sp_result_release(), which you call first if res held data).
 * Threads: one thread at a time per object.  SIGPIPE is blocked in the
 *          calling thread only while it writes.
 */
int sp_popen_communicate(struct sp_popen *p, const void *input, size_t input_len, struct sp_result *res, double timeout);

/*
 * sp_popen_send_signal - send `sig` to the child, unless it has already
 * been reaped.
 * Python:  Popen.send_signal(sig)
 * Returns: 0 (also when the child has ended: it is reaped and nothing is
 *          sent, so a pid the system gave to another process is never
 *          signalled); -EINVAL if p is NULL or sig is not a signal.
 * Owns:    borrows p.
 */
int sp_popen_send_signal(struct sp_popen *p, int sig);

/* sp_popen_terminate - Python: Popen.terminate().  SIGTERM, as
 * sp_popen_send_signal().  Returns and Owns as that function. */
int sp_popen_terminate(struct sp_popen *p);

/* sp_popen_kill - Python: Popen.kill().  SIGKILL, as
 * sp_popen_send_signal().  Returns and Owns as that function. */
int sp_popen_kill(struct sp_popen *p);

/*
 * sp_popen_returncode - the child's return code as last seen; does not
 * check on the child (use sp_popen_poll for that).
 * Python:  Popen.returncode
 * Returns: 0 with *returncode set once the child has been reaped;
 *          -EAGAIN before (Python: None); -EINVAL if p or returncode is
 *          NULL.
 * Owns:    borrows p and returncode.
 */
int sp_popen_returncode(const struct sp_popen *p, int *returncode);

/*
 * sp_popen_free - close the parent's pipe ends and release p; a child
 * still running is killed (SIGKILL) and reaped first.
 * Python:  the end of `with Popen(...) as p:` (which waits instead of
 *          killing; C must leave nothing behind)
 * Owns:    takes p.  NULL is a no-op.
 */
void sp_popen_free(struct sp_popen *p);

/* sp_result_release - free res->out and res->err and reset *res to
 * { .returncode = SP_NO_RETURNCODE }.  NULL is a no-op.  Cannot fail.
 * Owns: borrows res, takes what it holds. */
void sp_result_release(struct sp_result *res);

#endif /* LAB_POPEN_H */
