/*
 * kit_test.c - the frame around every KIT_TEST body: name, subreaper,
 * hygiene snapshot and watchdog before; watchdog off and hygiene verdict
 * after.
 */
#include <libgen.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "kit.h"

static char test_name[160];
static char test_short[96];
static struct kit_hygiene *snapshot;

/* build_dir - the folder of the running test binary, where lab.mk put
 * the scenarios too.  Cannot fail in practice; "." if /proc is absent. */
const char *
kit_build_dir(void)
{
    static char dir[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n;

    if (dir[0])
        return dir;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n < 0) {
        snprintf(dir, sizeof(dir), ".");
        return dir;
    }
    exe[n] = '\0';
    snprintf(dir, sizeof(dir), "%s", dirname(exe));
    return dir;
}

const char *
kit_lab(void)
{
    static char lab[64];
    char copy[PATH_MAX];

    if (lab[0] == '\0') {
        snprintf(copy, sizeof(copy), "%s", kit_build_dir());
        snprintf(lab, sizeof(lab), "%s", basename(copy));
    }
    return lab;
}

const char *
kit_test_name(void)
{
    return test_name;
}

const char *
kit_repro(const char *extra)
{
    static char cmd[512];
    const char *target = getenv("KIT_MAKE_TARGET");
    char labnum[8];

    snprintf(labnum, sizeof(labnum), "%.2s", kit_lab());
    snprintf(cmd, sizeof(cmd), "make %s LAB=%s TEST=%s%s%s",
             target ? target : "check", labnum, test_short,
             extra ? " " : "", extra ? extra : "");
    return cmd;
}

/* watchdog_seconds - a fraction of the suite's .timeout, so the stack
 * dump comes before Criterion's own kill. */
static double
watchdog_seconds(void)
{
    const struct criterion_test_extra_data *d = NULL;
    const char *over = getenv("KIT_WATCHDOG_S");

    /* The self-test shortens it for mutants, which are expected to hang;
     * a correct solution always runs with the full one. */
    if (over && atof(over) > 0)
        return atof(over);

    if (criterion_current_test && criterion_current_test->data &&
        criterion_current_test->data->timeout > 0)
        d = criterion_current_test->data;
    else if (criterion_current_suite && criterion_current_suite->data &&
             criterion_current_suite->data->timeout > 0)
        d = criterion_current_suite->data;
    return d ? d->timeout * KIT_WATCHDOG_FRACTION : KIT_WATCHDOG_DEFAULT_S;
}

void
kit_test_begin(const char *suite, const char *name)
{
    /* At the worker's exit, end every child still there: a failed
     * cr_assert skips kit_test_end, and a child left running would be
     * re-parented away and could hold the runner's output open forever. */
    atexit(kit_end_children);
    snprintf(test_name, sizeof(test_name), "%s::%s", suite, name);
    snprintf(test_short, sizeof(test_short), "%s", name);
    /* Orphans of the code under test come back to us, so hygiene sees
     * them and can end them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    snapshot = kit_hygiene_take();
    kit_watchdog_start(watchdog_seconds());
}

void
kit_test_end(void)
{
    char report[1536];
    int leaks;

    kit_watchdog_stop();
    if (snapshot == NULL)
        return;
    leaks = kit_hygiene_diff(snapshot, report, sizeof(report));
    kit_hygiene_free(snapshot);
    snapshot = NULL;
    cr_assert(leaks == 0, "hygiene: the test passed its checks but left %d thing(s) behind: %sSee docs/harness.md#hygiene. Reproduce: %s",
              leaks, report, kit_repro(NULL));
}
