/*
 * scenario_tree.c - fork trees, reports and wait statuses, for the
 * ordering, race and memory tiers (lab 01, parts A, C, E).
 *
 *   tree     one thread: fork_tree for n = 0..4, fork_report and fork_run,
 *            each round checking that every process reported once and
 *            nothing of the tree is left.
 *   threads  two threads do the same at once (forks from a threaded
 *            process: the race tools watch the caller's threads).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kit.h"
#include "fork.h"

/* Largest tree per round (16 processes): small enough for Valgrind. */
#define SCEN_TREE_N 4

/* Rounds per case unless KIT_ROUNDS says otherwise. */
#define SCEN_ROUNDS 3

static int
return_seven(void *arg)
{
    (void)arg;
    return 7;
}

/* check_tree - one fork_tree(n): 2^n distinct pids, the caller's among
 * them; if `alone`, also that none of the others still exists. */
static void
check_tree(int n, bool alone)
{
    pid_t pids[1 << SCEN_TREE_N];
    int count = 0;
    int self = 0;
    int err = fork_tree(n, pids, 1 << SCEN_TREE_N, &count);

    kit_scen_check(err == 0, "fork_tree(%d): expected 0, got %s", n, kit_errname(err));
    kit_scen_check(count == 1 << n, "fork_tree(%d): expected %d pids, got %d", n, 1 << n, count);
    for (int i = 0; i < count; i++) {
        self += pids[i] == getpid();
        for (int j = 0; j < i; j++)
            kit_scen_check(pids[i] != pids[j], "fork_tree(%d): pid %d reported twice", n, (int)pids[i]);
        if (alone && pids[i] != getpid())
            kit_scen_check(kit_proc_state(pids[i]) == 0, "fork_tree(%d): process %d of the tree still exists after it returned (state '%c'): a process did not reap its children", n, (int)pids[i], kit_proc_state(pids[i]));
    }
    kit_scen_check(self == 1, "fork_tree(%d): the caller's pid appeared %d times, expected once", n, self);
}

/* one_round - every part once. */
static void
one_round(bool alone)
{
    struct fork_report r;
    int code = -1;
    int err;

    for (int n = 0; n <= SCEN_TREE_N; n++)
        check_tree(n, alone);
    err = fork_report(&r);
    kit_scen_check(err == 0, "fork_report: expected 0, got %s", kit_errname(err));
    kit_scen_check(r.child_pid == r.returned && r.child_ppid == getpid(), "fork_report: child saw pid %d ppid %d; fork returned %d in parent %d", (int)r.child_pid, (int)r.child_ppid, (int)r.returned, (int)getpid());
    err = fork_run(return_seven, NULL, &code);
    kit_scen_check(err == 0 && code == 7, "fork_run(return_seven): expected 0 and code 7, got %s and %d", kit_errname(err), code);
}

static void *
rounds_thread(void *arg)
{
    int rounds = *(int *)arg;

    for (int i = 0; i < rounds; i++)
        one_round(false);
    return NULL;
}

static void
case_threads(int rounds)
{
    pthread_t t[2];
    int err;

    for (int i = 0; i < 2; i++) {
        err = pthread_create(&t[i], NULL, rounds_thread, &rounds);
        kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
}

int
main(int argc, char **argv)
{
    int rounds = kit_scen_repeat(SCEN_ROUNDS);
    int left;

    if (argc != 2)
        return 2;
    /* Orphans come back to this process, so a missed reap stays visible. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    if (strcmp(argv[1], "tree") == 0) {
        for (int i = 0; i < rounds; i++)
            one_round(true);
    } else if (strcmp(argv[1], "threads") == 0) {
        case_threads(rounds);
    } else {
        return 2;
    }
    left = kit_proc_children(getpid(), NULL, 0, NULL);
    kit_scen_check(left == 0, "%d child process(es) left after the case: something was not reaped", left);
    return 0;
}
