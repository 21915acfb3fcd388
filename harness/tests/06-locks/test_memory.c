/*
 * test_memory.c - memory tier of lab 06: every object made, used (timeouts
 * and refusals included) and freed once, under memcheck.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "counter.h"

TestSuite(locks_mem, .timeout = 240);

/* Catches: the stub.  Nothing is lost, also on the error paths. */
KIT_TEST(locks_mem, every_object_is_freed_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_locks", "lifecycle", "06-locks#free");
}
