/*
 * copytree.c - copy a directory tree with a process pool; the workers
 * report each finished file through a pipe, the parent counts them and
 * calls the progress function.
 *
 * DESIGN
 *
 * The parent walks the tree first: it makes every directory and symbolic
 * link itself (cheap, and a file's directory must exist before a worker
 * writes into it) and lists the regular files.  Each file is one
 * apply_async task.  The progress pipe is made before the pool, so every
 * worker (and every replacement, forked from the parent) holds its write
 * end.  A worker writes one record {index, status} per file it finishes,
 * as the notes' workers put the name on a queue.  A worker that dies
 * cannot write: the pool's callback (run in the parent) writes the
 * record for it, so the parent always receives a record for every file
 * and never waits forever.  A file may be reported twice (the worker
 * wrote, then died before its reply): the parent counts each index once.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copytree.h"
#include "pool.h"

/* Bytes copied per read(). */
#define COPY_CHUNK 65536

/* Worker -> parent through the progress pipe: "file `index` is done".
 * 8 bytes, far below PIPE_BUF, so records never interleave. */
struct progress_rec {
    uint32_t index;
    int32_t status;
};

/* A task's argument: the record to send, then "src\0dst\0". */
struct copy_arg {
    uint32_t index;
    int fd;                     /* the progress pipe's write end */
    char paths[];
};

/* The files to copy, relative to the roots. */
struct file_list {
    char **names;
    size_t n;
    size_t cap;
};

/* ---- in the worker ------------------------------------------------------ */

/* copy_fd - copy everything from `in` to `out`.  Returns 0 or -errno. */
static int
copy_fd(int in, int out)
{
    char *buf = malloc(COPY_CHUNK);
    int err = buf == NULL ? -ENOMEM : 0;

    while (err == 0) {
        ssize_t n = read(in, buf, COPY_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? -errno : 0;
            break;
        }
        for (ssize_t done = 0; done < n && err == 0;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno != EINTR)
                err = -errno;
            done += w > 0 ? w : 0;
        }
    }
    free(buf);
    return err;
}

/* copy_file - copy one file with its permission bits.  Returns 0 or
 * -errno. */
static int
copy_file(const char *src, const char *dst)
{
    struct stat st;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out;
    int err;

    if (in < 0)
        return -errno;
    if (fstat(in, &st) < 0) {
        err = -errno;
        goto out_close_in;
    }
    out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
               st.st_mode & 07777);
    if (out < 0) {
        err = -errno;
        goto out_close_in;
    }
    err = copy_fd(in, out);     /* DOC: 03-pool#copytree */
    if (close(out) < 0 && err == 0)
        err = -errno;
out_close_in:
    close(in);
    return err;
}

/* report - write one progress record; a full or closed pipe is not the
 * task's failure. */
static void
report(int fd, uint32_t index, int status)
{
    struct progress_rec rec = { .index = index, .status = status };
    ssize_t n;

    do
        n = write(fd, &rec, sizeof(rec));
    while (n < 0 && errno == EINTR);
}

/* copy_task - the pool task: copy one file, then tell the parent. */
static int
copy_task(const void *arg, size_t arg_len, void *out, size_t out_cap,
          size_t *out_len)
{
    const struct copy_arg *a = arg;
    const char *src = a->paths;
    const char *dst = src + strlen(src) + 1;
    int err;

    (void)arg_len;
    (void)out;
    (void)out_cap;
    (void)out_len;
    err = copy_file(src, dst);
    report(a->fd, a->index, err);   /* DOC: 03-pool#progress */
    return err;
}

/* ---- in the parent: the walk ------------------------------------------ */

/* list_add - append a copy of `name`.  Returns 0 or -ENOMEM. */
static int
list_add(struct file_list *l, const char *name)
{
    char *copy;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **names = realloc(l->names, cap * sizeof(*names));
        if (names == NULL)
            return -ENOMEM;
        l->names = names;
        l->cap = cap;
    }
    copy = strdup(name);
    if (copy == NULL)
        return -ENOMEM;
    l->names[l->n++] = copy;
    return 0;
}

static void
list_free(struct file_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
}

/* join_path - "a/b" into buf.  Returns 0 or -ENAMETOOLONG. */
static int
join_path(char *buf, size_t len, const char *a, const char *b)
{
    int n = b[0] != '\0' ? snprintf(buf, len, "%s/%s", a, b)
                         : snprintf(buf, len, "%s", a);

    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int walk(const char *src, const char *dst, const char *rel,
                struct file_list *files);

/* walk_entry - one directory entry `rel`: make a directory (and walk it)
 * or a link, or list a file.  Returns 0 or -errno. */
static int
walk_entry(const char *src, const char *dst, const char *rel,
           struct file_list *files)
{
    char from[PATH_MAX];
    char to[PATH_MAX];
    char link[PATH_MAX];
    struct stat st;
    ssize_t n;

    if (join_path(from, sizeof(from), src, rel) ||
        join_path(to, sizeof(to), dst, rel))
        return -ENAMETOOLONG;
    if (lstat(from, &st) < 0)
        return -errno;
    if (S_ISREG(st.st_mode))
        return list_add(files, rel);
    if (S_ISDIR(st.st_mode)) {
        if (mkdir(to, st.st_mode & 07777) < 0)
            return -errno;
        return walk(src, dst, rel, files);
    }
    if (!S_ISLNK(st.st_mode))
        return 0;               /* fifos, devices: skipped */
    n = readlink(from, link, sizeof(link) - 1);
    if (n < 0)
        return -errno;
    link[n] = '\0';
    return symlink(link, to) < 0 ? -errno : 0;
}

/* walk - walk directory `rel` (relative to src; "" for the root).
 * Returns 0 or -errno. */
static int
walk(const char *src, const char *dst, const char *rel,
     struct file_list *files)
{
    char dir[PATH_MAX];
    char child[PATH_MAX];
    struct dirent *e;
    DIR *d;
    int err = join_path(dir, sizeof(dir), src, rel);

    if (err)
        return err;
    d = opendir(dir);
    if (d == NULL)
        return -errno;
    while (err == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        err = join_path(child, sizeof(child), rel, e->d_name);
        if (err == 0 && rel[0] == '\0')
            err = join_path(child, sizeof(child), e->d_name, "");
        if (err == 0)
            err = walk_entry(src, dst, child, files);
    }
    closedir(d);
    return err;
}

/* make_root - check src and make dst.  Returns 0 or -errno. */
static int
make_root(const char *src, const char *dst)
{
    struct stat st;

    if (stat(src, &st) < 0)
        return -errno;
    if (!S_ISDIR(st.st_mode))
        return -ENOTDIR;
    if (mkdir(dst, st.st_mode & 07777) < 0)
        return -errno;
    return 0;
}

/* ---- in the parent: the pool ------------------------------------------ */

/* What the pool's callback needs to stand in for a dead worker. */
struct stand_in {
    int fd;
    uint32_t index;
};

/* worker_gone - pool callback: the worker could not report this file
 * (it died, or the pool ended first), so the parent reports it.  Runs
 * on the pool's result thread. */
static void
worker_gone(int status, const void *result, size_t len, void *arg)
{
    struct stand_in *s = arg;

    (void)result;
    (void)len;
    if (status == -ECHILD || status == -ECANCELED)
        report(s->fd, s->index, status);    /* DOC: 03-pool#progress */
}

/* submit_all - one task per file.  Returns 0 or the first error; on an
 * error the tasks already queued still run. */
static int
submit_all(struct pool *p, const char *src, const char *dst,
           const struct file_list *files, int fd, struct stand_in *si,
           struct pool_result **res)
{
    size_t cap = sizeof(struct copy_arg) + 2 * PATH_MAX;
    struct copy_arg *a = malloc(cap);
    int err = a == NULL ? -ENOMEM : 0;

    for (size_t i = 0; i < files->n && err == 0; i++) {
        char *to;
        size_t len;

        a->index = (uint32_t)i;
        a->fd = fd;
        err = join_path(a->paths, PATH_MAX, src, files->names[i]);
        to = a->paths + strlen(a->paths) + 1;
        if (err == 0)
            err = join_path(to, PATH_MAX, dst, files->names[i]);
        len = (size_t)(to + strlen(to) + 1 - (char *)a);
        si[i] = (struct stand_in){ .fd = fd, .index = (uint32_t)i };
        if (err == 0)
            err = pool_apply_async(p, copy_task, a, len, worker_gone,
                                   &si[i], &res[i]);
    }
    free(a);
    return err;
}

/* read_progress - read records until each of the n submitted files was
 * reported once, calling progress.  Returns 0 or -errno. */
static int
read_progress(int fd, const struct file_list *files, size_t n,
              const struct copytree_options *o)
{
    unsigned char *seen = calloc(n + 1, 1);
    size_t done = 0;

    if (seen == NULL)
        return -ENOMEM;
    while (done < n) {
        struct progress_rec rec;
        ssize_t r = read(fd, &rec, sizeof(rec));

        if (r < 0 && errno == EINTR)
            continue;
        if (r != (ssize_t)sizeof(rec))
            break;              /* cannot happen: we hold a write end */
        if (rec.index >= n || seen[rec.index])
            continue;
        seen[rec.index] = 1;
        done++;
        if (o != NULL && o->progress != NULL)
            o->progress(done, files->n, files->names[rec.index],
                        o->progress_arg);
    }
    free(seen);
    return done == n ? 0 : -EIO;
}

/* collect - the first failure among the n results; frees them. */
static int
collect(struct pool_result **res, size_t n)
{
    int first = 0;

    for (size_t i = 0; i < n; i++) {
        int err = pool_result_get(res[i], NULL, 0, NULL, LAB_FOREVER);
        if (err && first == 0)
            first = err;
        pool_result_free(res[i]);
    }
    return first;
}

/* copy_files - the pool part: submit, follow the progress, collect.
 * Returns 0 or the first error. */
static int
copy_files(const char *src, const char *dst, const struct file_list *files,
           const struct copytree_options *o)
{
    struct pool_options po = { .processes = o != NULL ? o->processes : 0 };
    struct pool_result **res = calloc(files->n + 1, sizeof(*res));
    struct stand_in *si = calloc(files->n + 1, sizeof(*si));
    struct pool *p = NULL;
    int fds[2];
    int err = res == NULL || si == NULL ? -ENOMEM : 0;
    size_t n = 0;

    if (err == 0 && pipe2(fds, O_CLOEXEC) < 0)
        err = -errno;
    if (err)
        goto out_free;
    err = pool_new(&p, &po);    /* after the pipe: workers inherit it */
    if (err == 0)
        err = submit_all(p, src, dst, files, fds[1], si, res);
    while (n < files->n && res[n] != NULL)
        n++;
    if (p != NULL) {
        int perr = read_progress(fds[0], files, n, o);
        int cerr = collect(res, n);
        err = err ? err : cerr ? cerr : perr;
        pool_close(p);
        pool_join(p);
    }
    pool_free(p);
    close(fds[0]);
    close(fds[1]);
out_free:
    free(si);
    free(res);
    return err;
}

int
copytree(const char *src, const char *dst,
         const struct copytree_options *opts)
{
    struct file_list files = { 0 };
    int err;

    if (src == NULL || dst == NULL || (opts != NULL && opts->processes < 0))
        return -EINVAL;
    err = make_root(src, dst);
    if (err)
        return err;
    err = walk(src, dst, "", &files);
    if (err == 0)
        err = copy_files(src, dst, &files, opts);
    list_free(&files);
    return err;
}

/* ---- the bar ----------------------------------------------------------- */

int
copytree_bar(char *buf, size_t len, size_t done, size_t total, int width)
{
    size_t full;
    int pct;
    int n;

    if (buf == NULL || width < 1 || done > total)
        return -EINVAL;
    full = total == 0 ? (size_t)width : done * (size_t)width / total;
    pct = total == 0 ? 100 : (int)(done * 100 / total);
    if (len < (size_t)width + 32)
        return -ENOSPC;
    buf[0] = '[';
    for (int i = 0; i < width; i++)
        buf[1 + i] = (size_t)i < full ? '#' : '-';
    n = snprintf(buf + 1 + width, len - 1 - (size_t)width,
                 "] %3d%% (%zu/%zu)", pct, done, total);
    if (n < 0 || (size_t)n >= len - 1 - (size_t)width)
        return -ENOSPC;
    return 1 + width + n;
}
