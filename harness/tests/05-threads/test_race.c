/*
 * test_race.c - race tier of lab 05: the thread registry shared by
 * starters, joiners and enumerators; the echo server; the recorder's
 * stop flag; each under Helgrind, DRD and ThreadSanitizer.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "thread.h"

TestSuite(thread_race, .timeout = 240);

/* Catches: enumerate_without_lock.patch (the list is walked while other
 * threads link and unlink: reported every run). */
KIT_TEST(thread_race, registry_churn_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_threads", "churn", "05-threads#enumerate");
}

/* Catches: the stub. */
KIT_TEST(thread_race, registry_churn_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_threads", "churn", "05-threads#enumerate");
}

/* Catches: the stub. */
KIT_TEST(thread_race, registry_churn_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_threads", "churn", "05-threads#enumerate");
}

/* Catches: the stub. */
KIT_TEST(thread_race, echo_server_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_threads", "echo", "05-threads#close-under-the-lock");
}

/* Catches: the stub. */
KIT_TEST(thread_race, echo_server_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_threads", "echo", "05-threads#close-under-the-lock");
}

/* Catches: stop_flag_unlocked.patch (the worker reads the flag the main
 * thread writes, with no lock in common).  PortAudio's own races are
 * suppressed by harness/supp/portaudio.supp (top frame in the library
 * only, so races in the lab's code still show). */
KIT_TEST(thread_race, recorder_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_recorder", "record", "05-threads#stop-flag");
}

/* Catches: the stub. */
KIT_TEST(thread_race, recorder_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_recorder", "record", "05-threads#stop-flag");
}

/* Catches: the stub. */
KIT_TEST(thread_race, recorder_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_recorder", "record", "05-threads#stop-flag");
}
