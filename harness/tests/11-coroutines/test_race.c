/*
 * test_race.c - race tier of lab 11: two threads, each with its own hub
 * and coroutines, under Helgrind, DRD and ThreadSanitizer.  The hub is
 * single-threaded (no locks, epoll hand-offs only inside one thread), so
 * these runs check that coroutines stay with their thread and that the
 * stack switches are told to the tools: registered stacks for Helgrind,
 * none for DRD, TSan fibers (docs/11-coroutines.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "co.h"

TestSuite(co_race, .timeout = 240);

/* Catches: the stub. */
KIT_TEST(co_race, hubs_in_two_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_race", "threads", "11-coroutines#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(co_race, hubs_in_two_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_race", "threads", "11-coroutines#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(co_race, hubs_in_two_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_race", "threads", "11-coroutines#what-the-tools-see");
}
