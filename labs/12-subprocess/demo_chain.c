/*
 * demo_chain.c - the notes' chained example, working: five processes,
 * each reads "N words" and prints "N+1 words"; stage i reads stage i-1's
 * stdout.  The notes' version crashes (an empty list, and communicate()
 * on a finished process); this one wires the pipes first, closes the
 * parent's copies, then feeds the first stage and reads the last.
 */
#include <stdio.h>
#include <string.h>

#include "sp.h"

#define STAGES 5

static char *add_one[] = {
    "sh", "-c", "read n rest; echo $((n + 1)) $rest", NULL,
};

/* start_chain - stage 0 reads a pipe we write; stage i reads i-1. */
static int
start_chain(struct sp_popen *ps[STAGES])
{
    int i;

    for (i = 0; i < STAGES; i++) {
        struct sp_options o = { .in.how = SP_PIPE, .out.how = SP_PIPE };
        int err;

        if (i > 0)
            o.in = (struct sp_stream){ .how = SP_FD,
                                       .fd = sp_popen_fd(ps[i - 1], 1) };
        err = sp_popen_new(&ps[i], add_one, &o);
        if (err)
            return err;
        if (i > 0)              /* only stage i holds it now */
            sp_popen_close_fd(ps[i - 1], 1);
    }
    return 0;
}

int
main(void)
{
    static const char first[] = "0 bouquet of flowers!\n";
    struct sp_popen *ps[STAGES] = { NULL };
    struct sp_result r = { 0 };
    int err = start_chain(ps);
    int i;

    if (err == 0)
        err = sp_popen_communicate(ps[0], first, strlen(first), &r, 5.0);
    sp_result_release(&r);
    if (err == 0)
        err = sp_popen_communicate(ps[STAGES - 1], NULL, 0, &r, 5.0);
    printf("sent '0 bouquet of flowers!' through %d processes, got '%.*s'\n",
           STAGES, r.out ? (int)strcspn(r.out, "\n") : 0, r.out ? r.out : "");
    printf("Sum of Processes : %d\n", STAGES);
    for (i = 0; i < STAGES; i++)
        sp_popen_free(ps[i]);
    err = err == 0 && r.out && strcmp(r.out, "5 bouquet of flowers!\n") == 0;
    sp_result_release(&r);
    return err ? 0 : 1;
}
