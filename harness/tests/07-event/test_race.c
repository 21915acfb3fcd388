/*
 * test_race.c - race tier of lab 07: each object shared by threads,
 * under Helgrind, DRD and ThreadSanitizer (docs/07-event.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "event.h"

TestSuite(event_race, .timeout = 240);

/* Catches: set_broadcasts_before_lock.patch (a broadcast without the
 * mutex held: Helgrind reports it every run). */
KIT_TEST(event_race, event_ping_pong_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_event", "ping_pong", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, event_ping_pong_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_event", "ping_pong", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, event_ping_pong_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_event", "ping_pong", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, dialogue_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_event", "dialogue", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, barrier_cycles_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_barrier", "cycles", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, barrier_cycles_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_barrier", "cycles", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, barrier_cycles_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_barrier", "cycles", "07-event#threads");
}

/* Catches: qsize_unlocked.patch (qsize reads the count without the
 * lock, racing with every put and get). */
KIT_TEST(event_race, queue_with_stealing_getters_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_tqueue", "stealers", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, queue_with_stealing_getters_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_tqueue", "stealers", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, queue_with_stealing_getters_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_tqueue", "stealers", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, chat_log_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_chatlog", "producers", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, chat_log_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_chatlog", "producers", "07-event#threads");
}

/* Catches: the stub. */
KIT_TEST(event_race, chat_log_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_chatlog", "producers", "07-event#threads");
}
