/*
 * test_recorder.c - functional tests of recorder.h (lab 05, part J), on
 * a headless input device: ALSA's file plugin reading a FIFO that a
 * feeder process fills with a sample-counter ramp in real time (sample
 * i = i mod 2^16), so any dropped, repeated or reordered sample shows.
 *
 * The feeder is `scenario_recorder feed ...` (one copy of its code); it
 * presses Enter itself after a known number of chunks, and at the end
 * says how many chunks it wrote and how many bytes the recorder left in
 * the FIFO, which gives the number of chunks the recorder really read.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "recorder.h"

#define ALSA_CONF "harness/tests/05-threads/lab-alsa.conf"
/* 16 kHz: a chunk every 64 ms, so "within one chunk of Enter" leaves
 * the main thread plenty of time to wake up, even on a loaded machine. */
#define RATE 16000
/* Enter is pressed after this many chunks (about 0.64 s). */
#define PRESS 10

static void warm_up(void);

TestSuite(recorder, .timeout = 30, .init = warm_up);

/* warm_up - libjack creates /dev/shm/jack_db-<uid> the first time
 * PortAudio probes JACK, and keeps it.  Probe once before the test
 * starts, so the hygiene check does not blame the recorder for it. */
static void
warm_up(void)
{
    char conf[PATH_MAX];
    char wav[] = "/tmp/lab05-warm-XXXXXX";
    struct recorder *r = NULL;
    int fd = mkstemp(wav);

    if (realpath(ALSA_CONF, conf) != NULL)
        setenv("ALSA_CONFIG_PATH", conf, 1);
    setenv("LAB_AUDIO_IN", "/dev/null", 1);
    if (fd >= 0)
        close(fd);
    if (recorder_new(&r, wav, NULL) == 0)
        recorder_free(r);
    unlink(wav);
}

/* A feeder process and the pipes to it. */
struct feeder {
    char dir[32];
    char fifo[64];
    char wav[64];
    pid_t pid;
    int enter[2];               /* the feeder presses Enter on [1] */
    int status;                 /* "R", then "D <chunks> <bytes>\n" */
    int ctl;                    /* closing it ends the feeder */
};

/* feeder_exec - in the child: keep the three fds over exec, run the
 * feeder.  Only async-signal-safe calls.  Does not return. */
static void
feeder_exec(char *const argv[], const int keep[3])
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (int i = 0; i < 3; i++)
        fcntl(keep[i], F_SETFD, 0);
    execv(argv[0], argv);
    _exit(127);
}

/* feeder_start - a feeder for the FIFO in a fresh temp dir, pressing
 * Enter after `press` chunks; returns once it holds the FIFO open. */
static void
feeder_start(struct feeder *f, long press)
{
    char prog[PATH_MAX];
    char args[5][32];
    int status[2];
    int ctl[2];
    char c = 0;

    snprintf(f->dir, sizeof(f->dir), "/tmp/lab05-rec-XXXXXX");
    cr_assert(eq(int, !!(mkdtemp(f->dir) != NULL), 1), "test setup: mkdtemp failed");
    snprintf(f->fifo, sizeof(f->fifo), "%s/mic.fifo", f->dir);
    snprintf(f->wav, sizeof(f->wav), "%s/out.wav", f->dir);
    cr_assert(eq(int, !!(realpath(ALSA_CONF, prog) != NULL), 1), "test setup: %s not found (run from the kit's root)", ALSA_CONF);
    setenv("ALSA_CONFIG_PATH", prog, 1);
    setenv("LAB_AUDIO_IN", f->fifo, 1);
    cr_assert(eq(int, !!(pipe2(f->enter, O_CLOEXEC) == 0 && pipe2(status, O_CLOEXEC) == 0 && pipe2(ctl, O_CLOEXEC) == 0), 1), "test setup: pipe2");
    snprintf(prog, sizeof(prog), "%s/scenario_recorder", kit_build_dir());
    snprintf(args[0], sizeof(args[0]), "%d", RATE);
    snprintf(args[1], sizeof(args[1]), "%ld", press);
    snprintf(args[2], sizeof(args[2]), "%d", f->enter[1]);
    snprintf(args[3], sizeof(args[3]), "%d", status[1]);
    snprintf(args[4], sizeof(args[4]), "%d", ctl[0]);
    char *argv[] = { prog, "feed", f->fifo, args[0], args[1], args[2], args[3], args[4], NULL };
    int keep[3] = { f->enter[1], status[1], ctl[0] };
    f->pid = fork();
    cr_assert(eq(int, !!(f->pid >= 0), 1), "test setup: fork");
    if (f->pid == 0)
        feeder_exec(argv, keep);
    close(status[1]);
    close(ctl[0]);
    f->status = status[0];
    f->ctl = ctl[1];
    cr_assert(eq(int, !!(kit_read_full(f->status, &c, 1, 10.0) == 1 && c == 'R'), 1), "test setup: the feeder (%s feed ...) did not start", kit_rel(prog));
}

/* feeder_stop - end the feeder; *chunks_read = chunks the recorder took
 * from the FIFO (written minus what is still queued). */
static void
feeder_stop(struct feeder *f, long *chunks_read)
{
    char line[64] = "";
    long written = -1;
    long queued = -1;
    ssize_t n;

    close(f->ctl);
    n = kit_read_full(f->status, line, sizeof(line) - 1, 10.0);
    line[n > 0 ? n : 0] = '\0';
    while (waitpid(f->pid, NULL, 0) < 0 && errno == EINTR)
        continue;
    cr_assert(eq(int, sscanf(line, "D %ld %ld", &written, &queued), 2), "test setup: the feeder's report was \"%s\"", line);
    *chunks_read = written - queued / (RECORDER_CHUNK * 2);
    close(f->status);
    close(f->enter[0]);
    close(f->enter[1]);
}

/* feeder_clean - remove the temp dir; called before any assertion that
 * could end the test, so nothing is left in /tmp. */
static void
feeder_clean(struct feeder *f)
{
    unlink(f->wav);
    unlink(f->fifo);
    rmdir(f->dir);
}

/* What the recorded WAV holds. */
struct wav_facts {
    bool opened;
    int rate;
    int channels;
    long frames;
    long bad_at;                /* first sample off the ramp, or -1 */
    short bad_value;
};

/* read_wav - read the WAV back and compare it with the ramp from
 * sample 0. */
static struct wav_facts
read_wav(const char *path)
{
    struct wav_facts w = { .bad_at = -1 };
    SF_INFO info = { 0 };
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    short buf[RECORDER_CHUNK];
    long i = 0;
    sf_count_t n;

    if (f == NULL)
        return w;
    w.opened = true;
    w.rate = info.samplerate;
    w.channels = info.channels;
    w.frames = (long)info.frames;
    while (w.bad_at < 0 && (n = sf_readf_short(f, buf, RECORDER_CHUNK)) > 0) {
        for (sf_count_t k = 0; k < n && w.bad_at < 0; k++, i++) {
            if (buf[k] != (short)(i & 0xFFFF)) {
                w.bad_at = i;
                w.bad_value = buf[k];
            }
        }
    }
    sf_close(f);
    return w;
}

/* check_ramp - the WAV is 16-bit mono at RATE, `frames` long, and holds
 * the ramp from sample 0 without a gap. */
static void
check_ramp(const struct wav_facts *w, long frames)
{
    cr_assert(eq(int, w->opened, 1), "sf_open of the recorded file failed: %s. See docs/05-threads.md#header-auto", sf_strerror(NULL));
    cr_expect(w->rate == RATE && w->channels == 1, "the WAV says %d Hz, %d channel(s): expected %d Hz mono. See docs/05-threads.md#recorder", w->rate, w->channels, RATE);
    cr_expect(eq(i64, w->frames, frames), "the WAV holds %ld frames but recorder_run reported %ld. See docs/05-threads.md#recorder", w->frames, frames);
    cr_expect(eq(i64, w->bad_at, -1), "WAV sample %ld is %d, expected %d: the input is a counter, so a chunk was dropped, repeated or reordered (chunk %ld). See docs/05-threads.md#recorder", w->bad_at, w->bad_value, (short)(w->bad_at & 0xFFFF), w->bad_at / RECORDER_CHUNK);
}

/* record_with_enter - the whole run: feeder, recorder_run, reports. */
static void
record_with_enter(struct feeder *f, long *frames, long *chunks_read)
{
    struct recorder_options opts = { .rate = RATE };
    int err;

    feeder_start(f, PRESS);
    err = recorder_run(f->wav, f->enter[0], &opts, frames);
    unlink(f->fifo);            /* ALSA is done with it */
    if (err != 0)
        feeder_clean(f);
    kit_require_impl(err, "recorder_run", "05-J");
    cr_assert(eq(int, err, 0), "recorder_run(path, enter_fd, {.rate = %d}, &frames) on the headless device: expected 0, got %s. See docs/05-threads.md#recorder", RATE, kit_errname(err));
    feeder_stop(f, chunks_read);
}

/* Catches: recorder_drops_last_chunk.patch (the chunk read when the stop
 * flag is seen is thrown away).  Every chunk the recorder read is in the
 * WAV, in order, from sample 0. */
KIT_TEST(recorder, wav_holds_exactly_the_chunks_read)
{
    struct feeder f;
    struct wav_facts w;
    long frames = 0;
    long chunks_read = 0;

    record_with_enter(&f, &frames, &chunks_read);
    w = read_wav(f.wav);
    feeder_clean(&f);
    cr_expect(eq(i64, frames, chunks_read * RECORDER_CHUNK), "recorder_run reported %ld frames, but it took %ld chunks of %d from the device: every chunk read must be written (the stop flag is checked before a read, never between a read and its write). See docs/05-threads.md#stop-flag", frames, chunks_read, RECORDER_CHUNK);
    check_ramp(&w, frames);
}

/* Catches: the stub.  Enter came after PRESS chunks were fed: the
 * recorder stops within one chunk of it (and did keep up until then). */
KIT_TEST(recorder, recording_stops_within_one_chunk_of_enter)
{
    struct feeder f;
    long frames = 0;
    long chunks_read = 0;

    record_with_enter(&f, &frames, &chunks_read);
    cr_expect(eq(int, !!(frames <= (PRESS + 1) * RECORDER_CHUNK), 1), "Enter was pressed after %d chunks of input, and the WAV holds %ld frames (%.1f chunks): at most one chunk may be read after Enter. See docs/05-threads.md#stop", PRESS, frames, (double)frames / RECORDER_CHUNK);
    cr_expect(eq(int, !!(frames >= (PRESS - 2) * RECORDER_CHUNK), 1), "Enter was pressed after %d chunks of input, but the WAV holds only %ld frames: the worker must keep reading until Enter. See docs/05-threads.md#stop", PRESS, frames);
    cr_expect(eq(int, !!(frames % RECORDER_CHUNK == 0), 1), "the WAV holds %ld frames: expected whole chunks of %d. See docs/05-threads.md#recorder", frames, RECORDER_CHUNK);
    feeder_clean(&f);
}

/* Catches: the stub. */
KIT_TEST(recorder, bad_arguments_fail_with_einval)
{
    struct recorder *r = (struct recorder *)&r;
    long frames = 0;
    int err = recorder_new(&r, NULL, NULL);

    kit_require_impl(err, "recorder_new", "05-J");
    cr_expect(eq(int, err, -EINVAL), "recorder_new(&r, NULL path, NULL): expected -EINVAL, got %s. See docs/05-threads.md#recorder", kit_errname(err));
    cr_expect(eq(ptr, r, NULL), "recorder_new failing must set *out to NULL. See docs/05-threads.md#recorder");
    err = recorder_new(&r, "/tmp/x.wav", &(struct recorder_options){ .rate = 5 });
    cr_expect(eq(int, err, -EINVAL), "recorder_new with rate 5 Hz: expected -EINVAL, got %s. See docs/05-threads.md#recorder", kit_errname(err));
    err = recorder_run("/tmp/x.wav", -1, NULL, &frames);
    cr_expect(eq(int, err, -EINVAL), "recorder_run with enter_fd -1: expected -EINVAL, got %s. See docs/05-threads.md#recorder", kit_errname(err));
    err = recorder_stop(NULL);
    cr_expect(eq(int, err, -EINVAL), "recorder_stop(NULL): expected -EINVAL, got %s. See docs/05-threads.md#recorder", kit_errname(err));
    recorder_free(NULL);
}
