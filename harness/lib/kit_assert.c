/*
 * kit_assert.c - verdicts that explain themselves: what was run, what was
 * expected, what the tool or scenario said, where, and how to reproduce.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "kit.h"

void
kit_require_impl_at(const char *file, int line, int err, const char *what,
                    const char *todo)
{
    if (err == -ENOSYS)
        cr_assert_fail("%s:%d: not implemented yet: %s returned -ENOSYS. See TODO(%s) in labs/%s/ and docs/%s.md",
                       file, line, what, todo, kit_lab(), kit_lab());
}

static bool
fast_mode(void)
{
    const char *f = getenv("FAST");

    return f && *f && strcmp(f, "0") != 0;
}

/* scenario_outcome - one line on how the run itself ended, or "" if it
 * exited 0 (or 66, TSan's exit code for "reported something"). */
static void
scenario_outcome(enum kit_tool tool, const struct kit_tool_report *r,
                 char *buf, size_t len)
{
    const struct kit_exit *x = &r->exit;

    buf[0] = '\0';
    if (x->timed_out)
        snprintf(buf, len, "the scenario hung and was killed after %.1f s. Threads:\n%s",
                 x->wall, x->stacks);
    else if (x->signaled)
        snprintf(buf, len, "the scenario was killed by signal %d (%s)",
                 x->code, strsignal(x->code));
    else if (x->code == 1 && x->fail_line[0])
        snprintf(buf, len, "the scenario's check failed: %s", x->fail_line);
    else if (x->code != 0 && !(tool == KIT_TSAN && x->code == 66))
        snprintf(buf, len, "the scenario exited with status %d (127: could not run; 2: unknown case)",
                 x->code);
    else if (x->left_processes)
        snprintf(buf, len, "the scenario exited but left processes running (killed by the harness): a child was not reaped or ended");
}

const char *
kit_docs(const char *anchor)
{
    static __thread char ref[160];
    const char *hash = strchr(anchor, '#');

    if (hash == NULL)
        snprintf(ref, sizeof(ref), "docs/%s.md", anchor);
    else
        snprintf(ref, sizeof(ref), "docs/%.*s.md%s", (int)(hash - anchor),
                 anchor, hash);
    return ref;
}

const char *
kit_rel(const char *path)
{
    static char cwd[4096];
    size_t n;

    if (cwd[0] == '\0' && getcwd(cwd, sizeof(cwd)) == NULL)
        return path;
    n = strlen(cwd);
    if (strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

void
kit_expect_tool_clean_at(const char *file, int line, enum kit_tool tool,
                         const char *scen, const char *arg, const char *docs)
{
    struct kit_tool_report r;
    char outcome[2600];
    char got[200];
    int err;

    if (fast_mode() && (tool == KIT_HELGRIND || tool == KIT_DRD ||
                        tool == KIT_MEMCHECK))
        cr_skip_test("FAST=1: %s tier skipped (run without FAST for the grade)",
                     kit_tool_name(tool));
    err = kit_tool_run(tool, scen, arg, NULL, KIT_SCENARIO_TIMEOUT_S, &r);
    cr_assert(err == 0, "could not run %s under %s: %s (is the build complete? run make check again)",
              scen, kit_tool_name(tool), kit_errname(err));
    scenario_outcome(tool, &r, outcome, sizeof(outcome));
    if (r.nerrors == 0 && outcome[0] == '\0')
        return;
    if (r.nerrors > 0)
        snprintf(got, sizeof(got), "%d finding(s) [%s]", r.nerrors, r.kinds);
    else
        snprintf(got, sizeof(got), "no finding, but the run went wrong");
    cr_assert_fail("%s:%d: %s %s under %s: expected no findings and a clean exit, got %s.\n  %s%s%s\nSee %s. Logs: %s\nReproduce: %s\n  or: %s",
                   file, line, scen, arg, kit_tool_name(tool), got,
                   r.nerrors ? r.first : outcome,
                   r.nerrors && outcome[0] ? "\n  and " : "",
                   r.nerrors ? outcome : "", kit_docs(docs),
                   kit_rel(r.log_dir), kit_repro(NULL), r.repro);
}

static int
env_int(const char *name, int dflt)
{
    const char *s = getenv(name);

    return s && *s ? atoi(s) : dflt;
}

void
kit_expect_ordering_at(const char *file, int line, const char *scen,
                       const char *arg, int repeat, const char *docs)
{
    int first_seed = env_int("SEED", KIT_DEFAULT_SEED);
    int runs = env_int("REPEAT", repeat > 0 ? repeat : KIT_DEFAULT_REPEAT);
    struct kit_tool_report r;
    char seeds[128] = "";
    char first[2600] = "";
    char again[64];
    int failed = 0;
    int first_failed = 0;

    for (int i = 0; i < runs; i++) {
        char seed_env[32];
        char *env[] = {seed_env, NULL};
        char outcome[2600];
        int err;
        snprintf(seed_env, sizeof(seed_env), "KIT_SEED=%d", first_seed + i);
        err = kit_tool_run(KIT_NOISE, scen, arg, env, KIT_SCENARIO_TIMEOUT_S, &r);
        cr_assert(err == 0, "could not run %s: %s", scen, kit_errname(err));
        scenario_outcome(KIT_NOISE, &r, outcome, sizeof(outcome));
        if (outcome[0] == '\0')
            continue;
        if (failed++ == 0) {
            first_failed = first_seed + i;
            snprintf(first, sizeof(first), "%s", outcome);
        }
        if (failed <= KIT_MAX_SEEDS_SHOWN)
            snprintf(seeds + strlen(seeds), sizeof(seeds) - strlen(seeds),
                     " %d", first_seed + i);
    }
    snprintf(again, sizeof(again), "SEED=%d REPEAT=1", first_failed);
    cr_assert(failed == 0,
              "%s:%d: %s %s under schedule noise: expected every run to hold, failed %d/%d, seeds%s%s\n  first (seed %d): %s\nSee %s.\nReplay: %s\n  or: KIT_SEED=%d %s/%s.noise %s",
              file, line, scen, arg, failed, runs, seeds,
              failed > KIT_MAX_SEEDS_SHOWN ? " ..." : "", first_failed, first,
              kit_docs(docs), kit_repro(again), first_failed,
              kit_rel(kit_build_dir()), scen, arg);
}
