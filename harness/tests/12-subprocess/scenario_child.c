/*
 * scenario_child.c - the program the lab 12 tests run as a child, so
 * that what it does is exact and known (lab 12, parts A and C).
 *
 *   fds            print every open descriptor above 2, one per line
 *                  (the directory read to list them excepted)
 *   err_then_echo N  write N bytes to stderr, then copy stdin to stdout
 *                  (Python's test_communicate_pipe_buf: a parent that
 *                  writes all input or reads stdout first deadlocks)
 *   both N         write N bytes to stdout and N to stderr, 16 KiB at a
 *                  time, alternating
 *
 * It is a scenario only in name: run directly it does what its case says
 * and exits 0, or 2 on bad usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "popen.h"

#define CHUNK 16384

/* list_fds - the "fds" case. */
static int
list_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;

    if (d == NULL)
        return 3;
    while ((e = readdir(d)) != NULL) {
        int fd = atoi(e->d_name);

        if (e->d_name[0] != '.' && fd > 2 && fd != dirfd(d))
            printf("%d\n", fd);
    }
    closedir(d);
    return fflush(stdout) == 0 ? 0 : 3;
}

/* spew - write n bytes of `c` to fd. */
static int
spew(int fd, size_t n, char c)
{
    static char buf[CHUNK];
    size_t k;

    memset(buf, c, sizeof(buf));
    while (n > 0) {
        k = n < sizeof(buf) ? n : sizeof(buf);
        if (kit_write_full(fd, buf, k) != 0)
            return 3;
        n -= k;
    }
    return 0;
}

/* echo - copy stdin to stdout until EOF. */
static int
echo(void)
{
    static char buf[CHUNK];
    ssize_t n;

    for (;;) {
        n = read(0, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? 0 : 3;
        if (kit_write_full(1, buf, (size_t)n) != 0)
            return 3;
    }
}

/* both - alternate CHUNK bytes to stdout and to stderr, n each. */
static int
both(size_t n)
{
    size_t k;

    while (n > 0) {
        k = n < CHUNK ? n : CHUNK;
        if (spew(1, k, 'o') != 0 || spew(2, k, 'e') != 0)
            return 3;
        n -= k;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;

    if (argc == 2 && strcmp(argv[1], "fds") == 0)
        return list_fds();
    if (argc == 3 && strcmp(argv[1], "err_then_echo") == 0)
        return spew(2, n, 'e') != 0 ? 3 : echo();
    if (argc == 3 && strcmp(argv[1], "both") == 0)
        return both(n);
    fprintf(stderr, "usage: %s fds | err_then_echo N | both N\n", argv[0]);
    return 2;
}
