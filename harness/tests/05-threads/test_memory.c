/*
 * test_memory.c - memory tier of lab 05: memcheck over the thread
 * lifecycle (joined, detached, never started) and over a recording.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "thread.h"

TestSuite(thread_mem, .timeout = 240);

/* Catches: the stub.  Every object is released: joined, freed while
 * running (released by the thread itself), never started; an ops
 * object's ctx goes to free_ctx. */
KIT_TEST(thread_mem, lifecycle_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_threads", "lifecycle", "05-threads#free-detaches");
}

/* Catches: the stub.  A whole recording: PortAudio initialised and
 * terminated, stream and file closed, worker joined. */
KIT_TEST(thread_mem, recording_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_recorder", "record", "05-threads#recorder");
}
