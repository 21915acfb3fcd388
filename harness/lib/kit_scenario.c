/*
 * kit_scenario.c - what a scenario program needs: a failure line the
 * harness can quote, and the seed and round count it was started with.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kit.h"

void
kit_scen_fail(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fputs("FAIL: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    /* _exit: a scenario may fail inside a forked child, whose atexit
     * handlers and stdio buffers belong to the parent. */
    _exit(1);
}

void
kit_scen_require_impl(int err, const char *what, const char *todo)
{
    if (err == -ENOSYS)
        kit_scen_fail("not implemented yet: %s returned -ENOSYS. See TODO(%s)",
                      what, todo);
}

unsigned long
kit_scen_seed(void)
{
    const char *s = getenv("KIT_SEED");

    return s ? strtoul(s, NULL, 10) : 0;
}

int
kit_scen_repeat(int dflt)
{
    const char *s = getenv("KIT_ROUNDS");
    int n = s ? atoi(s) : 0;

    return n > 0 ? n : dflt;
}

/* The noise build links kit_noise.o, whose strong definition wins. */
__attribute__((weak)) void
kit_noise_point(void)
{
}
