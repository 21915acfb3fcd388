/*
 * chatlog.h - the notes' chat with a log-saving thread: any number of
 * threads post messages, one saver thread appends them to a file, and
 * closing loses nothing still queued (lab 07, part F).
 * Python: a queue.Queue between the chat threads and a SaveChat thread.
 */
#ifndef LAB_CHATLOG_H
#define LAB_CHATLOG_H

struct chatlog;                 /* opaque: only chatlog_* look inside */

/*
 * chatlog_new - start a saver thread that appends each posted message,
 * followed by '\n', to fd.
 * Python:  q = queue.Queue(maxsize); SaveChat(q).start()
 * Returns: 0; -EINVAL if out is NULL or fd is negative; -ENOMEM; -EAGAIN
 *          (no thread).  maxsize <= 0: posts never wait; otherwise a post
 *          waits while maxsize messages are queued.  On failure *out is
 *          NULL and no thread is left.
 * Owns:    gives *out to the caller, who ends it with chatlog_close() and
 *          frees it with chatlog_free(); keeps fd (open) until
 *          chatlog_close() has returned; the caller still closes it.
 */
int chatlog_new(struct chatlog **out, int fd, long maxsize);

/*
 * chatlog_post - queue one message for the saver.
 * Python:  q.put(info)
 * Returns: 0 once queued (it will reach the log exactly once, even if
 *          chatlog_close() is called at once); -EPIPE once
 *          chatlog_close() has begun (Python 3.13: queue.ShutDown);
 *          -EINVAL if log or msg is NULL; -ENOMEM.
 * Owns:    borrows log and msg (the text is copied).
 * Threads: any thread.  Messages one thread posts reach the log in the
 *          order it posted them.
 */
int chatlog_post(struct chatlog *log, const char *msg);

/*
 * chatlog_close - stop taking posts, let the saver write every message
 * already queued, and join it.
 * Python:  q.shutdown() (3.13), then joining SaveChat
 * Returns: 0 when everything posted is in the log; the first write error
 *          of the saver (a negative errno, e.g. -EPIPE, -ENOSPC), in which
 *          case the messages after it were dropped; -EINVAL if log is
 *          NULL.  Calling it again returns the same value.
 * Owns:    borrows log.
 * Threads: call it from one thread.  Posts racing with it either get in
 *          (and are written) or get -EPIPE, never lost silently.  It
 *          waits as long as the saver's writes block.
 */
int chatlog_close(struct chatlog *log);

/*
 * chatlog_free - close the log if that was not done, and release it.
 * Owns:    takes log.  NULL is a no-op.
 * Threads: no other thread may be using log.
 */
void chatlog_free(struct chatlog *log);

#endif /* LAB_CHATLOG_H */
