/*
 * test_udpchat.c - functional tests of udpchat.h (lab 05, part H): two
 * peers on loopback, each typing through a pipe the test fills.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "udpchat.h"

TestSuite(udpchat, .timeout = 20);

/* Messages each peer sends; few enough for the socket's receive buffer
 * and for one pipe, so the test can type everything up front. */
#define MSGS 100

/* One peer and the pipes the test types into and reads from. */
struct peer {
    struct udpchat *chat;
    int in[2];
    int out[2];
};

static void
peer_open(struct peer *p)
{
    int err = udpchat_new(&p->chat, 0);

    kit_require_impl(err, "udpchat_new", "05-H");
    cr_assert(eq(int, err, 0), "udpchat_new(&c, 0): expected 0, got %s. See docs/05-threads.md#udp-chat", kit_errname(err));
    cr_assert(eq(int, pipe2(p->in, O_CLOEXEC), 0), "test setup: pipe2");
    cr_assert(eq(int, pipe2(p->out, O_CLOEXEC), 0), "test setup: pipe2");
}

/* type_all - MSGS lines "<tag> i", then "exit". */
static void
type_all(struct peer *p, const char *tag)
{
    char line[64];

    for (int i = 0; i < MSGS; i++) {
        int len = snprintf(line, sizeof(line), "%s %d\n", tag, i);
        cr_assert(eq(int, kit_write_full(p->in[1], line, (size_t)len), 0), "test setup: writing the input pipe");
    }
    cr_assert(eq(int, kit_write_full(p->in[1], "exit\n", 5), 0), "test setup: writing the input pipe");
}

/* check_got - the peer's output is exactly the other's MSGS lines. */
static void
check_got(struct peer *p, const char *tag, const char *who)
{
    char buf[8192];
    char want[64];
    char *line;
    char *save = NULL;
    int i = 0;
    ssize_t n;

    close(p->out[1]);
    p->out[1] = -1;
    n = kit_read_full(p->out[0], buf, sizeof(buf) - 1, 5.0);
    buf[n > 0 ? n : 0] = '\0';
    for (line = strtok_r(buf, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), i++) {
        snprintf(want, sizeof(want), "%s %d", tag, i);
        cr_assert(eq(str, line, want), "%s received line %d = \"%s\", expected \"%s\": loopback UDP loses nothing here, and \"exit\" is not shown. See docs/05-threads.md#udp-chat", who, i, line, want);
    }
    cr_expect(eq(int, i, MSGS), "%s received %d messages, expected %d. See docs/05-threads.md#udp-chat", who, i, MSGS);
}

static void
peer_close(struct peer *p)
{
    udpchat_free(p->chat);
    for (int i = 0; i < 2; i++) {
        if (p->in[i] >= 0)
            close(p->in[i]);
        if (p->out[i] >= 0)
            close(p->out[i]);
    }
}

/* start_both - each peer talks to the other. */
static void
start_both(struct peer *a, struct peer *b)
{
    int port_b = udpchat_port(b->chat);
    int err = udpchat_start(a->chat, a->in[0], a->out[1], port_b);

    kit_require_impl(err, "udpchat_start", "05-H");
    cr_assert(eq(int, err, 0), "udpchat_start(a, ...): expected 0, got %s. See docs/05-threads.md#udp-chat", kit_errname(err));
    err = udpchat_start(b->chat, b->in[0], b->out[1], udpchat_port(a->chat));
    cr_assert(eq(int, err, 0), "udpchat_start(b, ...): expected 0, got %s. See docs/05-threads.md#udp-chat", kit_errname(err));
}

/* Catches: the stub.  The notes' chat: both peers send at the same time
 * (full duplex on one socket) and each gets all the other's lines. */
KIT_TEST(udpchat, two_peers_exchange_messages_both_ways_at_once)
{
    struct peer a;
    struct peer b;
    int err;

    peer_open(&a);
    peer_open(&b);
    type_all(&a, "from-a");
    type_all(&b, "from-b");
    start_both(&a, &b);
    err = udpchat_join(a.chat, 10.0);
    cr_expect(eq(int, err, 0), "udpchat_join(a, 10.0): expected 0, got %s. See docs/05-threads.md#chat-exit", kit_errname(err));
    err = udpchat_join(b.chat, 10.0);
    cr_expect(eq(int, err, 0), "udpchat_join(b, 10.0): expected 0, got %s. See docs/05-threads.md#chat-exit", kit_errname(err));
    check_got(&a, "from-b", "peer a");
    check_got(&b, "from-a", "peer b");
    peer_close(&a);
    peer_close(&b);
}

/* Catches: chat_receiver_never_exits.patch (the receiver ignores
 * "exit"; the join times out).  "exit" on both sides ends all four
 * threads; the join says so within its timeout. */
KIT_TEST(udpchat, exit_ends_both_threads_of_both_peers)
{
    struct peer a;
    struct peer b;
    int err;

    peer_open(&a);
    peer_open(&b);
    cr_assert(eq(int, kit_write_full(a.in[1], "hello\nexit\n", 11), 0), "test setup");
    start_both(&a, &b);
    err = udpchat_join(a.chat, 0.2);
    cr_expect(eq(int, err, -ETIMEDOUT), "udpchat_join(a, 0.2) while b has not typed \"exit\": expected -ETIMEDOUT (a's receiver waits for b), got %s. See docs/05-threads.md#chat-exit", kit_errname(err));
    cr_assert(eq(int, kit_write_full(b.in[1], "exit\n", 5), 0), "test setup");
    err = udpchat_join(a.chat, 5.0);
    cr_expect(eq(int, err, 0), "udpchat_join(a, 5.0) after both typed \"exit\": expected 0, got %s: a's receiver must end when b says \"exit\". See docs/05-threads.md#chat-exit", kit_errname(err));
    err = udpchat_join(b.chat, 5.0);
    cr_expect(eq(int, err, 0), "udpchat_join(b, 5.0) after both typed \"exit\": expected 0, got %s: b's receiver must end when a says \"exit\". See docs/05-threads.md#chat-exit", kit_errname(err));
    peer_close(&a);
    peer_close(&b);
}

/* Catches: the stub. */
KIT_TEST(udpchat, new_and_start_reject_bad_arguments)
{
    struct udpchat *c = (struct udpchat *)&c;
    int err = udpchat_new(&c, 70000);

    kit_require_impl(err, "udpchat_new", "05-H");
    cr_expect(eq(int, err, -EINVAL), "udpchat_new(&c, 70000): expected -EINVAL, got %s. See docs/05-threads.md#udp-chat", kit_errname(err));
    cr_expect(eq(ptr, c, NULL), "udpchat_new failing must set *out to NULL. See docs/05-threads.md#udp-chat");
    err = udpchat_new(&c, 0);
    cr_assert(eq(int, err, 0), "udpchat_new(&c, 0): expected 0, got %s", kit_errname(err));
    cr_expect(eq(int, !!(udpchat_port(c) > 0), 1), "udpchat_port after binding port 0: expected the port the system chose, got %d. See docs/05-threads.md#udp-chat", udpchat_port(c));
    err = udpchat_start(c, 0, 1, 0);
    cr_expect(eq(int, err, -EINVAL), "udpchat_start(c, 0, 1, peer_port 0): expected -EINVAL, got %s. See docs/05-threads.md#udp-chat", kit_errname(err));
    err = udpchat_join(c, 0.1);
    cr_expect(eq(int, err, -EINVAL), "udpchat_join before start: expected -EINVAL, got %s. See docs/05-threads.md#udp-chat", kit_errname(err));
    udpchat_free(c);
}
