/*
 * test_race.c - race tier of lab 04: the queue and the pipe used by
 * threads of one process, under Helgrind, DRD and ThreadSanitizer.
 * These runs stay inside one process on purpose: Helgrind reports a false
 * "Bug in libpthread" for a process-shared condvar used across fork(),
 * and no tool sees a race between processes anyway (that is the ordering
 * tier's job; docs/04-ipc.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "kit.h"

TestSuite(ipc_race, .timeout = 240);

/* Catches: mpq_qsize_unlocked.patch (qsize reads the counters without the
 * lock, racing with put and get). */
KIT_TEST(ipc_race, queue_used_by_four_threads_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_ipc", "mpq_threads", "04-ipc#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(ipc_race, queue_used_by_four_threads_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_ipc", "mpq_threads", "04-ipc#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(ipc_race, queue_used_by_four_threads_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_ipc", "mpq_threads", "04-ipc#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(ipc_race, pipe_between_two_threads_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_ipc", "pipe_threads", "04-ipc#what-the-tools-see");
}
