/*
 * scenario_threads.c - thread objects used from several threads, for the
 * ordering tier (under schedule noise), the race tier (Helgrind, DRD,
 * TSan) and the memory tier (memcheck) of lab 05.
 *
 *   unlisted_after_join  start and join short threads while the main
 *                thread checks that a joined thread is never listed by
 *                thread_enumerate() (TH-09).
 *   many_joiners four threads join one target at once; all get 0 (TH-12).
 *   join_race    join(timeout) racing the target's end: 0 or -ETIMEDOUT,
 *                and is_alive agrees with the answer.
 *   singdance    singdance_run's lines: each thread's own in order.
 *   churn        two threads start and join threads while two others
 *                call thread_enumerate() and thread_current(): the
 *                registry is shared by all of them.
 *   echo         a thread-per-client echo server with three clients.
 *   lifecycle    one thread: every call of thread.h once, for memcheck.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "echosrv.h"
#include "singdance.h"
#include "thread.h"

/* Target: nothing. */
static void
nothing(void *arg)
{
    (void)arg;
}

/* Target: add one to the int under a lock the scenario owns. */
struct counter {
    pthread_mutex_t mu;
    int n;
};

static void
count_one(void *arg)
{
    struct counter *c = arg;

    pthread_mutex_lock(&c->mu);
    c->n++;
    pthread_mutex_unlock(&c->mu);
}

/* start_new - thread_new + thread_start, failing the scenario on error. */
static struct thread *
start_new(thread_target *fn, void *arg)
{
    struct thread *t = NULL;
    int err = thread_new(&t, fn, arg, NULL);

    kit_scen_require_impl(err, "thread_new", "05-A");
    kit_scen_check(err == 0, "thread_new: %s", kit_errname(err));
    err = thread_start(t);
    kit_scen_require_impl(err, "thread_start", "05-A");
    kit_scen_check(err == 0, "thread_start: %s", kit_errname(err));
    return t;
}

/* is_listed - is `ident` in thread_enumerate()? */
static bool
is_listed(unsigned long ident)
{
    struct thread_info info[64];
    size_t n = 0;
    int err = thread_enumerate(info, 64, &n);

    kit_scen_require_impl(err, "thread_enumerate", "05-C");
    kit_scen_check(err == 0, "thread_enumerate: %s", kit_errname(err));
    for (size_t i = 0; i < n && i < 64; i++) {
        if (info[i].ident == ident)
            return true;
    }
    return false;
}

static int
unlisted_after_join(void)
{
    int rounds = kit_scen_repeat(20);

    for (int i = 0; i < rounds; i++) {
        struct thread *t = start_new(nothing, NULL);
        unsigned long ident = thread_ident(t);
        int err = thread_join(t, LAB_FOREVER);
        kit_scen_require_impl(err, "thread_join", "05-B");
        kit_scen_check(err == 0, "thread_join: %s", kit_errname(err));
        kit_scen_check(!is_listed(ident), "round %d: thread_enumerate() lists a thread after thread_join returned 0 (a thread leaves the list before it says it ended)", i);
        kit_scen_check(!thread_is_alive(t), "round %d: is_alive true after join", i);
        thread_free(t);
    }
    return 0;
}

/* What a joiner thread needs. */
struct joiner {
    struct thread *target;
    int err;
};

static void *
join_it(void *arg)
{
    struct joiner *j = arg;

    j->err = thread_join(j->target, LAB_FOREVER);
    return NULL;
}

static int
many_joiners(void)
{
    int rounds = kit_scen_repeat(5);

    for (int r = 0; r < rounds; r++) {
        struct thread *t = start_new(nothing, NULL);
        struct joiner j[3];
        pthread_t p[3];
        int err;
        for (int i = 0; i < 3; i++) {
            j[i] = (struct joiner){ t, 12345 };
            kit_scen_check(pthread_create(&p[i], NULL, join_it, &j[i]) == 0, "pthread_create");
        }
        err = thread_join(t, LAB_FOREVER);
        for (int i = 0; i < 3; i++)
            pthread_join(p[i], NULL);
        kit_scen_check(err == 0, "round %d: the main thread's join got %s", r, kit_errname(err));
        for (int i = 0; i < 3; i++)
            kit_scen_check(j[i].err == 0, "round %d: joiner %d got %s: every joiner of one thread returns 0", r, i, kit_errname(j[i].err));
        thread_free(t);
    }
    return 0;
}

static int
join_race(void)
{
    int rounds = kit_scen_repeat(20);

    for (int i = 0; i < rounds; i++) {
        struct thread *t = start_new(nothing, NULL);
        int err = thread_join(t, 0.0005);
        kit_scen_check(err == 0 || err == -ETIMEDOUT, "round %d: thread_join(t, 0.0005) racing the end gave %s: only 0 or -ETIMEDOUT are allowed", i, kit_errname(err));
        kit_scen_check(err != 0 || !thread_is_alive(t), "round %d: join returned 0 but is_alive is still true", i);
        err = thread_join(t, LAB_FOREVER);
        kit_scen_check(err == 0, "round %d: second join: %s", i, kit_errname(err));
        thread_free(t);
    }
    return 0;
}

static int
singdance(void)
{
    int rounds = kit_scen_repeat(5);

    for (int r = 0; r < rounds; r++) {
        char buf[2048];
        int fds[2];
        int sing = 0;
        int dance = 0;
        char *save = NULL;
        kit_scen_check(pipe2(fds, O_CLOEXEC) == 0, "pipe2");
        int err = singdance_run(fds[1], 20, 0);
        kit_scen_require_impl(err, "singdance_run", "05-F");
        kit_scen_check(err == 0, "singdance_run: %s", kit_errname(err));
        close(fds[1]);
        ssize_t n = kit_read_full(fds[0], buf, sizeof(buf) - 1, 5.0);
        close(fds[0]);
        buf[n > 0 ? n : 0] = '\0';
        for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            int i = -1;
            if (sscanf(l, "sing %d", &i) == 1)
                kit_scen_check(i == sing++, "round %d: \"%s\" out of order", r, l);
            else if (sscanf(l, "dance %d", &i) == 1)
                kit_scen_check(i == dance++, "round %d: \"%s\" out of order", r, l);
            else
                kit_scen_fail("round %d: mixed or unknown line \"%s\"", r, l);
        }
        kit_scen_check(sing == 20 && dance == 20, "round %d: %d sing and %d dance lines, expected 20 each", r, sing, dance);
    }
    return 0;
}

/* churn: starters make and join threads; watchers enumerate. */
struct churn {
    struct kit_gate *gate;
    struct counter *counter;
    int rounds;
};

static void *
starter(void *arg)
{
    struct churn *c = arg;

    kit_gate_wait(c->gate);
    for (int i = 0; i < c->rounds; i++) {
        struct thread *t = start_new(count_one, c->counter);
        kit_scen_check(thread_join(t, LAB_FOREVER) == 0, "join failed");
        thread_free(t);
    }
    return NULL;
}

static void *
watcher(void *arg)
{
    struct churn *c = arg;

    kit_gate_wait(c->gate);
    for (int i = 0; i < c->rounds; i++) {
        struct thread *me = thread_current();
        kit_scen_check(me != NULL, "thread_current() gave NULL in a plain pthread");
        kit_scen_check(is_listed(thread_ident(me)), "a plain pthread's dummy is not listed while it runs");
    }
    return NULL;
}

static int
churn(void)
{
    struct counter counter = { PTHREAD_MUTEX_INITIALIZER, 0 };
    struct kit_gate gate;
    struct churn c = { &gate, &counter, kit_scen_repeat(10) };
    pthread_t p[2];

    kit_gate_init(&gate, 2);
    kit_scen_check(pthread_create(&p[0], NULL, starter, &c) == 0, "pthread_create");
    kit_scen_check(pthread_create(&p[1], NULL, watcher, &c) == 0, "pthread_create");
    for (int i = 0; i < c.rounds; i++)
        (void)is_listed(0);
    pthread_join(p[0], NULL);
    pthread_join(p[1], NULL);
    kit_scen_check(counter.n == c.rounds, "%d targets ran, expected %d", counter.n, c.rounds);
    kit_gate_destroy(&gate);
    return 0;
}

static int
echo(void)
{
    struct echosrv *s = NULL;
    int fds[3];
    char buf[16];
    int err = echosrv_new(&s, 0);

    kit_scen_require_impl(err, "echosrv_new", "05-I");
    kit_scen_check(err == 0, "echosrv_new: %s", kit_errname(err));
    err = echosrv_start(s);
    kit_scen_require_impl(err, "echosrv_start", "05-I");
    kit_scen_check(err == 0, "echosrv_start: %s", kit_errname(err));
    for (int i = 0; i < 3; i++) {
        fds[i] = kit_tcp_connect(echosrv_port(s));
        kit_scen_check(fds[i] >= 0, "connect: %s", kit_errname(fds[i]));
        kit_scen_check(kit_write_full(fds[i], "ping", 4) == 0, "write");
    }
    for (int i = 0; i < 3; i++) {
        kit_scen_check(kit_read_full(fds[i], buf, 4, 20.0) == 4 && memcmp(buf, "ping", 4) == 0, "client %d: no echo", i);
        if (i == 0)
            close(fds[i]);      /* one leaves before the shutdown */
    }
    err = echosrv_shutdown(s);
    kit_scen_check(err == 0, "echosrv_shutdown: %s", kit_errname(err));
    close(fds[1]);
    close(fds[2]);
    echosrv_free(s);
    return 0;
}

/* lifecycle: an ops thread whose ctx is heap memory freed by free_ctx. */
static void
heap_run(struct thread *self, void *ctx)
{
    (void)self;
    *(int *)ctx += 1;
}

static const struct thread_ops heap_ops = { .run = heap_run, .free_ctx = free };

static int
lifecycle(void)
{
    struct thread_options opts = { .name = "life", .daemon = true };
    struct thread *t = NULL;
    int *ctx = calloc(1, sizeof(*ctx));
    int err = thread_new_ops(&t, &heap_ops, ctx, &opts);

    kit_scen_require_impl(err, "thread_new_ops", "05-E");
    kit_scen_check(err == 0, "thread_new_ops: %s", kit_errname(err));
    kit_scen_check(thread_start(t) == 0, "thread_start");
    kit_scen_check(thread_join(t, LAB_FOREVER) == 0, "thread_join");
    thread_free(t);
    t = start_new(nothing, NULL);
    thread_free(t);             /* may still run: detached */
    kit_scen_check(thread_shutdown(5.0) == 0, "thread_shutdown");
    t = NULL;
    kit_scen_check(thread_new(&t, nothing, NULL, NULL) == 0, "thread_new");
    thread_free(t);             /* never started */
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(void);
    } cases[] = {
        { "unlisted_after_join", unlisted_after_join },
        { "many_joiners", many_joiners },
        { "join_race", join_race },
        { "singdance", singdance },
        { "churn", churn },
        { "echo", echo },
        { "lifecycle", lifecycle },
    };

    for (size_t i = 0; argc >= 2 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(argv[1], cases[i].name) == 0)
            return cases[i].run();
    }
    fprintf(stderr, "usage: %s unlisted_after_join|many_joiners|join_race|singdance|churn|echo|lifecycle\n", argv[0]);
    return 2;
}
