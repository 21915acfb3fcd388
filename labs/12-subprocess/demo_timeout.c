/*
 * demo_timeout.c - the notes' poll/wait/terminate/kill list, with
 * timeouts: run() kills a child that runs too long, wait() with a
 * timeout does not, and returncode is -N for a child ended by signal N.
 */
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "sp.h"

static char *sleeper[] = { "sleep", "10", NULL };

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* run_too_long - run(['sleep', '10'], timeout=0.2) */
static int
run_too_long(void)
{
    struct sp_result r = { 0 };
    double t0 = now();
    int err = sp_run(sleeper, NULL, &r, 0.2);

    printf("run(sleep 10, timeout=0.2): %d (-ETIMEDOUT is %d) after %.2f s, child killed: returncode %d\n",
           err, -ETIMEDOUT, now() - t0, r.returncode);
    sp_result_release(&r);
    return err == -ETIMEDOUT ? 0 : 1;
}

/* wait_then_signal - Popen, poll, wait(0.2), terminate, wait. */
static int
wait_then_signal(void)
{
    struct sp_popen *p = NULL;
    int code = 0;
    int err = sp_popen_new(&p, sleeper, NULL);

    if (err)
        return 1;
    printf("poll() while it runs: %d (-EAGAIN is Python's None)\n",
           sp_popen_poll(p, &code));
    printf("wait(timeout=0.2): %d, still running: %s\n",
           sp_popen_wait(p, &code, 0.2),
           sp_popen_poll(p, &code) == -EAGAIN ? "yes" : "no");
    sp_popen_terminate(p);
    err = sp_popen_wait(p, &code, LAB_FOREVER);
    printf("terminate(); wait() -> returncode %d (-SIGTERM)\n", code);
    sp_popen_free(p);
    return err == 0 && code == -SIGTERM ? 0 : 1;
}

int
main(void)
{
    int bad = run_too_long();

    bad |= wait_then_signal();
    return bad;
}
