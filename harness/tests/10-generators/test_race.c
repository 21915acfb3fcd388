/*
 * test_race.c - race tier of lab 10: generators in two threads (private
 * ones, and a shared one passed under a mutex) under Helgrind, DRD and
 * ThreadSanitizer.  The stacks are switched by hand, so this tier also
 * checks that the tools were told what they need
 * (docs/10-generators.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "gen.h"
#include "kit.h"

TestSuite(gen_race, .timeout = 240);

/* Catches: global_caller_context.patch (two threads write one global
 * saved context with no lock: reported every run). */
KIT_TEST(gen_race, generators_in_two_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_threads", "handoff", "10-generators#threads");
}

/* Catches: the stub.  DRD aborts on registered stacks: the solution
 * registers them only when DRD is not the tool. */
KIT_TEST(gen_race, generators_in_two_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_threads", "handoff", "10-generators#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(gen_race, generators_in_two_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_threads", "handoff", "10-generators#what-the-tools-see");
}
