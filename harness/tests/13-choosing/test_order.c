/*
 * test_order.c - ordering tier of lab 13: scenario_order under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "cpu.h"
#include "io.h"

TestSuite(choosing_order, .timeout = 120);

/* Catches: the stub.  The parts add up and the windows are sane for
 * every seed, with and without the GIL model. */
KIT_TEST(choosing_order, thread_counts_add_up_under_noise)
{
    kit_expect_ordering("scenario_order", "cpu_threads", 0, "13-choosing#part-a-threads");
}

/* Catches: the stub.  Every child's part arrives once, whatever order
 * the children finish in. */
KIT_TEST(choosing_order, process_counts_add_up_under_noise)
{
    kit_expect_ordering("scenario_order", "cpu_procs", 0, "13-choosing#collect-every-part");
}

/* Catches: the stub. */
KIT_TEST(choosing_order, thread_fetches_get_every_reply_under_noise)
{
    kit_expect_ordering("scenario_order", "io_threads", 0, "13-choosing#part-c-a-thread-per-connection");
}

/* Catches: the stub.  Short reads and writes, and readiness in any
 * order, all end in the right replies. */
KIT_TEST(choosing_order, loop_fetches_get_every_reply_under_noise)
{
    kit_expect_ordering("scenario_order", "io_loop", 0, "13-choosing#a-state-per-connection");
}
