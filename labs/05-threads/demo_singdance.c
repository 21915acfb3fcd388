/*
 * demo_singdance.c - the notes' first threaded program: sing and dance at
 * the same time, and threading.enumerate() before, during and after.
 * Run it twice: the interleaving of the lines may differ.
 */
#include <stdio.h>
#include <unistd.h>

#include "singdance.h"
#include "thread.h"

/* show_threads - print threading.enumerate(). */
static void
show_threads(const char *when)
{
    struct thread_info info[8];
    size_t n = 0;

    thread_enumerate(info, 8, &n);
    printf("%s: %zu thread(s):", when, n);
    for (size_t i = 0; i < n && i < 8; i++)
        printf(" %s", info[i].name);
    printf("\n");
    fflush(stdout);
}

int
main(void)
{
    int err;

    show_threads("before");
    err = singdance_run(STDOUT_FILENO, 5, 0.1);     /* starts and joins */
    show_threads("after");
    printf("singdance_run: %d (0 = both threads joined)\n", err);
    return err == 0 ? 0 : 1;
}
