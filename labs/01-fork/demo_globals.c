/*
 * demo_globals.c - a global changed in the child is not changed in the
 * parent: after fork each process has its own copy of memory.
 * Python: g_num = 100; if os.fork() == 0: g_num += 1
 */
#include <stdio.h>
#include <string.h>

#include "fork.h"

static int g_num = 100;

int
main(void)
{
    struct fork_globals seen;
    int err = fork_globals(&g_num, g_num + 1, &seen);

    if (err) {
        fprintf(stderr, "fork_globals: %s\n", strerror(-err));
        return 1;
    }
    printf("child:  g_num was %d, after g_num += 1 it is %d\n", seen.child_before, seen.child_after);
    printf("parent: after the child exited, g_num is still %d\n", seen.parent_after);
    return seen.parent_after == 100 && seen.child_after == 101 ? 0 : 1;
}
