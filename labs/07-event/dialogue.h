/*
 * dialogue.h - the notes' two-person dialogue, told by two threads in
 * the same order in every run, with events and no sleep (lab 07, part B).
 * Python: two threading.Thread objects and threading.Event, as in the
 * notes (which sleep and can come out in the wrong order).
 */
#ifndef LAB_DIALOGUE_H
#define LAB_DIALOGUE_H

/* How many lines the dialogue has. */
#define DIALOGUE_LINES 4

/* One line of the script: who says it, and what. */
struct dialogue_line {
    const char *speaker;        /* "Smith" or "John" */
    const char *text;
};

/* The script, in the order it must be told: Smith, John, Smith, John. */
extern const struct dialogue_line dialogue_script[DIALOGUE_LINES];

/* Says one line: called by the speaker's own thread, never by two
 * threads at once.  (Python: print(self.name, ':', text)) */
typedef void dialogue_say(const char *speaker, const char *text, void *arg);

/*
 * dialogue_run - tell the dialogue: start a thread for John and one for
 * Smith, let each say its lines of dialogue_script through `say`, in
 * script order, and join both.
 * Python:  john.start(); smith.start()  (the notes' main())
 * Returns: 0 once all four lines were said and both threads joined;
 *          -EINVAL if say is NULL; -ENOMEM or -EAGAIN (no events or no
 *          thread: then no line was said and no thread is left).
 * Owns:    borrows say's arg for the duration of the call.
 * Threads: any thread.  Each line is said by its speaker's thread (not by
 *          the caller), and line k+1 starts only after line k returned.
 */
int dialogue_run(dialogue_say *say, void *arg);

#endif /* LAB_DIALOGUE_H */
