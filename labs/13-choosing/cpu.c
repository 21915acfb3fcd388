/*
 * cpu.c - count primes with K threads or K processes, and record when
 * each worker worked.  STUB: the TODO(13-A) and TODO(13-B) bodies are
 * yours; the rest is given.
 *
 * DESIGN
 *
 * The job is split by cpu_count_part() into K parts of equal cost, so the
 * only thing the two versions teach is how the parts run: threads share
 * the caller's memory (each writes its own slot, the caller reads the
 * slots after pthread_join, which orders the writes before the reads);
 * processes share nothing, so each child sends its part through a pipe.
 * One pipe serves every child: a part is 32 bytes, below PIPE_BUF, so
 * each write() arrives whole, never mixed with another child's.
 *
 * The GIL model is one mutex for the whole program, held for one block at
 * a time, as CPython holds its GIL for a switch interval.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

/* The GIL model: guards nothing but the right to count (cpu_options). */
static pthread_mutex_t gil = PTHREAD_MUTEX_INITIALIZER;

/* One thread's part: set before pthread_create, results read after
 * pthread_join (no lock: the join orders them). */
struct cpu_worker {
    pthread_t tid;
    long n;
    int part;
    int parts;
    bool gil;
    long count;                 /* written by the worker */
    struct lab_window window;   /* written by the worker */
};

/* What a child sends back: 32 bytes, one write(), never split. */
struct cpu_msg {
    int part;
    long count;
    struct lab_window window;
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* now - seconds on CLOCK_MONOTONIC.  Async-signal-safe; cannot fail. */
static __attribute__((unused)) double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* is_prime - trial division by 2 and the odd numbers up to sqrt(x). */
static bool
is_prime(long x)
{
    if (x < 2)
        return false;
    if (x % 2 == 0)
        return x == 2;
    for (long d = 3; d * d <= x; d += 2) {
        if (x % d == 0)
            return false;
    }
    return true;
}

long
cpu_count_range(long lo, long hi)
{
    long count = 0;

    for (long x = lo; x < hi; x++)
        count += is_prime(x);
    return count;
}

/* count_blocks - cpu_count_part, holding the GIL model's lock around each
 * block when `with_gil`. */
static long
count_blocks(long n, int part, int parts, bool with_gil)
{
    long step = (long)parts * CPU_BLOCK;
    long count = 0;

    if (n <= 0 || parts < 1 || part < 0 || part >= parts)
        return 0;
    for (long lo = (long)part * CPU_BLOCK; lo < n; lo += step) {
        long hi = lo + CPU_BLOCK < n ? lo + CPU_BLOCK : n;
        if (with_gil)
            LAB_CHECK(pthread_mutex_lock(&gil));
        count += cpu_count_range(lo, hi);
        if (with_gil)
            LAB_CHECK(pthread_mutex_unlock(&gil));
    }
    return count;
}

long
cpu_count_part(long n, int part, int parts)
{
    return count_blocks(n, part, parts, false);
}

/* check_args - the argument rules both versions share. */
static __attribute__((unused)) int
check_args(long n, int workers, const struct cpu_result *out)
{
    if (out == NULL || n < 0 || n > CPU_N_MAX)
        return -EINVAL;
    if (workers < 1 || workers > CPU_WORKERS_MAX)
        return -EINVAL;
    return 0;
}

/* ---- part A: threads ------------------------------------------------- */

/* thread_main - count one part and stamp its window. */
static __attribute__((unused)) void *
thread_main(void *arg)
{
    /* TODO(13-A): stamp the window's start, count this worker's part (with
     * the GIL model's lock when w->gil: count_blocks does that), stamp the
     * end.  Python: the Thread's target.
     * Read docs/13-choosing.md#part-a-threads. */
    (void)arg;
    return NULL;
}

int
cpu_count_threads(long n, int workers, const struct cpu_options *opts,
                  struct cpu_result *out)
{
    /* TODO(13-A): check the arguments, start ALL the threads, then join
     * them all, then add up the parts and copy the windows.  Python:
     * Thread.start() for each, then join() for each.  Read
     * docs/13-choosing.md#start-all-then-join-all. */
    (void)n;
    (void)workers;
    (void)opts;
    (void)out;
    return -ENOSYS;
}

/* ---- part B: processes ----------------------------------------------- */

/* write_all - write len bytes, retrying EINTR and short writes.
 * Async-signal-safe.  Returns 0 or -errno. */
static __attribute__((unused)) int
write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t r = write(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* read_all - read len bytes; returns len, fewer at end of file, or
 * -errno. */
static __attribute__((unused)) ssize_t
read_all(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* child_main - in a forked child: count one part, send it, _exit.  Only
 * async-signal-safe calls (the parent may have other threads).  Does not
 * return. */
static __attribute__((unused)) void
child_main(int wfd, long n, int part, int parts)
{
    /* TODO(13-B): stamp the start, count the part, stamp the end, send
     * one struct cpu_msg with write_all and _exit (never return).  Python:
     * the Process's target putting its result on a Queue.  Read
     * docs/13-choosing.md#part-b-processes. */
    (void)wfd;
    (void)n;
    (void)part;
    (void)parts;
    _exit(1);
}

/* collect_parts - read parts from rfd until end of file (every child has
 * written and exited, and the parent's write end is closed) and add them
 * up into *out.  Returns 0, -ECHILD if a part is missing, bad or twice, or
 * -errno. */
static __attribute__((unused)) int
collect_parts(int rfd, int workers, struct cpu_result *out)
{
    /* TODO(13-B): read struct cpu_msg records until end of file; accept
     * each part once, add the counts, keep the windows; -ECHILD unless all
     * `workers` parts came.  Python: sum(q.get() for _ in range(K)).  Read
     * docs/13-choosing.md#collect-every-part. */
    (void)rfd;
    (void)workers;
    (void)out;
    return -ENOSYS;
}

/* reap_all - waitpid every child in pids; a child that did not exit 0
 * turns *err into -ECHILD unless an error is already there. */
static __attribute__((unused)) void
reap_all(const pid_t *pids, int n, int *err)
{
    /* TODO(13-B): waitpid every child (retry EINTR); a child that did not
     * exit 0 sets *err to -ECHILD if it is still 0.  Python: p.join() for
     * each.  Read docs/13-choosing.md#collect-every-part. */
    (void)pids;
    (void)n;
    (void)err;
}

int
cpu_count_processes(long n, int workers, struct cpu_result *out)
{
    /* TODO(13-B): one pipe, fork `workers` children (each runs child_main),
     * close the parent's write end, collect the parts, close, reap them all
     * on every path.  Python: Process per part and a Queue.  Read
     * docs/13-choosing.md#part-b-processes. */
    (void)n;
    (void)workers;
    (void)out;
    return -ENOSYS;
}
