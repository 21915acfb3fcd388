/*
 * test_memory.c - memory tier of lab 02: memcheck over a whole lifecycle
 * and over spawn (where /proc/self/exe names Valgrind's tool).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "process.h"

TestSuite(process_mem, .timeout = 240);

/* Catches: free_forgets_object.patch.  process_free releases everything, including an
 * ops object's ctx (through free_ctx) and a child still running. */
KIT_TEST(process_mem, lifecycle_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "lifecycle", "02-process#free");
}

/* Catches: the stub.  Spawn must exec the program itself, resolved with
 * readlink("/proc/self/exe"): exec'ing that link under Valgrind starts
 * the tool, not the program. */
KIT_TEST(process_mem, spawn_runs_the_program_itself_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_spawn", "runs_target", "02-process#spawn");
}
