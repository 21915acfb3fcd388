/*
 * test_memory.c - memory tier of lab 03: memcheck over every call, a pool
 * freed with work pending, a thread pool and a small copytree.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "pool.h"

TestSuite(pool_mem, .timeout = 240);

/* Catches: result_never_freed.patch.  Results, jobs and pools are freed
 * on every path, including pool_free with a task still queued. */
KIT_TEST(pool_mem, lifecycle_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_pool", "lifecycle", "03-pool#free");
}
