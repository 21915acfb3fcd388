/*
 * demo_fork_tree.c - two forks in a row make four processes, not three;
 * n forks make 2^n.  Every process reports its pid once.
 * Python: os.fork(); os.fork(); print(os.getpid())
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fork.h"

/* print_tree - fork_tree(n) and list the pids it reported. */
static int
print_tree(int n)
{
    pid_t pids[1 << FORK_TREE_MAX_N];
    int count = 0;
    int err = fork_tree(n, pids, 1 << FORK_TREE_MAX_N, &count);

    if (err) {
        fprintf(stderr, "fork_tree(%d): %s\n", n, strerror(-err));
        return 1;
    }
    printf("%d fork(s) in a row: %d processes:", n, count);
    for (int i = 0; i < count; i++)
        printf(" %d%s", (int)pids[i], pids[i] == getpid() ? "(me)" : "");
    printf("\n");
    return count == 1 << n ? 0 : 1;
}

int
main(void)
{
    int bad = 0;

    for (int n = 1; n <= 3; n++)
        bad |= print_tree(n);
    return bad;
}
