/*
 * test_order.c - ordering tier of lab 06: scenario_order under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise; the transfers
 * check runs 10, because a deadlocked seed costs its 3 s stall limit).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "counter.h"

TestSuite(locks_order, .timeout = 120);

/* Catches: lock_read_only.patch (the increment's write lands outside the
 * lock, and noise right after the unlock lets the other thread in). */
KIT_TEST(locks_order, counter_lock_each_is_exact_under_noise)
{
    kit_expect_ordering("scenario_order", "counter_each", 0, "06-locks#lock-each");
}

/* Catches: the stub. */
KIT_TEST(locks_order, counter_lock_batch_is_exact_under_noise)
{
    kit_expect_ordering("scenario_order", "counter_batch", 0, "06-locks#lock-batch");
}

/* Catches: the stub. */
KIT_TEST(locks_order, counter_atomic_is_exact_under_noise)
{
    kit_expect_ordering("scenario_order", "counter_atomic", 0, "06-locks#atomic");
}

/* Catches: the stub.  The notes' 100-thread account, for every seed. */
KIT_TEST(locks_order, hundred_deposits_make_exactly_100_under_noise)
{
    kit_expect_ordering("scenario_order", "bank", 0, "06-locks#deposit");
}

/* Catches: the stub; transfer_unordered.patch (a deadlock, reported as a
 * stall) when a seed lets both threads take their first lock. */
KIT_TEST(locks_order, transfers_both_ways_conserve_money_under_noise)
{
    kit_expect_ordering("scenario_order", "transfers", 10, "06-locks#lock-order");
}

/* Catches: rlock_if_not_while.patch (a woken waiter takes the lock that a
 * late arrival has just taken: two owners). */
KIT_TEST(locks_order, rlock_has_one_owner_at_a_time_under_noise)
{
    kit_expect_ordering("scenario_order", "rlock", 0, "06-locks#wait-loop");
}

/* Catches: the stub.  Never three holders of BoundedSemaphore(2). */
KIT_TEST(locks_order, semaphore_admits_at_most_its_value_under_noise)
{
    kit_expect_ordering("scenario_order", "semaphore", 0, "06-locks#semaphore");
}

/* Catches: the stub.  Producers and consumers over a Condition. */
KIT_TEST(locks_order, condition_buffer_hands_each_item_over_once_under_noise)
{
    kit_expect_ordering("scenario_order", "condition", 0, "06-locks#wait-for");
}
