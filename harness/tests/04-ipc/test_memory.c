/*
 * test_memory.c - memory tier of lab 04: memcheck over the queue, the
 * pipe, the manager and the task master (leaks count in the top process;
 * the servers end by signal).
 */
#include <criterion/criterion.h>

#include "kit.h"

TestSuite(ipc_mem, .timeout = 240);

/* Catches: the stub. */
KIT_TEST(ipc_mem, pipe_round_trips_leak_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_ipc", "pipe_threads", "04-ipc#framing");
}

/* Catches: the stub. */
KIT_TEST(ipc_mem, queue_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_ipc", "mpq_threads", "04-ipc#shared-memory");
}

/* Catches: proxy_free_leaks.patch (the connection closed, the proxy
 * itself never freed). */
KIT_TEST(ipc_mem, manager_and_proxies_leak_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_ipc", "with_lock", "04-ipc#manager");
}

/* Catches: the stub. */
KIT_TEST(ipc_mem, task_master_and_workers_leak_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_ipc", "remote", "04-ipc#remote");
}
