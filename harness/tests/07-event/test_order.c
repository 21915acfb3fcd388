/*
 * test_order.c - ordering tier of lab 07: the scenarios under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).  No race
 * detector sees these bugs; only many schedules do.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "event.h"

TestSuite(event_order, .timeout = 120);

/* Catches: the stub. */
KIT_TEST(event_order, ping_pong_never_loses_a_set_under_noise)
{
    kit_expect_ordering("scenario_event", "ping_pong", 0, "07-event#set");
}

/* Catches: dialogue_no_clear.patch (John's second wait returns at once
 * and he answers before he was asked).  The notes' dialogue, made
 * deterministic. */
KIT_TEST(event_order, dialogue_keeps_script_order_under_noise)
{
    kit_expect_ordering("scenario_event", "dialogue", 0, "07-event#clear-before-handing-over");
}

/* Catches: barrier_no_door.patch (a thread arriving while the last
 * cycle drains joins it and passes alone). */
KIT_TEST(event_order, barrier_lets_no_thread_through_early_under_noise)
{
    kit_expect_ordering("scenario_barrier", "cycles", 0, "07-event#barrier");
}

/* Catches: get_if_not_while.patch (a getter woken for an item another
 * thread took pops an empty queue). */
KIT_TEST(event_order, every_item_comes_out_once_with_stealing_getters_under_noise)
{
    kit_expect_ordering("scenario_tqueue", "stealers", 0, "07-event#wait-loop");
}

/* Catches: the stub.  join returns only once every task is done. */
KIT_TEST(event_order, join_waits_for_every_task_under_noise)
{
    kit_expect_ordering("scenario_tqueue", "join", 0, "07-event#task-done");
}

/* Catches: the stub.  Two posters, one saver: every message once, in
 * each poster's order. */
KIT_TEST(event_order, chat_log_keeps_every_message_once_under_noise)
{
    kit_expect_ordering("scenario_chatlog", "producers", 0, "07-event#chat-log");
}

/* Catches: post_checks_then_puts.patch (a post that passed the closing
 * check lands behind the end marker and is lost). */
KIT_TEST(event_order, post_racing_close_is_written_or_refused_under_noise)
{
    kit_expect_ordering("scenario_chatlog", "close_race", 0, "07-event#no-post-behind-the-marker");
}
