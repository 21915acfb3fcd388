/*
 * test_co.c - functional tests of co.h: coroutines that switch to one
 * another by name, pass values, and finish into their parent (lab 11,
 * part A).  Mirrors python-semantics.md A.19 (greenlet).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "kit.h"
#include "co.h"

TestSuite(co, .timeout = 20);

/* ---- helpers: coroutine bodies and a log they append to ----------- */

/* What the round-robin bodies share: a log of letters and the two
 * coroutines, so each can switch to the other by name. */
static char log_buf[64];
static size_t log_len;
static struct co *gr_a;
static struct co *gr_b;

static void
log_put(char c)
{
    if (log_len + 1 < sizeof(log_buf))
        log_buf[log_len++] = c;
    log_buf[log_len] = '\0';
}

/* Returns its argument: what the first switch passed in. */
static void *
echo_arg(void *arg)
{
    return arg;
}

/* A, then switch to B; three times, then finish. */
static void *
body_a(void *arg)
{
    for (int i = 0; i < 3; i++) {
        log_put('A');
        co_switch(gr_b, NULL, NULL);
    }
    return arg;
}

/* B, then switch to A; forever. */
static void *
body_b(void *arg)
{
    for (;;) {
        log_put('B');
        co_switch(gr_a, NULL, NULL);
    }
    return arg;
}

/* A generator-like task: log its letter and yield, forever. */
static void *
yielder(void *arg)
{
    const char *letter = arg;

    for (;;) {
        log_put(letter[0]);
        co_yield(NULL, NULL);
    }
    return NULL;
}

/* GL-02: what it receives back from each switch to its parent is kept,
 * and each reply carries the last value received plus one. */
static void *
ping_pong(void *arg)
{
    long got = (long)arg;

    for (int i = 0; i < 3; i++) {
        void *back = NULL;
        co_yield((void *)(got * 10), &back);
        got = (long)back;
    }
    return (void *)(got + 1000);
}

/* A coroutine whose parent is unstarted (GL-16): gets 42... */
static void *
add_one(void *arg)
{
    return (void *)((long)arg + 1);
}

/* Touches most of a 512 KiB local array, then returns its sum. */
static void *
big_frame(void *arg)
{
    volatile char big[512 * 1024];

    for (size_t i = 0; i < sizeof(big); i += 4096)
        big[i] = 1;
    (void)arg;
    return (void *)(long)big[0];
}

/* What co_current() and co_parent() say inside a coroutine. */
static struct co *seen_current;
static struct co *seen_parent;

static void *
look_around(void *arg)
{
    seen_current = co_current();
    seen_parent = co_parent(seen_current);
    return arg;
}

/* ---- part A: making and starting ------------------------------------ */

/* Catches: the stub. */
KIT_TEST(co, new_rejects_null_run_and_tiny_stacks)
{
    struct co *co = (struct co *)&co;
    int err = co_new(&co, NULL, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_expect(eq(int, err, -EINVAL), "co_new(&co, NULL, NULL): expected -EINVAL (Python: greenlet().switch() raises AttributeError: no run), got %s. See docs/11-coroutines.md#new", kit_errname(err));
    cr_expect(co == NULL, "co_new failed but left *out = %p: expected NULL. See docs/11-coroutines.md#new", (void *)co);
    err = co_new(&co, echo_arg, &(struct co_options){.stack_size = CO_STACK_MIN - 1});
    cr_expect(eq(int, err, -EINVAL), "co_new with stack_size CO_STACK_MIN - 1: expected -EINVAL, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_new(NULL, echo_arg, NULL);
    cr_expect(eq(int, err, -EINVAL), "co_new(NULL, run, NULL): expected -EINVAL, got %s. See docs/11-coroutines.md#new", kit_errname(err));
}

/* Catches: the stub.  Mirrors GL-04 and GL-14. */
KIT_TEST(co, new_coroutine_is_unstarted_and_child_of_the_caller)
{
    struct co *co;
    int err = co_new(&co, echo_arg, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    cr_expect(not(co_active(co) || co_dead(co)), "a new coroutine: expected active=false dead=false (Python: bool(g), g.dead), got active=%d dead=%d. See docs/11-coroutines.md#lifecycle", co_active(co), co_dead(co));
    cr_expect(co_parent(co) == co_current(), "co_parent of a new coroutine: expected the creator (co_current()), got %p vs %p. See docs/11-coroutines.md#new", (void *)co_parent(co), (void *)co_current());
    cr_expect(co_parent(co_current()) == NULL, "co_parent(main coroutine): expected NULL (Python: getcurrent().parent is None). See docs/11-coroutines.md#lifecycle");
    co_free(co);
}

/* Catches: the stub.  Mirrors GL-03, GL-04: the first switch starts run
 * with the value, and run's return value comes back to the parent. */
KIT_TEST(co, first_switch_starts_run_and_its_return_comes_back)
{
    struct co *co;
    void *got = NULL;
    int err = co_new(&co, echo_arg, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_switch(co, (void *)42L, &got);
    kit_require_impl(err, "co_switch", "11-A");
    cr_assert(eq(int, err, 0), "co_switch(co, 42, &got): expected 0, got %s. See docs/11-coroutines.md#switch", kit_errname(err));
    cr_expect(eq(long, (long)got, 42), "run(42) returned 42 to its parent: expected *received 42, got %ld. See docs/11-coroutines.md#finish", (long)got);
    cr_expect(co_dead(co) && !co_active(co), "after run returned: expected dead=true active=false, got dead=%d active=%d. See docs/11-coroutines.md#lifecycle", co_dead(co), co_active(co));
    co_free(co);
}

/* Catches: switch_loses_value.patch.  Mirrors GL-02: values cross in
 * both directions on every switch, not only the first. */
KIT_TEST(co, switch_passes_values_both_ways_every_time)
{
    static const long sent[] = {1, 7, 9, 11};
    static const long want[] = {10, 70, 90, 1011};
    struct co *co;
    int err = co_new(&co, ping_pong, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    for (int i = 0; i < 4; i++) {
        void *got = NULL;
        err = co_switch(co, (void *)sent[i], &got);
        kit_require_impl(err, "co_switch", "11-A");
        cr_assert(eq(int, err, 0), "co_switch #%d: expected 0, got %s. See docs/11-coroutines.md#values", i + 1, kit_errname(err));
        cr_assert(eq(long, (long)got, want[i]), "switch #%d sent %ld: the coroutine replies (what it received) * 10, or + 1000 at the end: expected %ld, got %ld. A resumed co_switch must return the value the resumer passed. See docs/11-coroutines.md#values", i + 1, sent[i], want[i], (long)got);
    }
    co_free(co);
}

/* Catches: the stub.  Mirrors GL-15 and the notes' greenlet example:
 * two coroutines switching by name print A B A B A B, exactly. */
KIT_TEST(co, two_coroutines_switching_by_name_give_ABABAB)
{
    int err;

    log_len = 0;
    log_buf[0] = '\0';
    err = co_new(&gr_a, body_a, NULL);
    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new(A): expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_new(&gr_b, body_b, NULL);
    cr_assert(eq(int, err, 0), "co_new(B): expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_switch(gr_a, NULL, NULL);
    kit_require_impl(err, "co_switch", "11-A");
    cr_expect(eq(int, err, 0), "co_switch(A): expected 0, got %s. See docs/11-coroutines.md#switch", kit_errname(err));
    cr_expect(eq(str, log_buf, "ABABAB"), "A logs then switches to B, B logs then switches to A, A finishes after 3 rounds: expected \"ABABAB\", got \"%s\". See docs/11-coroutines.md#round-robin", log_buf);
    cr_expect(co_dead(gr_a) && co_active(gr_b), "after A finished: expected A dead and B suspended (active), got A dead=%d, B active=%d. See docs/11-coroutines.md#lifecycle", co_dead(gr_a), co_active(gr_b));
    co_free(gr_a);
    co_free(gr_b);
}

/* Catches: the stub.  The notes' yield round robin: main resumes t1 and
 * t2 in turn, each runs to its yield: 1 2 1 2 1 2. */
KIT_TEST(co, yield_round_robin_alternates_two_tasks)
{
    struct co *t1;
    struct co *t2;
    int err;

    log_len = 0;
    log_buf[0] = '\0';
    err = co_new(&t1, yielder, NULL);
    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_new(&t2, yielder, NULL);
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    for (int i = 0; i < 3; i++) {
        err = co_switch(t1, "1", NULL);
        kit_require_impl(err, "co_switch", "11-A");
        cr_assert(eq(int, err, 0), "co_switch(t1): expected 0, got %s. See docs/11-coroutines.md#yield", kit_errname(err));
        err = co_switch(t2, "2", NULL);
        cr_assert(eq(int, err, 0), "co_switch(t2): expected 0, got %s. See docs/11-coroutines.md#yield", kit_errname(err));
    }
    cr_expect(eq(str, log_buf, "121212"), "next(t1); next(t2) three times: expected \"121212\", got \"%s\". See docs/11-coroutines.md#yield", log_buf);
    err = co_yield(NULL, NULL);
    cr_expect(eq(int, err, -EINVAL), "co_yield from the main coroutine (no parent): expected -EINVAL, got %s. See docs/11-coroutines.md#yield", kit_errname(err));
    co_free(t1);
    co_free(t2);
}

/* Catches: switch_into_dead.patch.  Mirrors GL-06: a switch to a dead coroutine goes
 * to its parent, here the caller, so the value comes straight back. */
KIT_TEST(co, switch_to_a_dead_coroutine_returns_the_value_at_once)
{
    struct co *co;
    void *got = NULL;
    int err = co_new(&co, echo_arg, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_switch(co, NULL, NULL);
    kit_require_impl(err, "co_switch", "11-A");
    err = co_switch(co, (void *)25L, &got);
    cr_expect(eq(int, err, 0), "co_switch to a dead coroutine: expected 0, got %s. See docs/11-coroutines.md#dead-targets", kit_errname(err));
    cr_expect(eq(long, (long)got, 25), "co_switch(dead, 25): expected 25 back at once (Python: g.switch(25) -> 25), got %ld. See docs/11-coroutines.md#dead-targets", (long)got);
    co_free(co);
}

/* Catches: the stub.  Mirrors GL-16: a finished
 * coroutine goes to its parent, not to whoever switched to it last; an
 * unstarted parent starts with the return value. */
KIT_TEST(co, finished_coroutine_goes_to_its_parent_which_may_start)
{
    struct co *parent;
    struct co *child;
    void *got = NULL;
    int err = co_new(&parent, add_one, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new(parent): expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_new(&child, add_one, &(struct co_options){.parent = parent});
    cr_assert(eq(int, err, 0), "co_new(child, parent): expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    err = co_switch(child, (void *)41L, &got);
    kit_require_impl(err, "co_switch", "11-A");
    cr_expect(eq(int, err, 0), "co_switch(child, 41): expected 0, got %s. See docs/11-coroutines.md#finish", kit_errname(err));
    cr_expect(eq(long, (long)got, 43), "child returns 41+1 to its unstarted parent, which starts with 42 and returns 43 to main: expected 43, got %ld. See docs/11-coroutines.md#finish", (long)got);
    cr_expect(co_dead(child) && co_dead(parent), "both finished: expected dead child and parent, got %d, %d. See docs/11-coroutines.md#finish", co_dead(child), co_dead(parent));
    co_free(child);
    co_free(parent);
}

/* Catches: the stub.  Mirrors GL-14: inside run, co_current() is the
 * coroutine and its parent the creator. */
KIT_TEST(co, current_inside_run_is_the_coroutine_itself)
{
    struct co *co;
    int err = co_new(&co, look_around, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    seen_current = NULL;
    err = co_switch(co, NULL, NULL);
    kit_require_impl(err, "co_switch", "11-A");
    cr_expect(seen_current == co, "co_current() inside run: expected the coroutine %p, got %p. See docs/11-coroutines.md#lifecycle", (void *)co, (void *)seen_current);
    cr_expect(seen_parent == co_current(), "co_parent(co_current()) inside run: expected main %p, got %p. See docs/11-coroutines.md#lifecycle", (void *)co_current(), (void *)seen_parent);
    co_free(co);
}

/* Catches: the stub.  The stack_size option is honoured: a 1 MiB stack
 * holds a 512 KiB frame (the default would overflow into its guard). */
KIT_TEST(co, a_large_stack_option_gives_room_for_a_large_frame)
{
    struct co *co;
    void *got = NULL;
    int err = co_new(&co, big_frame, &(struct co_options){.stack_size = 1024 * 1024});

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new with a 1 MiB stack: expected 0, got %s. See docs/11-coroutines.md#stacks", kit_errname(err));
    err = co_switch(co, NULL, &got);
    kit_require_impl(err, "co_switch", "11-A");
    cr_expect(eq(int, err, 0), "co_switch: expected 0, got %s. See docs/11-coroutines.md#stacks", kit_errname(err));
    cr_expect(eq(long, (long)got, 1), "run touched its 512 KiB frame and returned big[0]: expected 1, got %ld. See docs/11-coroutines.md#stacks", (long)got);
    co_free(co);
}

/* Another thread tries to switch to a coroutine of the test thread. */
static void *
foreign_switch(void *arg)
{
    return (void *)(long)co_switch(arg, NULL, NULL);
}

/* Catches: the stub.  Mirrors GL-12: coroutines belong to a thread. */
KIT_TEST(co, switch_from_another_thread_fails_with_eperm)
{
    struct co *co;
    pthread_t th;
    void *ret = NULL;
    int err = co_new(&co, echo_arg, NULL);

    kit_require_impl(err, "co_new", "11-A");
    cr_assert(eq(int, err, 0), "co_new: expected 0, got %s. See docs/11-coroutines.md#new", kit_errname(err));
    cr_assert(eq(int, pthread_create(&th, NULL, foreign_switch, co), 0), "test setup: pthread_create failed");
    pthread_join(th, &ret);
    err = (int)(long)ret;
    kit_require_impl(err, "co_switch", "11-A");
    cr_expect(eq(int, err, -EPERM), "co_switch from another thread: expected -EPERM (Python: greenlet.error: cannot switch to a different thread), got %s. See docs/11-coroutines.md#threads", kit_errname(err));
    cr_expect(not(co_active(co)), "the refused switch must not start the coroutine. See docs/11-coroutines.md#threads");
    co_free(co);
}
