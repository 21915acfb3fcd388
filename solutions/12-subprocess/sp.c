/*
 * sp.c - subprocess.run and its family, and pipelines, built only from
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
    static const struct sp_options defaults = { .cwd = NULL };
    const struct sp_options *o = opts != NULL ? opts : &defaults;
    struct sp_options po;
    struct sp_popen *p;
    int err;

    if (res == NULL || isnan(timeout))
        return -EINVAL;
    memset(res, 0, sizeof(*res));
    res->returncode = SP_NO_RETURNCODE;
    err = popen_options(o, &po);
    if (err)
        return err;
    err = sp_popen_new(&p, argv, &po);
    if (err)
        return err;
    err = sp_popen_communicate(p, o->input, o->input_len, res, timeout);
    if (err == -ETIMEDOUT)
        finish_timeout(p, res);
    sp_popen_free(p);
    if (err == 0 && o->check && res->returncode != 0)
        err = SP_ECALLED;       /* DOC: 12-subprocess#check */
    return err;
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
    struct sp_result res;
    int err;

    if (returncode == NULL || (opts != NULL && pipes_set(opts)))
        return -EINVAL;
    err = sp_run(argv, opts, &res, timeout);
    if (err == 0 || err == -ETIMEDOUT)
        *returncode = res.returncode;
    sp_result_release(&res);
    return err;
}

int
sp_check_call(char *const argv[], const struct sp_options *opts,
              int *returncode, double timeout)
{
    int code = SP_NO_RETURNCODE;
    int err = sp_call(argv, opts, &code, timeout);

    if (returncode != NULL)
        *returncode = code;
    if (err == 0 && code != 0)
        return SP_ECALLED;      /* DOC: 12-subprocess#check */
    return err;
}

int
sp_check_output(char *const argv[], const struct sp_options *opts,
                struct sp_result *res, double timeout)
{
    static const struct sp_options defaults = { .cwd = NULL };
    struct sp_options o;

    if (res == NULL)
        return -EINVAL;
    o = opts != NULL ? *opts : defaults;
    if (is_set(&o.out) || o.capture)
        return -EINVAL;
    o.out.how = SP_PIPE;
    o.check = true;
    return sp_run(argv, &o, res, timeout);
}

int
sp_getstatusoutput(const char *cmd, int *status, char **output)
{
    struct sp_options o = { .out.how = SP_PIPE, .err.how = SP_STDOUT };
    char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
    struct sp_result res;
    int err;

    if (output != NULL)
        *output = NULL;
    if (cmd == NULL || status == NULL || output == NULL)
        return -EINVAL;
    err = sp_run(argv, &o, &res, LAB_FOREVER);
    if (err) {
        sp_result_release(&res);
        return err;
    }
    /* One newline only, as Python's data[:-1]. */
    if (res.out_len > 0 && res.out[res.out_len - 1] == '\n')
        res.out[--res.out_len] = '\0';  /* DOC: 12-subprocess#getstatusoutput */
    *status = res.returncode;
    *output = res.out;
    res.out = NULL;
    sp_result_release(&res);
    return 0;
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
static int
start_stages(char *const *const argvs[], size_t n,
             const struct sp_options *o, struct sp_popen **ps)
{
    struct sp_options so;
    size_t i;
    int err;

    for (i = 0; i < n; i++) {
        stage_options(o, i, n, i > 0 ? sp_popen_fd(ps[i - 1], 1) : -1,
                      &so);
        err = sp_popen_new(&ps[i], argvs[i], &so);
        if (err)
            return err;
        /* Only the next stage may hold this read end now: if it exits,
         * stage i-1 must get SIGPIPE, not block on a full pipe. */
        if (i > 0)
            (void)sp_popen_close_fd(ps[i - 1], 1);
    }
    return 0;
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
    static const struct sp_options defaults = { .cwd = NULL };
    double deadline;
    struct sp_popen **ps;
    int err;

    if (argvs == NULL || n == 0 || codes == NULL || res == NULL ||
        isnan(timeout))
        return -EINVAL;
    memset(res, 0, sizeof(*res));
    res->returncode = SP_NO_RETURNCODE;
    opts = opts != NULL ? opts : &defaults;
    if (check_pipeline(opts) != 0)
        return -EINVAL;
    deadline = timeout < 0 ? -1.0 : now() + timeout;
    ps = calloc(n, sizeof(*ps));
    if (ps == NULL)
        return -ENOMEM;
    err = start_stages(argvs, n, opts, ps);
    if (err == 0)
        err = sp_popen_communicate(ps[n - 1], NULL, 0, res, timeout);
    if (err == 0)
        codes[n - 1] = res->returncode;
    if (err == 0)
        err = wait_stages(ps, n, codes, deadline);
    stop_all(ps, n, codes);     /* after a success: frees only */
    if (err == -ETIMEDOUT)
        res->returncode = codes[n - 1];
    free(ps);
    return err;
}
