/*
 * test_race.c - race tier of lab 12: two threads starting, feeding and
 * reaping children at once, under Helgrind, DRD and ThreadSanitizer.
 * The library keeps no shared state; these runs prove it stays so.
 * No tool sees between processes (docs/12-subprocess.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "sp.h"

TestSuite(sp_race, .timeout = 240);

/* Catches: the stub. */
KIT_TEST(sp_race, two_threads_running_children_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_race", "threads", "12-subprocess#threads");
}

/* Catches: the stub. */
KIT_TEST(sp_race, two_threads_running_children_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_race", "threads", "12-subprocess#threads");
}

/* Catches: the stub. */
KIT_TEST(sp_race, two_threads_running_children_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_race", "threads", "12-subprocess#threads");
}
