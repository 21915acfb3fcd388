/*
 * scenario_event.c - events passed back and forth between threads, and
 * the dialogue, for the ordering and race tiers of lab 07 (parts A, B).
 *
 *   ping_pong  two threads bounce a turn through two events (wait, clear,
 *              set), with timed waits and is_set looks in between; every
 *              round must arrive exactly once, in order.
 *   dialogue   dialogue_run, many rounds: the four lines in script order,
 *              each said by its own speaker's thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "dialogue.h"
#include "event.h"

/* The two ends of a ping-pong.  `hits` is written only by the ponger,
 * read by main after the join. */
struct court {
    struct event *ping;
    struct event *pong;
    int rounds;
    int hits;
    int bad_err;
};

static void *
ponger(void *arg)
{
    struct court *c = arg;

    for (int i = 0; i < c->rounds; i++) {
        int err = event_wait(c->ping, LAB_FOREVER);
        if (err == 0)
            err = event_clear(c->ping);
        if (err != 0) {
            c->bad_err = err;
            return NULL;
        }
        c->hits++;
        (void)event_set(c->pong);
    }
    return NULL;
}

/* serve - one round from main's side: ping, wait for the pong. */
static void
serve(struct court *c, int round)
{
    int err = event_set(c->ping);

    kit_scen_check(err == 0, "event_set(ping): expected 0, got %s", kit_errname(err));
    /* Timed waits here never run out: Helgrind 3.19 reports glibc's own
     * broadcast when a timed-out waiter had consumed a wake-up
     * (docs/07-event.md#what-the-tools-see). */
    err = event_wait(c->pong, 10.0);
    kit_scen_check(err == 0, "event_wait(pong, 10.0) in round %d: the other thread set pong, expected 0, got %s (a set was lost?)", round, kit_errname(err));
    kit_scen_check(event_is_set(c->pong), "event_is_set(pong) right after the wait returned 0 in round %d: expected true (only this thread clears pong)", round);
    err = event_clear(c->pong);
    kit_scen_check(err == 0, "event_clear(pong): expected 0, got %s", kit_errname(err));
}

static void
case_ping_pong(void)
{
    struct court c = { .rounds = kit_scen_repeat(50) };
    pthread_t t;
    int err;

    err = event_new(&c.ping);
    kit_scen_require_impl(err, "event_new", "07-A");
    kit_scen_check(err == 0, "event_new: expected 0, got %s", kit_errname(err));
    kit_scen_check(event_new(&c.pong) == 0, "event_new (second): failed");
    kit_scen_check(pthread_create(&t, NULL, ponger, &c) == 0, "pthread_create failed");
    for (int i = 0; i < c.rounds; i++)
        serve(&c, i);
    pthread_join(t, NULL);
    kit_scen_check(c.bad_err == 0, "the other thread's event_wait/event_clear failed with %s", kit_errname(c.bad_err));
    kit_scen_check(c.hits == c.rounds, "the other thread saw %d pings, expected %d", c.hits, c.rounds);
    event_free(c.ping);
    event_free(c.pong);
}

/* What one dialogue run recorded.  Guarded by mu (say may be called
 * from two threads, one after the other). */
struct record {
    pthread_mutex_t mu;
    int n;
    int line[DIALOGUE_LINES + 2];
    pthread_t who[DIALOGUE_LINES + 2];
};

static void
record_line(const char *speaker, const char *text, void *arg)
{
    struct record *r = arg;
    int k;

    pthread_mutex_lock(&r->mu);
    for (k = 0; k < DIALOGUE_LINES; k++)
        if (strcmp(speaker, dialogue_script[k].speaker) == 0 &&
            strcmp(text, dialogue_script[k].text) == 0)
            break;              /* speaker and text name one line */
    if (r->n < DIALOGUE_LINES + 2) {
        r->line[r->n] = k;
        r->who[r->n] = pthread_self();
    }
    r->n++;
    pthread_mutex_unlock(&r->mu);
}

static void
check_dialogue(const struct record *r, int round)
{
    kit_scen_check(r->n == DIALOGUE_LINES, "round %d: %d lines said, expected %d", round, r->n, DIALOGUE_LINES);
    for (int k = 0; k < DIALOGUE_LINES; k++)
        kit_scen_check(r->line[k] == k, "round %d: line %d said was \"%s: %s\", expected \"%s: %s\" (the order must not depend on the schedule)", round, k + 1, r->line[k] < DIALOGUE_LINES ? dialogue_script[r->line[k]].speaker : "?", r->line[k] < DIALOGUE_LINES ? dialogue_script[r->line[k]].text : "?", dialogue_script[k].speaker, dialogue_script[k].text);
    kit_scen_check(pthread_equal(r->who[0], r->who[2]) && pthread_equal(r->who[1], r->who[3]), "round %d: one speaker's lines came from two different threads", round);
    kit_scen_check(!pthread_equal(r->who[0], r->who[1]), "round %d: Smith and John spoke from the same thread", round);
    kit_scen_check(!pthread_equal(r->who[0], pthread_self()) && !pthread_equal(r->who[1], pthread_self()), "round %d: a line was said by the caller of dialogue_run, not by a speaker thread", round);
}

static void
case_dialogue(void)
{
    int rounds = kit_scen_repeat(20);

    for (int i = 0; i < rounds; i++) {
        struct record r = { .n = 0 };
        int err;

        pthread_mutex_init(&r.mu, NULL);
        err = dialogue_run(record_line, &r);
        kit_scen_require_impl(err, "dialogue_run", "07-B");
        kit_scen_check(err == 0, "dialogue_run: expected 0, got %s", kit_errname(err));
        check_dialogue(&r, i);
        pthread_mutex_destroy(&r.mu);
    }
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ping_pong|dialogue\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "ping_pong") == 0)
        case_ping_pong();
    else if (strcmp(argv[1], "dialogue") == 0)
        case_dialogue();
    else
        return 2;
    return 0;
}
