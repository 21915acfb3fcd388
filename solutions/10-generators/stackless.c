/*
 * stackless.c - fib_gen(nums) with send, as a state machine: no stack of
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

/* The jump back into the middle of stackless_run(): see DESIGN. */
#define SM_BEGIN(s)                                                          \
    switch ((s)->line) {                                                     \
    case 0:
#define SM_YIELD(s, v)                                                       \
    do {                                                                     \
        (s)->line = __LINE__;                                                \
        *(s)->value = (v);                                                   \
        return 0;                                                            \
    case __LINE__:;                                                          \
    } while (0)
#define SM_END(s)                                                            \
    }                                                                        \
    (s)->line = -1;                                                          \
    return -ENODATA

/*
 * stackless_run - run fib_gen from where it stopped to its next yield.
 * Returns 0 with *s->value set, -ENODATA at the end, or -EOVERFLOW.
 * DOC: 10-generators#switch-on-line
 */
static int
stackless_run(struct stackless *s)
{
    long next;                  /* dead at every yield: may be a local */

    SM_BEGIN(s);
    s->a = 0;
    s->b = 1;
    s->current = 0;
    while (s->current < s->nums) {
        SM_YIELD(s, s->a);
        if (s->sent != 0)
            s->current = s->sent;
        if (__builtin_add_overflow(s->a, s->b, &next)) {
            s->line = -1;
            return -EOVERFLOW;
        }
        s->a = s->b;
        s->b = next;
        s->current++;
    }
    SM_END(s);
}

int
stackless_new(struct stackless **out, long nums)
{
    struct stackless *s;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (nums < 0)
        return -EINVAL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -ENOMEM;
    s->nums = nums;
    *out = s;
    return 0;
}

/* step - resume the machine with `sent` (0: nothing sent). */
static int
step(struct stackless *s, long sent, long *value)
{
    if (s->line == -1)
        return -ENODATA;
    s->sent = sent;
    s->value = value;
    return stackless_run(s);
}

int
stackless_next(struct stackless *s, long *value)
{
    if (s == NULL || value == NULL)
        return -EINVAL;
    return step(s, 0, value);
}

int
stackless_send(struct stackless *s, long counter, long *value)
{
    if (s == NULL || value == NULL)
        return -EINVAL;
    if (s->line == 0)
        return -EINVAL;         /* nothing waits at a yield yet */
    return step(s, counter, value);
}

size_t
stackless_size(void)
{
    return sizeof(struct stackless);
}

void
stackless_free(struct stackless *s)
{
    free(s);
}
