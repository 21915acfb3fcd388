/*
 * bench_ipc.c - how fast messages move between two processes: through
 * the shared-memory queue (one way) and around a duplex pipe (round
 * trips), lab 04.  Python twin: bench_ipc.py.
 * Output: bench<TAB>id<TAB>value<TAB>unit<TAB>what (harness/tools/bench.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "duplex.h"
#include "mpq.h"

#define QUEUE_MSGS 200000
#define ROUND_TRIPS 20000

static void
die(const char *what)
{
    fprintf(stderr, "bench_ipc: %s failed\n", what);
    exit(1);
}

/* queue_rate - 8-byte messages per second, producer process to this
 * one, through a queue of 1000 slots (timed from the first get). */
static double
queue_rate(void)
{
    struct mpq *q;
    long v;
    size_t len;
    double t0;
    pid_t pid;

    if (mpq_new(&q, 1000, sizeof(long)) != 0)
        die("mpq_new");
    pid = fork();
    if (pid == 0) {
        for (long i = 0; i < QUEUE_MSGS; i++)
            if (mpq_put(q, &i, sizeof(i), LAB_FOREVER) != 0)
                _exit(1);
        _exit(0);
    }
    if (mpq_get(q, &v, sizeof(v), &len, LAB_FOREVER) != 0)
        die("mpq_get");
    t0 = kit_now();
    for (long i = 1; i < QUEUE_MSGS; i++)
        if (mpq_get(q, &v, sizeof(v), &len, LAB_FOREVER) != 0 || v != i)
            die("mpq_get (order)");
    t0 = (QUEUE_MSGS - 1) / (kit_now() - t0);
    waitpid(pid, NULL, 0);
    mpq_free(q);
    return t0;
}

/* pipe_rate - round trips per second of an 8-byte message with an echo
 * child. */
static double
pipe_rate(void)
{
    struct pipe_conn *a;
    struct pipe_conn *b;
    double t0;
    pid_t pid;

    if (pipe_new(&a, &b) != 0)
        die("pipe_new");
    pid = fork();
    if (pid == 0) {
        void *m;
        size_t len;
        pipe_close(a);
        while (pipe_recv(b, &m, &len) == 0) {
            (void)pipe_send(b, m, len);
            free(m);
        }
        _exit(0);
    }
    pipe_close(b);
    t0 = kit_now();
    for (long i = 0; i < ROUND_TRIPS; i++) {
        void *m;
        size_t len;
        if (pipe_send(a, &i, sizeof(i)) != 0 || pipe_recv(a, &m, &len) != 0)
            die("pipe round trip");
        free(m);
    }
    t0 = ROUND_TRIPS / (kit_now() - t0);
    pipe_close(a);
    waitpid(pid, NULL, 0);
    return t0;
}

int
main(void)
{
    printf("bench\tqueue_msgs\t%.0f\tmsgs/s\tQueue(1000): one producer process -> one consumer, small messages\n", queue_rate());
    printf("bench\tpipe_rtt\t%.0f\tround trips/s\tPipe(): send + recv of a small message, echo child\n", pipe_rate());
    return 0;
}
