/*
 * test_race.c - race tier of lab 13: the counting threads, and the
 * fetching threads beside the server's thread, under Helgrind, DRD and
 * ThreadSanitizer.  No tool sees between processes, so part B is checked
 * by the functional and ordering tiers only
 * (docs/13-choosing.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "cpu.h"
#include "io.h"

TestSuite(choosing_race, .timeout = 240);

/* Catches: cpu_shared_count_unlocked.patch (every thread adds into one
 * total with no lock: reported every run, whichever way the race goes). */
KIT_TEST(choosing_race, cpu_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_race", "cpu_threads", "13-choosing#one-slot-per-thread");
}

/* Catches: the stub. */
KIT_TEST(choosing_race, cpu_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_race", "cpu_threads", "13-choosing#one-slot-per-thread");
}

/* Catches: the stub. */
KIT_TEST(choosing_race, cpu_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_race", "cpu_threads", "13-choosing#one-slot-per-thread");
}

/* Catches: io_shared_replies_unlocked.patch (threads count replies in
 * one shared field with no lock). */
KIT_TEST(choosing_race, io_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_race", "io_threads", "13-choosing#one-slot-per-thread");
}

/* Catches: the stub. */
KIT_TEST(choosing_race, io_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_race", "io_threads", "13-choosing#one-slot-per-thread");
}

/* Catches: the stub. */
KIT_TEST(choosing_race, io_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_race", "io_threads", "13-choosing#one-slot-per-thread");
}
