/*
 * test_canary.c - the detectors and the harness checked on programs with
 * a known verdict.  A broken Valgrind, TSan, gdb or glibc update shows up
 * here, in the self-test, instead of as a student's lost points.
 *
 * Trust table (what each tool is relied on for; reference/race-toolchain.md):
 *   data race        Helgrind, DRD, TSan
 *   lock order       Helgrind, TSan  (DRD has no lock-order detector)
 *   leaks            memcheck
 *   cv if-vs-while   none: schedule noise (ordering tier)
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"

TestSuite(canary, .timeout = 120);

static void
expect_flagged(enum kit_tool tool, const char *scase, const char *kind)
{
    struct kit_tool_report r;
    int err = kit_tool_run(tool, "scenario_canary", scase, NULL,
                           KIT_SCENARIO_TIMEOUT_S, &r);

    cr_assert(err == 0, "kit_tool_run: %s", kit_errname(err));
    cr_assert(r.nerrors > 0, "%s did not flag the known bug '%s' (kinds seen: '%s'). The detector is broken on this machine: students must not be graded by it. Logs: %s",
              kit_tool_name(tool), scase, r.kinds, r.log_dir);
    cr_assert(strstr(r.kinds, kind) != NULL, "%s flagged '%s' as '%s', expected a %s report",
              kit_tool_name(tool), scase, r.kinds, kind);
    cr_assert(strstr(r.first, "scenario_canary.c:") != NULL,
              "the finding has no file:line in the scenario: %s", r.first);
}

static void
expect_quiet(enum kit_tool tool, const char *scase)
{
    struct kit_tool_report r;
    int err = kit_tool_run(tool, "scenario_canary", scase, NULL,
                           KIT_SCENARIO_TIMEOUT_S, &r);

    cr_assert(err == 0, "kit_tool_run: %s", kit_errname(err));
    cr_assert(r.nerrors == 0, "%s reports correct code '%s' as wrong: %s. A false alarm here would blame students; fix the suppressions (harness/supp/). Logs: %s",
              kit_tool_name(tool), scase, r.first, r.log_dir);
    cr_assert(r.exit.code == 0 && !r.exit.signaled && !r.exit.timed_out,
              "'%s' under %s did not exit cleanly (code %d)", scase,
              kit_tool_name(tool), r.exit.code);
}

KIT_TEST(canary, helgrind_flags_racy_counter) { expect_flagged(KIT_HELGRIND, "racy_counter", "Race"); }
KIT_TEST(canary, drd_flags_racy_counter) { expect_flagged(KIT_DRD, "racy_counter", "ConflictingAccess"); }
KIT_TEST(canary, tsan_flags_racy_counter) { expect_flagged(KIT_TSAN, "racy_counter", "data race"); }
KIT_TEST(canary, helgrind_passes_locked_counter) { expect_quiet(KIT_HELGRIND, "locked_counter"); }
KIT_TEST(canary, drd_passes_locked_counter) { expect_quiet(KIT_DRD, "locked_counter"); }
KIT_TEST(canary, tsan_passes_locked_counter) { expect_quiet(KIT_TSAN, "locked_counter"); }
KIT_TEST(canary, helgrind_flags_lock_order) { expect_flagged(KIT_HELGRIND, "lock_order", "LockOrder"); }
KIT_TEST(canary, tsan_flags_lock_order) { expect_flagged(KIT_TSAN, "lock_order", "lock-order-inversion"); }
KIT_TEST(canary, memcheck_flags_leak) { expect_flagged(KIT_MEMCHECK, "leak", "Leak_DefinitelyLost"); }
KIT_TEST(canary, memcheck_passes_no_leak) { expect_quiet(KIT_MEMCHECK, "no_leak"); }

/* A real deadlock is killed at the deadline with the cycle named. */
KIT_TEST(canary, hang_is_killed_with_the_cycle_named)
{
    struct kit_tool_report r;
    int err = kit_tool_run(KIT_NATIVE, "scenario_canary", "deadlock", NULL,
                           3.0, &r);

    cr_assert(err == 0, "kit_tool_run: %s", kit_errname(err));
    cr_assert(r.exit.timed_out, "the deadlocked scenario was not reported as timed out");
    cr_assert(strstr(r.exit.stacks, "WAITS FOR mutex") != NULL,
              "the stack dump does not name the awaited mutex (gdb or libc6-dbg missing?):\n%s",
              r.exit.stacks);
    cr_assert(strstr(r.exit.stacks, "DEADLOCK CYCLE") != NULL,
              "the stack dump does not name the cycle:\n%s", r.exit.stacks);
}

/* Schedule noise turns a 1-in-10 bug into a reliable one, and a correct
 * program passes every seed. */
KIT_TEST(canary, noise_exposes_if_instead_of_while)
{
    struct kit_tool_report r;
    int failed = 0;

    for (int seed = 1; seed <= 20; seed++) {
        char env_seed[24];
        char *env[] = {env_seed, NULL};
        snprintf(env_seed, sizeof(env_seed), "KIT_SEED=%d", seed);
        cr_assert(kit_tool_run(KIT_NOISE, "scenario_canary", "cond_if", env,
                               KIT_SCENARIO_TIMEOUT_S, &r) == 0);
        failed += r.exit.code != 0;
    }
    cr_assert(failed > 0, "20 noisy runs of an if-instead-of-while wait never failed: the noise build is not perturbing the schedule");
}

KIT_TEST(canary, noise_passes_while_loop)
{
    kit_expect_ordering("scenario_canary", "cond_while", 20, "harness#ordering");
}

/* The hygiene check sees a zombie and an open pipe, and cleans them. */
KIT_TEST(canary, hygiene_sees_zombie_and_open_pipe)
{
    struct kit_hygiene *before = kit_hygiene_take();
    char report[1024];
    int fds[2];
    pid_t pid;
    int leaks;

    cr_assert(before != NULL);
    cr_assert(pipe(fds) == 0);
    pid = fork();
    if (pid == 0)
        _exit(0);
    cr_assert(pid > 0);
    while (kit_proc_state(pid) != 'Z')
        sched_yield();
    leaks = kit_hygiene_diff(before, report, sizeof(report));
    close(fds[0]);
    close(fds[1]);
    kit_hygiene_free(before);
    cr_assert(leaks == 3, "expected 3 leaks (zombie + 2 pipe ends), got %d: %s", leaks, report);
    cr_assert(strstr(report, "zombie") && strstr(report, "pipe:"), "report: %s", report);
}
