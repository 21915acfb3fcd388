/*
 * recorder.c (stub) - the notes' microphone recorder in C: PortAudio's blocking
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
static __attribute__((unused)) void
lab_check_failed(const char *call, int err, const char *file, int line)
{
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, call,
            strerror(err));
    abort();
}

/* pa_errno - a PortAudio error as a negative errno. */
static __attribute__((unused)) int
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
static __attribute__((unused)) PaError
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
static __attribute__((unused)) int
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
static __attribute__((unused)) SNDFILE *
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
    /* TODO(05-J): check the arguments, initialise PortAudio quietly, open the
     * default input stream and the WAV file (header updated after every
     * write); undo everything on failure. Python: pyaudio.PyAudio();
     * p.open(...); wave.open(path, "wb"). Read docs/05-threads.md#recorder. */
    (void)out;
    (void)path;
    (void)opts;
    return -ENOSYS;
}

/* should_stop - the stop flag, read under the lock. */
static __attribute__((unused)) bool
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
static __attribute__((unused)) void
record(void *arg)
{
    /* TODO(05-J): until the stop flag (read under the lock) is set: read a
     * chunk, append it to the file, count it. Python: record(stream_obj,
     * wf_obj). Read docs/05-threads.md#stop-flag. */
    (void)arg;
}

int
recorder_start(struct recorder *r)
{
    /* TODO(05-J): start the stream, then the worker thread, once. Python:
     * Thread(target=record, ...).start(). Read docs/05-threads.md#recorder. */
    (void)r;
    return -ENOSYS;
}

int
recorder_stop(struct recorder *r)
{
    /* TODO(05-J): set the stop flag under the lock, join the worker, stop and
     * close the stream, close the file; a second call returns 0. Python:
     * g_Exit = True; stream.stop_stream(); wf.close(). Read
     * docs/05-threads.md#stop. */
    (void)r;
    return -ENOSYS;
}

long
recorder_frames(struct recorder *r)
{
    /* TODO(05-J): the frame count, under the lock. Python: wf.getnframes().
     * Read docs/05-threads.md#recorder. */
    (void)r;
    return 0;
}

void
recorder_free(struct recorder *r)
{
    /* TODO(05-J): stop if running, close what is open, Pa_Terminate, free.
     * Python: p.terminate(). Read docs/05-threads.md#recorder. */
    (void)r;
}

/* wait_enter - block until a newline or end of file on fd.  Returns 0 or
 * -errno. */
static __attribute__((unused)) int
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
    /* TODO(05-J): new, start, wait for Enter on enter_fd, stop, report frames,
     * free. Python: run() from the notes. Read docs/05-threads.md#enter. */
    (void)path;
    (void)enter_fd;
    (void)opts;
    (void)frames;
    return -ENOSYS;
}
