/*
 * test_race.c - race tier of lab 01.  No tool sees between processes
 * (docs/01-fork.md#what-the-tools-see): these runs check the caller's own
 * threads around fork, and that forked code behaves under the tools.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "fork.h"
#include "fserver.h"

TestSuite(fork_race, .timeout = 240);

KIT_TEST(fork_race, forks_from_two_threads_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_tree", "threads", "01-fork#what-the-tools-see");
}

KIT_TEST(fork_race, forks_from_two_threads_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_tree", "threads", "01-fork#what-the-tools-see");
}

KIT_TEST(fork_race, forks_from_two_threads_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_tree", "threads", "01-fork#what-the-tools-see");
}

KIT_TEST(fork_race, server_with_client_threads_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_server", "threads", "01-fork#what-the-tools-see");
}

KIT_TEST(fork_race, server_with_client_threads_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_server", "threads", "01-fork#what-the-tools-see");
}

KIT_TEST(fork_race, server_with_client_threads_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_server", "threads", "01-fork#what-the-tools-see");
}
