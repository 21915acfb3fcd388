/*
 * test_race.c - race tier of lab 03: callbacks and results shared
 * between the pool's result thread and the caller, under Helgrind, DRD
 * and ThreadSanitizer; and the proof that the tier sees a callback that
 * shares a counter without a lock (docs/03-pool.md#what-the-tools-see).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "kit.h"
#include "pool.h"

TestSuite(pool_race, .timeout = 240);

/* Catches: callback_after_ready.patch (the caller reads the callback's
 * flag after get, with no order between them: a race every run). */
KIT_TEST(pool_race, callbacks_are_ordered_before_get_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_pool", "callbacks", "03-pool#callbacks");
}

/* Catches: the stub. */
KIT_TEST(pool_race, callbacks_are_ordered_before_get_under_drd)
{
    kit_expect_tool_clean(KIT_DRD, "scenario_pool", "callbacks", "03-pool#callbacks");
}

/* Catches: the stub.  Workers are forked before the result thread
 * starts, so TSan's rule on forks after threads holds. */
KIT_TEST(pool_race, callbacks_are_ordered_before_get_under_tsan)
{
    kit_expect_tool_clean(KIT_TSAN, "scenario_pool", "callbacks", "03-pool#callbacks");
}

/* Catches: tpool_callbacks_on_workers.patch (callbacks run on the
 * worker threads, several at once: their unlocked counter races; the
 * scenario's first four tasks end together, so this happens every run). */
KIT_TEST(pool_race, thread_pool_callbacks_run_on_one_thread_under_helgrind)
{
    kit_expect_tool_clean(KIT_HELGRIND, "scenario_pool", "tpool_callbacks", "03-pool#callbacks");
}

/* Catches: the stub.  A callback that touches shared state the main
 * thread reads without a lock must be reported: this is the mistake the
 * chapter warns about, and the tier must be able to see it. */
KIT_TEST(pool_race, a_callback_sharing_a_counter_without_a_lock_is_reported)
{
    struct kit_tool_report r;
    int err = kit_tool_run(KIT_HELGRIND, "scenario_pool", "callback_racy",
                           NULL, KIT_SCENARIO_TIMEOUT_S, &r);

    cr_assert(eq(int, err, 0), "kit_tool_run(helgrind, scenario_pool callback_racy): %s", kit_errname(err));
    cr_assert(eq(int, r.exit.code, 0), "scenario_pool callback_racy did not run to the end (exit %d, %s): the pool must work before the race can be shown. See docs/03-pool.md#what-the-tools-see", r.exit.code, r.exit.fail_line);
    cr_assert(ge(int, r.nerrors, 1), "Helgrind saw no race in a callback that increments a counter the main thread reads without a lock (kinds: '%s'): callbacks must run on a thread of the parent process. See docs/03-pool.md#what-the-tools-see. Logs: %s", r.kinds, r.log_dir);
}
