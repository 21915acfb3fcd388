/*
 * test_memory.c - memory tier of lab 11: memcheck over every way a
 * coroutine and a task end, and over coroutines switching stacks in two
 * threads (which memcheck mistakes for wild accesses unless each stack
 * is registered).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "co.h"

TestSuite(co_mem, .timeout = 240);

/* Catches: stack_leaked_on_finish.patch, free_keeps_stack.patch.  Every
 * finished, suspended or killed coroutine gives its stack back. */
KIT_TEST(co_mem, every_ending_frees_the_stack_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "lifecycle", "11-coroutines#free-on-finish");
}

/* Catches: the stub.  Stacks registered with Valgrind: no false
 * "invalid read" when coroutines switch in two threads. */
KIT_TEST(co_mem, stacks_in_two_threads_are_clean_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "threads", "11-coroutines#what-the-tools-see");
}
