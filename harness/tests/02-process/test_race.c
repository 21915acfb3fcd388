/*
 * test_race.c - race tier of lab 02: one process object shared by four
 * threads (two joiners, a poller, a late observer), under Helgrind, DRD
 * and ThreadSanitizer.  No tool sees between processes
 * (docs/02-process.md#what-the-tools-see): these runs check the caller's
 * threads around the object's state.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "process.h"

TestSuite(process_race, .timeout = 240);

/* Catches: is_alive_unlocked.patch (a look at the state without the
 * lock races with the reaper's write, reported every run). */
KIT_TEST(process_race, join_and_poll_from_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_race", "join_poll", "02-process#threads");
}

/* Catches: the stub. */
KIT_TEST(process_race, join_and_poll_from_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_race", "join_poll", "02-process#threads");
}

/* Catches: the stub. */
KIT_TEST(process_race, join_and_poll_from_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_race", "join_poll", "02-process#threads");
}
