/*
 * test_order.c - ordering tier of lab 11: scenario_order under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).  One thread:
 * the noise at read/write/accept/connect changes when fds become ready,
 * so the hub wakes its coroutines in a different order every seed.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "co.h"

TestSuite(co_order, .timeout = 180);

/* Catches: the stub.  Mirrors GL-15 for every seed. */
KIT_TEST(co_order, switching_by_name_gives_ABABAB_under_noise)
{
    kit_expect_ordering("scenario_order", "round_robin", 0, "11-coroutines#round-robin");
}

/* Catches: the stub.  Every wake-up reaches the coroutine parked on
 * that fd, whatever the order the fds become ready in. */
KIT_TEST(co_order, echo_clients_each_get_their_own_words_under_noise)
{
    kit_expect_ordering("scenario_order", "echo", 0, "11-coroutines#parking-on-epoll");
}

/* Catches: the stub.  Naps armed together wake earliest first. */
KIT_TEST(co_order, naps_wake_earliest_deadline_first_under_noise)
{
    kit_expect_ordering("scenario_order", "timers", 0, "11-coroutines#timer-heap");
}
