/*
 * singdance.h - the notes' first threaded program: one thread sings while
 * another dances (lab 05, part F).
 * Python:  Thread(target=sing).start(); Thread(target=dance).start()
 */
#ifndef LAB_SINGDANCE_H
#define LAB_SINGDANCE_H

/*
 * singdance_run - start a "sing" thread and a "dance" thread, then join
 * both.  Each writes `rounds` lines to fd `out`, "sing I\n" and
 * "dance I\n" for I = 0 .. rounds-1, each line with one write(), and
 * waits `pause` seconds after each line.  The threads' lines interleave
 * in an order nobody chooses; each thread's own lines stay in order.
 * Python:  sing() and dance() from the notes, with print() and sleep(1).
 * Returns: 0 once both threads are joined; -EINVAL if out < 0, rounds
 *          < 0, or pause is negative or NaN; errors of thread_new() and
 *          thread_start(); the first -errno a thread got from write()
 *          (-EPIPE if the reader has gone).
 * Threads: any thread.  Blocks about rounds * pause seconds.
 */
int singdance_run(int out, int rounds, double pause);

#endif /* LAB_SINGDANCE_H */
