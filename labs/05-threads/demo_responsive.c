/*
 * demo_responsive.c - the notes' responsive interface in a terminal.
 * With a terminal on stdin it reads your commands (download, about,
 * status, quit).  Otherwise it plays a script: start a 3 s download, ask
 * "about" and "status" while it runs, and quit mid-download at once.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "responsive.h"

/* scripted - run with a pipe for stdin holding the script. */
static int
scripted(const struct responsive_options *opts)
{
    const char *script = "download\nabout\nstatus\ndownload\nquit\n";
    struct timespec t0;
    struct timespec t1;
    int in[2];
    int err;

    if (pipe2(in, O_CLOEXEC) != 0 ||
        write(in[1], script, strlen(script)) < 0)
        return 1;
    close(in[1]);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    err = responsive_run(in[0], STDOUT_FILENO, opts);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(in[0]);
    printf("(quit after %.3f s, with the %.0f s download still running)\n",
           (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
           opts->download_seconds);
    return err == 0 ? 0 : 1;
}

int
main(void)
{
    struct responsive_options opts = { .download_seconds = 3.0 };

    if (isatty(STDIN_FILENO)) {
        printf("commands: download, about, status, quit\n");
        return responsive_run(STDIN_FILENO, STDOUT_FILENO, &opts) == 0 ? 0 : 1;
    }
    return scripted(&opts);
}
