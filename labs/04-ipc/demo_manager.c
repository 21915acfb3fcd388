/*
 * demo_manager.c - the notes' Manager Value example: four processes add 1
 * a hundred times each through proxies, three ways (lab 04, part C).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manager.h"

#define PROCS 4
#define TIMES 100

enum way { GET_SET, WITH_LOCK, ATOMIC_ADD };

static const char *const way_names[] = {
    [GET_SET] = "v.value += 1 (get, then set)",
    [WITH_LOCK] = "with lock: v.value += 1",
    [ATOMIC_ADD] = "manager_value_add (one step in the server)",
};

/* adder - one process's TIMES increments, the chosen way. */
static int
adder(struct manager *m, enum way way)
{
    struct manager_proxy *p;
    long v;

    if (manager_connect(m, &p) != 0)
        return 1;
    for (int i = 0; i < TIMES; i++) {
        if (way == ATOMIC_ADD) {
            manager_value_add(p, 1, NULL);
            continue;
        }
        if (way == WITH_LOCK)
            manager_lock_acquire(p, LAB_FOREVER);
        manager_value_get(p, &v);
        manager_value_set(p, v + 1);
        if (way == WITH_LOCK)
            manager_lock_release(p);
    }
    manager_proxy_free(p);
    return 0;
}

/* trial - reset the value, run PROCS adders, print the total. */
static int
trial(struct manager *m, struct manager_proxy *p, enum way way)
{
    pid_t pids[PROCS];
    long v = 0;

    manager_value_set(p, 0);
    for (int i = 0; i < PROCS; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(adder(m, way));
    }
    for (int i = 0; i < PROCS; i++)
        waitpid(pids[i], NULL, 0);
    if (manager_value_get(p, &v) != 0)
        return 1;
    printf("%-44s -> %4ld of %d\n", way_names[way], v, PROCS * TIMES);
    return way == GET_SET || v == PROCS * TIMES ? 0 : 1;
}

int
main(void)
{
    struct manager *m;
    struct manager_proxy *p;
    int bad = 0;

    if (manager_new(&m) != 0 || manager_connect(m, &p) != 0) {
        fprintf(stderr, "demo_manager: manager_new/connect failed (not implemented yet?)\n");
        return 1;
    }
    for (int w = GET_SET; w <= ATOMIC_ADD; w++)
        bad |= trial(m, p, (enum way)w);
    manager_proxy_free(p);
    manager_free(m);
    return bad;
}
