/*
 * test_memory.c - memory tier of lab 01: memcheck on the tree and server
 * scenarios (leaks count in the top process only: a forked child's heap
 * goes with it).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "fork.h"
#include "fserver.h"

TestSuite(fork_mem, .timeout = 240);

KIT_TEST(fork_mem, tree_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_tree", "tree", "01-fork#what-the-tools-see");
}

KIT_TEST(fork_mem, server_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_server", "echo", "01-fork#what-the-tools-see");
}
