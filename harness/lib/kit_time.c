/*
 * kit_time.c - one clock for every deadline the harness keeps.
 */
#include <time.h>

#include "kit.h"

double
kit_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
