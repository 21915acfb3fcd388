/*
 * scenario_race.c - lab 11 under the race tools (Helgrind, DRD, TSan)
 * and memcheck.
 *
 *   threads    two threads, each with its own hub and coroutines (they
 *              are thread-local: nothing is shared but a counter under a
 *              mutex); each thread's tasks take turns with co_sleep(0),
 *              talk over a pipe and nap.  Coroutine stacks are switched
 *              in both threads at once: memcheck and Helgrind need them
 *              registered, TSan needs its fibers (docs#what-the-tools-see).
 *   lifecycle  one thread, every call of both contracts, every way an
 *              object ends (finished, suspended, killed by co_hub_free):
 *              memcheck must find nothing lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "co.h"
#include "cosched.h"

#define ROUNDS 20

static pthread_mutex_t count_mu = PTHREAD_MUTEX_INITIALIZER;
static long count;              /* guarded by count_mu */

/* Task: ROUNDS times, count one and give the others a turn. */
static void *
counter(struct co_hub *hub, void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&count_mu);
        count++;
        pthread_mutex_unlock(&count_mu);
        co_sleep(hub, 0);
    }
    return arg;
}

/* Task: write ROUNDS bytes to the fd in arg, napping 1 ms every 5. */
static void *
producer(struct co_hub *hub, void *arg)
{
    int fd = *(int *)arg;

    for (int i = 0; i < ROUNDS; i++) {
        char c = (char)('a' + i);
        if (co_write(hub, fd, &c, 1) != 0)
            return (void *)-1L;
        if (i % 5 == 4)
            co_sleep(hub, 0.001);
    }
    return NULL;
}

/* Task: read ROUNDS bytes from the fd in arg, in order. */
static void *
consumer(struct co_hub *hub, void *arg)
{
    int fd = *(int *)arg;

    for (int i = 0; i < ROUNDS; i++) {
        char c;
        if (co_read(hub, fd, &c, 1) != 1 || c != (char)('a' + i))
            return (void *)-1L;
    }
    return NULL;
}

/* one_hub - a hub, two counters, a producer and a consumer on a pipe. */
static void *
one_hub(void *unused)
{
    struct co_task *t[4] = {NULL, NULL, NULL, NULL};
    struct co_hub *hub;
    int fds[2];
    long bad = 0;
    int err = co_hub_new(&hub);

    (void)unused;
    if (err != 0)
        return (void *)(long)err;
    if (pipe2(fds, O_CLOEXEC) != 0)
        kit_scen_fail("setup: pipe2 failed");
    co_spawn(hub, &t[0], counter, NULL);
    co_spawn(hub, &t[1], counter, NULL);
    co_spawn(hub, &t[2], producer, &fds[1]);
    co_spawn(hub, &t[3], consumer, &fds[0]);
    err = co_joinall(t, 4, 10.0, NULL);
    for (int i = 0; i < 4; i++) {
        void *v = (void *)-1L;
        co_task_value(t[i], &v);
        bad += v != NULL;
        co_task_free(t[i]);
    }
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
    return (void *)(err != 0 ? (long)err : bad ? -EPROTO : 0L);
}

static void
threads(void)
{
    pthread_t th[2];
    void *ret[2];

    count = 0;
    for (int i = 0; i < 2; i++)
        kit_scen_check(pthread_create(&th[i], NULL, one_hub, NULL) == 0, "pthread_create failed");
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], &ret[i]);
    for (int i = 0; i < 2; i++) {
        kit_scen_require_impl((int)(long)ret[i], "co_hub_new", "11-B");
        kit_scen_check(ret[i] == NULL, "thread %d's hub: %s (a task failed or joinall did not finish)", i, kit_errname((int)(long)ret[i]));
    }
    kit_scen_check(count == 4 * ROUNDS, "count = %ld: expected %d", count, 4 * ROUNDS);
}

/* ---- lifecycle ------------------------------------------------------ */

static void *
ping(void *arg)
{
    void *back = NULL;

    co_yield(arg, &back);
    return back;
}

static void *
nap_then_return(struct co_hub *hub, void *arg)
{
    co_sleep(hub, 0.001);
    return arg;
}

static void *
read_forever(struct co_hub *hub, void *arg)
{
    char c;

    co_read(hub, *(int *)arg, &c, 1);
    return NULL;
}

/* greenlets - one coroutine finished, one left suspended, both freed. */
static void
greenlets(void)
{
    struct co *done;
    struct co *suspended;
    void *got = NULL;
    int err = co_new(&done, ping, NULL);

    kit_scen_require_impl(err, "co_new", "11-A");
    kit_scen_check(err == 0, "co_new: %s", kit_errname(err));
    kit_scen_check(co_new(&suspended, ping, NULL) == 0, "co_new failed");
    co_switch(done, (void *)1L, &got);
    err = co_switch(done, (void *)2L, &got);
    kit_scen_require_impl(err, "co_switch", "11-A");
    kit_scen_check(co_dead(done) && got == (void *)2L, "ping: expected dead and 2 back, got %p", got);
    co_switch(suspended, (void *)3L, &got);
    co_free(done);
    co_free(suspended);
}

/* hub_objects - finished tasks, a task killed by co_hub_free, I/O. */
static void
hub_objects(void)
{
    struct co_task *t[4];
    struct co_hub *hub;
    int fds[2];
    int err = co_hub_new(&hub);

    kit_scen_require_impl(err, "co_hub_new", "11-B");
    kit_scen_check(err == 0 && pipe2(fds, O_CLOEXEC) == 0, "setup failed");
    for (long i = 0; i < 3; i++)
        kit_scen_check(co_spawn(hub, &t[i], nap_then_return, (void *)i) == 0, "co_spawn failed");
    kit_scen_check(co_spawn(hub, &t[3], read_forever, &fds[0]) == 0, "co_spawn failed");
    err = co_joinall(t, 3, 10.0, NULL);
    kit_scen_check(err == 0, "co_joinall: %s", kit_errname(err));
    for (int i = 0; i < 4; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
    close(fds[0]);
    close(fds[1]);
}

static void
lifecycle(void)
{
    for (int i = 0; i < 3; i++) {
        greenlets();
        hub_objects();
    }
}

int
main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    if (strcmp(argv[1], "threads") == 0)
        threads();
    else if (strcmp(argv[1], "lifecycle") == 0)
        lifecycle();
    else
        return 2;
    return 0;
}
