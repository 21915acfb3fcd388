/*
 * test_memory.c - memory tier of lab 09: memcheck over adapter chains
 * freed early and over containers freed before their iterators.  Leaks
 * (definitely or indirectly lost), invalid reads and double frees fail.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "iter.h"

TestSuite(iter_mem, .timeout = 240);

/* Catches: adapter_forgets_source.patch.  Freeing the outermost adapter
 * of a chain, before, during or after the iteration, frees every
 * iterator under it and nothing twice. */
KIT_TEST(iter_mem, chained_adapters_freed_early_leak_nothing)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_iter", "chains", "09-iterators#adapter-ownership");
}

/* Catches: names_free_ignores_iterators.patch (use after free),
 * cursor_keeps_its_reference.patch (leak).  A container freed by its
 * owner lives on until its last iterator is freed, then goes. */
KIT_TEST(iter_mem, container_outlives_names_free_until_its_last_iterator)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_iter", "lifetime", "09-iterators#container-lifetime");
}
