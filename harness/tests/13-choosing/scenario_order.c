/*
 * scenario_order.c - lab 13 under seeded schedule noise (ordering tier):
 * whatever the schedule, the parts add up, every window is ordered and
 * inside the call, and every request gets its own reply.
 *
 *   cpu_threads  cpu_count_threads with 1..3 workers, with and without
 *                the GIL model
 *   cpu_procs    cpu_count_processes with 1..3 workers
 *   io_threads   io_fetch_threads, 4 connections, a short delay
 *   io_loop      io_fetch_loop, 8 connections, a short delay
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "cpu.h"
#include "io.h"

/* pi(20000): the primes below 20000. */
#define N 20000L
#define PI_N 2262L

/* check_windows - every window ordered and inside [t0, t1]. */
static void
check_windows(const struct lab_window *w, int n, double t0, double t1,
              const char *what)
{
    for (int k = 0; k < n; k++) {
        kit_scen_check(w[k].start >= t0 && w[k].start <= w[k].end && w[k].end <= t1, "%s: window %d [%.6f, %.6f] is not ordered inside the call [%.6f, %.6f]", what, k, w[k].start, w[k].end, t0, t1);
    }
}

static int
case_cpu(bool procs)
{
    int rounds = kit_scen_repeat(3);

    for (int i = 0; i < rounds; i++) {
        for (int k = 1; k <= 3; k++) {
            struct cpu_options opts = { .gil = (i + k) % 2 == 0 };
            struct cpu_result r = { .count = -1 };
            double t0 = kit_now();
            int err = procs ? cpu_count_processes(N, k, &r)
                            : cpu_count_threads(N, k, &opts, &r);
            double t1 = kit_now();
            const char *what = procs ? "cpu_count_processes"
                                     : "cpu_count_threads";
            kit_scen_require_impl(err, what, procs ? "13-B" : "13-A");
            kit_scen_check(err == 0, "%s(%ld, %d): expected 0, got %s", what, N, k, kit_errname(err));
            kit_scen_check(r.count == PI_N, "%s(%ld, %d workers%s): expected %ld primes, got %ld", what, N, k, opts.gil && !procs ? ", GIL" : "", PI_N, r.count);
            check_windows(r.window, k, t0, t1, what);
        }
    }
    return 0;
}

static int
case_io(bool loop)
{
    int rounds = kit_scen_repeat(3);
    int conns = loop ? 8 : 4;
    const char *what = loop ? "io_fetch_loop" : "io_fetch_threads";
    struct io_server *s = NULL;
    int err = io_server_start(&s, 0.005);

    kit_scen_check(err == 0, "io_server_start: %s", kit_errname(err));
    for (int i = 0; i < rounds; i++) {
        struct io_result r = { .replies = -1 };
        double t0 = kit_now();
        err = loop ? io_fetch_loop(io_server_port(s), conns, 10.0, &r)
                   : io_fetch_threads(io_server_port(s), conns, 10.0, &r);
        kit_scen_require_impl(err, what, loop ? "13-D" : "13-C");
        kit_scen_check(err == 0, "%s(port, %d, 10.0): expected 0, got %s", what, conns, kit_errname(err));
        kit_scen_check(r.replies == conns, "%s: %d replies of %d", what, r.replies, conns);
        check_windows(r.window, conns, t0, kit_now(), what);
    }
    io_server_free(s);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "cpu_threads") == 0)
        return case_cpu(false);
    if (argc == 2 && strcmp(argv[1], "cpu_procs") == 0)
        return case_cpu(true);
    if (argc == 2 && strcmp(argv[1], "io_threads") == 0)
        return case_io(false);
    if (argc == 2 && strcmp(argv[1], "io_loop") == 0)
        return case_io(true);
    fprintf(stderr, "usage: %s cpu_threads|cpu_procs|io_threads|io_loop\n", argv[0]);
    return 2;
}
