/*
 * test_order.c - ordering tier of lab 05: scenario_threads under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "thread.h"

TestSuite(thread_order, .timeout = 150);

/* Catches: the stub.  Mirrors TH-09 for every seed. */
KIT_TEST(thread_order, joined_thread_is_never_listed_under_noise)
{
    kit_expect_ordering("scenario_threads", "unlisted_after_join", 0, "05-threads#unlist-before-ended");
}

/* Catches: the stub.  Mirrors TH-12: four joiners of one thread. */
KIT_TEST(thread_order, many_joiners_all_return_under_noise)
{
    kit_expect_ordering("scenario_threads", "many_joiners", 0, "05-threads#join");
}

/* Catches: the stub.  A timed join racing the end: 0 or -ETIMEDOUT, and
 * is_alive agrees. */
KIT_TEST(thread_order, timed_join_racing_the_end_is_consistent_under_noise)
{
    kit_expect_ordering("scenario_threads", "join_race", 0, "05-threads#join");
}

/* Catches: the stub.  Each performer's lines stay in order, whatever
 * the interleaving. */
KIT_TEST(thread_order, singdance_keeps_each_threads_order_under_noise)
{
    kit_expect_ordering("scenario_threads", "singdance", 0, "05-threads#singdance");
}
