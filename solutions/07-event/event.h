/*
 * event.h - a flag that threads set, clear and wait on (lab 07, part A).
 * Python: threading.Event.  Where C differs from Python, the function says so.
 */
#ifndef LAB_EVENT_H
#define LAB_EVENT_H

#include <stdbool.h>

#ifndef LAB_FOREVER
#define LAB_FOREVER (-1.0)      /* a timeout that never runs out */
#endif

struct event;                   /* opaque: only event_* functions look inside */

/*
 * event_new - make an event that starts clear.
 * Python:  threading.Event()
 * Returns: 0, or -ENOMEM; -EINVAL if out is NULL.  On failure *out is NULL.
 * Owns:    gives *out to the caller, who frees it with event_free().
 */
int event_new(struct event **out);

/*
 * event_set - set the flag and wake every thread waiting on it.
 * Python:  Event.set()
 * Returns: 0 (also when already set: nothing changes); -EINVAL if ev is
 *          NULL.  Every thread that was waiting when set() was called
 *          returns 0 from event_wait(), even if event_clear() follows at
 *          once (gh-57711).
 * Owns:    borrows ev.
 * Threads: any thread.
 */
int event_set(struct event *ev);

/*
 * event_clear - reset the flag; later waits block until the next set.
 * Python:  Event.clear()
 * Returns: 0 (also when already clear); -EINVAL if ev is NULL.
 * Owns:    borrows ev.
 * Threads: any thread.  Never takes back a wake-up that set() gave.
 */
int event_clear(struct event *ev);

/*
 * event_wait - block until the event is set or `timeout` seconds pass.
 * Python:  Event.wait(timeout=None) -> bool
 * Returns: 0 once set (at once if already set); -ETIMEDOUT if the timeout
 *          passed first (Python returns False); -EINVAL if ev is NULL or
 *          timeout is NaN.  LAB_FOREVER waits without limit (any negative
 *          value does; Python treats a negative timeout as 0).
 * Owns:    borrows ev.
 * Threads: any thread; a spurious wakeup never ends the wait early.
 */
int event_wait(struct event *ev, double timeout);

/* event_is_set - Python: Event.is_set().  Cannot fail; false for NULL. */
bool event_is_set(const struct event *ev);

/*
 * event_free - release ev.
 * Owns:    takes ev.  NULL is a no-op.
 * Threads: no thread may be waiting on ev or about to use it.
 */
void event_free(struct event *ev);

#endif /* LAB_EVENT_H */
