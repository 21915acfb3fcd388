/*
 * scenario_recorder.c - the recorder against a headless input device,
 * for the race and memory tiers, and the feeder the tests use (lab 05,
 * part J).
 *
 *   feed FIFO RATE PRESS ENTER_FD STATUS_FD CTL_FD
 *              the feeder: create FIFO, open it, say "R" on STATUS_FD,
 *              then write a sample-counter ramp (sample i = i mod 2^16)
 *              one RECORDER_CHUNK chunk per period of RATE; half a period
 *              after chunk number PRESS write "\n" to ENTER_FD (Enter);
 *              when CTL_FD reaches end of file, write "D <chunks
 *              written> <bytes still in the FIFO>\n" on STATUS_FD, exit.
 *   record     fork a feeder, then recorder_run() until it presses
 *              Enter after a few chunks; check the WAV's length.
 *
 * ALSA reads harness/tests/05-threads/lab-alsa.conf (ALSA_CONFIG_PATH),
 * whose default capture device reads the FIFO named by LAB_AUDIO_IN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kit.h"
#include "recorder.h"

#define ALSA_CONF "harness/tests/05-threads/lab-alsa.conf"
#define SCEN_RATE 16000
#define SCEN_PRESS 6

/* ---- the feeder ------------------------------------------------------- */

/* ms_until - milliseconds from now to `due` (CLOCK_MONOTONIC s), >= 0. */
static int
ms_until(double due)
{
    double left = due - kit_now();

    return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

/* wait_until - sleep until `due` or until ctl_fd ends.  Returns true
 * when it is time to stop. */
static bool
wait_until(int ctl_fd, double due)
{
    struct pollfd p = { .fd = ctl_fd, .events = POLLIN };

    while (kit_now() < due) {
        if (poll(&p, 1, ms_until(due)) > 0)
            return true;
    }
    return false;
}

/* wait_room - block until the FIFO has room or ctl_fd ends.  Returns
 * true when it is time to stop. */
static bool
wait_room(int fifo, int ctl_fd)
{
    struct pollfd p[2] = {
        { .fd = fifo, .events = POLLOUT },
        { .fd = ctl_fd, .events = POLLIN },
    };

    for (;;) {
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return true;
        if (p[1].revents)
            return true;
        if (p[0].revents & POLLOUT)
            return false;
    }
}

/* feed - the feeder's loop; see the head of the file.  Returns 0 or 1. */
static int
feed(const char *fifo_path, int rate, long press, int enter_fd,
     int status_fd, int ctl_fd)
{
    short chunk[RECORDER_CHUNK];
    double period = (double)RECORDER_CHUNK / rate;
    double due = kit_now();
    long written = 0;
    long sample = 0;
    char line[64];
    int queued = 0;
    int fifo;

    if (mkfifo(fifo_path, 0600) < 0 && errno != EEXIST)
        return 1;
    fifo = open(fifo_path, O_RDWR | O_CLOEXEC);     /* never blocks */
    if (fifo < 0)
        return 1;
    (void)fcntl(fifo, F_SETPIPE_SZ, 4096);
    (void)!write(status_fd, "R", 1);
    while (!wait_until(ctl_fd, due) && !wait_room(fifo, ctl_fd)) {
        for (int i = 0; i < RECORDER_CHUNK; i++)
            chunk[i] = (short)(sample++ & 0xFFFF);
        if (kit_write_full(fifo, chunk, sizeof(chunk)) != 0)
            break;
        due = (due > kit_now() ? due : kit_now()) + period;
        /* Enter half a period after chunk `press`: the recorder has long
         * written that chunk and waits for the next one. */
        if (++written == press && !wait_until(ctl_fd, due - period / 2))
            (void)!write(enter_fd, "\n", 1);
    }
    (void)ioctl(fifo, FIONREAD, &queued);
    snprintf(line, sizeof(line), "D %ld %d\n", written, queued);
    (void)!write(status_fd, line, strlen(line));
    return 0;
}

/* ---- the record case -------------------------------------------------- */

/* Paths to remove at exit, also after kit_scen_fail. */
static char scen_dir[32];
static char scen_fifo[64];
static char scen_wav[64];

static void
remove_files(void)
{
    unlink(scen_wav);
    unlink(scen_fifo);
    rmdir(scen_dir);
}

/* setup_env - point ALSA at the lab's config and the FIFO. */
static void
setup_env(const char *fifo)
{
    char conf[PATH_MAX];

    kit_scen_check(realpath(ALSA_CONF, conf) != NULL, "cannot find %s (run from the kit's root): %s", ALSA_CONF, strerror(errno));
    setenv("ALSA_CONFIG_PATH", conf, 1);
    setenv("LAB_AUDIO_IN", fifo, 1);
}

static int
record_case(void)
{
    struct recorder_options opts = { .rate = SCEN_RATE };
    char *dir = scen_dir;
    char *fifo = scen_fifo;
    char *wav = scen_wav;
    int enter[2];
    int status[2];
    int ctl[2];
    long frames = 0;
    char c = 0;
    pid_t pid;
    int err;

    snprintf(dir, sizeof(scen_dir), "/tmp/lab05-scen-XXXXXX");
    kit_scen_check(mkdtemp(dir) != NULL, "mkdtemp failed");
    snprintf(fifo, sizeof(scen_fifo), "%s/mic.fifo", dir);
    snprintf(wav, sizeof(scen_wav), "%s/out.wav", dir);
    atexit(remove_files);
    setup_env(fifo);
    kit_scen_check(pipe2(enter, O_CLOEXEC) == 0 && pipe2(status, O_CLOEXEC) == 0 && pipe2(ctl, O_CLOEXEC) == 0, "pipe2 failed");
    pid = fork();       /* before any thread: TSan needs that */
    kit_scen_check(pid >= 0, "fork failed");
    if (pid == 0) {
        close(ctl[1]);
        _exit(feed(fifo, SCEN_RATE, SCEN_PRESS, enter[1], status[1], ctl[0]));
    }
    close(ctl[0]);
    kit_scen_check(kit_read_full(status[0], &c, 1, 20.0) == 1 && c == 'R', "the feeder did not start");
    err = recorder_run(wav, enter[0], &opts, &frames);
    close(ctl[1]);
    waitpid(pid, NULL, 0);
    remove_files();             /* kit_scen_fail does not run atexit */
    kit_scen_require_impl(err, "recorder_run", "05-J");
    kit_scen_check(err == 0, "recorder_run: expected 0, got %s", kit_errname(err));
    kit_scen_check(frames >= (SCEN_PRESS - 2) * RECORDER_CHUNK && frames <= (SCEN_PRESS + 1) * RECORDER_CHUNK, "recorded %ld frames; Enter came after %d chunks of %d", frames, SCEN_PRESS, RECORDER_CHUNK);
    close(enter[0]);
    close(enter[1]);
    close(status[0]);
    close(status[1]);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 8 && strcmp(argv[1], "feed") == 0)
        return feed(argv[2], atoi(argv[3]), atol(argv[4]), atoi(argv[5]),
                    atoi(argv[6]), atoi(argv[7]));
    if (argc >= 2 && strcmp(argv[1], "record") == 0)
        return record_case();
    fprintf(stderr, "usage: %s record | feed FIFO RATE PRESS ENTER_FD STATUS_FD CTL_FD\n", argv[0]);
    return 2;
}
