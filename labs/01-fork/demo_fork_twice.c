/*
 * demo_fork_twice.c - fork is called once and returns twice: the child
 * sees its own pid and its parent's, the parent sees the child's pid.
 * Python: pid = os.fork(); print(os.getpid(), os.getppid())
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fork.h"

int
main(void)
{
    struct fork_report r;
    int err = fork_report(&r);

    if (err) {
        fprintf(stderr, "fork_report: %s\n", strerror(-err));
        return 1;
    }
    printf("parent: I am %d; fork() returned %d to me\n", (int)r.parent, (int)r.returned);
    printf("child:  fork() returned 0 to me; getpid() = %d, getppid() = %d\n", (int)r.child_pid, (int)r.child_ppid);
    printf("same process seen from both sides: %s\n", r.returned == r.child_pid && r.child_ppid == r.parent ? "yes" : "NO");
    return r.returned == r.child_pid && r.child_ppid == r.parent ? 0 : 1;
}
