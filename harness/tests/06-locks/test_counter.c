/*
 * test_counter.c - functional tests of counter.h: the three fixes of the
 * lost update count every increment (lab 06, part A).  The unsafe
 * strategy is never graded: it is the bug, shown by demo_lost_update.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>

#include "kit.h"
#include "counter.h"

TestSuite(counter, .timeout = 30);

/* Enough increments that two threads really overlap on two cores. */
#define MANY 100000

/* run_exact - counter_run(how, nthreads, per_thread, batch) must give
 * exactly nthreads * per_thread. */
static void
run_exact(enum counter_strategy how, int nthreads, long per_thread,
          long batch, const char *anchor)
{
    long total = -1;
    int err = counter_run(how, nthreads, per_thread, batch, &total);

    kit_require_impl(err, "counter_run", "06-A");
    cr_assert(eq(int, err, 0), "counter_run(%s, %d, %ld, %ld, &total): expected 0, got %s. See docs/06-locks.md#%s", counter_strategy_name(how), nthreads, per_thread, batch, kit_errname(err), anchor);
    cr_assert(eq(long, total, nthreads * per_thread), "counter_run(%s, %d threads x %ld, batch %ld): expected exactly %ld, got %ld (%ld lost). See docs/06-locks.md#%s", counter_strategy_name(how), nthreads, per_thread, batch, nthreads * per_thread, total, nthreads * per_thread - total, anchor);
}

/* Catches: the stub.  Mirrors TH-17 (4 threads x 100 000 `with lock`). */
KIT_TEST(counter, lock_each_counts_every_increment_of_four_threads)
{
    run_exact(COUNTER_LOCK_EACH, 4, MANY, 1, "lock-each");
}

/* Catches: the stub. */
KIT_TEST(counter, lock_batch_counts_every_increment_of_four_threads)
{
    run_exact(COUNTER_LOCK_BATCH, 4, MANY, 1000, "lock-batch");
}

/* Catches: batch_drops_remainder.patch.  2500 = 2 x 1000 + 500, and 10 is
 * less than one batch: the last, partial batch must be added too. */
KIT_TEST(counter, lock_batch_adds_the_last_partial_batch)
{
    run_exact(COUNTER_LOCK_BATCH, 3, 2500, 1000, "lock-batch");
    run_exact(COUNTER_LOCK_BATCH, 1, 10, 100, "lock-batch");
}

/* Catches: the stub. */
KIT_TEST(counter, atomic_counts_every_increment_of_four_threads)
{
    run_exact(COUNTER_ATOMIC, 4, MANY, 1, "atomic");
}

/* Catches: the stub.  Zero increments give zero, with every strategy. */
KIT_TEST(counter, zero_increments_give_zero)
{
    run_exact(COUNTER_ATOMIC, 2, 0, 1, "atomic");
    run_exact(COUNTER_LOCK_EACH, 2, 0, 1, "lock-each");
    run_exact(COUNTER_LOCK_BATCH, 2, 0, 7, "lock-batch");
}

/* Catches: the stub.  Bad arguments are refused before any thread starts. */
KIT_TEST(counter, run_rejects_bad_arguments_with_einval)
{
    long total = 5;
    int err = counter_run(COUNTER_LOCK_EACH, 1, 1, 1, &total);

    kit_require_impl(err, "counter_run", "06-A");
    err = counter_run(COUNTER_LOCK_EACH, 0, 10, 1, &total);
    cr_expect(eq(int, err, -EINVAL), "counter_run(COUNTER_LOCK_EACH, 0 threads, ...): expected -EINVAL, got %s. See docs/06-locks.md#lost-update", kit_errname(err));
    err = counter_run(COUNTER_LOCK_BATCH, 2, 10, 0, &total);
    cr_expect(eq(int, err, -EINVAL), "counter_run(COUNTER_LOCK_BATCH, ..., batch 0): expected -EINVAL, got %s. See docs/06-locks.md#lock-batch", kit_errname(err));
    err = counter_run(COUNTER_ATOMIC, 2, -1, 1, &total);
    cr_expect(eq(int, err, -EINVAL), "counter_run(COUNTER_ATOMIC, 2, -1 increments): expected -EINVAL, got %s. See docs/06-locks.md#lost-update", kit_errname(err));
    err = counter_run(COUNTER_ATOMIC, 2, 10, 1, NULL);
    cr_expect(eq(int, err, -EINVAL), "counter_run(..., total NULL): expected -EINVAL, got %s. See docs/06-locks.md#lost-update", kit_errname(err));
    cr_expect(eq(long, total, 1), "a failed counter_run must not write *total: expected it to keep 1, got %ld. See docs/06-locks.md#lost-update", total);
}
