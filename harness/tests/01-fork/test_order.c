/*
 * test_order.c - ordering tier of lab 01: the scenarios under seeded
 * schedule noise (50 seeds unless REPEAT= says otherwise).
 */
#include <criterion/criterion.h>

#include "kit.h"
#include "fork.h"
#include "fserver.h"

TestSuite(fork_order, .timeout = 120);

/* Catches: tree_child_skips_reaping.patch.  Every seed must see 2^n
 * distinct pids and no process of the tree left behind. */
KIT_TEST(fork_order, tree_reaps_every_process_under_noise)
{
    kit_expect_ordering("scenario_tree", "tree", 0, "01-fork#tree");
}

/* Catches: sigchld_reaps_one.patch, no_sigchld_handler.patch,
 * server_keeps_connection.patch: echoes, end of file and zero zombies
 * after coalesced SIGCHLDs, for every seed. */
KIT_TEST(fork_order, server_reaps_every_child_under_noise)
{
    kit_expect_ordering("scenario_server", "coalesce", 0, "01-fork#sigchld-loop");
}
