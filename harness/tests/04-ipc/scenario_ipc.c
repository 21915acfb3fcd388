/*
 * scenario_ipc.c - lab 04 behaviours whose outcome must not depend on the
 * schedule (ordering tier, under noise) or that the race and memory tools
 * watch.
 *
 *   mpq_procs     3 producer and 2 consumer processes share one mpq: every
 *                 message arrives exactly once, each producer's in order.
 *   mpq_threads   2 producer and 2 consumer threads in one process (the
 *                 race tools see only threads): same checks.
 *   pipe_threads  two threads ping-pong 200 messages over a duplex pipe.
 *   atomic_add    3 processes x 30 manager_value_add: exactly 90.
 *   with_lock     3 processes x 30 (lock, get, set+1, unlock): exactly 90.
 *   lost_update   3 processes x 30 (get, set+1): at most 90; prints what
 *                 it got (the notes' lost update; never a failure).
 *   remote        a master, 12 tasks, 2 worker processes, one of them
 *                 killed holding a task: every result exactly once.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "duplex.h"
#include "manager.h"
#include "mpq.h"
#include "remote.h"

#define PRODUCERS 3
#define PER_PRODUCER 100
#define CONSUMERS 2
#define WORKERS 3
#define PER_WORKER 30
#define TASKS 12

/* One message: who sent it and its number in that sender's sequence.
 * producer -1 is the "stop" message. */
struct rec {
    int producer;
    int seq;
};

/* reap_ok - wait for pid; fail unless it exited 0. */
static void
reap_ok(pid_t pid, const char *who)
{
    int status = 0;

    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    kit_scen_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s (pid %d) failed: status 0x%x", who, (int)pid, status);
}

/* spawn - fork a child running fn(arg, i) and _exit()ing with its code. */
static pid_t
spawn(int (*fn)(void *, int), void *arg, int i)
{
    pid_t pid = fork();

    kit_scen_check(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        _exit(fn(arg, i));
    return pid;
}

/* ---- mpq ------------------------------------------------------------- */

struct mpq_job {
    struct mpq *q;
    int report;                 /* consumers write their recs here */
};

static int
produce(void *arg, int id)
{
    struct mpq_job *j = arg;

    for (int s = 0; s < PER_PRODUCER; s++) {
        struct rec r = { id, s };
        if (mpq_put(j->q, &r, sizeof(r), 10.0) != 0)
            return 3;
    }
    return 0;
}

/* consume - get until a stop message; check per-producer order here and
 * report each rec to the parent. */
static int
consume(void *arg, int id)
{
    struct mpq_job *j = arg;
    int last[PRODUCERS] = { -1, -1, -1 };

    (void)id;
    for (;;) {
        struct rec r;
        size_t len;
        if (mpq_get(j->q, &r, sizeof(r), &len, 10.0) != 0)
            return 3;
        if (r.producer < 0)
            return 0;
        if (r.producer >= PRODUCERS || r.seq <= last[r.producer])
            return 4;           /* FIFO per producer broken */
        last[r.producer] = r.seq;
        if (kit_write_full(j->report, &r, sizeof(r)) != 0)
            return 5;
    }
}

/* check_all_once - every (producer, seq) exactly once in `got`. */
static void
check_all_once(const struct rec *got, int n)
{
    static int count[PRODUCERS][PER_PRODUCER];

    memset(count, 0, sizeof(count));
    kit_scen_check(n == PRODUCERS * PER_PRODUCER, "received %d messages, expected %d (lost or duplicated)", n, PRODUCERS * PER_PRODUCER);
    for (int i = 0; i < n; i++) {
        kit_scen_check(got[i].producer >= 0 && got[i].producer < PRODUCERS && got[i].seq >= 0 && got[i].seq < PER_PRODUCER, "a garbled message: producer %d seq %d", got[i].producer, got[i].seq);
        count[got[i].producer][got[i].seq]++;
    }
    for (int p = 0; p < PRODUCERS; p++)
        for (int s = 0; s < PER_PRODUCER; s++)
            kit_scen_check(count[p][s] == 1, "message %d of producer %d arrived %d times, expected exactly once", s, p, count[p][s]);
}

static void
case_mpq_procs(void)
{
    static struct rec got[PRODUCERS * PER_PRODUCER + 1];
    struct mpq_job j;
    pid_t prod[PRODUCERS];
    pid_t cons[CONSUMERS];
    int fds[2];
    ssize_t n;
    int err = mpq_new(&j.q, 8, sizeof(struct rec));

    kit_scen_require_impl(err, "mpq_new", "04-A");
    kit_scen_check(err == 0, "mpq_new: %s", kit_errname(err));
    kit_scen_check(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
    j.report = fds[1];
    for (int i = 0; i < CONSUMERS; i++)
        cons[i] = spawn(consume, &j, i);
    for (int i = 0; i < PRODUCERS; i++)
        prod[i] = spawn(produce, &j, i);
    close(fds[1]);
    for (int i = 0; i < PRODUCERS; i++)
        reap_ok(prod[i], "a producer");
    for (int i = 0; i < CONSUMERS; i++) {
        struct rec stop = { -1, 0 };
        err = mpq_put(j.q, &stop, sizeof(stop), 10.0);
        kit_scen_check(err == 0, "mpq_put(stop): %s", kit_errname(err));
    }
    n = kit_read_full(fds[0], got, sizeof(got), 20.0);
    close(fds[0]);
    for (int i = 0; i < CONSUMERS; i++)
        reap_ok(cons[i], "a consumer (exit 4: a producer's messages out of order)");
    kit_scen_check(n >= 0, "reading the consumers' reports: %s", kit_errname((int)n));
    check_all_once(got, (int)(n / (ssize_t)sizeof(struct rec)));
    mpq_free(j.q);
}

/* Thread versions of produce/consume for the race tools. */
struct thread_job {
    struct mpq_job *j;
    int id;
    int ret;
    struct rec *out;            /* consumer: where its recs go */
    int nout;
    struct kit_gate *gate;
};

static void *
produce_thread(void *arg)
{
    struct thread_job *t = arg;

    kit_gate_wait(t->gate);
    for (int s = 0; s < PER_PRODUCER / 4; s++) {
        struct rec r = { t->id, s };
        if (mpq_put(t->j->q, &r, sizeof(r), 10.0) != 0)
            t->ret = 3;
    }
    return NULL;
}

static void *
consume_thread(void *arg)
{
    struct thread_job *t = arg;

    for (;;) {
        struct rec r;
        size_t len;
        if (mpq_get(t->j->q, &r, sizeof(r), &len, 10.0) != 0) {
            t->ret = 3;
            return NULL;
        }
        if (r.producer < 0)
            return NULL;
        t->out[t->nout++] = r;
        (void)mpq_qsize(t->j->q);       /* a reader beside the writers */
    }
}

static void
case_mpq_threads(void)
{
    static struct rec got[2][PER_PRODUCER];
    struct thread_job t[4];
    struct kit_gate gate;
    struct mpq_job j;
    pthread_t th[4];
    int err = mpq_new(&j.q, 4, sizeof(struct rec));

    kit_scen_require_impl(err, "mpq_new", "04-A");
    kit_scen_check(err == 0, "mpq_new: %s", kit_errname(err));
    kit_gate_init(&gate, 2);   /* the producers */
    for (int i = 0; i < 4; i++) {
        t[i] = (struct thread_job){ .j = &j, .id = i % 2, .out = got[i % 2],
                                    .gate = &gate };
        err = pthread_create(&th[i], NULL,
                             i < 2 ? produce_thread : consume_thread, &t[i]);
        kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        struct rec stop = { -1, 0 };
        kit_scen_check(mpq_put(j.q, &stop, sizeof(stop), 10.0) == 0, "mpq_put(stop) failed");
    }
    for (int i = 2; i < 4; i++)
        pthread_join(th[i], NULL);
    kit_gate_destroy(&gate);
    for (int i = 0; i < 4; i++)
        kit_scen_check(t[i].ret == 0, "thread %d: a put or get failed", i);
    kit_scen_check(t[2].nout + t[3].nout == PER_PRODUCER / 2, "consumers got %d messages, expected %d", t[2].nout + t[3].nout, PER_PRODUCER / 2);
    mpq_free(j.q);
}

/* ---- duplex ---------------------------------------------------------- */

static void *
echo_thread(void *arg)
{
    struct pipe_conn *c = arg;

    for (;;) {
        void *m;
        size_t len;
        if (pipe_recv(c, &m, &len) != 0)
            return NULL;        /* -EPIPE: the other side closed */
        (void)pipe_send(c, m, len);
        free(m);
    }
}

static void
case_pipe_threads(void)
{
    struct pipe_conn *a;
    struct pipe_conn *b;
    pthread_t th;
    int err = pipe_new(&a, &b);

    kit_scen_require_impl(err, "pipe_new", "04-B");
    kit_scen_check(err == 0, "pipe_new: %s", kit_errname(err));
    err = pthread_create(&th, NULL, echo_thread, b);
    kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    for (int i = 0; i < 200; i++) {
        void *m;
        size_t len;
        kit_scen_check(pipe_send(a, &i, sizeof(i)) == 0, "pipe_send failed");
        err = pipe_recv(a, &m, &len);
        kit_scen_check(err == 0 && len == sizeof(i) && memcmp(m, &i, len) == 0, "round trip %d: pipe_recv gave %s and %zu bytes, expected the same int back", i, kit_errname(err), len);
        free(m);
    }
    pipe_close(a);
    pthread_join(th, NULL);
    pipe_close(b);
}

/* ---- manager ----------------------------------------------------------- */

enum update { ATOMIC_ADD, WITH_LOCK, GET_SET };

struct mgr_job {
    struct manager *m;
    enum update how;
};

/* one_update - one +1 to the value, the way `how` says. */
static int
one_update(struct manager_proxy *p, enum update how)
{
    long v;

    if (how == ATOMIC_ADD)
        return manager_value_add(p, 1, NULL);
    if (how == WITH_LOCK && manager_lock_acquire(p, 10.0) != 0)
        return -1;
    if (manager_value_get(p, &v) != 0 || manager_value_set(p, v + 1) != 0)
        return -1;
    return how == WITH_LOCK ? manager_lock_release(p) : 0;
}

static int
update_worker(void *arg, int id)
{
    struct mgr_job *j = arg;
    struct manager_proxy *p;

    (void)id;
    if (manager_connect(j->m, &p) != 0)
        return 3;
    for (int i = 0; i < PER_WORKER; i++) {
        if (one_update(p, j->how) != 0)
            return 4;
    }
    manager_proxy_free(p);
    return 0;
}

static void
case_updates(enum update how)
{
    struct mgr_job j = { .how = how };
    struct manager_proxy *p;
    pid_t pids[WORKERS];
    long v = -1;
    int err = manager_new(&j.m);

    kit_scen_require_impl(err, "manager_new", "04-C");
    kit_scen_check(err == 0, "manager_new: %s", kit_errname(err));
    for (int i = 0; i < WORKERS; i++)
        pids[i] = spawn(update_worker, &j, i);
    for (int i = 0; i < WORKERS; i++)
        reap_ok(pids[i], "an updating process");
    err = manager_connect(j.m, &p);
    kit_scen_check(err == 0, "manager_connect: %s", kit_errname(err));
    err = manager_value_get(p, &v);
    kit_scen_check(err == 0, "manager_value_get: %s", kit_errname(err));
    if (how == GET_SET) {
        printf("lost update: %d processes x %d increments by get+set gave %ld (%ld lost)\n", WORKERS, PER_WORKER, v, (long)WORKERS * PER_WORKER - v);
        kit_scen_check(v >= 1 && v <= WORKERS * PER_WORKER, "value %ld out of range", v);
    } else {
        kit_scen_check(v == WORKERS * PER_WORKER, "%d processes x %d increments (%s) gave %ld, expected %d: updates were lost", WORKERS, PER_WORKER, how == ATOMIC_ADD ? "manager_value_add" : "get+set under the manager's lock", v, WORKERS * PER_WORKER);
    }
    manager_proxy_free(p);
    manager_free(j.m);
}

/* ---- remote -------------------------------------------------------------- */

struct remote_job {
    int port;
    int ready;                  /* the doomed worker writes here */
};

/* remote_worker - answer tasks until the stop task (-1).  Worker 0
 * takes one task, reports it, and hangs to be killed. */
static int
remote_worker(void *arg, int id)
{
    struct remote_job *j = arg;
    struct remote_conn *c;

    if (remote_connect(&c, j->port, "k", 1) != 0)
        return 3;
    for (;;) {
        uint64_t tid;
        int *t;
        size_t len;
        int r;
        int err = remote_task_get(c, &tid, (void **)&t, &len, 10.0);
        if (err != 0)
            return 4;
        if (id == 0 && kit_write_full(j->ready, "x", 1) == 0)
            for (;;)
                pause();
        r = *t * 10;
        free(t);
        if (r < 0)
            break;              /* the stop task: left unanswered */
        if (remote_result_put(c, tid, &r, sizeof(r)) != 0)
            return 5;
    }
    remote_close(c);
    return 0;
}

/* collect - TASKS results, each task's exactly once and right. */
static void
collect(struct remote_conn *c)
{
    int seen[TASKS] = { 0 };

    for (int i = 0; i < TASKS; i++) {
        uint64_t id;
        int *r;
        size_t len;
        int err = remote_result_get(c, &id, (void **)&r, &len, 10.0);
        kit_scen_check(err == 0, "remote_result_get, result %d of %d: %s (a task was lost)", i + 1, TASKS, kit_errname(err));
        kit_scen_check(id >= 1 && id <= TASKS && *r == (int)(id - 1) * 10, "result for task %llu is %d, expected %d", (unsigned long long)id, *r, (int)(id - 1) * 10);
        seen[id - 1]++;
        free(r);
    }
    for (int i = 0; i < TASKS; i++)
        kit_scen_check(seen[i] == 1, "task %d: %d results, expected exactly one", i + 1, seen[i]);
}

static void
case_remote(void)
{
    struct remote_master *m;
    struct remote_conn *c;
    struct remote_job j;
    pid_t doomed;
    pid_t other;
    int fds[2];
    char x;
    int stop;
    int err = remote_master_new(&m, 0, "k", 1);

    kit_scen_require_impl(err, "remote_master_new", "04-D");
    kit_scen_check(err == 0, "remote_master_new: %s", kit_errname(err));
    err = remote_connect(&c, remote_master_port(m), "k", 1);
    kit_scen_check(err == 0, "remote_connect: %s", kit_errname(err));
    for (int i = 0; i < TASKS; i++)
        kit_scen_check(remote_task_put(c, &i, sizeof(i), NULL) == 0, "remote_task_put failed");
    kit_scen_check(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
    j = (struct remote_job){ .port = remote_master_port(m), .ready = fds[1] };
    doomed = spawn(remote_worker, &j, 0);
    close(fds[1]);
    kit_scen_check(kit_read_full(fds[0], &x, 1, 10.0) == 1, "the doomed worker never took a task");
    close(fds[0]);
    other = spawn(remote_worker, &j, 1);
    kill(doomed, SIGKILL);
    waitpid(doomed, NULL, 0);
    collect(c);
    stop = -1;
    kit_scen_check(remote_task_put(c, &stop, sizeof(stop), NULL) == 0, "remote_task_put(stop) failed");
    reap_ok(other, "the surviving worker");
    remote_close(c);
    remote_master_free(m);
}

int
main(int argc, char **argv)
{
    int rounds = kit_scen_repeat(2);
    const char *what = argc == 2 ? argv[1] : "";

    for (int i = 0; i < rounds; i++) {
        if (strcmp(what, "mpq_procs") == 0)
            case_mpq_procs();
        else if (strcmp(what, "mpq_threads") == 0)
            case_mpq_threads();
        else if (strcmp(what, "pipe_threads") == 0)
            case_pipe_threads();
        else if (strcmp(what, "atomic_add") == 0)
            case_updates(ATOMIC_ADD);
        else if (strcmp(what, "with_lock") == 0)
            case_updates(WITH_LOCK);
        else if (strcmp(what, "lost_update") == 0)
            case_updates(GET_SET);
        else if (strcmp(what, "remote") == 0)
            case_remote();
        else {
            fprintf(stderr, "usage: %s mpq_procs|mpq_threads|pipe_threads|atomic_add|with_lock|lost_update|remote\n", argv[0]);
            return 2;
        }
    }
    return 0;
}
