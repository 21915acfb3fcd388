/*
 * sp.c (stub) - subprocess.run and its family, and pipelines, built only from
 * the Popen object of popen.h (as CPython builds them from Popen).
 *
 * run() with a timeout is communicate() with a timeout, then, if it ran
 * out, kill + wait: the output that came before the deadline is already
 * in the result.  A pipeline hands each stage's stdout pipe to the next
 * stage as its stdin, and the parent closes its own copy at once, so
 * that a stage whose reader exits gets SIGPIPE instead of blocking
 * forever on a full pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sp.h"

/* now - seconds on CLOCK_MONOTONIC.  Cannot fail. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* time_left - the timeout that ends at `deadline` (-1: none), never
 * negative.  Cannot fail. */
static double
time_left(double deadline)
{
    double left;

    if (deadline < 0)
        return LAB_FOREVER;
    left = deadline - now();
    return left > 0 ? left : 0;
}

/* is_set - does the caller choose this stream (anything but inherit)? */
static bool
is_set(const struct sp_stream *s)
{
    return s->how != SP_INHERIT;
}

/*
 * popen_options - the Popen options that run() uses for `o`: capture
 * makes stdout and stderr pipes, input makes stdin one.  Returns 0 or
 * -EINVAL for combinations Python refuses too.
 */
static int
popen_options(const struct sp_options *o, struct sp_options *po)
{
    *po = *o;
    po->capture = false;
    po->check = false;
    po->input = NULL;
    po->input_len = 0;
    if (o->capture && (is_set(&o->out) || is_set(&o->err)))
        return -EINVAL;
    if ((o->input != NULL || o->input_len > 0) && is_set(&o->in))
        return -EINVAL;
    if (o->input_len > 0 && o->input == NULL)
        return -EINVAL;
    if (o->capture) {
        po->out.how = SP_PIPE;
        po->err.how = SP_PIPE;
    }
    if (o->input != NULL)
        po->in.how = SP_PIPE;
    return 0;
}

/*
 * finish_timeout - run()'s end after a timeout: kill, then reap, so
 * nothing is left running (Python: TimeoutExpired after kill + wait).
 */
static void
finish_timeout(struct sp_popen *p, struct sp_result *res)
{
    (void)sp_popen_kill(p);     /* DOC: 12-subprocess#run-timeout */
    (void)sp_popen_wait(p, &res->returncode, LAB_FOREVER);
}

int
sp_run(char *const argv[], const struct sp_options *opts,
       struct sp_result *res, double timeout)
{
    /* TODO(12-D): Popen with run()'s options, communicate with the timeout;
     * on timeout kill and reap; check the code if asked. Python:
     * subprocess.run. Read docs/12-subprocess.md#run. */
    (void)argv;
    (void)opts;
    (void)res;
    (void)timeout;
    (void)popen_options;
    (void)finish_timeout;
    return -ENOSYS;
}

/* pipes_set - does o ask for a pipe or a run()-only field? */
static bool
pipes_set(const struct sp_options *o)
{
    return o->in.how == SP_PIPE || o->out.how == SP_PIPE ||
           o->err.how == SP_PIPE || o->capture || o->input != NULL ||
           o->input_len > 0 || o->check;
}

int
sp_call(char *const argv[], const struct sp_options *opts, int *returncode,
        double timeout)
{
    /* TODO(12-D): run without pipes and hand back the code. Python:
     * subprocess.call. Read docs/12-subprocess.md#run. */
    (void)argv;
    (void)opts;
    (void)returncode;
    (void)timeout;
    (void)pipes_set;
    return -ENOSYS;
}

int
sp_check_call(char *const argv[], const struct sp_options *opts,
              int *returncode, double timeout)
{
    /* TODO(12-D): call, and a non-zero code is SP_ECALLED. Python:
     * subprocess.check_call. Read docs/12-subprocess.md#check. */
    (void)argv;
    (void)opts;
    (void)returncode;
    (void)timeout;
    return -ENOSYS;
}

int
sp_check_output(char *const argv[], const struct sp_options *opts,
                struct sp_result *res, double timeout)
{
    /* TODO(12-D): run with stdout captured and check on. Python:
     * subprocess.check_output. Read docs/12-subprocess.md#check. */
    (void)argv;
    (void)opts;
    (void)res;
    (void)timeout;
    return -ENOSYS;
}

int
sp_getstatusoutput(const char *cmd, int *status, char **output)
{
    /* TODO(12-D): run /bin/sh -c cmd with stderr merged, strip one trailing
     * newline. Python: subprocess.getstatusoutput. Read
     * docs/12-subprocess.md#getstatusoutput. */
    (void)cmd;
    (void)status;
    (void)output;
    if (output != NULL)
        *output = NULL;
    return -ENOSYS;
}

/* ---- part E: pipelines ------------------------------------------------ */

/* check_pipeline - the options sp_pipeline accepts.  Returns 0 or
 * -EINVAL. */
static int
check_pipeline(const struct sp_options *o)
{
    if (o->input != NULL || o->input_len > 0 || o->check)
        return -EINVAL;
    if (o->in.how == SP_PIPE || o->err.how == SP_PIPE ||
        o->err.how == SP_STDOUT)
        return -EINVAL;
    if (o->capture && is_set(&o->out))
        return -EINVAL;
    return 0;
}

/* stage_options - stage i of n: stdin from `prev_out` (or opts->in for
 * the first), stdout into the next pipe (or opts->out for the last). */
static void
stage_options(const struct sp_options *o, size_t i, size_t n, int prev_out,
              struct sp_options *so)
{
    memset(so, 0, sizeof(*so));
    so->cwd = o->cwd;
    so->env = o->env;
    so->err = o->err;
    so->in = o->in;
    if (i > 0) {
        so->in.how = SP_FD;     /* DOC: 12-subprocess#pipeline */
        so->in.fd = prev_out;
    }
    so->out.how = SP_PIPE;
    if (i == n - 1)
        so->out = o->capture ? (struct sp_stream){ .how = SP_PIPE } : o->out;
}

/* stop_all - kill and reap every stage started so far, free them, and
 * fill codes[].  Cannot fail. */
static void
stop_all(struct sp_popen **ps, size_t n, int codes[])
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (ps[i] == NULL)
            continue;
        (void)sp_popen_kill(ps[i]);
        (void)sp_popen_wait(ps[i], &codes[i], LAB_FOREVER);
        sp_popen_free(ps[i]);
        ps[i] = NULL;
    }
}

/*
 * start_stages - start every stage, each reading the previous one's
 * stdout.  The parent closes its copy of each handed-over read end at
 * once.  Returns 0 or an error of sp_popen_new (started stages stay in
 * ps for the caller to stop).
 */
__attribute__((unused)) static int
start_stages(char *const *const argvs[], size_t n,
             const struct sp_options *o, struct sp_popen **ps)
{
    /* TODO(12-E): start each stage reading the previous one's stdout, and
     * close the parent's copy of it at once. Python: the docs' pipeline
     * recipe. Read docs/12-subprocess.md#pipeline. */
    (void)argvs;
    (void)n;
    (void)o;
    (void)ps;
    (void)stage_options;
    return -ENOSYS;
}

/* wait_stages - wait for every stage but the last (already done) by
 * `deadline`.  Returns 0 or -ETIMEDOUT. */
static int
wait_stages(struct sp_popen **ps, size_t n, int codes[], double deadline)
{
    size_t i;
    int err;

    for (i = 0; i + 1 < n; i++) {
        err = sp_popen_wait(ps[i], &codes[i], time_left(deadline));
        if (err)
            return err;
    }
    return 0;
}

int
sp_pipeline(char *const *const argvs[], size_t n,
            const struct sp_options *opts, struct sp_result *res,
            int codes[], double timeout)
{
    /* TODO(12-E): check the options, start the stages, communicate with the
     * last, wait for the others, stop all on failure. Python: p1 | p2 from
     * Popen objects. Read docs/12-subprocess.md#pipeline. */
    (void)argvs;
    (void)n;
    (void)opts;
    (void)res;
    (void)codes;
    (void)timeout;
    (void)check_pipeline;
    (void)stop_all;
    (void)wait_stages;
    (void)time_left;
    return -ENOSYS;
}
