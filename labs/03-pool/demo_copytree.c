/*
 * demo_copytree.c - the notes' multi-process file copy: make a small
 * tree in /tmp, copy it with a pool of 4 workers while the parent draws
 * a progress bar from the workers' reports, then compare the copies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copytree.h"

#define FILES 24

/* draw - the progress callback: redraw the bar on one line. */
static void
draw(size_t done, size_t total, const char *name, void *arg)
{
    char bar[128];

    (void)arg;
    if (copytree_bar(bar, sizeof(bar), done, total, 30) > 0)
        printf("\r%s %-12s", bar, name);
    fflush(stdout);
}

/* make_tree - FILES files of growing size in two directories. */
static int
make_tree(const char *root)
{
    char path[256];

    if (mkdir(root, 0755) < 0 || snprintf(path, sizeof(path), "%s/sub",
                                          root) < 0 || mkdir(path, 0755) < 0)
        return -1;
    for (int i = 0; i < FILES; i++) {
        snprintf(path, sizeof(path), "%s/%sfile%02d", root,
                 i % 2 ? "sub/" : "", i);
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return -1;
        for (int j = 0; j < i * 4000; j++)
            fputc('a' + (i + j) % 26, f);
        fclose(f);
    }
    return 0;
}

int
main(void)
{
    char src[64], dst[80], cmd[256];
    struct copytree_options opts = { .processes = 4, .progress = draw };
    int err;

    snprintf(src, sizeof(src), "/tmp/demo_copytree.%d", (int)getpid());
    snprintf(dst, sizeof(dst), "%s-copy", src);
    if (make_tree(src) != 0)
        return 1;
    err = copytree(src, dst, &opts);
    printf("\ncopytree(%s, %s) = %d\n", src, dst, err);
    fflush(stdout);
    snprintf(cmd, sizeof(cmd), "diff -r %s %s && echo identical", src, dst);
    if (err == 0)
        err = system(cmd);
    snprintf(cmd, sizeof(cmd), "rm -rf %s %s", src, dst);
    if (system(cmd) != 0)
        return 1;
    return err == 0 ? 0 : 1;
}
