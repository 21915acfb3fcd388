/*
 * demo_udpchat.c - the notes' full-duplex UDP chat, with both peers in
 * one program: each "types" through a pipe, and what each receives is
 * printed after both said "exit".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "udpchat.h"

/* A peer and its keyboard (in) and screen (out) pipes. */
struct peer {
    const char *who;
    struct udpchat *chat;
    int in[2];
    int out[2];
};

static int
peer_open(struct peer *p, const char *who, const char *typed)
{
    p->who = who;
    if (udpchat_new(&p->chat, 0) != 0 || pipe2(p->in, O_CLOEXEC) != 0 ||
        pipe2(p->out, O_CLOEXEC) != 0)
        return -1;
    return write(p->in[1], typed, strlen(typed)) < 0 ? -1 : 0;
}

/* peer_show - print what the peer received, then release it. */
static void
peer_show(struct peer *p)
{
    char buf[1024];
    ssize_t n;

    close(p->out[1]);
    printf("%s received:\n", p->who);
    while ((n = read(p->out[0], buf, sizeof(buf))) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    udpchat_free(p->chat);
    close(p->out[0]);
    close(p->in[0]);
    close(p->in[1]);
}

int
main(void)
{
    struct peer a;
    struct peer b;
    int ok;

    if (peer_open(&a, "alice", "hi bob\nhow are you?\nexit\n") != 0 ||
        peer_open(&b, "bob", "hello alice\nfine, thanks\nexit\n") != 0)
        return 1;
    printf("alice on port %d, bob on port %d\n", udpchat_port(a.chat), udpchat_port(b.chat));
    ok = udpchat_start(a.chat, a.in[0], a.out[1], udpchat_port(b.chat)) == 0 &&
         udpchat_start(b.chat, b.in[0], b.out[1], udpchat_port(a.chat)) == 0 &&
         udpchat_join(a.chat, 5.0) == 0 && udpchat_join(b.chat, 5.0) == 0;
    peer_show(&a);
    peer_show(&b);
    return ok ? 0 : 1;
}
