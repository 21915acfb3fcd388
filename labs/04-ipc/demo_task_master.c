/*
 * demo_task_master.c - the notes' distributed processes: a task master
 * publishes tasks over TCP with an authkey, two workers square numbers,
 * one worker with the wrong key is turned away (lab 04, part D).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "remote.h"

#define KEY "abc"
#define TASKS 10

/* worker - answer tasks until none comes for 0.5 s. */
static int
worker(int port)
{
    struct remote_conn *c;
    uint64_t id;
    int *n;
    size_t len;

    if (remote_connect(&c, port, KEY, strlen(KEY)) != 0)
        return 1;
    while (remote_task_get(c, &id, (void **)&n, &len, 0.5) == 0) {
        int sq = *n * *n;
        printf("worker %d: %d * %d = %d\n", (int)getpid(), *n, *n, sq);
        fflush(stdout);
        free(n);
        remote_result_put(c, id, &sq, sizeof(sq));
    }
    remote_close(c);
    return 0;
}

/* master - put the tasks, start the workers, print every result. */
static int
master(struct remote_master *m, struct remote_conn *c)
{
    pid_t pids[2];
    int bad = 0;

    for (int i = 0; i < TASKS; i++)
        bad |= remote_task_put(c, &i, sizeof(i), NULL) != 0;
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(worker(remote_master_port(m)));
    }
    for (int i = 0; i < TASKS && !bad; i++) {
        uint64_t id;
        int *r;
        size_t len;
        bad |= remote_result_get(c, &id, (void **)&r, &len, 10.0) != 0;
        if (!bad)
            printf("master: result of task %llu is %d\n", (unsigned long long)id, *r);
        free(bad ? NULL : r);
    }
    for (int i = 0; i < 2; i++)
        waitpid(pids[i], NULL, 0);
    return bad;
}

int
main(void)
{
    struct remote_master *m;
    struct remote_conn *c;
    struct remote_conn *intruder;
    int err;
    int bad;

    if (remote_master_new(&m, 0, KEY, strlen(KEY)) != 0 ||
        remote_connect(&c, remote_master_port(m), KEY, strlen(KEY)) != 0) {
        fprintf(stderr, "demo_task_master: start/connect failed (not implemented yet?)\n");
        return 1;
    }
    printf("master listening on 127.0.0.1:%d\n", remote_master_port(m));
    err = remote_connect(&intruder, remote_master_port(m), "abd", 3);
    printf("a worker with the wrong key: %s\n", err == -EACCES ? "refused (-EACCES)" : "NOT refused");
    bad = master(m, c) || err != -EACCES;
    remote_close(c);
    remote_master_free(m);
    return bad;
}
