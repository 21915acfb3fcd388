/*
 * demo_dialogue.c - the notes' dialogue between John and Smith, told by
 * two threads that hand the turn over with events: the same order in
 * every run, with no sleep.  Runs it five times.
 */
#include <stdio.h>

#include "dialogue.h"

/* print_line - say one line: "Smith: Good morning". */
static void
print_line(const char *speaker, const char *text, void *arg)
{
    (void)arg;
    printf("  %s: %s\n", speaker, text);
    fflush(stdout);
}

int
main(void)
{
    for (int run = 1; run <= 5; run++) {
        int err;

        printf("run %d\n", run);
        err = dialogue_run(print_line, NULL);
        if (err != 0) {
            fprintf(stderr, "dialogue_run failed: %d\n", err);
            return 1;
        }
    }
    return 0;
}
