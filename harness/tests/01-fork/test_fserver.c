/*
 * test_fserver.c - functional tests of fserver.h: the fork-per-connection
 * echo server and its SIGCHLD reaping (lab 01, part D).
 *
 * Clients are real TCP sockets made here.  Where a test must wait for
 * another process to change state (a child to exit, a zombie to be
 * reaped) it polls /proc until a generous deadline: nothing else can
 * observe another process's zombies.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "fserver.h"

TestSuite(fserver, .timeout = 20);

/* Clients connected at once (the brief's 20 concurrent clients). */
#define NCLIENTS 20

/* Seconds a correct server needs at most to echo, end a child, or reap. */
#define DEADLINE_S 5.0

/* Seconds fserver_stop is given while a client is still connected. */
#define SHORT_STOP_S 0.2

/* Poll interval of wait_zombies, milliseconds (not an ordering device). */
#define POLL_MS 2

/* connect_to - a CLOEXEC TCP socket connected to 127.0.0.1:port. */
static int
connect_to(int port)
{
    struct sockaddr_in a = {
        .sin_family = AF_INET,
        .sin_port = htons((unsigned short)port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    cr_assert(fd >= 0, "socket: %s", strerror(errno));
    cr_assert(eq(int, connect(fd, (struct sockaddr *)&a, sizeof(a)), 0), "connect to the server at 127.0.0.1:%d failed: %s. See docs/01-fork.md#server-process", port, strerror(errno));
    return fd;
}

/* send_text - send all of text on fd. */
static void
send_text(int fd, const char *text)
{
    size_t len = strlen(text);

    cr_assert(eq(long, (long)send(fd, text, len, MSG_NOSIGNAL), (long)len), "send of %zu bytes to the server failed: %s", len, strerror(errno));
}

/*
 * read_to_eof - read fd until end of file or the deadline; returns the
 * byte count (-1 if the deadline passed first) and the text in buf.
 */
static int
read_to_eof(int fd, char *buf, size_t len, double deadline)
{
    size_t got = 0;

    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int ms = (int)((deadline - kit_now()) * 1e3);
        ssize_t n;

        if (ms <= 0 || poll(&p, 1, ms) == 0)
            return -1;
        n = recv(fd, buf + got, len - 1 - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || got + (size_t)n >= len - 1) {
            buf[got] = '\0';
            return (int)got;
        }
        got += (size_t)n;
    }
}

/* wait_zombies - poll until `server` has exactly `want` children, all of
 * them zombies, when want > 0; or no zombie child when want is 0.
 * Returns the last zombie count seen. */
static int
wait_zombies(pid_t server, int want, double deadline)
{
    int zombies = -1;

    for (;;) {
        int n = kit_proc_children(server, NULL, 0, &zombies);

        if (want > 0 ? (n == want && zombies == want) : zombies == 0)
            return zombies;
        if (kit_now() > deadline)
            return zombies;
        poll(NULL, 0, POLL_MS);
    }
}

/* start_server - fserver_start with defaults; fails on the stub. */
static struct fserver *
start_server(void)
{
    struct fserver *s = (struct fserver *)1;
    int err = fserver_start(&s, NULL);

    kit_require_impl(err, "fserver_start", "01-D");
    cr_assert(eq(int, err, 0), "fserver_start(&s, NULL): expected 0, got %s. See docs/01-fork.md#server-process", kit_errname(err));
    cr_assert(s != NULL, "fserver_start returned 0 but left *out NULL. See docs/01-fork.md#server-process");
    return s;
}

/* stop_server - fserver_stop must end the server cleanly; then free. */
static void
stop_server(struct fserver *s)
{
    pid_t pid = fserver_pid(s);
    int code = -1;
    int err = fserver_stop(s, &code, DEADLINE_S);

    kit_require_impl(err, "fserver_stop", "01-D");
    cr_assert(eq(int, err, 0), "fserver_stop(s, &code, %.0f) with every client closed: expected 0, got %s. See docs/01-fork.md#stopping", DEADLINE_S, kit_errname(err));
    cr_assert(eq(int, code, 0), "fserver_stop: the server must exit 0 after SIGTERM, got exit code %d (negative: killed by that signal). See docs/01-fork.md#stopping", code);
    cr_assert(eq(int, kit_proc_state(pid), 0), "after fserver_stop the server process %d must be reaped, but it still exists. See docs/01-fork.md#stopping", (int)pid);
    fserver_free(s);
}

/* Catches: the stub. */
KIT_TEST(fserver, start_reports_a_port_and_a_live_server)
{
    struct fserver *s = start_server();
    int port = fserver_port(s);
    pid_t pid = fserver_pid(s);
    char st = kit_proc_state(pid);

    cr_expect(port > 0 && port < 65536, "fserver_port: expected the port the kernel picked (1..65535), got %d. See docs/01-fork.md#server-process", port);
    cr_expect(pid > 0 && pid != getpid(), "fserver_pid: expected the pid of a new server process, got %d. See docs/01-fork.md#server-process", (int)pid);
    cr_expect(st != 0 && st != 'Z', "the server process %d must be running after fserver_start, /proc says '%c'. See docs/01-fork.md#server-process", (int)pid, st ? st : '?');
    stop_server(s);
}

/* Catches: the stub. */
KIT_TEST(fserver, start_rejects_a_negative_backlog)
{
    struct fserver_options o = { .backlog = -1 };
    struct fserver *s = (struct fserver *)1;
    int err = fserver_start(&s, &o);

    kit_require_impl(err, "fserver_start", "01-D");
    cr_expect(eq(int, err, -EINVAL), "fserver_start(&s, {.backlog = -1}): expected -EINVAL, got %s. See docs/01-fork.md#server-process", kit_errname(err));
    cr_expect(s == NULL, "fserver_start failed but did not set *out to NULL. See docs/01-fork.md#server-process");
}

/* connect_all - NCLIENTS connections open at once, each sent a distinct
 * message and half-closed. */
static void
connect_all(int port, int *fds, char (*msgs)[64])
{
    int i;

    for (i = 0; i < NCLIENTS; i++)
        fds[i] = connect_to(port);
    for (i = 0; i < NCLIENTS; i++) {
        snprintf(msgs[i], sizeof(msgs[i]), "client %02d says %.*s", i, i + 1, "abcdefghijklmnopqrstuvwxyz");
        send_text(fds[i], msgs[i]);
        shutdown(fds[i], SHUT_WR);
    }
}

/* Catches: server_keeps_connection.patch (the server's copy of each
 * connection keeps it open: the client never reads end of file). */
KIT_TEST(fserver, echoes_twenty_concurrent_clients_byte_exact)
{
    struct fserver *s = start_server();
    char msgs[NCLIENTS][64];
    int fds[NCLIENTS];
    char got[128];
    int i;

    connect_all(fserver_port(s), fds, msgs);
    for (i = 0; i < NCLIENTS; i++) {
        int n = read_to_eof(fds[i], got, sizeof(got), kit_now() + DEADLINE_S);

        cr_assert(n >= 0, "client %d sent \"%s\" and closed its side, but got no end of file within %.0f s: the connection must close when its child _exits, so the server must close its own copy after fork. See docs/01-fork.md#close-in-server", i, msgs[i], DEADLINE_S);
        cr_assert(eq(str, got, msgs[i]), "client %d: expected its own message echoed byte for byte, \"%s\", got \"%s\". See docs/01-fork.md#fork-per-connection", i, msgs[i], got);
        close(fds[i]);
    }
    stop_server(s);
}

/* echo_one_byte - prove a connection has its child: a byte comes back. */
static void
echo_one_byte(int fd, int i)
{
    char c = 0;
    struct pollfd p = { .fd = fd, .events = POLLIN };

    send_text(fd, "x");
    cr_assert(eq(int, poll(&p, 1, (int)(DEADLINE_S * 1e3)), 1), "client %d: no echo within %.0f s. See docs/01-fork.md#fork-per-connection", i, DEADLINE_S);
    cr_assert(eq(int, (int)recv(fd, &c, 1, 0), 1), "client %d: the echo of one byte did not arrive", i);
}

/*
 * Catches: sigchld_reaps_one.patch, no_sigchld_handler.patch.
 * The server is stopped (SIGSTOP) while all its children exit, so their
 * SIGCHLDs coalesce into one pending signal; after SIGCONT, one handler
 * run must reap them all.
 */
KIT_TEST(fserver, reaps_every_child_even_when_signals_coalesce)
{
    struct fserver *s = start_server();
    pid_t pid = fserver_pid(s);
    int fds[NCLIENTS];
    int z;
    int i;

    for (i = 0; i < NCLIENTS; i++) {
        fds[i] = connect_to(fserver_port(s));
        echo_one_byte(fds[i], i);
    }
    kill(pid, SIGSTOP);
    for (i = 0; i < NCLIENTS; i++)
        close(fds[i]);
    z = wait_zombies(pid, NCLIENTS, kit_now() + DEADLINE_S);
    kill(pid, SIGCONT);
    cr_assert(eq(int, z, NCLIENTS), "with the server stopped, its %d connection children should have become zombies after their clients closed, saw %d: does each child _exit at end of file? See docs/01-fork.md#child-exit", NCLIENTS, z);
    z = wait_zombies(pid, 0, kit_now() + DEADLINE_S);
    cr_assert(eq(int, z, 0), "%d zombie children of the server %.0f s after it resumed: the %d SIGCHLDs coalesced into one, and the handler must loop on waitpid(-1, WNOHANG) until nothing is left. See docs/01-fork.md#sigchld-loop", z, DEADLINE_S, NCLIENTS);
    stop_server(s);
}

/* Catches: the stub; a server that exits without waiting for children. */
KIT_TEST(fserver, stop_waits_for_an_open_connection)
{
    struct fserver *s = start_server();
    int fd = connect_to(fserver_port(s));
    double t0;
    double took;
    int code = -1;
    int err;

    echo_one_byte(fd, 0);
    t0 = kit_now();
    err = fserver_stop(s, &code, SHORT_STOP_S);
    took = kit_now() - t0;
    kit_require_impl(err, "fserver_stop", "01-D");
    cr_expect(eq(int, err, -ETIMEDOUT), "fserver_stop(s, &code, %.1f) while a client is connected: the server waits for that connection's child, so expected -ETIMEDOUT, got %s. See docs/01-fork.md#stopping", SHORT_STOP_S, kit_errname(err));
    cr_expect(took >= SHORT_STOP_S - 0.005 && took < SHORT_STOP_S + DEADLINE_S, "fserver_stop(s, &code, %.1f) returned after %.3f s; expected about %.1f s. See docs/01-fork.md#stopping", SHORT_STOP_S, took, SHORT_STOP_S);
    close(fd);
    stop_server(s);
}

/* Catches: the stub. */
KIT_TEST(fserver, free_ends_a_running_server)
{
    struct fserver *s = start_server();
    pid_t pid = fserver_pid(s);
    int fd = connect_to(fserver_port(s));
    int status;

    echo_one_byte(fd, 0);
    fserver_free(s);
    cr_assert(eq(int, kit_proc_state(pid), 0), "fserver_free on a running server must kill and reap it, but process %d still exists. See docs/01-fork.md#stopping", (int)pid);
    /* The connection child dies with the server and, orphaned, comes to
     * this test process (a subreaper) to be reaped. */
    while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
        ;
    close(fd);
}
