/*
 * test_memory.c - memory tier of lab 13: memcheck over every call of
 * both contracts, including timeouts.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "cpu.h"
#include "io.h"

TestSuite(choosing_mem, .timeout = 240);

/* Catches: the stub.  Nothing lost: the server's table, the loop's
 * connections, every thread's stack (joined, not detached). */
KIT_TEST(choosing_mem, every_call_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "lifecycle", "13-choosing#how-the-harness-checks-it");
}
