/*
 * test_order.c - ordering tier of lab 10: scenario_threads under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "gen.h"
#include "kit.h"

TestSuite(gen_order, .timeout = 120);

/* Catches: the stub.  Two threads drive private generators while they
 * pass a shared one back and forth: every value is exact, whatever the
 * schedule. */
KIT_TEST(gen_order, generators_in_two_threads_give_exact_values_under_noise)
{
    kit_expect_ordering("scenario_threads", "handoff", 0, "10-generators#threads");
}
