/*
 * responsive.h - the notes' responsive interface, in a terminal: a long
 * "download" runs in a daemon thread while the main loop keeps answering
 * commands (lab 05, part K).
 * Python:  DownloadTaskHandler(daemon=True).start() behind a Tk button
 */
#ifndef LAB_RESPONSIVE_H
#define LAB_RESPONSIVE_H

/* Options.  Pass NULL for all defaults. */
struct responsive_options {
    double download_seconds;    /* 0: 10 s, as the notes' time.sleep(10) */
};

/*
 * responsive_run - read commands, one per line, from `in_fd` and answer
 * each at once on `out_fd`, one line per answer:
 *   "download"  "download started" (a daemon thread then waits
 *               download_seconds and writes "download finished"), or
 *               "busy" while one runs;
 *   "about"     "about: ..." ;
 *   "status"    "status: downloading" or "status: idle";
 *   "quit"      "bye", and return at once (also at end of input), without
 *               waiting for a download: it is a daemon;
 *   other       "unknown command: <line>".
 * Python:  tkinter's mainloop with the "download" and "about" buttons.
 * Returns: 0; -EINVAL if a fd is negative or download_seconds is
 *          negative or NaN; -errno from read or write; errors of
 *          thread_new/thread_start.
 * Owns:    borrows opts; keeps out_fd until it returns (a download left
 *          running writes nothing after that).
 * Threads: any thread.  A download still running when it returns keeps
 *          running, detached, until it ends or the program exits.
 */
int responsive_run(int in_fd, int out_fd, const struct responsive_options *opts);

#endif /* LAB_RESPONSIVE_H */
