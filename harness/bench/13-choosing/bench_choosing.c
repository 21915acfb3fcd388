/*
 * bench_choosing.c - the closing chapter measured (lab 13): a CPU-bound
 * count on 1 and 2 threads (with and without the GIL model) and 1 and 2
 * processes, and an I/O-bound batch of slow requests one after another,
 * with a thread each and with one event loop.  Python twin:
 * bench_choosing.py.  plot.py turns both into docs/img/13-choosing-speedup.png.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "cpu.h"
#include "io.h"

/* The same sizes as the Python twin. */
#define CPU_N 1000000L
#define CPU_RUNS 5
#define IO_CONNS 16
#define IO_DELAY 0.05

/* cpu_time - the median of CPU_RUNS timed counts of one configuration. */
static double
cpu_time(int workers, bool procs, bool gil)
{
    struct cpu_options opts = { .gil = gil };
    double t[CPU_RUNS];

    for (int i = 0; i < CPU_RUNS; i++) {
        struct cpu_result r;
        double t0 = kit_now();
        int err = procs ? cpu_count_processes(CPU_N, workers, &r)
                        : cpu_count_threads(CPU_N, workers, &opts, &r);
        t[i] = kit_now() - t0;
        if (err) {
            fprintf(stderr, "bench_choosing: count failed: %s\n", kit_errname(err));
            exit(1);
        }
    }
    for (int i = 1; i < CPU_RUNS; i++) {
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
            double x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    }
    return t[CPU_RUNS / 2];
}

/* io_time - one batch of IO_CONNS requests: all at once with `fetch`,
 * or (fetch NULL) one after another. */
static double
io_time(struct io_server *s, int (*fetch)(int, int, double, struct io_result *))
{
    struct io_result r;
    double t0 = kit_now();
    int err = 0;

    if (fetch != NULL)
        err = fetch(io_server_port(s), IO_CONNS, 30.0, &r);
    for (int k = 0; fetch == NULL && k < IO_CONNS && err == 0; k++)
        err = io_fetch_loop(io_server_port(s), 1, 30.0, &r);
    if (err) {
        fprintf(stderr, "bench_choosing: fetch failed: %s\n", kit_errname(err));
        exit(1);
    }
    return kit_now() - t0;
}

int
main(void)
{
    struct io_server *s;

    printf("bench\tcpu_1thread\t%.4f\ts\tprimes below 1M, 1 thread\n", cpu_time(1, false, false));
    printf("bench\tcpu_2threads\t%.4f\ts\tprimes below 1M, 2 threads (Python: held by the GIL)\n", cpu_time(2, false, false));
    printf("bench\tcpu_2threads_gil\t%.4f\ts\tprimes below 1M, 2 threads taking a modelled GIL per block\n", cpu_time(2, false, true));
    printf("bench\tcpu_1process\t%.4f\ts\tprimes below 1M, 1 child process\n", cpu_time(1, true, false));
    printf("bench\tcpu_2processes\t%.4f\ts\tprimes below 1M, 2 child processes\n", cpu_time(2, true, false));
    if (io_server_start(&s, IO_DELAY) != 0) {
        fprintf(stderr, "bench_choosing: io_server_start failed\n");
        return 1;
    }
    printf("bench\tio_one_by_one\t%.4f\ts\t16 requests answered after 50 ms, one after another\n", io_time(s, NULL));
    printf("bench\tio_threads\t%.4f\ts\t16 requests answered after 50 ms, a thread each\n", io_time(s, io_fetch_threads));
    printf("bench\tio_loop\t%.4f\ts\t16 requests answered after 50 ms, one event loop (Python: asyncio)\n", io_time(s, io_fetch_loop));
    io_server_free(s);
    return 0;
}
