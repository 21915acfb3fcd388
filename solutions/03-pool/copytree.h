/*
 * copytree.h - the notes' worked example: copy a directory tree with a
 * process pool, the parent drawing a progress bar fed by the workers
 * (lab 03, part G).
 * Python: Pool.apply_async(copy_file, ...) per file, each worker doing
 * queue.put(name) when done, the parent reading the queue and printing
 * the percentage; shutil.copytree for the tree itself.
 */
#ifndef LAB_COPYTREE_H
#define LAB_COPYTREE_H

#include <stddef.h>

/*
 * Called in the thread that called copytree(), once per finished file, in
 * the order the files finish: `done` of `total` files are copied, `name`
 * (relative to the source) is the one that just finished.
 */
typedef void copytree_progress(size_t done, size_t total, const char *name, void *arg);

/* Options; NULL means all defaults. */
struct copytree_options {
    int processes;                  /* pool workers; 0: the number of CPUs */
    copytree_progress *progress;    /* NULL: no progress report */
    void *progress_arg;
};

/*
 * copytree - copy the tree at `src` to a new directory `dst`: directories
 * and symbolic links are made by the parent, regular files are copied
 * byte for byte (with their permission bits) by a pool of workers, each
 * of which reports every finished file through a pipe to the parent.
 * Python:  shutil.copytree(src, dst), with the notes' Pool + Queue.
 * Returns: 0 when every file was copied; -EINVAL if src or dst is NULL;
 *          -EEXIST if dst exists (Python: FileExistsError); -ENOTDIR if
 *          src is not a directory; -ENOENT if it does not exist; the
 *          first file's -errno (e.g. -EACCES) or -ECHILD (its worker
 *          died) if some file failed, after every other file was tried;
 *          -ENOMEM and pool_new()'s errors.
 *          Other file types (fifos, devices) are skipped.
 * Owns:    borrows src, dst and opts; keeps opts->progress_arg for the
 *          call.
 * Threads: any thread; progress runs in the calling thread.
 */
int copytree(const char *src, const char *dst, const struct copytree_options *opts);

/*
 * copytree_bar - format a progress bar `width` cells wide, e.g.
 * "[#####-----]  50% (5/10)", into buf.
 * Returns: the length written (without the NUL); -EINVAL if buf is NULL,
 *          width < 1, or done > total; -ENOSPC if len is too small.
 *          total 0 shows a full bar at 100%.
 * Owns:    borrows buf.
 */
int copytree_bar(char *buf, size_t len, size_t done, size_t total, int width);

#endif /* LAB_COPYTREE_H */
