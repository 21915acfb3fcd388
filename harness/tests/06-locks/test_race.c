/*
 * test_race.c - race tier of lab 06: scenario_locks under Helgrind, DRD
 * and ThreadSanitizer.  Helgrind and TSan also report lock-order
 * inversions (the account case takes both orders one after the other);
 * DRD does not look for them (docs/06-locks.md#what-the-tools-see).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "counter.h"

TestSuite(locks_race, .timeout = 240);

/* Catches: the stub.  The atomic fix is a read-modify-write, which all
 * three tools accept; the lock fixes are plain mutexes. */
KIT_TEST(locks_race, counter_fixes_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_locks", "counter", "06-locks#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(locks_race, counter_fixes_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_locks", "counter", "06-locks#what-the-tools-see");
}

/* Catches: the stub. */
KIT_TEST(locks_race, counter_fixes_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_locks", "counter", "06-locks#what-the-tools-see");
}

/* Catches: transfer_unordered.patch (LockOrder) and
 * deposit_write_unlocked.patch (Race). */
KIT_TEST(locks_race, accounts_are_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_locks", "account", "06-locks#lock-order");
}

/* Catches: the stub (DRD has no lock-order check). */
KIT_TEST(locks_race, accounts_are_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_locks", "account", "06-locks#deposit");
}

/* Catches: the stub; transfer_unordered.patch (lock-order-inversion). */
KIT_TEST(locks_race, accounts_are_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_locks", "account", "06-locks#lock-order");
}

/* Catches: the stub. */
KIT_TEST(locks_race, rlock_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_locks", "rlock", "06-locks#owner");
}

/* Catches: the stub. */
KIT_TEST(locks_race, rlock_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_locks", "rlock", "06-locks#owner");
}

/* Catches: the stub. */
KIT_TEST(locks_race, rlock_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_locks", "rlock", "06-locks#owner");
}

/* Catches: release_signals_first.patch (a signal with the mutex free and
 * the value not yet changed: Helgrind's "dubious" condvar report). */
KIT_TEST(locks_race, semaphore_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_locks", "semaphore", "06-locks#semaphore");
}

/* Catches: the stub. */
KIT_TEST(locks_race, semaphore_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_locks", "semaphore", "06-locks#semaphore");
}

/* Catches: the stub. */
KIT_TEST(locks_race, semaphore_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_locks", "semaphore", "06-locks#semaphore");
}

/* Catches: the stub. */
KIT_TEST(locks_race, condition_is_clean_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_locks", "condition", "06-locks#condition");
}

/* Catches: the stub. */
KIT_TEST(locks_race, condition_is_clean_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_locks", "condition", "06-locks#condition");
}

/* Catches: the stub. */
KIT_TEST(locks_race, condition_is_clean_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_locks", "condition", "06-locks#condition");
}
