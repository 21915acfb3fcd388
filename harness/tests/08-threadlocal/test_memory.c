/*
 * test_memory.c - memory tier of lab 08: memcheck over threads that never
 * read their values back, and over local_free while threads hold values.
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "local.h"

TestSuite(local_mem, .timeout = 240);

/* Catches: the stub (and no_destructor.patch: a value nobody releases
 * is "definitely lost" once its thread is gone). */
KIT_TEST(local_mem, values_never_read_back_leak_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "unread", "08-threadlocal#destructors");
}

/* Catches: the stub.  Students, connections and both objects. */
KIT_TEST(local_mem, every_contract_leaks_nothing_under_memcheck)
{
    kit_expect_tool_clean(KIT_MEMCHECK, "scenario_race", "all", "08-threadlocal#free-while-held");
}
