/*
 * cosched.c - gevent in C: a hub coroutine that runs ready tasks, fires
 * timers from a heap and wakes coroutines parked on fds through epoll.
 *
 * DESIGN
 *
 * Everything that waits is a `struct co_task`: each spawned task, and one
 * record (`outside`) for the code outside every task, usually main().
 * Waiting is always the same three steps: arm what will wake you (a
 * timer in the heap, an fd in epoll, a place on another task's list of
 * joiners, or a place in the ready queue), switch to the hub, and read
 * why you were woken.  hub_wake() is the only way back: it disarms every
 * source at once, so a waiter is never queued twice.
 *
 * The hub is a coroutine of its own (gevent's hub greenlet), started by
 * the first wait.  Its loop: poll epoll (not at all waiting if a task is
 * ready; else until the nearest timer, or forever if there is none), fire
 * due timers, then run every task that was ready when the pass began, in
 * order.  A task that finishes switches back to the hub (its parent),
 * which frees its coroutine there and then.  If nothing is ready and no
 * timer or fd is armed, nothing can ever wake the outside waiter: it gets
 * -EDEADLK (gevent's LoopExit).
 *
 * A task record is shared by the caller (until co_task_free) and the hub
 * (until it finishes or the hub is freed): `refs` counts the two holds.
 * All of this runs on one thread: there are no locks.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cosched.h"

/* Stack of the hub's own coroutine (its loop needs little). */
#define HUB_STACK (64 * 1024)

/* epoll events taken per poll. */
#define HUB_EVENTS 64

/* heap_index of a task whose timer is not armed. */
#define NO_TIMER SIZE_MAX

enum task_state {
    TASK_READY,                 /* in the ready queue */
    TASK_RUNNING,               /* the hub switched to it */
    TASK_PARKED,                /* waiting for a timer, an fd or a task */
    TASK_DONE,                  /* its function returned */
    TASK_KILLED,                /* its hub was freed first */
};

/* Why a parked waiter was woken (the `wake` field). */
enum wake_reason {
    WAKE_READY,                 /* co_sleep(0): its turn came again */
    WAKE_TIMER,                 /* its deadline passed */
    WAKE_IO,                    /* its fd is ready */
    WAKE_JOINED,                /* the task it joined finished */
    WAKE_DEADLOCK,              /* nothing could ever wake it */
};

struct co_task {
    struct co_hub *hub;         /* NULL once the hub is freed */
    struct co *co;              /* NULL once finished (or killed) */
    co_task_fn *fn;
    void *arg;
    void *value;                /* fn's return value */
    enum task_state state;
    int refs;                   /* caller's hold + hub's hold */
    enum wake_reason wake;
    /* What it waits on while TASK_PARKED. */
    double deadline;            /* CLOCK_MONOTONIC seconds */
    unsigned long seq;          /* timers with equal deadlines: FIFO */
    size_t heap_index;          /* NO_TIMER if not in the heap */
    int fd;                     /* fd registered in epoll, or -1 */
    struct co_task *joining;    /* the task it joins, or NULL */
    struct co_task *join_next;  /* next on joining->joiners */
    struct co_task *joiners;    /* waiters joining this task */
    /* Links. */
    struct co_task *ready_next;
    struct co_task *all_prev;   /* the hub's list of unfinished tasks */
    struct co_task *all_next;
};

struct co_hub {
    struct co *co;              /* runs hub_main */
    struct co_task outside;     /* the code outside every task */
    struct co_task *running;    /* who the hub switched to last */
    struct co_task *ready_head;
    struct co_task *ready_tail;
    struct co_task **heap;      /* timers: a binary min-heap */
    size_t nheap;
    size_t heap_cap;
    unsigned long seq;
    int epfd;
    int nfds;                   /* waiters registered in epoll */
    struct co_task *all;        /* unfinished tasks */
};

/* now - CLOCK_MONOTONIC in seconds. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the ready queue: FIFO ------------------------------------------ */

static void
ready_push(struct co_hub *hub, struct co_task *t)
{
    t->state = TASK_READY;
    t->ready_next = NULL;
    if (hub->ready_tail != NULL)
        hub->ready_tail->ready_next = t;
    else
        hub->ready_head = t;
    hub->ready_tail = t;
}

static struct co_task *
ready_pop(struct co_hub *hub)
{
    struct co_task *t = hub->ready_head;

    hub->ready_head = t->ready_next;
    if (hub->ready_head == NULL)
        hub->ready_tail = NULL;
    return t;
}

/* ---- the timer heap: earliest deadline at heap[0] -------------------- */

/* before - does a fire before b?  Equal deadlines fire in arming order. */
static bool
before(const struct co_task *a, const struct co_task *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->seq < b->seq;
}

static void
heap_set(struct co_hub *hub, size_t i, struct co_task *t)
{
    hub->heap[i] = t;
    t->heap_index = i;
}

static void
sift_up(struct co_hub *hub, size_t i)
{
    struct co_task *t = hub->heap[i];

    while (i > 0 && before(t, hub->heap[(i - 1) / 2])) {
        heap_set(hub, i, hub->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(hub, i, t);
}

static void
sift_down(struct co_hub *hub, size_t i)
{
    struct co_task *t = hub->heap[i];

    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= hub->nheap)
            break;
        if (child + 1 < hub->nheap &&
            before(hub->heap[child + 1], hub->heap[child]))
            child++;
        if (!before(hub->heap[child], t))
            break;
        heap_set(hub, i, hub->heap[child]);
        i = child;
    }
    heap_set(hub, i, t);
}

/* timer_add - arm t's timer `seconds` from now.  Returns 0, -ENOMEM. */
static int
timer_add(struct co_hub *hub, struct co_task *t, double seconds)
{
    if (hub->nheap == hub->heap_cap) {
        size_t cap = hub->heap_cap ? 2 * hub->heap_cap : 16;
        struct co_task **heap = realloc(hub->heap, cap * sizeof(*heap));
        if (heap == NULL)
            return -ENOMEM;
        hub->heap = heap;
        hub->heap_cap = cap;
    }
    t->deadline = now() + seconds;
    t->seq = hub->seq++;
    /* DOC: 11-coroutines#timer-heap */
    heap_set(hub, hub->nheap++, t);
    sift_up(hub, hub->nheap - 1);
    return 0;
}

/* timer_cancel - disarm t's timer if it is armed. */
static void
timer_cancel(struct co_hub *hub, struct co_task *t)
{
    size_t i = t->heap_index;
    struct co_task *last;

    if (i == NO_TIMER)
        return;
    t->heap_index = NO_TIMER;
    last = hub->heap[--hub->nheap];
    if (i == hub->nheap)
        return;
    heap_set(hub, i, last);
    sift_up(hub, i);
    sift_down(hub, last->heap_index);
}

/* ---- waking ----------------------------------------------------------- */

/* join_cancel - take t off the joiner list of the task it joins. */
static void
join_cancel(struct co_task *t)
{
    struct co_task **p;

    if (t->joining == NULL)
        return;
    for (p = &t->joining->joiners; *p != NULL; p = &(*p)->join_next) {
        if (*p == t) {
            *p = t->join_next;
            break;
        }
    }
    t->joining = NULL;
    t->join_next = NULL;
}

/*
 * hub_wake - make a parked waiter ready, saying why, and disarm every
 * other source that could have woken it.  A waiter that is not parked
 * is left alone.
 */
static void
hub_wake(struct co_hub *hub, struct co_task *t, enum wake_reason why)
{
    if (t->state != TASK_PARKED)
        return;
    timer_cancel(hub, t);
    join_cancel(t);
    if (t->fd >= 0) {
        (void)epoll_ctl(hub->epfd, EPOLL_CTL_DEL, t->fd, NULL);
        t->fd = -1;
        hub->nfds--;
    }
    t->wake = why;
    ready_push(hub, t);
}

/* ---- the hub's loop --------------------------------------------------- */

/* poll_timeout_ms - how long epoll may wait: 0 if a task is ready, -1
 * (forever) if no timer is armed, else until the earliest deadline,
 * rounded up so the hub never wakes early and spins. */
static int
poll_timeout_ms(const struct co_hub *hub)
{
    double ms;

    if (hub->ready_head != NULL)
        return 0;
    if (hub->nheap == 0)
        return -1;
    /* DOC: 11-coroutines#no-busy-waiting */
    ms = (hub->heap[0]->deadline - now()) * 1000.0;
    if (ms <= 0)
        return 0;
    if (ms >= INT_MAX)
        return INT_MAX;
    return (int)ms + ((double)(int)ms < ms);     /* rounded up */
}

/* hub_poll - wait for fds and timers as poll_timeout_ms() allows, and
 * wake whoever they were armed for. */
static void
hub_poll(struct co_hub *hub)
{
    struct epoll_event ev[HUB_EVENTS];
    int n;
    double t;

    if (hub->ready_head == NULL && hub->nheap == 0 && hub->nfds == 0) {
        /* DOC: 11-coroutines#deadlock */
        assert(hub->outside.state == TASK_PARKED);
        hub_wake(hub, &hub->outside, WAKE_DEADLOCK);
        return;
    }
    /* A ready task and no fd: nothing for epoll to say (a system call
     * saved per pass). */
    if (hub->ready_head != NULL && hub->nfds == 0)
        n = 0;
    else
        n = epoll_wait(hub->epfd, ev, HUB_EVENTS, poll_timeout_ms(hub));
    for (int i = 0; i < n; i++)
        hub_wake(hub, ev[i].data.ptr, WAKE_IO);
    t = now();
    while (hub->nheap > 0 && hub->heap[0]->deadline <= t)
        hub_wake(hub, hub->heap[0], WAKE_TIMER);
}

/* task_unref - drop one hold on t; free it with the last. */
static void
task_unref(struct co_task *t)
{
    if (--t->refs == 0)
        free(t);
}

/* all_unlink - take t off the hub's list of unfinished tasks. */
static void
all_unlink(struct co_hub *hub, struct co_task *t)
{
    if (t->all_prev != NULL)
        t->all_prev->all_next = t->all_next;
    else
        hub->all = t->all_next;
    if (t->all_next != NULL)
        t->all_next->all_prev = t->all_prev;
    t->all_prev = NULL;
    t->all_next = NULL;
}

/* hub_resume - run t until it waits or finishes; a finished task's
 * coroutine and stack are freed at once, and the hub drops its hold. */
static void
hub_resume(struct co_hub *hub, struct co_task *t)
{
    t->state = TASK_RUNNING;
    hub->running = t;
    (void)co_switch(t->co, t, NULL);
    hub->running = NULL;
    if (t->state == TASK_DONE) {
        /* DOC: 11-coroutines#free-on-finish */
        co_free(t->co);
        t->co = NULL;
        all_unlink(hub, t);
        task_unref(t);
    }
}

/* hub_pass - run the tasks that are ready now, in order; those made
 * ready meanwhile wait for the next pass (after the next poll). */
static void
hub_pass(struct co_hub *hub)
{
    struct co_task *last = hub->ready_tail;
    bool was_last = false;

    while (hub->ready_head != NULL && !was_last) {
        struct co_task *t = ready_pop(hub);
        was_last = t == last;
        hub_resume(hub, t);
    }
}

/* hub_main - the hub coroutine: poll, then run one pass of the ready
 * queue (the tasks ready when the pass began), forever. */
static void *
hub_main(void *arg)
{
    struct co_hub *hub = arg;

    for (;;) {
        hub_poll(hub);
        hub_pass(hub);
    }
    return NULL;                /* not reached */
}

/* task_entry - the first frame of a task's coroutine. */
static void *
task_entry(void *arg)
{
    struct co_task *t = arg;

    t->value = t->fn(t->hub, t->arg);
    t->state = TASK_DONE;
    while (t->joiners != NULL)
        hub_wake(t->hub, t->joiners, WAKE_JOINED);
    return NULL;                /* back to the hub, its parent */
}

/* ---- waiting ---------------------------------------------------------- */

/*
 * hub_self - the waiter record of the caller: the running task, or the
 * outside record for any coroutine that is not a task.  Returns 0,
 * -EBUSY when the outside record is taken by another coroutine.
 */
static int
hub_self(struct co_hub *hub, struct co_task **self)
{
    struct co *cur = co_current();

    if (hub->running != NULL && hub->running->co == cur) {
        *self = hub->running;
        return 0;
    }
    if (hub->outside.state == TASK_PARKED || hub->outside.state == TASK_READY)
        return -EBUSY;
    hub->outside.co = cur;
    *self = &hub->outside;
    return 0;
}

/* hub_park - switch to the hub until someone wakes self; returns why.
 * The caller has armed a wake-up source and set self's state. */
static enum wake_reason
hub_park(struct co_hub *hub, struct co_task *self)
{
    (void)co_switch(hub->co, hub, NULL);
    return self->wake;
}

/* wait_fd - park the caller until fd has `events`.  Returns 0, -EBUSY
 * (another waiter holds fd), or -errno from epoll_ctl. */
static int
wait_fd(struct co_hub *hub, int fd, uint32_t events)
{
    struct co_task *self;
    struct epoll_event ev = {.events = events};
    int err = hub_self(hub, &self);

    if (err)
        return err;
    ev.data.ptr = self;
    /* DOC: 11-coroutines#parking-on-epoll */
    if (epoll_ctl(hub->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
        return errno == EEXIST ? -EBUSY : -errno;
    self->fd = fd;
    hub->nfds++;
    self->state = TASK_PARKED;
    (void)hub_park(hub, self);
    return 0;
}

/* set_nonblocking - make fd's operations return EAGAIN instead of
 * blocking the thread.  Returns 0 or -errno (-EBADF). */
static int
set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -errno;
    if ((flags & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

/* task_init - the fields every waiter record starts with. */
static void
task_init(struct co_task *t, struct co_hub *hub)
{
    t->hub = hub;
    t->fd = -1;
    t->heap_index = NO_TIMER;
}

/* ---- the contract ----------------------------------------------------- */

int
co_hub_new(struct co_hub **out)
{
    const struct co_options opts = {.stack_size = HUB_STACK};
    struct co_hub *hub;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    hub = calloc(1, sizeof(*hub));
    if (hub == NULL)
        return -ENOMEM;
    hub->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (hub->epfd < 0) {
        err = -errno;
        goto out_free_hub;
    }
    err = co_new(&hub->co, hub_main, &opts);
    if (err)
        goto out_close_epoll;
    task_init(&hub->outside, hub);
    hub->outside.state = TASK_RUNNING;
    *out = hub;
    return 0;

out_close_epoll:
    close(hub->epfd);
out_free_hub:
    free(hub);
    return err;
}

void
co_hub_free(struct co_hub *hub)
{
    if (hub == NULL)
        return;
    while (hub->all != NULL) {
        struct co_task *t = hub->all;
        all_unlink(hub, t);
        co_free(t->co);
        t->co = NULL;
        t->hub = NULL;
        t->state = TASK_KILLED;
        task_unref(t);
    }
    co_free(hub->co);
    close(hub->epfd);
    free(hub->heap);
    free(hub);
}

int
co_spawn(struct co_hub *hub, struct co_task **out, co_task_fn *fn, void *arg)
{
    struct co_task *t;
    int err;

    if (out != NULL)
        *out = NULL;
    if (hub == NULL || out == NULL || fn == NULL)
        return -EINVAL;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return -ENOMEM;
    task_init(t, hub);
    err = co_new(&t->co, task_entry,
                 &(struct co_options){.parent = hub->co});
    if (err) {
        free(t);
        return err;
    }
    t->fn = fn;
    t->arg = arg;
    t->refs = 2;
    t->all_next = hub->all;
    if (hub->all != NULL)
        hub->all->all_prev = t;
    hub->all = t;
    ready_push(hub, t);
    *out = t;
    return 0;
}

int
co_join(struct co_task *task, double timeout)
{
    struct co_task *self;
    int err;

    if (task == NULL || isnan(timeout))
        return -EINVAL;
    if (co_task_ready(task))
        return 0;
    err = hub_self(task->hub, &self);
    if (err)
        return err;
    if (self == task)
        return -EDEADLK;
    if (timeout == 0)
        return -ETIMEDOUT;
    if (timeout > 0) {
        err = timer_add(task->hub, self, timeout);
        if (err)
            return err;
    }
    self->joining = task;
    self->join_next = task->joiners;
    task->joiners = self;
    self->state = TASK_PARKED;
    switch (hub_park(task->hub, self)) {
    case WAKE_JOINED:
        return 0;
    case WAKE_TIMER:
        return -ETIMEDOUT;
    default:
        return -EDEADLK;
    }
}

int
co_joinall(struct co_task *const tasks[], size_t n, double timeout,
           size_t *done)
{
    double deadline = now() + timeout;
    int err = 0;
    size_t i;

    if ((tasks == NULL && n > 0) || isnan(timeout))
        return -EINVAL;
    for (i = 0; i < n; i++)
        if (tasks[i] == NULL)
            return -EINVAL;
    /* DOC: 11-coroutines#joinall */
    for (i = 0; i < n && err == 0; i++) {
        double left = deadline - now();

        if (timeout < 0)
            left = LAB_FOREVER;
        else if (left < 0)
            left = 0;
        err = co_join(tasks[i], left);
    }
    if (done != NULL) {
        *done = 0;
        for (i = 0; i < n; i++)
            *done += co_task_ready(tasks[i]);
    }
    return err;
}

int
co_sleep(struct co_hub *hub, double seconds)
{
    struct co_task *self;
    int err;

    if (hub == NULL || isnan(seconds) || seconds < 0)
        return -EINVAL;
    err = hub_self(hub, &self);
    if (err)
        return err;
    if (seconds == 0) {
        ready_push(hub, self);
    } else {
        err = timer_add(hub, self, seconds);
        if (err)
            return err;
        self->state = TASK_PARKED;
    }
    (void)hub_park(hub, self);
    return 0;
}

bool
co_task_ready(const struct co_task *task)
{
    return task != NULL &&
           (task->state == TASK_DONE || task->state == TASK_KILLED);
}

int
co_task_value(const struct co_task *task, void **value)
{
    if (task == NULL || value == NULL)
        return -EINVAL;
    if (task->state == TASK_KILLED)
        return -ECANCELED;
    if (task->state != TASK_DONE)
        return -EAGAIN;
    *value = task->value;
    return 0;
}

void
co_task_free(struct co_task *task)
{
    if (task != NULL)
        task_unref(task);
}

ssize_t
co_read(struct co_hub *hub, int fd, void *buf, size_t len)
{
    int err;

    if (hub == NULL || buf == NULL)
        return -EINVAL;
    err = set_nonblocking(fd);
    if (err)
        return err;
    for (;;) {
        ssize_t n = read(fd, buf, len);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        err = wait_fd(hub, fd, EPOLLIN);
        if (err)
            return err;
    }
}

int
co_write(struct co_hub *hub, int fd, const void *buf, size_t len)
{
    const char *p = buf;
    int err;

    if (hub == NULL || buf == NULL)
        return -EINVAL;
    err = set_nonblocking(fd);
    if (err)
        return err;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n >= 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        err = wait_fd(hub, fd, EPOLLOUT);
        if (err)
            return err;
    }
    return 0;
}

int
co_accept(struct co_hub *hub, int fd)
{
    int err;

    if (hub == NULL)
        return -EINVAL;
    err = set_nonblocking(fd);
    if (err)
        return err;
    for (;;) {
        int conn = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (conn >= 0)
            return conn;
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        err = wait_fd(hub, fd, EPOLLIN);
        if (err)
            return err;
    }
}

int
co_connect(struct co_hub *hub, int fd, const struct sockaddr *addr,
           socklen_t addrlen)
{
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    int err;

    if (hub == NULL || addr == NULL)
        return -EINVAL;
    err = set_nonblocking(fd);
    if (err)
        return err;
    if (connect(fd, addr, addrlen) == 0)
        return 0;
    /* EINTR: the connection goes on in the background, as EINPROGRESS. */
    if (errno != EINPROGRESS && errno != EINTR)
        return -errno;
    err = wait_fd(hub, fd, EPOLLOUT);
    if (err)
        return err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return -errno;
    return -soerr;
}
