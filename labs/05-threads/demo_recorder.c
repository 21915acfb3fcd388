/*
 * demo_recorder.c - the notes' microphone recorder: a worker thread
 * records the default input device into a WAV file until Enter.
 *
 *   ./demo_recorder [out.wav]      on a terminal: records your microphone
 *                                  until you press Enter
 *   ./demo_recorder < /dev/null    headless (CI, no sound card): records
 *                                  1 s of a test tone from the lab's
 *                                  FIFO device, and "presses Enter" itself
 *
 * The headless device is ALSA's file plugin reading a FIFO that a child
 * process fills in real time (harness/tests/05-threads/lab-alsa.conf;
 * docs/05-threads.md#headless-audio).  The recorder's code is the same
 * in both cases.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "recorder.h"

#define DEMO_RATE 16000
#define DEMO_CHUNKS 16          /* about 1 s at 16 kHz */

/* tone - feed a 500 Hz triangle wave into `fifo`, one chunk per period,
 * and write a newline to enter_fd after DEMO_CHUNKS chunks.  Runs in
 * the child.  Does not return. */
static void
tone(int fifo, int enter_fd)
{
    short chunk[RECORDER_CHUNK];
    struct timespec due;
    long t = 0;

    clock_gettime(CLOCK_MONOTONIC, &due);
    for (long k = 1;; k++) {
        for (int i = 0; i < RECORDER_CHUNK; i++, t++) {
            long phase = t % 32;        /* 16000 / 32 = 500 Hz */
            chunk[i] = (short)((phase < 16 ? phase : 32 - phase) * 1000 - 8000);
        }
        if (write(fifo, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
            _exit(0);
        if (k == DEMO_CHUNKS)
            (void)!write(enter_fd, "\n", 1);
        due.tv_nsec += 1000000000L / DEMO_RATE * RECORDER_CHUNK;
        while (due.tv_nsec >= 1000000000L) {
            due.tv_sec++;
            due.tv_nsec -= 1000000000L;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
    }
}

/* The headless device's FIFO; removed when the recording is over. */
static char fifo_path[64];

/* start_headless - make the FIFO device and its feeder (started before
 * PortAudio, which opens the FIFO by name while it probes).  Returns the
 * feeder's pid, or -1. */
static pid_t
start_headless(int enter_fd)
{
    char conf[PATH_MAX];
    pid_t pid;
    int fifo;

    snprintf(fifo_path, sizeof(fifo_path), "/tmp/demo_recorder.%d.fifo", (int)getpid());
    if (realpath("harness/tests/05-threads/lab-alsa.conf", conf) == NULL ||
        mkfifo(fifo_path, 0600) != 0)
        return -1;
    setenv("ALSA_CONFIG_PATH", conf, 1);
    setenv("LAB_AUDIO_IN", fifo_path, 1);
    fifo = open(fifo_path, O_RDWR | O_CLOEXEC);     /* never blocks */
    pid = fifo < 0 ? -1 : fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        tone(fifo, enter_fd);
    }
    if (fifo >= 0)
        close(fifo);
    return pid;
}

int
main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/tmp/demo_recorder.wav";
    struct recorder_options opts = { .rate = DEMO_RATE };
    int enter[2] = { STDIN_FILENO, -1 };
    pid_t feeder = -1;
    long frames = 0;
    int err;

    if (!isatty(STDIN_FILENO) && getenv("LAB_AUDIO_IN") == NULL &&
        (pipe(enter) != 0 || (feeder = start_headless(enter[1])) < 0))
        return 1;
    printf("recording %s at %d Hz; %s\n", path, opts.rate, feeder > 0 ? "headless test tone, Enter after 1 s" : "press Enter to stop");
    fflush(stdout);
    err = recorder_run(path, enter[0], &opts, &frames);
    if (feeder > 0) {
        kill(feeder, SIGKILL);
        waitpid(feeder, NULL, 0);
        unlink(fifo_path);
    }
    printf("recorder_run: %d; %ld frames (%.2f s) in %s\n", err, frames, (double)frames / opts.rate, path);
    return err == 0 ? 0 : 1;
}
