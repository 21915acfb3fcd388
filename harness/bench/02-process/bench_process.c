/*
 * bench_process.c - how fast a child process starts and is joined, with
 * the fork start method (lab 02).  Python twin: bench_process.py.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "process.h"

#define ROUNDS 500

static int
do_nothing(void *arg)
{
    (void)arg;
    return 0;
}

/* start_join_rate - processes started and joined per second. */
static double
start_join_rate(void)
{
    double t0 = kit_now();

    for (int i = 0; i < ROUNDS; i++) {
        struct process *p;
        if (process_new(&p, do_nothing, NULL, NULL) != 0 ||
            process_start(p) != 0 || process_join(p, LAB_FOREVER) != 0) {
            fprintf(stderr, "bench_process: round %d failed\n", i);
            exit(1);
        }
        process_free(p);
    }
    return ROUNDS / (kit_now() - t0);
}

int
main(void)
{
    printf("bench\tprocess_start_join\t%.1f\tprocs/s\tProcess(target=f).start() + join(), fork method\n",
           start_join_rate());
    return 0;
}
