/*
 * test_order.c - ordering tier of lab 02: scenario_order under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "process.h"

TestSuite(process_order, .timeout = 120);

/* Catches: the stub.  Mirrors PROC-21: every child terminated right
 * after start ends with -15, whatever the schedule. */
KIT_TEST(process_order, terminate_right_after_start_gives_minus_15_under_noise)
{
    kit_expect_ordering("scenario_order", "terminate_at_once", 0, "02-process#terminate");
}

/* Catches: the stub.  Two joiners and a poller: both joins return 0 and
 * the child is reaped exactly once, for every seed. */
KIT_TEST(process_order, two_joiners_both_see_the_end_under_noise)
{
    kit_expect_ordering("scenario_order", "two_joiners", 0, "02-process#reap-once");
}

/* Catches: the stub.  join(timeout) racing the child's exit gives 0 or
 * -ETIMEDOUT and a consistent is_alive, never an error. */
KIT_TEST(process_order, timed_join_racing_the_exit_is_consistent_under_noise)
{
    kit_expect_ordering("scenario_order", "join_race", 0, "02-process#join");
}

/* Catches: the stub.  Mirrors PROC-18/19 for every seed. */
KIT_TEST(process_order, shutdown_ends_daemons_and_waits_for_the_rest_under_noise)
{
    kit_expect_ordering("scenario_order", "shutdown", 0, "02-process#daemon");
}
