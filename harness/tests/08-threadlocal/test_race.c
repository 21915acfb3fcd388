/*
 * test_race.c - race tier of lab 08: scenario_race "all" (two threads
 * using every contract at once, then local_free while they hold values)
 * under Helgrind, DRD and ThreadSanitizer.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "local.h"

TestSuite(local_race, .timeout = 240);

/* Catches: map_unlocked.patch (ctxmap_enter changes the global map
 * without its lock: reported every run, whatever the schedule). */
KIT_TEST(local_race, every_contract_from_two_threads_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_race", "all", "08-threadlocal#map");
}

/* Catches: the stub. */
KIT_TEST(local_race, every_contract_from_two_threads_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_race", "all", "08-threadlocal#map");
}

/* Catches: the stub. */
KIT_TEST(local_race, every_contract_from_two_threads_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_race", "all", "08-threadlocal#map");
}
