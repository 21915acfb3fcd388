/*
 * demo_daemon.c - daemon versus ordinary child, and what happens "at
 * exit": a daemon dances for ever, an ordinary child sings three verses.
 * process_shutdown() (Python does it for you at interpreter exit)
 * terminates the dancer and waits for the singer.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

static void
nap(double seconds)
{
    struct timespec ts = { 0, (long)(seconds * 1e9) };

    nanosleep(&ts, NULL);
}

static int
dance(void *arg)
{
    (void)arg;
    for (;;) {
        printf("  dancing (daemon %d)\n", (int)getpid());
        fflush(stdout);
        nap(0.1);
    }
    return 0;
}

static int
sing(void *arg)
{
    (void)arg;
    for (int verse = 1; verse <= 3; verse++) {
        printf("  singing verse %d (child %d)\n", verse, (int)getpid());
        fflush(stdout);
        nap(0.15);
    }
    return 0;
}

/* show - print how one process ended. */
static void
show(struct process *p)
{
    int code = 0;

    process_exitcode(p, &code);
    printf("%s (daemon=%d) ended with exit code %d\n", process_name(p),
           process_daemon(p), code);
}

int
main(void)
{
    struct process_options daemonic = { .name = "dancer", .daemon = true };
    struct process_options plain = { .name = "singer" };
    struct process *d = NULL;
    struct process *s = NULL;
    int err;

    if (process_new(&d, dance, NULL, &daemonic) || process_start(d) ||
        process_new(&s, sing, NULL, &plain) || process_start(s))
        return 1;
    printf("main: nothing left to do; shutting down as Python does at exit\n");
    err = process_shutdown(LAB_FOREVER);
    show(d);                    /* -15: terminated */
    show(s);                    /* 0: waited for */
    process_free(d);
    process_free(s);
    return err;
}
