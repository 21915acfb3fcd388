/*
 * test_memory.c - memory tier of lab 07: memcheck over the queue's whole
 * lifecycle (growth, free with items inside), the barrier and the chat
 * log (every message copied, written and freed).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "event.h"

TestSuite(event_mem, .timeout = 240);

/* Catches: the stub.  tqueue_free releases the store, whatever is left
 * in it (the items themselves are the caller's). */
KIT_TEST(event_mem, queue_lifecycle_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_tqueue", "lifecycle", "07-event#free");
}

/* Catches: saver_leaks_messages.patch (the saver never frees a message
 * after writing it). */
KIT_TEST(event_mem, chat_log_frees_every_message_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_chatlog", "producers", "07-event#free");
}

/* Catches: the stub. */
KIT_TEST(event_mem, events_and_barriers_leak_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_barrier", "cycles", "07-event#free");
}
