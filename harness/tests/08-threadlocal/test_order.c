/*
 * test_order.c - ordering tier of lab 08: scenario_order under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "local.h"

TestSuite(local_order, .timeout = 120);

/* Catches: the stub and shared_slot.patch.  Two threads using the same
 * names each read back only their own values, for every seed. */
KIT_TEST(local_order, threads_see_only_their_own_values_under_noise)
{
    kit_expect_ordering("scenario_order", "own_values", 0, "08-threadlocal#each-thread-its-own");
}

/* Catches: the stub.  local_free racing the holders' exits releases
 * every value exactly once and none after it returned. */
KIT_TEST(local_order, free_racing_thread_exits_releases_every_value_once_under_noise)
{
    kit_expect_ordering("scenario_order", "free_race", 0, "08-threadlocal#free-while-held");
}

/* Catches: the stub.  One open and one close per thread, whatever the
 * schedule. */
KIT_TEST(local_order, each_thread_opens_and_closes_one_connection_under_noise)
{
    kit_expect_ordering("scenario_order", "conn", 0, "08-threadlocal#lazy");
}
