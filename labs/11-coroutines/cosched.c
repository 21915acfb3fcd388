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
    /* TODO(11-B): move heap[i] up while it fires before its parent,
     * keeping every heap_index right (heap_set). Read
     * docs/11-coroutines.md#timer-heap. */
    (void)hub;
    (void)i;
    (void)heap_set;
    (void)before;
}

static void
sift_down(struct co_hub *hub, size_t i)
{
    /* TODO(11-B): move heap[i] down while a child fires before it
     * (pick the earlier child). Read docs/11-coroutines.md#timer-heap. */
    (void)hub;
    (void)i;
}

/* timer_add - arm t's timer `seconds` from now.  Returns 0, -ENOMEM. */
static int
timer_add(struct co_hub *hub, struct co_task *t, double seconds)
{
    /* TODO(11-B): grow the heap if full, set the deadline (now +
     * seconds) and a sequence number, append and sift up. Python:
     * hub.loop.timer(seconds). Read docs/11-coroutines.md#timer-heap. */
    (void)hub;
    (void)t;
    (void)seconds;
    (void)sift_up;
    return -ENOSYS;
}

/* timer_cancel - disarm t's timer if it is armed. */
static void
timer_cancel(struct co_hub *hub, struct co_task *t)
{
    /* TODO(11-B): if t's timer is armed, take it out of the heap: the
     * last entry fills its slot and sifts up or down. Read
     * docs/11-coroutines.md#timer-heap. */
    (void)hub;
    (void)t;
    (void)sift_down;
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
    /* TODO(11-B): only a parked waiter: disarm its timer, its join and
     * its fd (EPOLL_CTL_DEL), note why, and queue it. Read
     * docs/11-coroutines.md#waking. */
    (void)hub;
    (void)t;
    (void)why;
    (void)timer_cancel;
    (void)join_cancel;
}

/* ---- the hub's loop --------------------------------------------------- */

/* poll_timeout_ms - how long epoll may wait: 0 if a task is ready, -1
 * (forever) if no timer is armed, else until the earliest deadline,
 * rounded up so the hub never wakes early and spins. */
static int
poll_timeout_ms(const struct co_hub *hub)
{
    /* TODO(11-B): 0 if a task is ready, -1 if no timer, else the ms
     * until the earliest deadline, rounded up. Read
     * docs/11-coroutines.md#no-busy-waiting. */
    (void)hub;
    (void)now;
    return 0;
}

/* hub_poll - wait for fds and timers as poll_timeout_ms() allows, and
 * wake whoever they were armed for. */
static void
hub_poll(struct co_hub *hub)
{
    /* TODO(11-B): wake the outside waiter with WAKE_DEADLOCK if nothing
     * can ever happen; else epoll_wait (poll_timeout_ms), wake each
     * ready fd's waiter, then every waiter whose deadline has passed.
     * Read docs/11-coroutines.md#the-hub-loop. */
    (void)hub;
    (void)poll_timeout_ms;
    (void)hub_wake;
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
    /* TODO(11-B): mark t running and switch to it; when the hub gets
     * control back and t is done, free its coroutine, unlink it and
     * drop the hub's hold. Read docs/11-coroutines.md#free-on-finish. */
    (void)hub;
    (void)t;
    (void)all_unlink;
    (void)task_unref;
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
    /* TODO(11-B): run the task's function, keep its value, mark it done
     * and wake every joiner; returning goes to the hub. Read
     * docs/11-coroutines.md#join. */
    (void)arg;
    return NULL;
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
    /* TODO(11-C): register fd in epoll for the caller (data.ptr = its
     * record; EEXIST means another waiter: -EBUSY), mark it parked and
     * switch to the hub. Read docs/11-coroutines.md#parking-on-epoll. */
    (void)hub;
    (void)fd;
    (void)events;
    (void)hub_self;
    (void)hub_park;
    return -ENOSYS;
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
    /* TODO(11-B): allocate the hub, its epoll fd (close-on-exec) and its
     * coroutine (hub_main, HUB_STACK); the outside record starts
     * running. Python: gevent.get_hub(). Read docs/11-coroutines.md#hub. */
    (void)hub_main;
    (void)task_init;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

void
co_hub_free(struct co_hub *hub)
{
    /* TODO(11-B): kill every unfinished task (free its coroutine, mark
     * it killed, drop the hub's hold), then free the hub's coroutine,
     * epoll fd, heap and itself. Python: hub.destroy(). Read
     * docs/11-coroutines.md#hub. */
    (void)hub;
}

int
co_spawn(struct co_hub *hub, struct co_task **out, co_task_fn *fn, void *arg)
{
    /* TODO(11-B): allocate a task (two holds), give it a coroutine whose
     * parent is the hub, link it, queue it. Python: gevent.spawn(fn,
     * arg). Read docs/11-coroutines.md#spawn. */
    (void)hub;
    (void)fn;
    (void)arg;
    (void)task_entry;
    if (out != NULL)
        *out = NULL;
    return -ENOSYS;
}

int
co_join(struct co_task *task, double timeout)
{
    /* TODO(11-B): finished: 0; else find the caller's record, arm a
     * timer if timed, join the task's list, park, and say why you woke.
     * Python: Greenlet.join(timeout). Read docs/11-coroutines.md#join. */
    (void)task;
    (void)timeout;
    (void)timer_add;
    return -ENOSYS;
}

int
co_joinall(struct co_task *const tasks[], size_t n, double timeout,
           size_t *done)
{
    /* TODO(11-B): join every task against one deadline; count the
     * finished ones. Python: gevent.joinall(tasks, timeout). Read
     * docs/11-coroutines.md#joinall. */
    (void)tasks;
    (void)n;
    (void)timeout;
    (void)done;
    return -ENOSYS;
}

int
co_sleep(struct co_hub *hub, double seconds)
{
    /* TODO(11-B): 0 s: go to the back of the ready queue; else arm a
     * timer; park either way. Python: gevent.sleep(seconds). Read
     * docs/11-coroutines.md#sleep. */
    (void)hub;
    (void)seconds;
    (void)ready_push;
    return -ENOSYS;
}

bool
co_task_ready(const struct co_task *task)
{
    /* TODO(11-B): done or killed. Python: Greenlet.ready(). Read
     * docs/11-coroutines.md#join. */
    (void)task;
    return false;
}

int
co_task_value(const struct co_task *task, void **value)
{
    /* TODO(11-B): the value once done; -EAGAIN before, -ECANCELED if
     * killed. Python: Greenlet.value. Read docs/11-coroutines.md#join. */
    (void)task;
    (void)value;
    return -ENOSYS;
}

void
co_task_free(struct co_task *task)
{
    /* TODO(11-B): drop the caller's hold. Python: del g. Read
     * docs/11-coroutines.md#task-free. */
    (void)task;
}

ssize_t
co_read(struct co_hub *hub, int fd, void *buf, size_t len)
{
    /* TODO(11-C): make fd non-blocking, then read; on EAGAIN park on
     * EPOLLIN and try again; retry EINTR. Python: sock.recv after
     * monkey.patch_all(). Read docs/11-coroutines.md#read-and-write. */
    (void)hub;
    (void)fd;
    (void)buf;
    (void)len;
    (void)set_nonblocking;
    (void)wait_fd;
    return -ENOSYS;
}

int
co_write(struct co_hub *hub, int fd, const void *buf, size_t len)
{
    /* TODO(11-C): as co_read, with EPOLLOUT, until every byte is
     * written. Python: sock.sendall. Read
     * docs/11-coroutines.md#read-and-write. */
    (void)hub;
    (void)fd;
    (void)buf;
    (void)len;
    return -ENOSYS;
}

int
co_accept(struct co_hub *hub, int fd)
{
    /* TODO(11-C): accept4 (non-blocking, close-on-exec); on EAGAIN park
     * on EPOLLIN. Python: sock.accept. Read
     * docs/11-coroutines.md#accept-and-connect. */
    (void)hub;
    (void)fd;
    return -ENOSYS;
}

int
co_connect(struct co_hub *hub, int fd, const struct sockaddr *addr,
           socklen_t addrlen)
{
    /* TODO(11-C): connect; on EINPROGRESS park on EPOLLOUT, then read
     * SO_ERROR. Python: sock.connect. Read
     * docs/11-coroutines.md#accept-and-connect. */
    (void)hub;
    (void)fd;
    (void)addr;
    (void)addrlen;
    return -ENOSYS;
}
