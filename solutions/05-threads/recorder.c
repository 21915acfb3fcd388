/*
 * recorder.c - the notes' microphone recorder in C: PortAudio's blocking
 * read in a worker thread, libsndfile for the WAV file, and a stop flag
 * under a mutex that the main thread sets when Enter is pressed.
 *
 * DESIGN
 *
 * The worker owns the stream and the file while it runs: only it calls
 * Pa_ReadStream and sf_writef_short.  The main thread touches them again
 * only after pthread_join (through thread_join), which orders everything
 * the worker did before what the main thread does next.
 *
 * The stop flag is the one thing both threads use at once, so it lives
 * under `mu` (Python's global g_Exit has the GIL; C has nothing).  The
 * worker looks at it before each read, never between a read and its
 * write: a chunk that was read is always written, and at most one chunk
 * is read after the flag is set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <portaudio.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recorder.h"
#include "thread.h"

/* LAB_CHECK - for pthread calls that fail only through a bug of ours:
 * abort with the call, file:line and the error name (STYLE R15). */
#define LAB_CHECK(call)                                                      \
    do {                                                                     \
        int lab_err_ = (call);                                               \
        if (lab_err_ != 0)                                                   \
            lab_check_failed(#call, lab_err_, __FILE__, __LINE__);           \
    } while (0)

enum recorder_state {
    RECORDER_NEW,               /* stream and file open, not started */
    RECORDER_RUNNING,           /* the worker reads and writes */
    RECORDER_STOPPED,           /* joined; stream and file closed */
};

struct recorder {
    /* Used by the worker while RUNNING, by the caller otherwise. */
    PaStream *stream;
    SNDFILE *wav;
    enum recorder_state state;  /* the caller's thread only */
    struct thread *worker;
    int worker_err;             /* written by the worker, read after join */

    /* mu guards: */
    pthread_mutex_t mu;
    bool stop;                  /* DOC: 05-threads#stop-flag */
    long frames;                /* frames written to the file */
};

/* lab_check_failed - report a failed pthread call and abort.  Does not
 * return. */
static void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* pa_errno - a PortAudio error as a negative errno. */
static int
pa_errno(PaError err)
{
    switch (err) {
    case paNoError:
        return 0;
    case paInsufficientMemory:
        return -ENOMEM;
    case paInvalidDevice:
    case paDeviceUnavailable:
        return -ENODEV;
    default:
        return -EIO;
    }
}

/* pa_initialize_quietly - Pa_Initialize with stderr sent to /dev/null:
 * probing ALSA and JACK prints dozens of lines that are not errors.
 * DOC: 05-threads#quiet-init */
static PaError
pa_initialize_quietly(void)
{
    int saved;
    int devnull;
    PaError err;

    fflush(stderr);
    saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || devnull < 0) {
        if (saved >= 0)
            close(saved);
        if (devnull >= 0)
            close(devnull);
        return Pa_Initialize();
    }
    dup2(devnull, STDERR_FILENO);
    close(devnull);
    err = Pa_Initialize();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    return err;
}

/* open_stream - the default input device, 16-bit mono at `rate`,
 * RECORDER_CHUNK frames per buffer.  Returns 0 or -ENODEV/-EIO. */
static int
open_stream(PaStream **stream, int rate)
{
    PaStreamParameters in = {
        .device = Pa_GetDefaultInputDevice(),
        .channelCount = 1,
        .sampleFormat = paInt16,
    };
    const PaDeviceInfo *info;

    if (in.device == paNoDevice)
        return -ENODEV;
    info = Pa_GetDeviceInfo(in.device);
    if (info == NULL)
        return -ENODEV;
    in.suggestedLatency = info->defaultHighInputLatency;
    return pa_errno(Pa_OpenStream(stream, &in, NULL, rate, RECORDER_CHUNK,
                                  paClipOff, NULL, NULL));
}

/* open_wav - create `path` as 16-bit mono WAV whose header is rewritten
 * after every write.  Returns the file or NULL. */
static SNDFILE *
open_wav(const char *path, int rate)
{
    SF_INFO info = {
        .samplerate = rate,
        .channels = 1,
        .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
    };
    SNDFILE *wav = sf_open(path, SFM_WRITE, &info);

    if (wav != NULL)    /* DOC: 05-threads#header-auto */
        sf_command(wav, SFC_SET_UPDATE_HEADER_AUTO, NULL, SF_TRUE);
    return wav;
}

int
recorder_new(struct recorder **out, const char *path,
             const struct recorder_options *opts)
{
    int rate = opts != NULL && opts->rate != 0 ? opts->rate : RECORDER_RATE;
    struct recorder *r;
    int err;

    if (out == NULL)
        return -EINVAL;
    *out = NULL;
    if (path == NULL || rate < 1000 || rate > 192000)
        return -EINVAL;
    r = calloc(1, sizeof(*r));
    if (r == NULL)
        return -ENOMEM;
    err = pa_errno(pa_initialize_quietly());
    if (err)
        goto out_free;
    err = open_stream(&r->stream, rate);
    if (err)
        goto out_terminate;
    r->wav = open_wav(path, rate);
    if (r->wav == NULL) {
        err = -EIO;
        goto out_close_stream;
    }
    err = -pthread_mutex_init(&r->mu, NULL);
    if (err)
        goto out_close_wav;
    *out = r;
    return 0;

out_close_wav:
    sf_close(r->wav);
out_close_stream:
    Pa_CloseStream(r->stream);
out_terminate:
    Pa_Terminate();
out_free:
    free(r);
    return err;
}

/* should_stop - the stop flag, read under the lock. */
static bool
should_stop(struct recorder *r)
{
    bool stop;

    LAB_CHECK(pthread_mutex_lock(&r->mu));
    stop = r->stop;
    LAB_CHECK(pthread_mutex_unlock(&r->mu));
    return stop;
}

/* record - the worker: read a chunk, append it, until told to stop.
 * Python: record(stream, wf) from the notes. */
static void
record(void *arg)
{
    struct recorder *r = arg;
    short buf[RECORDER_CHUNK];
    PaError err;

    while (!should_stop(r)) {
        err = Pa_ReadStream(r->stream, buf, RECORDER_CHUNK);
        /* An overflow means some input was lost before this chunk; the
         * chunk itself is valid. */
        if (err != paNoError && err != paInputOverflowed) {
            r->worker_err = pa_errno(err);
            return;
        }
        if (sf_writef_short(r->wav, buf, RECORDER_CHUNK) != RECORDER_CHUNK) {
            r->worker_err = -EIO;
            return;
        }
        LAB_CHECK(pthread_mutex_lock(&r->mu));
        r->frames += RECORDER_CHUNK;
        LAB_CHECK(pthread_mutex_unlock(&r->mu));
    }
}

int
recorder_start(struct recorder *r)
{
    struct thread_options opts = { .name = "recorder" };
    int err;

    if (r == NULL || r->state != RECORDER_NEW)
        return -EINVAL;
    err = pa_errno(Pa_StartStream(r->stream));
    if (err)
        return err;
    err = thread_new(&r->worker, record, r, &opts);
    if (err == 0)
        err = thread_start(r->worker);
    if (err) {
        thread_free(r->worker);
        r->worker = NULL;
        Pa_StopStream(r->stream);
        return err;
    }
    r->state = RECORDER_RUNNING;
    return 0;
}

int
recorder_stop(struct recorder *r)
{
    int err;

    if (r == NULL || r->state == RECORDER_NEW)
        return -EINVAL;
    if (r->state == RECORDER_STOPPED)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&r->mu));
    r->stop = true;
    LAB_CHECK(pthread_mutex_unlock(&r->mu));
    (void)thread_join(r->worker, LAB_FOREVER);  /* DOC: 05-threads#stop */
    thread_free(r->worker);
    r->worker = NULL;
    err = r->worker_err;
    Pa_StopStream(r->stream);
    Pa_CloseStream(r->stream);
    r->stream = NULL;
    if (sf_close(r->wav) != 0 && err == 0)
        err = -EIO;
    r->wav = NULL;
    r->state = RECORDER_STOPPED;
    return err;
}

long
recorder_frames(struct recorder *r)
{
    long frames;

    if (r == NULL)
        return 0;
    LAB_CHECK(pthread_mutex_lock(&r->mu));
    frames = r->frames;
    LAB_CHECK(pthread_mutex_unlock(&r->mu));
    return frames;
}

void
recorder_free(struct recorder *r)
{
    if (r == NULL)
        return;
    if (r->state == RECORDER_RUNNING)
        (void)recorder_stop(r);
    if (r->stream != NULL)
        Pa_CloseStream(r->stream);
    if (r->wav != NULL)
        sf_close(r->wav);
    Pa_Terminate();
    LAB_CHECK(pthread_mutex_destroy(&r->mu));
    free(r);
}

/* wait_enter - block until a newline or end of file on fd.  Returns 0 or
 * -errno. */
static int
wait_enter(int fd)
{
    char c = 0;
    ssize_t n;

    for (;;) {
        n = read(fd, &c, 1);    /* DOC: 05-threads#enter */
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0 || c == '\n')
            return 0;
    }
}

int
recorder_run(const char *path, int enter_fd,
             const struct recorder_options *opts, long *frames)
{
    struct recorder *r;
    int err;

    if (frames == NULL || enter_fd < 0)
        return -EINVAL;
    *frames = 0;
    err = recorder_new(&r, path, opts);
    if (err)
        return err;
    err = recorder_start(r);
    if (err == 0)
        err = wait_enter(enter_fd);
    if (err == 0)
        err = recorder_stop(r);
    *frames = recorder_frames(r);
    recorder_free(r);
    return err;
}
