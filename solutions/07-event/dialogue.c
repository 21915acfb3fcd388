/*
 * dialogue.c - the notes' dialogue between John and Smith, made
 * deterministic: each speaker waits on an event that means "your turn",
 * clears it, speaks, and sets the other's event.
 *
 * DESIGN
 *
 * The notes share one event between both threads and sleep one second
 * between steps, hoping the other thread has woken in time.  Here each
 * speaker owns an event that only the other sets.  The owner clears it
 * right after waking and before it hands the turn over, so the clear can
 * never hide the next set: the next set happens only after the other
 * thread has seen this thread's hand-over.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "dialogue.h"
#include "event.h"

const struct dialogue_line dialogue_script[DIALOGUE_LINES] = {
    { .speaker = "Smith", .text = "Good morning" },
    { .speaker = "John", .text = "Good morning" },
    { .speaker = "Smith", .text = "How are you?" },
    { .speaker = "John", .text = "I am fine, thank you" },
};

/* What both speakers share.  Written by dialogue_run before the threads
 * start (or, for `cancelled`, before an event_set that the reader waits
 * for): the events order every access. */
struct talk {
    dialogue_say *say;
    void *arg;
    struct event *john_turn;    /* set by Smith, cleared by John */
    struct event *smith_turn;   /* set by John, cleared by Smith */
    bool cancelled;             /* Smith never started: John says nothing */
};

/* take_turn - wait until it is our turn, then take it back down so the
 * next wait blocks until the other speaker hands it over again. */
static void
take_turn(struct event *mine)
{
    (void)event_wait(mine, LAB_FOREVER);
    (void)event_clear(mine);    /* DOC: 07-event#clear-before-handing-over */
}

/* say_line - say line k of the script. */
static void
say_line(const struct talk *t, int k)
{
    t->say(dialogue_script[k].speaker, dialogue_script[k].text, t->arg);
}

static void *
john_main(void *arg)
{
    struct talk *t = arg;

    take_turn(t->john_turn);
    if (t->cancelled)
        return NULL;
    say_line(t, 1);
    (void)event_set(t->smith_turn);
    take_turn(t->john_turn);
    say_line(t, 3);
    return NULL;
}

static void *
smith_main(void *arg)
{
    struct talk *t = arg;

    say_line(t, 0);
    (void)event_set(t->john_turn);
    take_turn(t->smith_turn);
    say_line(t, 2);
    (void)event_set(t->john_turn);
    return NULL;
}

/* start_speakers - start John, then Smith (the notes' order).  Returns 0
 * with both running, or a negative errno with none left running. */
static int
start_speakers(struct talk *t, pthread_t *john, pthread_t *smith)
{
    int err = pthread_create(john, NULL, john_main, t);

    if (err)
        return -err;
    err = pthread_create(smith, NULL, smith_main, t);
    if (err) {
        t->cancelled = true;    /* published by the event_set below */
        (void)event_set(t->john_turn);
        pthread_join(*john, NULL);
        return -err;
    }
    return 0;
}

int
dialogue_run(dialogue_say *say, void *arg)
{
    struct talk t = { .say = say, .arg = arg };
    pthread_t john;
    pthread_t smith;
    int err;

    if (say == NULL)
        return -EINVAL;
    err = event_new(&t.john_turn);
    if (err)
        return err;
    err = event_new(&t.smith_turn);
    if (err)
        goto out_free_john;
    err = start_speakers(&t, &john, &smith);
    if (err == 0) {
        pthread_join(john, NULL);
        pthread_join(smith, NULL);
    }
    event_free(t.smith_turn);
out_free_john:
    event_free(t.john_turn);
    return err;
}
