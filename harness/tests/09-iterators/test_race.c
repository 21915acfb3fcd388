/*
 * test_race.c - race tier of lab 09 under Helgrind, DRD and
 * ThreadSanitizer.  Nothing in the lab is meant to be shared between
 * threads: two threads that each use their own container and iterators
 * must touch no common memory, so any report means hidden global state
 * (docs/09-iterators.md#threads).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "iter.h"

TestSuite(iter_race, .timeout = 240);

/* Catches: global_iterator_count.patch (a global counter of live
 * iterators, written by both threads with no lock: Helgrind reports it
 * every run, whatever the schedule). */
KIT_TEST(iter_race, separate_objects_in_two_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_iter", "two_threads", "09-iterators#threads");
}

/* Catches: the stub. */
KIT_TEST(iter_race, separate_objects_in_two_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_iter", "two_threads", "09-iterators#threads");
}

/* Catches: the stub. */
KIT_TEST(iter_race, separate_objects_in_two_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_iter", "two_threads", "09-iterators#threads");
}
