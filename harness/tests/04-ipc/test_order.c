/*
 * test_order.c - ordering tier of lab 04: scenario_ipc under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).  No tool sees
 * a race between processes: these runs are what catch them.
 */
#include <criterion/criterion.h>

#include "kit.h"

TestSuite(ipc_order, .timeout = 240);

/* Catches: the stub.  Exactly once and FIFO per producer, 3 producer and
 * 2 consumer processes, for every seed (MQ-11). */
KIT_TEST(ipc_order, queue_delivers_each_message_once_in_producer_order_under_noise)
{
    kit_expect_ordering("scenario_ipc", "mpq_procs", 0, "04-ipc#exactly-once");
}

/* Catches: add_as_get_then_set.patch (the "atomic" add done as a get and
 * a set in the proxy: updates lost under noise). */
KIT_TEST(ipc_order, atomic_add_from_three_processes_loses_nothing_under_noise)
{
    kit_expect_ordering("scenario_ipc", "atomic_add", 0, "04-ipc#atomic-add");
}

/* Catches: lock_ignores_owner.patch.  get+set under the manager's Lock
 * loses nothing (MGR-01). */
KIT_TEST(ipc_order, get_and_set_under_the_manager_lock_lose_nothing_under_noise)
{
    kit_expect_ordering("scenario_ipc", "with_lock", 0, "04-ipc#manager-lock");
}

/* Catches: dead_worker_task_dropped.patch.  A worker killed holding a
 * task: every task's result still arrives exactly once (BM-08). */
KIT_TEST(ipc_order, every_task_answered_once_despite_a_killed_worker_under_noise)
{
    kit_expect_ordering("scenario_ipc", "remote", 0, "04-ipc#requeue");
}
