/*
 * cpu.h - one CPU-bound job (counting primes) split over threads or over
 * processes, with each worker's work window recorded (lab 13, parts A-B).
 * Python: threading.Thread and multiprocessing.Process around a pure
 * Python loop.  C has no GIL: two threads run on two cores at once, which
 * Python's threads cannot.  docs/13-choosing.md has the side-by-side
 * version and the measured speed-ups.
 */
#ifndef LAB_CPU_H
#define LAB_CPU_H

#include <stdbool.h>

/* Most workers one call may use. */
#define CPU_WORKERS_MAX 16

/* Largest n the job accepts (trial division stays well inside a long). */
#define CPU_N_MAX 100000000L

/* Numbers per block: worker k of K counts blocks k, k+K, k+2K, ... */
#define CPU_BLOCK 1024

#ifndef LAB_WINDOW_DEFINED
#define LAB_WINDOW_DEFINED
/* When a worker worked: seconds on CLOCK_MONOTONIC, which every process
 * of the machine shares, so windows from different processes compare. */
struct lab_window {
    double start;               /* the worker began its part */
    double end;                 /* the worker had its part's answer */
};
#endif

/* What a parallel count gives back. */
struct cpu_result {
    long count;                 /* primes p with 2 <= p < n */
    int workers;                /* workers that ran: as many as asked */
    struct lab_window window[CPU_WORKERS_MAX]; /* worker k's window */
};

/* Python's keyword arguments for the thread version.  NULL = defaults. */
struct cpu_options {
    /* Model CPython's GIL: a worker holds one lock shared by all workers
     * while it counts a block, and lets go between blocks, so only one
     * worker counts at any instant.  Default false (C has no GIL). */
    bool gil;
};

/*
 * cpu_count_range - how many primes p have lo <= p < hi (trial division).
 * Python:  sum(1 for x in range(lo, hi) if is_prime(x))
 * Returns: the count (0 when hi <= lo).  Cannot fail.
 * Threads: any thread; touches nothing shared.  Given, not a task.
 */
long cpu_count_range(long lo, long hi);

/*
 * cpu_count_part - the primes below n in part `part` of `parts`: the
 * blocks of CPU_BLOCK numbers whose index is part modulo parts.  The
 * parts of one n add up to the primes below n, and cost about the same.
 * Python:  sum(count_range(b, b + BLOCK) for b in range(part * BLOCK, n,
 *          parts * BLOCK))
 * Returns: the count; 0 for an empty or meaningless part.  Cannot fail.
 * Threads: any thread; touches nothing shared.  Given, not a task.
 */
long cpu_count_part(long n, int part, int parts);

/*
 * cpu_count_threads - count the primes below n with `workers` threads:
 * thread k counts cpu_count_part(n, k, workers) and records its window.
 * All threads are started before any is joined.
 * Python:  ts = [Thread(target=part, args=(n, k, K)) for k in range(K)]
 *          for t in ts: t.start()
 *          for t in ts: t.join()
 * Returns: 0 with *out filled; -EINVAL if out is NULL, n < 0 or
 *          n > CPU_N_MAX, or workers is not in 1..CPU_WORKERS_MAX;
 *          -EAGAIN (or another -errno) if a thread could not be created,
 *          after joining the ones that were.  On failure *out is unchanged.
 * Owns:    borrows opts (may be NULL) and out.
 * Threads: any thread; several calls may run at once (they share only
 *          the GIL model's lock).
 */
int cpu_count_threads(long n, int workers, const struct cpu_options *opts, struct cpu_result *out);

/*
 * cpu_count_processes - the same count with `workers` forked children:
 * child k counts its part and sends {k, count, window} back through one
 * pipe; the parent adds the parts up and reaps every child.
 * Python:  with Pool(K) as p: sum(p.starmap(part, [(n, k, K) ...]))
 *          (or K Processes and a Queue, as here)
 * Returns: 0 with *out filled; -EINVAL as cpu_count_threads; -ECHILD if a
 *          child ended without sending its part; -EAGAIN, -ENOMEM,
 *          -EMFILE from pipe or fork.  Every child is reaped and every
 *          pipe end closed, on every path.  On failure *out is unchanged.
 * Owns:    borrows out.
 * Threads: any thread; the children run only the count, write and _exit.
 */
int cpu_count_processes(long n, int workers, struct cpu_result *out);

#endif /* LAB_CPU_H */
