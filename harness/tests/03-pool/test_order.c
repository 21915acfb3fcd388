/*
 * test_order.c - ordering tier of lab 03: scenario_pool under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "pool.h"

TestSuite(pool_order, .timeout = 240);

/* Catches: the stub (and map_completion_order.patch whenever item 1
 * finishes first, which this case forces).  POOL-02/03 for every seed. */
KIT_TEST(pool_order, map_keeps_input_order_under_noise)
{
    kit_expect_ordering("scenario_pool", "map_order", 0, "03-pool#order");
}

/* Catches: the stub.  A crash among ordinary tasks: -ECHILD for that
 * task only, results for the rest, join returns, for every seed. */
KIT_TEST(pool_order, a_crash_fails_only_its_own_task_under_noise)
{
    kit_expect_ordering("scenario_pool", "crash", 0, "03-pool#crash");
}

/* Catches: the stub.  Each callback has run when its get returns. */
KIT_TEST(pool_order, callbacks_finish_before_get_returns_under_noise)
{
    kit_expect_ordering("scenario_pool", "callbacks", 0, "03-pool#callbacks");
}
