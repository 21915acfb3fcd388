/*
 * scenario_race.c - lab 13's threads for the race tier (Helgrind, DRD,
 * TSan) and the whole contract once for the memory tier (memcheck).
 *
 *   cpu_threads  2 and 3 counting threads, with and without the GIL
 *                model: each thread writes only its own slot, read by the
 *                caller after the join
 *   io_threads   3 fetching threads beside the server's thread
 *   lifecycle    every call once, small, including a timeout and a
 *                refused connection (memcheck: nothing lost)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "cpu.h"
#include "io.h"

/* pi(10000) */
#define N 10000L
#define PI_N 1229L

static int
case_cpu_threads(void)
{
    for (int k = 2; k <= 3; k++) {
        struct cpu_options opts = { .gil = k == 3 };
        struct cpu_result r = { .count = -1 };
        int err = cpu_count_threads(N, k, &opts, &r);
        kit_scen_require_impl(err, "cpu_count_threads", "13-A");
        kit_scen_check(err == 0, "cpu_count_threads(%ld, %d): %s", N, k, kit_errname(err));
        kit_scen_check(r.count == PI_N, "cpu_count_threads(%ld, %d): %ld primes, expected %ld", N, k, r.count, PI_N);
    }
    return 0;
}

/* fetch_once - one fetch of `conns` from a fresh server with `delay`;
 * returns the fetch's error. */
static int
fetch_once(bool loop, int conns, double delay, double timeout,
           struct io_result *r)
{
    struct io_server *s = NULL;
    int err = io_server_start(&s, delay);

    kit_scen_check(err == 0, "io_server_start: %s", kit_errname(err));
    err = loop ? io_fetch_loop(io_server_port(s), conns, timeout, r)
               : io_fetch_threads(io_server_port(s), conns, timeout, r);
    kit_scen_require_impl(err, loop ? "io_fetch_loop" : "io_fetch_threads", loop ? "13-D" : "13-C");
    io_server_free(s);
    return err;
}

static int
case_io_threads(void)
{
    struct io_result r = { .replies = -1 };
    int err = fetch_once(false, 3, 0.01, LAB_FOREVER, &r);

    kit_scen_check(err == 0 && r.replies == 3, "io_fetch_threads(port, 3): %s, %d replies", kit_errname(err), r.replies);
    return 0;
}

static int
case_lifecycle(void)
{
    struct io_result r;
    struct cpu_result c;
    int err;

    kit_scen_check(case_cpu_threads() == 0, "cpu_threads");
    err = cpu_count_processes(N, 2, &c);
    kit_scen_require_impl(err, "cpu_count_processes", "13-B");
    kit_scen_check(err == 0 && c.count == PI_N, "cpu_count_processes(%ld, 2): %s, %ld primes", N, kit_errname(err), c.count);
    kit_scen_check(case_io_threads() == 0, "io_threads");
    err = fetch_once(true, 5, 0.01, LAB_FOREVER, &r);
    kit_scen_check(err == 0 && r.replies == 5, "io_fetch_loop(port, 5): %s, %d replies", kit_errname(err), r.replies);
    err = fetch_once(true, 2, 20.0, 0.05, &r);
    kit_scen_check(err == -ETIMEDOUT, "io_fetch_loop with late replies: %s, expected -ETIMEDOUT", kit_errname(err));
    err = fetch_once(false, 2, 20.0, 0.05, &r);
    kit_scen_check(err == -ETIMEDOUT, "io_fetch_threads with late replies: %s, expected -ETIMEDOUT", kit_errname(err));
    io_server_free(NULL);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "cpu_threads") == 0)
        return case_cpu_threads();
    if (argc == 2 && strcmp(argv[1], "io_threads") == 0)
        return case_io_threads();
    if (argc == 2 && strcmp(argv[1], "lifecycle") == 0)
        return case_lifecycle();
    fprintf(stderr, "usage: %s cpu_threads|io_threads|lifecycle\n", argv[0]);
    return 2;
}
