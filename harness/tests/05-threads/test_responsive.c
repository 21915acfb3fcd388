/*
 * test_responsive.c - functional tests of responsive.h (lab 05, part K).
 * responsive_run runs in a forked child whose stdin and stdout are pipes
 * the test holds, so a daemon download left running dies with the child.
 */
#define _GNU_SOURCE     /* pipe2 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "responsive.h"

TestSuite(responsive, .timeout = 20);

/* A download far longer than the test's timeout: if quit waited for it,
 * the watchdog would fire. */
#define LONG_DOWNLOAD_S 600.0

struct session {
    pid_t pid;
    int to_child;
    int from_child;
};

/* session_start - fork a child that runs responsive_run on two pipes. */
static void
session_start(struct session *s, double download_seconds)
{
    struct responsive_options opts = { .download_seconds = download_seconds };
    int in[2];
    int out[2];

    signal(SIGPIPE, SIG_IGN);   /* a dead child must not kill the test */
    cr_assert(eq(int, pipe2(in, O_CLOEXEC), 0), "test setup: pipe2");
    cr_assert(eq(int, pipe2(out, O_CLOEXEC), 0), "test setup: pipe2");
    s->pid = fork();
    cr_assert(eq(int, !!(s->pid >= 0), 1), "test setup: fork failed");
    if (s->pid == 0) {
        close(in[1]);
        close(out[0]);
        int err = responsive_run(in[0], out[1], &opts);
        _exit(err == 0 ? 0 : (-err) & 0xff);   /* the errno as exit code */
    }
    close(in[0]);
    close(out[1]);
    s->to_child = in[1];
    s->from_child = out[0];
}

/* require_running - at end of output: if the child ended because
 * responsive_run returned -ENOSYS, say "not implemented yet". */
static void
require_running(struct session *s)
{
    int status = 0;

    if (waitpid(s->pid, &status, WNOHANG) == s->pid && WIFEXITED(status)) {
        s->pid = -1;
        kit_require_impl(-WEXITSTATUS(status), "responsive_run", "05-K");
    }
}

/* ask - send one command, read one answer line into buf. */
static void
ask(struct session *s, const char *cmd, char *buf, size_t len)
{
    size_t got = 0;
    int err = kit_write_full(s->to_child, cmd, strlen(cmd));

    if (err != 0)
        require_running(s);
    cr_assert(eq(int, err, 0), "writing \"%s\" to the program failed: did it exit early?", cmd);
    while (got + 1 < len) {
        ssize_t n = kit_read_full(s->from_child, buf + got, 1, 5.0);
        if (n == 0)
            require_running(s);
        cr_assert(eq(sz, (size_t)(n < 0 ? 0 : n), 1), "no answer to \"%.*s\" within 5 s (read gave %s): the main loop must answer at once, whatever the download does. See docs/05-threads.md#responsive", (int)strcspn(cmd, "\n"), cmd, n < 0 ? kit_errname((int)n) : "EOF");
        if (buf[got] == '\n')
            break;
        got++;
    }
    buf[got] = '\0';
}

/* session_end - the child must have exited 0 by itself. */
static void
session_end(struct session *s)
{
    int status = 0;

    close(s->to_child);
    close(s->from_child);
    while (s->pid > 0 && waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        continue;
    cr_expect(eq(int, !!(WIFEXITED(status) && WEXITSTATUS(status) == 0), 1), "the program ended with status 0x%x: expected exit 0 (responsive_run returned 0). See docs/05-threads.md#responsive", status);
}

/* Catches: the stub.  The notes' point: the "about" button still works
 * while the download runs. */
KIT_TEST(responsive, about_is_answered_while_a_download_runs)
{
    struct session s;
    char line[256];

    session_start(&s, LONG_DOWNLOAD_S);
    ask(&s, "download\n", line, sizeof(line));
    cr_expect(eq(str, line, "download started"), "answer to \"download\": expected \"download started\", got \"%s\". See docs/05-threads.md#daemon-download", line);
    ask(&s, "about\n", line, sizeof(line));
    cr_expect(eq(int, strncmp(line, "about:", 6), 0), "answer to \"about\" during a download: expected \"about: ...\", got \"%s\". See docs/05-threads.md#responsive", line);
    ask(&s, "status\n", line, sizeof(line));
    cr_expect(eq(str, line, "status: downloading"), "answer to \"status\" during a download: expected \"status: downloading\", got \"%s\". See docs/05-threads.md#responsive", line);
    ask(&s, "download\n", line, sizeof(line));
    cr_expect(eq(str, line, "busy"), "a second \"download\" while one runs: expected \"busy\", got \"%s\". See docs/05-threads.md#responsive", line);
    ask(&s, "quit\n", line, sizeof(line));
    session_end(&s);
}

/* Catches: quit_waits_for_download.patch (quit joins the download, so
 * the program only ends after it: the watchdog fires).  Quitting
 * mid-download ends the program at once: the download is a daemon. */
KIT_TEST(responsive, quit_mid_download_exits_at_once_and_cleanly)
{
    struct session s;
    char line[256];
    char rest[64];
    ssize_t n;

    session_start(&s, LONG_DOWNLOAD_S);
    ask(&s, "download\n", line, sizeof(line));
    ask(&s, "quit\n", line, sizeof(line));
    cr_expect(eq(str, line, "bye"), "answer to \"quit\": expected \"bye\", got \"%s\". See docs/05-threads.md#quit-at-once", line);
    n = kit_read_full(s.from_child, rest, sizeof(rest), 10.0);
    cr_expect(eq(sz, (size_t)(n < 0 ? 1 : n), 0), "after \"bye\" the program must end at once (end of its output), without waiting for the %.0f s download: read gave %zd (%s). See docs/05-threads.md#quit-at-once", LONG_DOWNLOAD_S, n, n < 0 ? kit_errname((int)n) : "more output");
    session_end(&s);
}

/* Catches: the stub.  A short download announces its end; then status
 * says idle; an unknown command is named; end of input also quits. */
KIT_TEST(responsive, download_finishes_and_status_follows)
{
    struct session s;
    char line[256];

    session_start(&s, 0.05);
    ask(&s, "download\n", line, sizeof(line));
    cr_expect(eq(str, line, "download started"), "answer to \"download\": got \"%s\". See docs/05-threads.md#daemon-download", line);
    ask(&s, "", line, sizeof(line));
    cr_expect(eq(str, line, "download finished"), "after a 0.05 s download: expected the line \"download finished\", got \"%s\". See docs/05-threads.md#daemon-download", line);
    ask(&s, "status\n", line, sizeof(line));
    cr_expect(eq(str, line, "status: idle"), "\"status\" after the download: expected \"status: idle\", got \"%s\". See docs/05-threads.md#responsive", line);
    ask(&s, "dance\n", line, sizeof(line));
    cr_expect(eq(str, line, "unknown command: dance"), "answer to \"dance\": expected \"unknown command: dance\", got \"%s\". See docs/05-threads.md#responsive", line);
    close(s.to_child);
    s.to_child = open("/dev/null", O_WRONLY | O_CLOEXEC);
    ask(&s, "", line, sizeof(line));
    cr_expect(eq(str, line, "bye"), "at end of input: expected \"bye\", got \"%s\". See docs/05-threads.md#quit-at-once", line);
    session_end(&s);
}
