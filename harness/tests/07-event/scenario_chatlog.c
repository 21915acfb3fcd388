/*
 * scenario_chatlog.c - the chat log with several posting threads, for the
 * ordering, race and memory tiers of lab 07 (part F).
 *
 *   producers   two threads post tagged messages while the saver writes
 *               them to a memfd; after close every message is in the file
 *               exactly once, and each thread's messages in its order.
 *   close_race  a thread keeps posting while the main thread closes: every
 *               post that returned 0 is in the file, every post that got
 *               -EPIPE is not, and nothing else is.
 */
#define _GNU_SOURCE     /* memfd_create */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kit.h"
#include "chatlog.h"

#define PRODUCERS 2
#define MAX_POSTS 400

struct poster {
    struct chatlog *log;
    int id;
    int posts;                  /* how many to post */
    int accepted;               /* posts that returned 0, in order */
    int first_bad;              /* first error other than -EPIPE */
};

static void *
post_all(void *arg)
{
    struct poster *p = arg;
    char msg[64];

    for (int i = 0; i < p->posts; i++) {
        int err;

        snprintf(msg, sizeof(msg), "p%d-%04d", p->id, i);
        err = chatlog_post(p->log, msg);
        if (err == -EPIPE)
            break;              /* closed: later posts would fail too */
        if (err != 0) {
            p->first_bad = err;
            break;
        }
        p->accepted++;
    }
    return NULL;
}

/* read_log - the whole file; gives a NUL-terminated buffer (free it). */
static char *
read_log(int fd)
{
    off_t size = lseek(fd, 0, SEEK_END);
    char *buf;

    kit_scen_check(size >= 0, "lseek on the memfd failed");
    buf = calloc(1, (size_t)size + 1);
    kit_scen_check(buf != NULL, "out of memory");
    kit_scen_check(pread(fd, buf, (size_t)size, 0) == size, "pread of the log failed");
    return buf;
}

/* check_log - each poster's accepted messages appear once, in order, and
 * nothing else appears. */
static void
check_log(char *text, const struct poster *p, int n)
{
    int next[PRODUCERS] = { 0 };
    char *save = NULL;

    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        int id;
        int seq;
        kit_scen_check(sscanf(line, "p%d-%d", &id, &seq) == 2 && id >= 0 && id < n, "the log holds a line nobody posted: \"%s\"", line);
        kit_scen_check(seq == next[id], "poster %d: the log has message %d where message %d was due (a message lost, doubled or out of order)", id, seq, next[id]);
        next[id]++;
    }
    for (int i = 0; i < n; i++)
        kit_scen_check(next[i] == p[i].accepted, "poster %d: %d messages accepted by chatlog_post, %d in the log after chatlog_close (everything queued must be written)", i, p[i].accepted, next[i]);
}

/* open_log - a memfd and a chat log writing to it. */
static struct chatlog *
open_log(int *fd)
{
    struct chatlog *log = NULL;
    int err;

    *fd = memfd_create("chatlog", MFD_CLOEXEC);
    kit_scen_check(*fd >= 0, "memfd_create failed: %s", strerror(errno));
    err = chatlog_new(&log, *fd, 8);
    kit_scen_require_impl(err, "chatlog_new", "07-F");
    kit_scen_check(err == 0, "chatlog_new(fd, 8): expected 0, got %s", kit_errname(err));
    return log;
}

static void
round_producers(int posts, bool race_close)
{
    struct poster p[PRODUCERS];
    pthread_t t[PRODUCERS];
    int fd;
    struct chatlog *log = open_log(&fd);
    char *text;
    int err;

    for (int i = 0; i < PRODUCERS; i++) {
        p[i] = (struct poster){ .log = log, .id = i, .posts = posts };
        kit_scen_check(pthread_create(&t[i], NULL, post_all, &p[i]) == 0, "pthread_create failed");
    }
    if (!race_close)
        for (int i = 0; i < PRODUCERS; i++)
            pthread_join(t[i], NULL);
    err = chatlog_close(log);
    kit_scen_check(err == 0, "chatlog_close: expected 0, got %s", kit_errname(err));
    if (race_close)
        for (int i = 0; i < PRODUCERS; i++)
            pthread_join(t[i], NULL);
    for (int i = 0; i < PRODUCERS; i++)
        kit_scen_check(p[i].first_bad == 0, "poster %d: chatlog_post failed with %s (expected 0, or -EPIPE after close)", i, kit_errname(p[i].first_bad));
    text = read_log(fd);
    check_log(text, p, PRODUCERS);
    free(text);
    chatlog_free(log);
    close(fd);
}

int
main(int argc, char **argv)
{
    int rounds = kit_scen_repeat(3);

    if (argc != 2) {
        fprintf(stderr, "usage: %s producers|close_race\n", argv[0]);
        return 2;
    }
    for (int r = 0; r < rounds; r++) {
        if (strcmp(argv[1], "producers") == 0)
            round_producers(60, false);
        else if (strcmp(argv[1], "close_race") == 0)
            round_producers(MAX_POSTS, true);
        else
            return 2;
    }
    return 0;
}
