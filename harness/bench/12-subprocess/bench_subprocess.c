/*
 * bench_subprocess.c - how many times per second run('/bin/true')
 * completes, and a small communicate() round trip (lab 12).  Python twin:
 * bench_subprocess.py.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kit.h"
#include "sp.h"

#define ROUNDS 500

/* run_rate - sp_run({"/bin/true"}) per second. */
static double
run_rate(void)
{
    char *argv[] = { "/bin/true", NULL };
    double t0 = kit_now();
    int i;

    for (i = 0; i < ROUNDS; i++) {
        struct sp_result r = { 0 };

        if (sp_run(argv, NULL, &r, LAB_FOREVER) != 0 || r.returncode != 0) {
            fprintf(stderr, "bench_subprocess: run round %d failed\n", i);
            exit(1);
        }
        sp_result_release(&r);
    }
    return ROUNDS / (kit_now() - t0);
}

/* communicate_rate - cat fed "hello" through pipes, per second. */
static double
communicate_rate(void)
{
    char *argv[] = { "/bin/cat", NULL };
    struct sp_options o = { .capture = true, .input = "hello", .input_len = 5 };
    double t0 = kit_now();
    int i;

    for (i = 0; i < ROUNDS; i++) {
        struct sp_result r = { 0 };

        if (sp_run(argv, &o, &r, LAB_FOREVER) != 0 || r.out_len != 5) {
            fprintf(stderr, "bench_subprocess: communicate round %d failed\n", i);
            exit(1);
        }
        sp_result_release(&r);
    }
    return ROUNDS / (kit_now() - t0);
}

int
main(void)
{
    printf("bench\tsubprocess_run_true\t%.1f\truns/s\trun(['/bin/true'])\n",
           run_rate());
    printf("bench\tsubprocess_communicate\t%.1f\truns/s\tPopen(['cat'], stdin=PIPE, stdout=PIPE).communicate(b'hello')\n",
           communicate_rate());
    return 0;
}
