/*
 * demo_chat_log.c - the notes' UDP chat with a log-saving thread, without
 * the network and the keyboard: a "sender" and a "receiver" thread post
 * chat lines, one saver thread appends them to a log file, and closing
 * the log writes everything still queued.  Prints the log at the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "chatlog.h"

#define LINES 5

/* One chatting thread: posts LINES lines with its own prefix. */
struct chatter {
    struct chatlog *log;
    const char *prefix;         /* "<<<" sent, ">>>" received */
    int err;
};

static void *
chat(void *arg)
{
    struct chatter *c = arg;
    char line[80];

    for (int i = 1; i <= LINES && c->err == 0; i++) {
        snprintf(line, sizeof(line), "%s(127.0.0.1, 7890): message %d",
                 c->prefix, i);
        c->err = chatlog_post(c->log, line);
    }
    return NULL;
}

/* print_file - copy f's content from the start to stdout. */
static void
print_file(FILE *f)
{
    char buf[256];

    rewind(f);
    while (fgets(buf, sizeof(buf), f) != NULL)
        fputs(buf, stdout);
}

/* run_chat - two chatters and the saver; returns 0 if all went well. */
static int
run_chat(struct chatlog *log)
{
    struct chatter c[2] = { { log, "<<<", 0 }, { log, ">>>", 0 } };
    pthread_t t[2];

    int started = 0;

    while (started < 2 &&
           pthread_create(&t[started], NULL, chat, &c[started]) == 0)
        started++;
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    if (started < 2)
        return 1;
    return c[0].err != 0 || c[1].err != 0 || chatlog_close(log) != 0;
}

int
main(void)
{
    FILE *f = tmpfile();        /* the notes write ./chat.txt */
    struct chatlog *log = NULL;
    int bad;

    if (f == NULL || chatlog_new(&log, fileno(f), 0) != 0) {
        fprintf(stderr, "demo_chat_log: could not start the log\n");
        return 1;
    }
    bad = run_chat(log);
    chatlog_free(log);
    printf("the chat log holds:\n");
    print_file(f);
    fclose(f);
    return bad;
}
