/*
 * demo_download.c - the notes' "slow download" example as an I/O-bound
 * job: 10 requests that the server answers after 0.1 s each, fetched
 * one after another, with a thread each, and with one event loop.  The
 * waits overlap, so both concurrent versions take about one delay.
 */
#include <stdio.h>
#include <time.h>

#include "io.h"

#define CONNS 10
#define DELAY 0.1

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* one_by_one - each request waited for before the next is sent. */
static int
one_by_one(int port, int conns, double timeout, struct io_result *out)
{
    struct io_result one;
    int err = 0;

    out->replies = 0;
    for (int k = 0; k < conns && err == 0; k++) {
        err = io_fetch_loop(port, 1, timeout, &one);
        out->replies += one.replies;
    }
    return err;
}

/* run - time one way of fetching; returns 0 or the error. */
static int
run(const char *what, struct io_server *s,
    int (*fetch)(int, int, double, struct io_result *))
{
    struct io_result r;
    double t0 = now();
    int err = fetch(io_server_port(s), CONNS, 10.0, &r);

    printf("%-22s %2d/%d replies  %.2f s  (error %d)\n", what, r.replies,
           CONNS, now() - t0, err);
    return err;
}

int
main(void)
{
    struct io_server *s;
    int err = io_server_start(&s, DELAY);

    if (err) {
        printf("io_server_start failed: error %d\n", err);
        return 1;
    }
    printf("%d requests, each answered after %.1f s\n", CONNS, DELAY);
    err = run("one after another", s, one_by_one);
    if (!err)
        err = run("a thread each", s, io_fetch_threads);
    if (!err)
        err = run("one event loop", s, io_fetch_loop);
    printf("server held at most %d requests at once\n", io_server_peak(s));
    io_server_free(s);
    return err == 0 ? 0 : 1;
}
