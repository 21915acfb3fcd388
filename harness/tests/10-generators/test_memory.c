/*
 * test_memory.c - memory tier of lab 10: memcheck over every way a
 * generator ends, and over generators switching stacks in two threads
 * (where an unregistered stack gives thousands of false errors).
 */
#include <criterion/criterion.h>

#include "gen.h"
#include "kit.h"

TestSuite(gen_mem, .timeout = 240);

/* Catches: stack_leaked_per_finished_generator.patch.  Each finished
 * generator gives its stack back; bodies' own memory is freed on every
 * path, close and free included. */
KIT_TEST(gen_mem, every_ending_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_lifecycle", "lifecycle", "10-generators#free");
}

/* Catches: the stub.  Stacks registered with Valgrind: memcheck follows
 * the switches, in two threads, without a false error. */
KIT_TEST(gen_mem, switching_stacks_in_two_threads_is_clean_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_threads", "handoff", "10-generators#what-the-tools-see");
}
