/*
 * test_thread.c - functional tests of thread.h: the object and its
 * lifecycle, join with a timeout, the current thread, enumerate, daemons
 * and shutdown, the run() table (lab 05, parts A-E).
 *
 * Targets that must last block on a pipe the test holds (struct hold);
 * nothing here sleeps.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "thread.h"

TestSuite(thread, .timeout = 20);

/* ---- helpers -------------------------------------------------------- */

/* A pipe a target blocks on until the test closes the write end. */
struct hold {
    int rfd;
    int wfd;
};

static void
hold_open(struct hold *h)
{
    int fds[2];

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed: %s", strerror(errno));
    h->rfd = fds[0];
    h->wfd = fds[1];
}

/* hold_release - let the target go (EOF on the read end). */
static void
hold_release(struct hold *h)
{
    if (h->wfd >= 0)
        close(h->wfd);
    h->wfd = -1;
}

static void
hold_close(struct hold *h)
{
    hold_release(h);
    if (h->rfd >= 0)
        close(h->rfd);
    h->rfd = -1;
}

/* Target: block until the hold is released. */
static void
wait_hold(void *arg)
{
    struct hold *h = arg;
    char c;

    while (read(h->rfd, &c, 1) != 0 && errno == EINTR)
        continue;
}

/* What a target saw, read by the test after join. */
struct seen {
    int arg;
    pthread_t self;
    struct thread *current;
    char name[THREAD_NAME_MAX];
    unsigned long ident;
};

/* Target: record what the thread sees of itself. */
static void
record_self(void *arg)
{
    struct seen *s = arg;

    s->arg += 1;
    s->self = pthread_self();
    s->current = thread_current();
    snprintf(s->name, sizeof(s->name), "%s", thread_name(s->current));
    s->ident = thread_ident(s->current);
}

/* new_or_fail - thread_new, asserting success. */
static struct thread *
new_or_fail(thread_target *fn, void *arg, const struct thread_options *opts)
{
    struct thread *t = NULL;
    int err = thread_new(&t, fn, arg, opts);

    kit_require_impl(err, "thread_new", "05-A");
    cr_assert(eq(int, err, 0), "thread_new(&t, target, arg, opts): expected 0, got %s. See docs/05-threads.md#new", kit_errname(err));
    return t;
}

/* start_or_fail - thread_new + thread_start, asserting success. */
static struct thread *
start_or_fail(thread_target *fn, void *arg, const struct thread_options *opts)
{
    struct thread *t = new_or_fail(fn, arg, opts);
    int err = thread_start(t);

    kit_require_impl(err, "thread_start", "05-A");
    cr_assert(eq(int, err, 0), "thread_start(t) on a new thread: expected 0, got %s. See docs/05-threads.md#start", kit_errname(err));
    return t;
}

/* join_or_fail - thread_join(t, LAB_FOREVER) must return 0. */
static void
join_or_fail(struct thread *t)
{
    int err = thread_join(t, LAB_FOREVER);

    kit_require_impl(err, "thread_join", "05-B");
    cr_assert(eq(int, err, 0), "thread_join(t, LAB_FOREVER) on a started thread: expected 0, got %s. See docs/05-threads.md#join", kit_errname(err));
}

/* listed - is a thread with this ident in thread_enumerate()? */
static bool
listed(unsigned long ident, size_t *count)
{
    struct thread_info info[32];
    size_t n = 0;
    int err = thread_enumerate(info, 32, &n);

    kit_require_impl(err, "thread_enumerate", "05-C");
    cr_assert(eq(int, err, 0), "thread_enumerate(info, 32, &n): expected 0, got %s. See docs/05-threads.md#enumerate", kit_errname(err));
    if (count != NULL)
        *count = n;
    for (size_t i = 0; i < n && i < 32; i++) {
        if (info[i].ident == ident)
            return true;
    }
    return false;
}

/* ---- part A: the object and its lifecycle --------------------------- */

/* Catches: the stub.  Python: Thread(target=None) is allowed and does
 * nothing; the contract refuses it and leaves nothing allocated. */
KIT_TEST(thread, new_rejects_null_arguments)
{
    struct thread *t = (struct thread *)&t;
    struct thread_ops no_run = { .run = NULL };
    int err = thread_new(&t, NULL, NULL, NULL);

    kit_require_impl(err, "thread_new(&t, NULL, ...)", "05-A");
    cr_expect(eq(int, err, -EINVAL), "thread_new(&t, NULL target, NULL, NULL): expected -EINVAL, got %s. See docs/05-threads.md#new", kit_errname(err));
    cr_expect(eq(ptr, t, NULL), "thread_new with a NULL target must set *out to NULL so thread_free(t) is safe. See docs/05-threads.md#new");
    err = thread_new(NULL, wait_hold, NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "thread_new(NULL, target, ...): expected -EINVAL, got %s. See docs/05-threads.md#new", kit_errname(err));
    err = thread_new_ops(&t, &no_run, NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "thread_new_ops(&t, ops with run == NULL, ...): expected -EINVAL, got %s. See docs/05-threads.md#run-table", kit_errname(err));
    thread_free(NULL);
}

/* Catches: the stub.  Mirrors TH-01: default names count up as
 * Thread-N; a given name is kept. */
KIT_TEST(thread, default_names_count_up_and_given_names_stay)
{
    struct thread_options opts = { .name = "LoopThread" };
    struct thread *a = new_or_fail(wait_hold, NULL, NULL);
    struct thread *b = new_or_fail(wait_hold, NULL, NULL);
    struct thread *c = new_or_fail(wait_hold, NULL, &opts);
    unsigned long na = 0;
    unsigned long nb = 0;

    cr_expect(eq(int, sscanf(thread_name(a), "Thread-%lu", &na), 1), "thread_name of a thread made without a name: expected \"Thread-N\", got \"%s\". See docs/05-threads.md#names", thread_name(a));
    cr_expect(eq(int, sscanf(thread_name(b), "Thread-%lu", &nb), 1), "thread_name of the second unnamed thread: expected \"Thread-N\", got \"%s\". See docs/05-threads.md#names", thread_name(b));
    cr_expect(eq(u64, nb, na + 1), "two threads made one after the other without names: expected Thread-%lu then Thread-%lu, got \"%s\" then \"%s\". See docs/05-threads.md#names", na, na + 1, thread_name(a), thread_name(b));
    cr_expect(eq(str, (char *)thread_name(c), "LoopThread"), "thread_name of a thread made with opts.name = \"LoopThread\": got \"%s\". See docs/05-threads.md#names", thread_name(c));
    thread_free(a);
    thread_free(b);
    thread_free(c);
}

/* Catches: the stub.  Mirrors TH-02 and TH-08: the target runs in a new
 * thread with its argument; current/ident agree with pthread_self. */
KIT_TEST(thread, start_runs_the_target_in_another_thread_with_its_arg)
{
    struct seen s = { .arg = 41 };
    struct thread *t = start_or_fail(record_self, &s, NULL);

    join_or_fail(t);
    cr_expect(eq(int, s.arg, 42), "the target got arg and added 1: expected 42, got %d (was arg passed through?). See docs/05-threads.md#start", s.arg);
    cr_expect(eq(int, !!(!pthread_equal(s.self, pthread_self())), 1), "the target ran in the test's own thread: thread_start must create a new thread. See docs/05-threads.md#start");
    cr_expect(eq(ptr, s.current, t), "thread_current() inside the target: expected the thread's own object %p, got %p. See docs/05-threads.md#current", (void *)t, (void *)s.current);
    cr_expect(eq(u64, s.ident, thread_ident(t)), "thread_ident seen inside (%lu) and outside (%lu) the thread differ. See docs/05-threads.md#ident", s.ident, thread_ident(t));
    cr_expect(ne(u64, thread_ident(t), 0), "thread_ident(t) after start: expected non-zero, got 0. See docs/05-threads.md#ident");
    thread_free(t);
}

/* Catches: the stub.  Mirrors TH-04. */
KIT_TEST(thread, start_twice_fails_with_einval)
{
    struct thread *t = start_or_fail(record_self, &(struct seen){ 0 }, NULL);
    int err = thread_start(t);

    cr_expect(eq(int, err, -EINVAL), "thread_start(t) on a running or finished thread: expected -EINVAL (Python: RuntimeError \"threads can only be started once\"), got %s. See docs/05-threads.md#start-once", kit_errname(err));
    join_or_fail(t);
    err = thread_start(t);
    cr_expect(eq(int, err, -EINVAL), "thread_start(t) after join: expected -EINVAL, got %s. See docs/05-threads.md#start-once", kit_errname(err));
    thread_free(t);
}

/* Target: try to join yourself; store the result. */
static void
join_self(void *arg)
{
    *(int *)arg = thread_join(thread_current(), 0.5);
}

/* Catches: the stub.  Mirrors TH-03 and TH-06. */
KIT_TEST(thread, join_before_start_and_join_self_fail_with_einval)
{
    struct thread *t = new_or_fail(wait_hold, NULL, NULL);
    int self_err = 12345;
    struct thread *u;
    int err = thread_join(t, 0.1);

    kit_require_impl(err, "thread_join", "05-B");
    cr_expect(eq(int, err, -EINVAL), "thread_join(t, 0.1) before start: expected -EINVAL (Python: RuntimeError \"cannot join thread before it is started\"), got %s. See docs/05-threads.md#join-rules", kit_errname(err));
    thread_free(t);
    u = start_or_fail(join_self, &self_err, NULL);
    join_or_fail(u);
    cr_expect(eq(int, self_err, -EINVAL), "thread_join(thread_current(), 0.5) inside the thread: expected -EINVAL (Python: \"cannot join current thread\"), got %s. See docs/05-threads.md#join-rules", kit_errname(self_err));
    err = thread_join(thread_current(), 0.1);
    cr_expect(eq(int, err, -EINVAL), "thread_join of the main thread's object: expected -EINVAL (only threads made by thread_start can be joined), got %s. See docs/05-threads.md#join-rules", kit_errname(err));
    thread_free(u);
}

/* ---- part B: join with a timeout, is_alive -------------------------- */

/* Catches: join_ignores_timeout.patch (the join never returns; the
 * watchdog dumps the stacks).  Mirrors TH-07. */
KIT_TEST(thread, join_times_out_while_the_target_blocks)
{
    struct hold h;
    struct thread *t;
    double t0;
    double took;
    int err;

    hold_open(&h);
    t = start_or_fail(wait_hold, &h, NULL);
    t0 = kit_now();
    err = thread_join(t, 0.2);
    took = kit_now() - t0;
    kit_require_impl(err, "thread_join", "05-B");
    cr_expect(eq(int, err, -ETIMEDOUT), "thread_join(t, 0.2) while the target blocks: expected -ETIMEDOUT (Python returns None and is_alive() stays True), got %s. See docs/05-threads.md#join", kit_errname(err));
    cr_expect(eq(int, !!(took >= 0.195 && took < 2.2), 1), "thread_join(t, 0.2) returned after %.3f s: expected about 0.2 s (at least 0.195). See docs/05-threads.md#join", took);
    cr_expect(eq(int, !!(thread_is_alive(t)), 1), "thread_is_alive(t) after a timed-out join: expected true. See docs/05-threads.md#join");
    hold_release(&h);
    join_or_fail(t);
    cr_expect(eq(int, !!(!thread_is_alive(t)), 1), "thread_is_alive(t) after join returned 0: expected false. See docs/05-threads.md#join");
    thread_free(t);
    hold_close(&h);
}

/* Catches: the stub.  Mirrors TH-08. */
KIT_TEST(thread, is_alive_and_ident_follow_the_lifecycle)
{
    struct hold h;
    struct thread *t;
    int err;

    hold_open(&h);
    t = new_or_fail(wait_hold, &h, NULL);
    cr_expect(eq(int, !!(!thread_is_alive(t)), 1), "thread_is_alive(t) before start: expected false. See docs/05-threads.md#lifecycle");
    cr_expect(eq(u64, thread_ident(t), 0), "thread_ident(t) before start: expected 0 (Python: None), got %lu. See docs/05-threads.md#ident", thread_ident(t));
    err = thread_start(t);
    kit_require_impl(err, "thread_start", "05-A");
    cr_expect(eq(int, !!(thread_is_alive(t)), 1), "thread_is_alive(t) while the target blocks: expected true. See docs/05-threads.md#lifecycle");
    err = thread_join(t, 0);
    cr_expect(eq(int, err, -ETIMEDOUT), "thread_join(t, 0) while the target blocks: expected -ETIMEDOUT at once, got %s. See docs/05-threads.md#join", kit_errname(err));
    hold_release(&h);
    join_or_fail(t);
    cr_expect(eq(int, !!(!thread_is_alive(t)), 1), "thread_is_alive(t) after join: expected false. See docs/05-threads.md#lifecycle");
    cr_expect(ne(u64, thread_ident(t), 0), "thread_ident(t) after the end: expected the ident to stay readable, got 0. See docs/05-threads.md#ident");
    err = thread_join(t, 0);
    cr_expect(eq(int, err, 0), "a second thread_join(t, 0) after the end: expected 0 at once, got %s. See docs/05-threads.md#join", kit_errname(err));
    thread_free(t);
    hold_close(&h);
}

/* ---- part C: the current thread and enumerate ----------------------- */

/* Catches: the stub.  Mirrors TH-15. */
KIT_TEST(thread, current_in_main_is_mainthread)
{
    struct thread *me = thread_current();

    cr_assert(not(eq(ptr, me, NULL)), "thread_current() in the main thread: expected the MainThread object, got NULL (not implemented yet? see TODO(05-C)). See docs/05-threads.md#current");
    cr_expect(eq(str, (char *)thread_name(me), "MainThread"), "thread_name(thread_current()) in the main thread: expected \"MainThread\", got \"%s\". See docs/05-threads.md#current", thread_name(me));
    cr_expect(eq(u64, thread_ident(me), (unsigned long)pthread_self()), "thread_ident of the main thread: expected pthread_self() = %lu, got %lu. See docs/05-threads.md#ident", (unsigned long)pthread_self(), thread_ident(me));
    cr_expect(eq(int, !!(thread_is_alive(me)), 1), "thread_is_alive(main thread): expected true. See docs/05-threads.md#current");
    cr_expect(eq(ptr, thread_current(), me), "two calls of thread_current() in the same thread gave different objects. See docs/05-threads.md#current");
}

/* A plain pthread's view of thread_current(). */
static void *
plain_current(void *arg)
{
    struct seen *s = arg;
    struct thread *t = thread_current();

    s->current = t;
    snprintf(s->name, sizeof(s->name), "%s", thread_name(t));
    s->ident = thread_ident(t);
    s->arg = listed(s->ident, NULL);
    return NULL;
}

/* Catches: the stub.  Python: current_thread() in a thread threading
 * did not make is a _DummyThread, listed while it lives. */
KIT_TEST(thread, current_in_a_plain_pthread_is_a_listed_dummy)
{
    struct seen s = { 0 };
    pthread_t p;

    cr_assert(eq(int, pthread_create(&p, NULL, plain_current, &s), 0), "test setup: pthread_create failed");
    pthread_join(p, NULL);
    cr_expect(not(eq(ptr, s.current, NULL)), "thread_current() in a plain pthread: expected an object, got NULL. See docs/05-threads.md#current");
    cr_expect(eq(int, strncmp(s.name, "Dummy-", 6), 0), "thread_name(thread_current()) in a plain pthread: expected \"Dummy-N\", got \"%s\". See docs/05-threads.md#current", s.name);
    cr_expect(eq(u64, s.ident, (unsigned long)p), "thread_ident of the dummy: expected its pthread_t %lu, got %lu. See docs/05-threads.md#ident", (unsigned long)p, s.ident);
    cr_expect(eq(int, s.arg, 1), "thread_enumerate() inside the plain pthread did not list it. See docs/05-threads.md#enumerate");
    cr_expect(eq(int, !!(!listed(s.ident, NULL)), 1), "thread_enumerate() after the plain pthread ended still lists its dummy. See docs/05-threads.md#enumerate");
}

/* Catches: the stub.  Mirrors TH-09: main + live threads; not a thread
 * before start; never a joined one. */
KIT_TEST(thread, enumerate_lists_main_and_live_threads_only)
{
    struct hold h;
    struct thread *t;
    struct thread *idle;
    size_t n0 = 0;
    size_t n1 = 0;
    size_t n2 = 0;
    unsigned long ident;

    hold_open(&h);
    cr_expect(eq(int, !!(listed((unsigned long)pthread_self(), &n0)), 1), "thread_enumerate() in the main thread does not list the main thread (ident %lu). See docs/05-threads.md#enumerate", (unsigned long)pthread_self());
    idle = new_or_fail(wait_hold, &h, NULL);
    t = start_or_fail(wait_hold, &h, NULL);
    ident = thread_ident(t);
    cr_expect(eq(int, !!(listed(ident, &n1)), 1), "thread_enumerate() right after thread_start(t) does not list t. See docs/05-threads.md#enumerate");
    cr_expect(eq(sz, n1, n0 + 1), "thread_enumerate() count: %zu before start, %zu with one started thread (and one never started): expected exactly one more. See docs/05-threads.md#enumerate", n0, n1);
    hold_release(&h);
    join_or_fail(t);
    cr_expect(eq(int, !!(!listed(ident, &n2)), 1), "thread_enumerate() after thread_join(t) returned 0 still lists t: a joined thread is never listed (TH-09). See docs/05-threads.md#unlist-before-ended");
    cr_expect(eq(sz, n2, n0), "thread_enumerate() count after the join: expected %zu again, got %zu. See docs/05-threads.md#enumerate", n0, n2);
    thread_free(t);
    thread_free(idle);
    hold_close(&h);
}

/* ---- part D: daemons and shutdown ------------------------------------ */

/* Catches: the stub.  Mirrors TH-11 and the notes' daemon example:
 * shutdown waits for non-daemon threads and leaves daemons running. */
KIT_TEST(thread, shutdown_waits_for_non_daemons_only)
{
    struct thread_options daemon_opts = { .daemon = true };
    struct hold worker_hold;
    struct hold daemon_hold;
    struct thread *w;
    struct thread *d;
    int err;

    hold_open(&worker_hold);
    hold_open(&daemon_hold);
    w = start_or_fail(wait_hold, &worker_hold, NULL);
    d = start_or_fail(wait_hold, &daemon_hold, &daemon_opts);
    cr_expect(eq(int, !!(thread_daemon(d) && !thread_daemon(w)), 1), "thread_daemon: expected true for the daemon and false for the default. See docs/05-threads.md#daemon");
    err = thread_shutdown(0.2);
    kit_require_impl(err, "thread_shutdown", "05-D");
    cr_expect(eq(int, err, -ETIMEDOUT), "thread_shutdown(0.2) while a non-daemon thread blocks: expected -ETIMEDOUT, got %s. See docs/05-threads.md#daemon", kit_errname(err));
    hold_release(&worker_hold);
    err = thread_shutdown(5.0);
    cr_expect(eq(int, err, 0), "thread_shutdown(5.0) once the only non-daemon thread can end, while a daemon still blocks: expected 0 (daemons are not waited for), got %s. See docs/05-threads.md#daemon", kit_errname(err));
    cr_expect(eq(int, !!(!thread_is_alive(w)), 1), "after thread_shutdown returned 0 the non-daemon thread is still alive. See docs/05-threads.md#daemon");
    cr_expect(eq(int, !!(thread_is_alive(d)), 1), "thread_shutdown ended or waited for the daemon thread: it must be left running. See docs/05-threads.md#daemon");
    hold_release(&daemon_hold);
    join_or_fail(d);
    join_or_fail(w);
    thread_free(w);
    thread_free(d);
    hold_close(&worker_hold);
    hold_close(&daemon_hold);
}

/* ---- part E: the run() table and free -------------------------------- */

/* A "subclass": the ctx carries its fields and a pipe to report on. */
struct worker {
    int report_fd;
    char name_seen[THREAD_NAME_MAX];
    bool self_ok;
};

static void
worker_run(struct thread *self, void *ctx)
{
    struct worker *w = ctx;

    snprintf(w->name_seen, sizeof(w->name_seen), "%s", thread_name(self));
    w->self_ok = self == thread_current();
}

/* free_ctx: say so on the pipe (the test reads it). */
static void
worker_free(void *ctx)
{
    struct worker *w = ctx;

    (void)!write(w->report_fd, "F", 1);
}

static const struct thread_ops worker_ops = {
    .run = worker_run,
    .free_ctx = worker_free,
};

/* Catches: the stub.  The notes' MyThread: run() gets self (its name),
 * and the ctx is handed to free_ctx exactly once, at thread_free. */
KIT_TEST(thread, run_table_runs_with_self_and_frees_ctx_once)
{
    struct thread_options opts = { .name = "MyThread" };
    struct worker w = { 0 };
    struct thread *t = NULL;
    int fds[2];
    char buf[4];
    ssize_t n;
    int err;

    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    w.report_fd = fds[1];
    err = thread_new_ops(&t, &worker_ops, &w, &opts);
    kit_require_impl(err, "thread_new_ops", "05-E");
    cr_assert(eq(int, err, 0), "thread_new_ops(&t, ops, ctx, opts): expected 0, got %s. See docs/05-threads.md#run-table", kit_errname(err));
    err = thread_start(t);
    cr_assert(eq(int, err, 0), "thread_start(t) of an ops thread: expected 0, got %s. See docs/05-threads.md#run-table", kit_errname(err));
    join_or_fail(t);
    cr_expect(eq(str, w.name_seen, "MyThread"), "run(self, ctx) saw thread_name(self) = \"%s\": expected \"MyThread\". See docs/05-threads.md#run-table", w.name_seen);
    cr_expect(eq(int, !!(w.self_ok), 1), "inside run(self, ctx), thread_current() != self. See docs/05-threads.md#run-table");
    thread_free(t);
    close(fds[1]);
    n = kit_read_full(fds[0], buf, sizeof(buf), 2.0);
    close(fds[0]);
    cr_expect(eq(sz, (size_t)(n < 0 ? 0 : n), 1), "free_ctx calls seen after thread_free: expected exactly 1, got %zd. See docs/05-threads.md#run-table", n);
}

/* A run() that blocks on a hold, for the detach test. */
struct blocker {
    struct hold *hold;
    int report_fd;
};

static void
blocker_run(struct thread *self, void *ctx)
{
    struct blocker *b = ctx;

    (void)self;
    wait_hold(b->hold);
}

static void
blocker_free(void *ctx)
{
    struct blocker *b = ctx;

    (void)!write(b->report_fd, "F", 1);
}

static const struct thread_ops blocker_ops = {
    .run = blocker_run,
    .free_ctx = blocker_free,
};

/* Catches: the stub.  thread_free of a running thread must neither wait
 * for it nor free what it still uses: it detaches, and the object (and
 * its ctx, through free_ctx) is released when run() returns. */
KIT_TEST(thread, free_of_a_running_thread_detaches_it)
{
    struct hold h;
    struct blocker b;
    struct thread *t = NULL;
    int fds[2];
    char c = 0;
    ssize_t n;
    int err;

    hold_open(&h);
    cr_assert(eq(int, pipe2(fds, O_CLOEXEC), 0), "test setup: pipe2 failed");
    b.hold = &h;
    b.report_fd = fds[1];
    err = thread_new_ops(&t, &blocker_ops, &b, NULL);
    kit_require_impl(err, "thread_new_ops", "05-E");
    cr_assert(eq(int, err, 0), "thread_new_ops: expected 0, got %s. See docs/05-threads.md#run-table", kit_errname(err));
    err = thread_start(t);
    kit_require_impl(err, "thread_start", "05-A");
    cr_assert(eq(int, err, 0), "thread_start: expected 0, got %s. See docs/05-threads.md#start", kit_errname(err));
    thread_free(t);             /* must return at once: run() blocks */
    n = kit_read_full(fds[0], &c, 1, 0.05);
    cr_expect(eq(int, !!(n == -ETIMEDOUT), 1), "free_ctx ran while run() was still blocked: thread_free of a running thread must not release its object yet. See docs/05-threads.md#free-detaches");
    hold_release(&h);
    n = kit_read_full(fds[0], &c, 1, 10.0);
    cr_expect(eq(int, !!(n == 1 && c == 'F'), 1), "after run() returned, free_ctx was never called (read gave %zd): a detached thread releases its own object when it ends. See docs/05-threads.md#free-detaches", n);
    close(fds[0]);
    close(fds[1]);
    hold_close(&h);
}
