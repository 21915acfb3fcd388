/*
 * demo_terminate.c - the notes' terminate() example: a child prints
 * forever; the parent lets it run a moment, terminates it, and reads the
 * exit code: -15, "killed by SIGTERM".
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

/* The notes pass ('Xiaoming', 18) and {"id": 1}: one struct in C. */
struct person {
    const char *name;
    int age;
    int id;
};

static void
nap(double seconds)
{
    struct timespec ts = { 0, (long)(seconds * 1e9) };

    nanosleep(&ts, NULL);
}

/* test - the target: report every 0.1 s, for ever. */
static int
test(void *arg)
{
    const struct person *who = arg;

    for (;;) {
        printf("  child %d running: name=%s age=%d id=%d\n", (int)getpid(),
               who->name, who->age, who->id);
        fflush(stdout);         /* terminate() skips any exit flushing */
        nap(0.1);
    }
    return 0;
}

int
main(void)
{
    struct person who = { "Xiaoming", 18, 1 };
    struct process *p = NULL;
    int code = 0;

    if (process_new(&p, test, &who, NULL) != 0 || process_start(p) != 0)
        return 1;
    nap(0.35);
    printf("parent: terminate(%s), alive=%d\n", process_name(p),
           process_is_alive(p));
    process_terminate(p);
    process_join(p, LAB_FOREVER);
    process_exitcode(p, &code);
    printf("parent: joined, alive=%d, exit code %d (-15 = SIGTERM)\n",
           process_is_alive(p), code);
    printf("parent: terminate again after join: %d (nothing sent)\n",
           process_terminate(p));
    process_free(p);
    return code == -15 ? 0 : 1;
}
