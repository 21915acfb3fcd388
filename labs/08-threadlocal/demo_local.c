/*
 * demo_local.c - threading.local's rules, in C: main's attribute is
 * invisible in a new thread, the thread's own value shadows nothing of
 * main's, and a value's destructor runs when its thread exits.
 *
 * Python:
 *     loc = threading.local(); loc.x = 'main'
 *     def f():
 *         print(hasattr(loc, 'x'))        # False
 *         loc.x = 'worker'
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local.h"

static void
say_freed(void *value)
{
    printf("  dtor: freeing \"%s\"\n", (char *)value);
    free(value);
}

static void *
worker(void *arg)
{
    struct local *loc = arg;
    void *v;
    char *mine = strdup("worker");

    printf("worker: has x? %s\n",
           local_get(loc, "x", &v) == -ENOENT ? "no" : "yes");
    if (mine == NULL || local_set(loc, "x", mine, say_freed) != 0) {
        free(mine);
        return NULL;
    }
    if (local_get(loc, "x", &v) == 0)
        printf("worker: x = \"%s\"; now returning\n", (char *)v);
    return NULL;
}

int
main(void)
{
    struct local *loc = NULL;
    pthread_t t;
    void *v;

    if (local_new(&loc) != 0) {
        fprintf(stderr, "local_new failed (is part A done?)\n");
        return 1;
    }
    local_set(loc, "x", "main", NULL);
    if (pthread_create(&t, NULL, worker, loc) != 0)
        return 1;
    pthread_join(t, NULL);
    if (local_get(loc, "x", &v) == 0)
        printf("main: x is still \"%s\"\n", (char *)v);
    local_free(loc);
    return 0;
}
