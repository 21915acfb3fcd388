/*
 * demo_pipe.c - the notes' Pipe example: parent and child talk both ways
 * over one duplex pipe, then the child hangs up (lab 04, part B).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "duplex.h"

/* child - answer each message with its length, until EOF. */
static int
child(struct pipe_conn *c)
{
    void *m;
    size_t len;
    char reply[64];

    while (pipe_recv(c, &m, &len) == 0) {
        int n = snprintf(reply, sizeof(reply), "%zu bytes", len);
        free(m);
        if (pipe_send(c, reply, (size_t)n) != 0)
            return 1;
    }
    return 0;                   /* -EPIPE: the parent hung up */
}

/* ask - send `what`, print the answer. */
static int
ask(struct pipe_conn *c, const char *what, size_t len)
{
    void *m;
    size_t n;

    if (pipe_send(c, what, len) != 0 || pipe_poll(c, 5.0) != 0 ||
        pipe_recv(c, &m, &n) != 0)
        return 1;
    printf("parent sent %zu bytes, child says \"%.*s\"\n", len, (int)n,
           (char *)m);
    free(m);
    return 0;
}

int
main(void)
{
    static char big[3 << 20];
    struct pipe_conn *a;
    struct pipe_conn *b;
    int status = 1;
    int bad;
    pid_t pid;

    if (pipe_new(&a, &b) != 0) {
        fprintf(stderr, "demo_pipe: pipe_new failed (not implemented yet?)\n");
        return 1;
    }
    pid = fork();
    if (pid == 0) {
        pipe_close(a);
        _exit(child(b));
    }
    pipe_close(b);
    bad = ask(a, "hello", 5) || ask(a, "", 0) || ask(a, big, sizeof(big));
    pipe_close(a);              /* the child's recv now gives -EPIPE */
    waitpid(pid, &status, 0);
    printf("child exited with %d after the parent hung up\n", WEXITSTATUS(status));
    return bad || status != 0;
}
