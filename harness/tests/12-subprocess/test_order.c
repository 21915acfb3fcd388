/*
 * test_order.c - ordering tier of lab 12: scenario_order under seeded
 * schedule noise at fork, read, write, poll and waitpid (50 seeds
 * unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "sp.h"

TestSuite(sp_order, .timeout = 120);

/* Catches: the stub.  Whoever runs first after fork, a missing program
 * is -ENOENT from the start and nothing is left. */
KIT_TEST(sp_order, exec_errors_reach_the_caller_under_noise)
{
    kit_expect_ordering("scenario_order", "exec_error", 0, "12-subprocess#exec-error-pipe");
}

/* Catches: the stub.  SP-09 at 256 KiB each way, for every seed. */
KIT_TEST(sp_order, communicate_moves_both_ways_under_noise)
{
    kit_expect_ordering("scenario_order", "both_ways", 0, "12-subprocess#communicate");
}

/* Catches: the stub.  yes | head -n 1 ends with SIGPIPE for every seed. */
KIT_TEST(sp_order, pipeline_ends_with_sigpipe_under_noise)
{
    kit_expect_ordering("scenario_order", "pipeline", 0, "12-subprocess#pipeline");
}

/* Catches: the stub.  A timed-out run never leaves its child. */
KIT_TEST(sp_order, run_timeout_leaves_no_child_under_noise)
{
    kit_expect_ordering("scenario_order", "run_timeout", 0, "12-subprocess#run-timeout");
}
