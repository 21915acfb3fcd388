/*
 * test_order.c - ordering tier of lab 09: scenario_iter under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).  The lab is
 * single-threaded; this tier runs two threads on separate objects, with
 * noise points between the calls, so that any state shared by accident
 * interleaves and shows.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "iter.h"

TestSuite(iter_order, .timeout = 120);

/* Catches: the stub.  Two threads, each with its own container, two
 * interleaved iterators and a fib chain: every item right, every seed. */
KIT_TEST(iter_order, two_threads_iterate_their_own_objects_under_noise)
{
    kit_expect_ordering("scenario_iter", "two_threads", 0, "09-iterators#threads");
}
