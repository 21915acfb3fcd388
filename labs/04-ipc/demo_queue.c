/*
 * demo_queue.c - the notes' Queue example: a writer process puts words,
 * a reader process gets them until a stop word (lab 04, part A).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mpq.h"

static const char *const words[] = { "A", "B", "C", "stop" };

/* writer - put every word, then exit. */
static int
writer(struct mpq *q)
{
    for (int i = 0; i < 4; i++) {
        printf("writer %d: put %s\n", (int)getpid(), words[i]);
        fflush(stdout);
        if (mpq_put(q, words[i], strlen(words[i]), LAB_FOREVER) != 0)
            return 1;
    }
    return 0;
}

/* reader - get and print until "stop". */
static int
reader(struct mpq *q)
{
    char buf[16];
    size_t len;

    for (;;) {
        if (mpq_get(q, buf, sizeof(buf), &len, 5.0) != 0)
            return 1;
        printf("reader %d: got %.*s\n", (int)getpid(), (int)len, buf);
        fflush(stdout);
        if (len == 4 && memcmp(buf, "stop", 4) == 0)
            return 0;
    }
}

/* run - fork fn(q) as a child; returns its pid. */
static pid_t
run(int (*fn)(struct mpq *), struct mpq *q)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(fn(q));
    return pid;
}

int
main(void)
{
    struct mpq *q;
    int s1 = 1;
    int s2 = 1;
    pid_t w;
    pid_t r;

    if (mpq_new(&q, 2, 16) != 0) {
        fprintf(stderr, "demo_queue: mpq_new failed (not implemented yet?)\n");
        return 1;
    }
    w = run(writer, q);
    r = run(reader, q);
    waitpid(w, &s1, 0);
    waitpid(r, &s2, 0);
    printf("queue empty at the end: %s\n", mpq_empty(q) ? "yes" : "no");
    mpq_free(q);
    return s1 == 0 && s2 == 0 ? 0 : 1;
}
