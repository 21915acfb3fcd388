/*
 * test_copytree.c - functional tests of copytree.h: a byte-exact copy by
 * a process pool, progress reaching 100%, errors (lab 03, part G).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copytree.h"
#include "kit.h"

TestSuite(copytree, .timeout = 20);

#define NFILES 30

/* What the progress function saw (called in the test's thread). */
struct seen {
    size_t calls;
    size_t last_done;
    size_t last_total;
    bool monotonic;
};

static void
on_progress(size_t done, size_t total, const char *name, void *arg)
{
    struct seen *s = arg;

    (void)name;
    if (done != s->last_done + 1)
        s->monotonic = false;
    s->calls++;
    s->last_done = done;
    s->last_total = total;
}

/* file_bytes - byte j of test file i. */
static char
file_byte(int i, long j)
{
    return (char)((i * 131 + j * 7) & 0xff);
}

static void
write_file(const char *path, int i, long size, mode_t mode)
{
    FILE *f = fopen(path, "w");

    cr_assert(ne(ptr, f, NULL), "test setup: fopen(%s): %s", path, strerror(errno));
    for (long j = 0; j < size; j++)
        fputc(file_byte(i, j), f);
    fclose(f);
    chmod(path, mode);
}

/* make_tree - root/{fileNN, sub/fileNN, sub/deeper/fileNN}, sizes 0 to
 * ~300 KiB. */
static void
make_tree(const char *root)
{
    char path[512];

    cr_assert(eq(int, mkdir(root, 0755), 0), "test setup: mkdir %s", root);
    snprintf(path, sizeof(path), "%s/sub", root);
    mkdir(path, 0750);
    snprintf(path, sizeof(path), "%s/sub/deeper", root);
    mkdir(path, 0700);
    for (int i = 0; i < NFILES; i++) {
        const char *dir = i % 3 == 0 ? "" : i % 3 == 1 ? "sub/" : "sub/deeper/";
        snprintf(path, sizeof(path), "%s/%sfile%02d", root, dir, i);
        write_file(path, i, (long)i * i * 333, i % 2 ? 0640 : 0755);
    }
}

/* same_file - byte-equal with the same permission bits. */
static bool
same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    FILE *fa = fopen(a, "r");
    FILE *fb = fopen(b, "r");
    bool same = fa != NULL && fb != NULL;
    int ca = 0, cb = 0;

    while (same && ca != EOF) {
        ca = fgetc(fa);
        cb = fgetc(fb);
        same = ca == cb;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           (sa.st_mode & 07777) == (sb.st_mode & 07777);
}

static void
remove_tree(const char *root)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    cr_assert(eq(int, system(cmd), 0), "test cleanup: %s", cmd);
}

/* Catches: the stub.  The notes' example: every file copied byte for
 * byte, the bar reaches 100% (one report per file, done = total last). */
KIT_TEST(copytree, copies_a_tree_byte_for_byte_and_progress_reaches_100)
{
    char src[128], dst[160], a[512], b[512];
    struct seen s = { .monotonic = true };
    struct copytree_options opts = { .processes = 3, .progress = on_progress,
                                     .progress_arg = &s };
    int err;

    snprintf(src, sizeof(src), "/tmp/kit03-copytree-%d", (int)getpid());
    snprintf(dst, sizeof(dst), "%s-copy", src);
    make_tree(src);
    err = copytree(src, dst, &opts);
    kit_require_impl(err, "copytree", "03-G");
    cr_expect(eq(int, err, 0), "copytree(src, dst): expected 0, got %s. See docs/03-pool.md#copytree", kit_errname(err));
    for (int i = 0; i < NFILES && err == 0; i++) {
        const char *dir = i % 3 == 0 ? "" : i % 3 == 1 ? "sub/" : "sub/deeper/";
        snprintf(a, sizeof(a), "%s/%sfile%02d", src, dir, i);
        snprintf(b, sizeof(b), "%s/%sfile%02d", dst, dir, i);
        cr_expect(same_file(a, b), "%s differs from its source (bytes or permission bits): the copy must be byte-exact. See docs/03-pool.md#copytree", b);
    }
    cr_expect(eq(sz, s.calls, (size_t)NFILES), "progress was called %zu times for %d files: once per finished file. See docs/03-pool.md#progress", s.calls, NFILES);
    cr_expect(eq(sz, s.last_done, (size_t)NFILES), "the last progress call said done = %zu: the bar must reach %d/%d (100%%). See docs/03-pool.md#progress", s.last_done, NFILES, NFILES);
    cr_expect(eq(sz, s.last_total, (size_t)NFILES), "progress total = %zu, expected %d. See docs/03-pool.md#progress", s.last_total, NFILES);
    cr_expect(s.monotonic, "progress `done` must count 1, 2, 3, ... (each file once). See docs/03-pool.md#progress");
    remove_tree(src);
    remove_tree(dst);
}

/* Catches: the stub.  Python: FileExistsError; and a file is not a
 * tree. */
KIT_TEST(copytree, refuses_an_existing_destination_and_a_file_source)
{
    char src[128];
    int err;

    snprintf(src, sizeof(src), "/tmp/kit03-copytree-e-%d", (int)getpid());
    cr_assert(eq(int, mkdir(src, 0755), 0), "test setup: mkdir");
    err = copytree(src, "/tmp", NULL);
    kit_require_impl(err, "copytree", "03-G");
    cr_expect(eq(int, err, -EEXIST), "copytree(src, \"/tmp\"): expected -EEXIST (Python: FileExistsError), got %s. See docs/03-pool.md#copytree", kit_errname(err));
    err = copytree("/etc/hostname", "/tmp/kit03-never", NULL);
    cr_expect(eq(int, err, -ENOTDIR), "copytree of a regular file: expected -ENOTDIR, got %s. See docs/03-pool.md#copytree", kit_errname(err));
    remove_tree(src);
}

/* Catches: the stub.  The bar: empty, half, full. */
KIT_TEST(copytree, bar_shows_0_50_and_100_percent)
{
    char buf[64];
    int n = copytree_bar(buf, sizeof(buf), 5, 10, 10);

    kit_require_impl(n, "copytree_bar", "03-G");
    cr_expect(eq(str, buf, "[#####-----]  50% (5/10)"), "copytree_bar(5, 10, width 10): got \"%s\". See docs/03-pool.md#progress", buf);
    cr_expect(eq(int, n, (int)strlen(buf)), "copytree_bar returns the length: expected %zu, got %d. See docs/03-pool.md#progress", strlen(buf), n);
    copytree_bar(buf, sizeof(buf), 10, 10, 10);
    cr_expect(eq(str, buf, "[##########] 100% (10/10)"), "copytree_bar(10, 10, width 10): got \"%s\". See docs/03-pool.md#progress", buf);
    copytree_bar(buf, sizeof(buf), 0, 3, 4);
    cr_expect(eq(str, buf, "[----]   0% (0/3)"), "copytree_bar(0, 3, width 4): got \"%s\". See docs/03-pool.md#progress", buf);
    cr_expect(eq(int, copytree_bar(buf, sizeof(buf), 4, 3, 4), -EINVAL), "copytree_bar(done > total): expected -EINVAL. See docs/03-pool.md#progress");
}
