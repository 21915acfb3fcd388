/*
 * demo_stdio_twice.c - text still in a stdio buffer at fork time is
 * copied into the child, and both processes write it out: fflush first.
 * Python: print('hello', end=''); os.fork()   (with buffered stdout)
 */
#define _GNU_SOURCE     /* pipe2 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fork.h"

/* through_pipe - fork_print_and_fork on a fully buffered FILE over a
 * pipe; print what came out.  Returns the bytes that came out, or -1. */
static int
through_pipe(bool flush_first)
{
    char out[64];
    int fds[2];
    FILE *f;
    ssize_t n;
    int err;

    if (pipe2(fds, O_CLOEXEC) < 0 || !(f = fdopen(fds[1], "w")))
        return -1;
    setvbuf(f, NULL, _IOFBF, BUFSIZ);
    err = fork_print_and_fork(f, "hello", flush_first);
    fclose(f);
    n = read(fds[0], out, sizeof(out) - 1);
    close(fds[0]);
    if (err || n < 0) {
        fprintf(stderr, "fork_print_and_fork: %s\n", strerror(err ? -err : 5));
        return -1;
    }
    out[n] = '\0';
    printf("%-24s -> \"%s\"\n", flush_first ? "fflush, then fork" : "fork with text buffered", out);
    return (int)n;
}

int
main(void)
{
    int twice = through_pipe(false);
    int once = through_pipe(true);

    return twice == 10 && once == 5 ? 0 : 1;
}
