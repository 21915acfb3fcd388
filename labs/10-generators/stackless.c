/*
 * stackless.c (stub) - fib_gen(nums) with send, as a state machine: no stack of
 * its own, a struct and a switch.
 *
 * DESIGN
 *
 * A stackless generator cannot stop in the middle of a function: every
 * call must return.  So its locals move into the struct, and `line`
 * remembers where it yielded.  SM_YIELD stores __LINE__ in `line`, sets
 * the value and returns; its `case __LINE__:` label sits right after the
 * return, inside the loop, so the next call's `switch (s->line)` jumps
 * straight back there (the switch-on-line technique of Simon Tatham's
 * coroutines and Adam Dunkels' protothreads).  Rules that follow: no
 * locals that must survive a yield, no yield inside a nested `switch`,
 * and at most one yield per source line.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "stackless.h"

struct stackless {
    int line;                   /* 0: not started; -1: ended; else where
                                 * it last yielded */
    long nums;
    /* fib_gen's locals, kept between calls. */
    long a;
    long b;
    long current;
    /* What the current call brings in and takes out. */
    long sent;                  /* 0: next(), else the counter sent */
    long *value;
};

/* TODO(10-F): SM_BEGIN(s), SM_YIELD(s, v) and SM_END(s): the switch on
 * s->line and the `case __LINE__:` after each return (see DESIGN).
 * Python: the frame's saved instruction pointer. Read
 * docs/10-generators.md#switch-on-line. */

/*
 * stackless_run - run fib_gen from where it stopped to its next yield.
 * Returns 0 with *s->value set, -ENODATA at the end, or -EOVERFLOW.
 * DOC: 10-generators#switch-on-line
 */
static int
stackless_run(struct stackless *s)
{
    /* TODO(10-F): fib_gen's body between SM_BEGIN and SM_END, its locals
     * in *s, SM_YIELD(s, s->a) where Python yields. Python: fib_gen. Read
     * docs/10-generators.md#switch-on-line. */
    (void)s;
    return -ENOSYS;
}

int
stackless_new(struct stackless **out, long nums)
{
    /* TODO(10-F): check the arguments (*out = NULL first) and allocate a
     * zeroed machine (line 0: not started). Python: fib_gen(nums). Read
     * docs/10-generators.md#switch-on-line. */
    if (out != NULL)
        *out = NULL;
    (void)nums;
    return -ENOSYS;
}

/* step - resume the machine with `sent` (0: nothing sent). */
static int
step(struct stackless *s, long sent, long *value)
{
    /* TODO(10-F): -ENODATA once ended, else record sent and value and run
     * the machine. Python: gen.send. Read
     * docs/10-generators.md#switch-on-line. */
    (void)s;
    (void)sent;
    (void)value;
    (void)stackless_run;
    return -ENOSYS;
}

int
stackless_next(struct stackless *s, long *value)
{
    /* TODO(10-F): one step with nothing sent. Python: next(obj). Read
     * docs/10-generators.md#switch-on-line. */
    (void)s;
    (void)value;
    (void)step;
    return -ENOSYS;
}

int
stackless_send(struct stackless *s, long counter, long *value)
{
    /* TODO(10-F): refuse a machine that has not started (-EINVAL), else
     * one step with the counter. Python: obj.send(counter). Read
     * docs/10-generators.md#send-before-next. */
    (void)s;
    (void)counter;
    (void)value;
    return -ENOSYS;
}

size_t
stackless_size(void)
{
    /* TODO(10-F): the size of the state struct. Read
     * docs/10-generators.md#stackful-or-stackless. */
    return 0;
}

void
stackless_free(struct stackless *s)
{
    /* TODO(10-F): release s (NULL is fine). Read
     * docs/10-generators.md#switch-on-line. */
    (void)s;
}
