/*
 * test_memory.c - memory tier of lab 12: memcheck over every call of the
 * contract, failures and timeouts included.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "sp.h"

TestSuite(sp_mem, .timeout = 240);

/* Catches: free_forgets_buffers.patch.  Output buffers, the PATH list
 * and the object itself are freed on every path. */
KIT_TEST(sp_mem, every_call_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "lifecycle", "12-subprocess#free");
}
