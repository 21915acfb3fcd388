/*
 * context.h - the notes' per-thread student: functions deep in a call
 * chain reach the current thread's data without it being passed along
 * (lab 08, parts B and C).
 * Python:  local_school = threading.local(); local_school.student = ...
 *          (part B), and the global dict keyed by
 *          threading.current_thread() behind a Lock (part C).
 * Both versions hold the same kind of record, a "student": a name and
 * the number of steps the call chain has done for it.
 */
#ifndef LAB_CONTEXT_H
#define LAB_CONTEXT_H

#include <stddef.h>

/* Longest student name, including the terminating NUL. */
#define CONTEXT_NAME_MAX 32

/* Steps one context_work() or ctxmap_work() call adds: do_task_1 runs
 * two subtasks, do_task_2 runs two subtasks. */
#define CONTEXT_STEPS_PER_WORK 4

/* ---- part B: the thread-local version ------------------------------- */

/*
 * context_setup - make the module's thread-local object.  Call once,
 * before any thread uses context_*.
 * Python:  local_school = threading.local()   (at module level)
 * Returns: 0; -EBUSY if already set up; -EAGAIN, -ENOMEM from
 *          local_new().
 * Threads: one thread, before the others start (C has no module import
 *          to do it for you).
 */
int context_setup(void);

/*
 * context_teardown - free the module's thread-local object, and with it
 * every student still bound in any thread.  A no-op if not set up.
 * Threads: no thread may use context_* during or after the call (until
 *          the next context_setup()).
 */
void context_teardown(void);

/*
 * context_enter - bind a new student called `name` to the calling thread,
 * replacing (and freeing) the one it had.
 * Python:  local_school.student = Student(name)
 * Returns: 0; -EINVAL if name is NULL or "", or context_setup() was not
 *          called; -ENAMETOOLONG if name does not fit in
 *          CONTEXT_NAME_MAX; -ENOMEM.  On failure nothing changed.
 * Owns:    borrows name (copied).  The student is freed by
 *          context_leave(), by the next context_enter(), when the thread
 *          exits, or by context_teardown().
 * Threads: any thread; each thread sees only its own student.
 */
int context_enter(const char *name);

/*
 * context_work - run the notes' call chain (do_task_1, do_task_2 and
 * their subtasks) for the calling thread's student.  No function of the
 * chain is given the student: each finds it through the thread-local
 * object.  Adds CONTEXT_STEPS_PER_WORK steps.
 * Python:  process_student()
 * Returns: 0; -ENOENT if this thread has no student (Python:
 *          AttributeError); -EINVAL if not set up.
 * Threads: any thread; takes no lock.
 */
int context_work(void);

/*
 * context_name - the calling thread's student's name.
 * Python:  local_school.student.name
 * Returns: the name, or NULL if this thread has no student (or not set
 *          up).  Owns: the string is the student's: it lives until this
 *          thread leaves, enters again or exits.  Cannot fail.
 */
const char *context_name(void);

/*
 * context_steps - steps done for the calling thread's student.
 * Returns: the count (>= 0); -ENOENT if this thread has no student;
 *          -EINVAL if not set up.
 */
int context_steps(void);

/*
 * context_leave - unbind and free the calling thread's student.
 * Python:  del local_school.student
 * Returns: 0; -ENOENT if it has none; -EINVAL if not set up.
 */
int context_leave(void);

/*
 * context_live - students alive now, made by either version and not yet
 * freed.  Lets a test see that a thread's student died with the thread.
 * Returns: the count.  Cannot fail.  Threads: any thread.
 */
int context_live(void);

/* ---- part C: the same, with a global map keyed by thread ------------ */

/*
 * ctxmap_enter - make a student called `name` and store it in the global
 * map under the calling thread's id, replacing (and freeing) the one
 * stored there.
 * Python:  global_dict[threading.current_thread()] = Student(name)
 * Returns: 0; -EINVAL if name is NULL or ""; -ENAMETOOLONG; -ENOMEM.
 * Owns:    borrows name (copied).  The entry stays in the map until
 *          ctxmap_leave() or ctxmap_clear(): the thread's exit does NOT
 *          remove it (docs/08-threadlocal.md#cleanup-problem).
 * Threads: any thread; every call takes the map's one lock.
 */
int ctxmap_enter(const char *name);

/*
 * ctxmap_work - the same call chain as context_work(), where each
 * function looks the student up in the map by the calling thread's id
 * (one locked lookup per function, as the notes' version does).
 * Returns: 0; -ENOENT if the map has no entry for this thread.
 */
int ctxmap_work(void);

/*
 * ctxmap_steps - steps done for the calling thread's entry.
 * Returns: the count; -ENOENT if the map has no entry for this thread.
 */
int ctxmap_steps(void);

/*
 * ctxmap_name - copy the name of the calling thread's entry into buf.
 * Returns: 0; -ENOENT if there is none; -EINVAL if buf is NULL;
 *          -ENOSPC if len is too small.  C differs from part B: what is
 *          read from a shared map is copied while its lock is held, so
 *          the map lends out no pointer.
 * Owns:    borrows buf.
 */
int ctxmap_name(char *buf, size_t len);

/*
 * ctxmap_leave - remove and free the calling thread's entry.
 * Python:  del global_dict[threading.current_thread()]
 * Returns: 0; -ENOENT if there is none.
 */
int ctxmap_leave(void);

/*
 * ctxmap_size - entries in the map, including those of threads that
 * have exited without ctxmap_leave().
 * Python:  len(global_dict)
 * Returns: the count.  Cannot fail.
 */
int ctxmap_size(void);

/*
 * ctxmap_clear - remove and free every entry, whichever thread made it.
 * Python:  global_dict.clear()
 * Threads: any thread, while no other thread uses ctxmap_*.
 */
void ctxmap_clear(void);

#endif /* LAB_CONTEXT_H */
