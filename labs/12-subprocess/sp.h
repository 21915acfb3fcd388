/*
 * sp.h - run a program and collect what it did, in one call; chain
 * programs into a pipeline (lab 12, parts D-E).
 * Python: subprocess.run, call, check_call, check_output,
 * getstatusoutput, and the docs' "replacing shell pipeline" recipe.
 * Every function here is built on the Popen object of popen.h.
 */
#ifndef LAB_SP_H
#define LAB_SP_H

#include <errno.h>
#include <stddef.h>

#include "popen.h"

/* What check_call, check_output and run with .check return when the
 * child ended with a non-zero code (Python: CalledProcessError).  The
 * code is in the result.  No call used here returns EPROTO, so it cannot
 * be mistaken for a failure to run the program. */
#define SP_ECALLED (-EPROTO)

/*
 * sp_run - run argv to its end and collect the result.
 * Python:  run(args, stdin=None, input=None, stdout=None, stderr=None,
 *              capture_output=False, cwd=None, timeout=None,
 *              check=False, env=None) -> CompletedProcess
 *          opts->capture makes stdout and stderr pipes; opts->input
 *          (input_len bytes) makes stdin a pipe fed with it.
 * Returns: 0 with res->returncode (any code: a failing program is not an
 *          error) and res->out/err if captured; SP_ECALLED with the same
 *          *res if opts->check and the code is not 0; -ETIMEDOUT if
 *          `timeout` seconds passed first: the child has been killed
 *          (SIGKILL) and reaped, res->returncode is -9 and res->out/err
 *          hold what it wrote before (Python: TimeoutExpired.output);
 *          -EINVAL if res is NULL, opts->capture with opts->out or
 *          opts->err set, opts->input with opts->in set, or as
 *          sp_popen_new(); any error of sp_popen_new() (the program
 *          could not be started: *res stays empty).
 * Owns:    borrows argv and opts (and opts->input during the call); gives
 *          res->out and res->err (free with sp_result_release()).
 */
int sp_run(char *const argv[], const struct sp_options *opts, struct sp_result *res, double timeout);

/*
 * sp_call - run argv to its end; its streams as opts says.
 * Python:  call(args, stdin=None, stdout=None, stderr=None, cwd=None,
 *               timeout=None, env=None) -> returncode
 * Returns: 0 with *returncode; -ETIMEDOUT (the child killed and reaped);
 *          -EINVAL if returncode is NULL, opts sets a pipe (nobody would
 *          read it) or a sp_run()-only field; errors of sp_popen_new().
 * Owns:    borrows argv, opts and returncode.
 */
int sp_call(char *const argv[], const struct sp_options *opts, int *returncode, double timeout);

/*
 * sp_check_call - sp_call(), and a non-zero code is an error.
 * Python:  check_call(args, ...) -> 0, or raises CalledProcessError
 * Returns: 0 when the code is 0; SP_ECALLED with *returncode the code
 *          otherwise (-N for signal N); errors as sp_call().
 * Owns:    borrows argv and opts; returncode may be NULL.
 */
int sp_check_call(char *const argv[], const struct sp_options *opts, int *returncode, double timeout);

/*
 * sp_check_output - run argv, capture its stdout, fail on a non-zero
 * code.
 * Python:  check_output(args, stdin=None, stderr=None, input=None,
 *                       cwd=None, timeout=None, env=None) -> bytes
 *          opts->err.how = SP_STDOUT merges stderr into the output;
 *          SP_PIPE captures it apart in res->err.
 * Returns: 0 with res->out (never NULL) and res->returncode 0;
 *          SP_ECALLED with *res filled (Python: CalledProcessError with
 *          .output) when the code is not 0; -ETIMEDOUT as sp_run();
 *          -EINVAL if res is NULL or opts sets out (Python: "stdout
 *          argument not allowed") or capture; errors of sp_popen_new().
 * Owns:    borrows argv and opts; gives res->out and res->err.
 */
int sp_check_output(char *const argv[], const struct sp_options *opts, struct sp_result *res, double timeout);

/*
 * sp_getstatusoutput - run `cmd` through /bin/sh -c, stderr merged into
 * stdout, and return its code and output.
 * Python:  getstatusoutput(cmd) -> (exitcode, output)
 *          Exactly one trailing newline is removed, as Python does
 *          ("a\n\n" gives "a\n").  A command the shell cannot find is
 *          code 127 from the shell, not an error here.
 * Returns: 0 with *status (exit code, or -N for signal N) and *output
 *          (NUL-terminated, never NULL); -EINVAL if an argument is NULL;
 *          errors of sp_popen_new() and sp_popen_communicate().  On
 *          failure *output is NULL.  Waits without limit, as Python does.
 * Owns:    borrows cmd; gives *output (free with free()).
 */
int sp_getstatusoutput(const char *cmd, int *status, char **output);

/*
 * sp_pipeline - run argvs[0] | argvs[1] | ... | argvs[n-1], each stage a
 * Popen object whose stdin is the previous stage's stdout pipe.
 * Python:  p1 = Popen(a, stdout=PIPE)
 *          p2 = Popen(b, stdin=p1.stdout, stdout=PIPE)
 *          p1.stdout.close()   # so p1 gets SIGPIPE if p2 exits
 *          out = p2.communicate()[0]; p1.wait()
 *          opts->in is the first stage's stdin (not SP_PIPE), opts->out
 *          the last stage's stdout (opts->capture: a pipe into res->out),
 *          opts->err every stage's stderr (not SP_PIPE or SP_STDOUT).
 * Returns: 0 when every stage has ended: codes[i] is stage i's code
 *          (-13 for a stage killed by SIGPIPE), res->returncode the last
 *          one's (as a shell without pipefail); -ETIMEDOUT if `timeout`
 *          seconds passed first: every stage killed and reaped, codes[]
 *          filled, res->out as far as it came; -EINVAL if n is 0, argvs,
 *          codes or res is NULL, opts sets input, check or a refused
 *          stream; errors of sp_popen_new() (stages already started are
 *          killed and reaped).
 * Owns:    borrows argvs, opts and codes (n entries); gives res->out.
 */
int sp_pipeline(char *const *const argvs[], size_t n, const struct sp_options *opts, struct sp_result *res, int codes[], double timeout);

#endif /* LAB_SP_H */
