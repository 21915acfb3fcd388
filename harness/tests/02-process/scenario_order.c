/*
 * scenario_order.c - process lifecycles whose outcome must not depend on
 * the schedule, for the ordering tier (lab 02, parts B, C, D).
 *
 *   terminate_at_once  start + terminate MANY children at once: every
 *                      exit code is -15, even for a child that had not
 *                      run yet (PROC-21).
 *   two_joiners        two threads join one child while a third polls
 *                      it: both joins return 0 and the child is reaped
 *                      exactly once.
 *   join_race          join(timeout) racing the child's own exit: either
 *                      0 (reaped, code known) or -ETIMEDOUT (still ours),
 *                      never anything else.
 *   shutdown           a daemon and an ordinary child: shutdown ends the
 *                      first with -15 and waits for the second (PROC-18,
 *                      PROC-19).
 */
#define _GNU_SOURCE     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "process.h"

/* Children per terminate_at_once round. */
#define MANY 20

/* Target: never return on its own. */
static int
block_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return 0;                   /* not reached */
}

/* Target: return 3 at once. */
static int
return_three(void *arg)
{
    (void)arg;
    return 3;
}

/* Target: close the write end arg[1], return 0 at EOF on arg[0]. */
static int
wait_eof(void *arg)
{
    int *fds = arg;
    char c;

    close(fds[1]);
    for (;;) {
        ssize_t n = read(fds[0], &c, 1);
        if (n == 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return 2;
    }
}

/* Target (daemon): close the read end arg[0], hold arg[1] until killed. */
static int
hold_write_end(void *arg)
{
    int *fds = arg;

    close(fds[0]);
    for (;;)
        pause();
    return 0;                   /* not reached */
}

/* start - new + start, or fail the scenario. */
static struct process *
start(process_target *target, void *arg, bool daemon)
{
    struct process_options opts = { .daemon = daemon };
    struct process *p = NULL;
    int err = process_new(&p, target, arg, &opts);

    kit_scen_check(err != -ENOSYS, "not implemented yet: process_new returned -ENOSYS. See TODO(02-A) in labs/02-process/process.c");
    kit_scen_check(err == 0, "process_new: expected 0, got %s", kit_errname(err));
    err = process_start(p);
    kit_scen_check(err == 0, "process_start: expected 0, got %s", kit_errname(err));
    return p;
}

/* expect_code - the process has ended with `want`. */
static void
expect_code(struct process *p, int want, const char *what)
{
    int code = -1000;
    int err = process_exitcode(p, &code);

    kit_scen_check(err == 0, "%s: process_exitcode after the end: expected 0, got %s", what, kit_errname(err));
    kit_scen_check(code == want, "%s: expected exit code %d, got %d", what, want, code);
}

static void
case_terminate_at_once(void)
{
    struct process *ps[MANY];
    int i;

    for (i = 0; i < MANY; i++) {
        int err;
        ps[i] = start(block_forever, NULL, false);
        err = process_terminate(ps[i]);
        kit_scen_check(err == 0, "process_terminate right after start: expected 0, got %s", kit_errname(err));
    }
    for (i = 0; i < MANY; i++) {
        int err = process_join(ps[i], LAB_FOREVER);
        kit_scen_check(err == 0, "process_join after terminate: expected 0, got %s", kit_errname(err));
        expect_code(ps[i], -SIGTERM, "a child terminated right after start");
        process_free(ps[i]);
    }
}

/* One joining thread's view. */
struct joiner {
    struct process *p;
    int err;
};

static void *
join_thread(void *arg)
{
    struct joiner *j = arg;

    j->err = process_join(j->p, LAB_FOREVER);
    return NULL;
}

static void *
poll_thread(void *arg)
{
    struct process *p = arg;
    int code;

    for (int i = 0; i < 5; i++) {
        (void)process_is_alive(p);
        (void)process_exitcode(p, &code);
    }
    return NULL;
}

/* spawn_thread - pthread_create or fail the scenario. */
static void
spawn_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(t, NULL, fn, arg);

    kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
}

static void
case_two_joiners(void)
{
    struct joiner j[2];
    pthread_t t[3];
    struct process *p;
    int fds[2];
    pid_t pid;
    int i;

    kit_scen_check(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
    p = start(wait_eof, fds, false);
    pid = process_pid(p);
    close(fds[0]);
    for (i = 0; i < 2; i++) {
        j[i] = (struct joiner){ .p = p, .err = 1 };
        spawn_thread(&t[i], join_thread, &j[i]);
    }
    spawn_thread(&t[2], poll_thread, p);
    close(fds[1]);              /* let the child end */
    for (i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < 2; i++)
        kit_scen_check(j[i].err == 0, "process_join(p, LAB_FOREVER) from joining thread %d of 2: expected 0, got %s", i + 1, kit_errname(j[i].err));
    expect_code(p, 0, "a child joined by two threads");
    kit_scen_check(kit_proc_state(pid) == 0, "child %d still exists after both joins returned (state '%c'): nobody reaped it", (int)pid, kit_proc_state(pid));
    process_free(p);
}

static void
case_join_race(void)
{
    int rounds = kit_scen_repeat(20);

    for (int i = 0; i < rounds; i++) {
        struct process *p = start(return_three, NULL, false);
        double timeout = 0.001 * (i % 3);
        int err = process_join(p, timeout);
        bool alive;

        kit_scen_check(err == 0 || err == -ETIMEDOUT, "process_join(p, %.3f) racing the child's exit: expected 0 or -ETIMEDOUT, got %s", timeout, kit_errname(err));
        alive = process_is_alive(p);
        if (err == 0)
            kit_scen_check(!alive, "process_join returned 0 but process_is_alive is still true");
        err = process_join(p, LAB_FOREVER);
        kit_scen_check(err == 0, "process_join(p, LAB_FOREVER) after the race: expected 0, got %s", kit_errname(err));
        expect_code(p, 3, "a child that returned 3");
        process_free(p);
    }
}

static void
case_shutdown(void)
{
    int rounds = kit_scen_repeat(3);

    for (int i = 0; i < rounds; i++) {
        int fds[2];
        struct process *d;
        struct process *n;
        int err;

        kit_scen_check(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
        d = start(hold_write_end, fds, true);
        n = start(wait_eof, fds, false);
        close(fds[0]);
        close(fds[1]);
        err = process_shutdown(5.0);
        kit_scen_check(err == 0, "process_shutdown(5.0): expected 0, got %s (a daemon must be terminated, not joined)", kit_errname(err));
        expect_code(d, -SIGTERM, "the daemon after shutdown");
        expect_code(n, 0, "the ordinary child after shutdown (joined, not terminated)");
        process_free(d);
        process_free(n);
    }
}

int
main(int argc, char **argv)
{
    int rounds;

    if (argc != 2) {
        fprintf(stderr, "usage: %s terminate_at_once|two_joiners|join_race|shutdown\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "join_race") == 0) {
        case_join_race();
        return 0;
    }
    if (strcmp(argv[1], "shutdown") == 0) {
        case_shutdown();
        return 0;
    }
    rounds = kit_scen_repeat(3);
    for (int i = 0; i < rounds; i++) {
        if (strcmp(argv[1], "terminate_at_once") == 0)
            case_terminate_at_once();
        else if (strcmp(argv[1], "two_joiners") == 0)
            case_two_joiners();
        else
            return 2;
    }
    return 0;
}
