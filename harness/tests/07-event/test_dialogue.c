/*
 * test_dialogue.c - functional tests of dialogue.h (lab 07, part B): the
 * four lines in script order, each from its speaker's own thread.  The
 * ordering tier repeats this under schedule noise (test_order.c).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "kit.h"
#include "dialogue.h"

TestSuite(dialogue, .timeout = 20);

/* Runs per test: the order must hold in every one. */
#define RUNS 50

/* What one run recorded; say is called by two threads in turn. */
struct record {
    pthread_mutex_t mu;
    int n;
    int overlap;                /* calls that began while another ran */
    int busy;
    int line[DIALOGUE_LINES + 4];
    pthread_t who[DIALOGUE_LINES + 4];
};

/* line_index - which script line this is, or -1. */
static int
line_index(const char *speaker, const char *text)
{
    for (int k = 0; k < DIALOGUE_LINES; k++)
        if (strcmp(speaker, dialogue_script[k].speaker) == 0 &&
            strcmp(text, dialogue_script[k].text) == 0)
            return k;
    return -1;
}

static void
record_line(const char *speaker, const char *text, void *arg)
{
    struct record *r = arg;

    pthread_mutex_lock(&r->mu);
    r->overlap += r->busy;
    r->busy = 1;
    if (r->n < DIALOGUE_LINES + 4) {
        r->line[r->n] = line_index(speaker, text);
        r->who[r->n] = pthread_self();
    }
    r->n++;
    pthread_mutex_unlock(&r->mu);
    pthread_mutex_lock(&r->mu);
    r->busy = 0;
    pthread_mutex_unlock(&r->mu);
}

/* run_once - dialogue_run into a fresh record. */
static void
run_once(struct record *r)
{
    int err;

    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    err = dialogue_run(record_line, r);
    pthread_mutex_destroy(&r->mu);
    kit_require_impl(err, "dialogue_run", "07-B");
    cr_assert(eq(int, err, 0), "dialogue_run(say, arg): expected 0, got %s. See docs/07-event.md#dialogue", kit_errname(err));
}

/* Catches: the stub (and, in most runs, dialogue_no_clear.patch, which
 * the ordering tier catches every time).  Mirrors the notes' dialogue. */
KIT_TEST(dialogue, four_lines_come_out_in_script_order_every_run)
{
    struct record r;

    for (int run = 0; run < RUNS; run++) {
        run_once(&r);
        cr_assert(eq(int, r.n, DIALOGUE_LINES), "run %d: say was called %d times, expected %d. See docs/07-event.md#dialogue", run + 1, r.n, DIALOGUE_LINES);
        for (int k = 0; k < DIALOGUE_LINES; k++)
            cr_assert(eq(int, r.line[k], k), "run %d: the line said in place %d was script line %d, expected %d (\"%s: %s\"): the order must come from events, not luck. See docs/07-event.md#clear-before-handing-over", run + 1, k + 1, r.line[k] + 1, k + 1, dialogue_script[k].speaker, dialogue_script[k].text);
        cr_assert(eq(int, r.overlap, 0), "run %d: say was called while another call was still running: each line must start after the previous one returned. See docs/07-event.md#dialogue", run + 1);
    }
}

/* Catches: the stub.  The dialogue is between two threads, not printed
 * by the caller. */
KIT_TEST(dialogue, each_speaker_talks_from_its_own_thread)
{
    struct record r;
    pthread_t me = pthread_self();

    run_once(&r);
    cr_assert(eq(int, r.n, DIALOGUE_LINES), "say was called %d times, expected %d. See docs/07-event.md#dialogue", r.n, DIALOGUE_LINES);
    cr_expect(pthread_equal(r.who[0], r.who[2]), "Smith's two lines came from two different threads: one thread per speaker. See docs/07-event.md#dialogue");
    cr_expect(pthread_equal(r.who[1], r.who[3]), "John's two lines came from two different threads: one thread per speaker. See docs/07-event.md#dialogue");
    cr_expect(false == (pthread_equal(r.who[0], r.who[1])), "Smith and John spoke from the same thread. See docs/07-event.md#dialogue");
    cr_expect(false == (pthread_equal(r.who[0], me)) && !(pthread_equal(r.who[1], me)), "a line was said by the thread that called dialogue_run: each speaker is a thread of its own. See docs/07-event.md#dialogue");
}

/* Catches: the stub. */
KIT_TEST(dialogue, null_say_fails_with_einval)
{
    int err = dialogue_run(NULL, NULL);

    kit_require_impl(err, "dialogue_run", "07-B");
    cr_assert(eq(int, err, -EINVAL), "dialogue_run(NULL, NULL): expected -EINVAL, got %s. See docs/07-event.md#dialogue", kit_errname(err));
}
