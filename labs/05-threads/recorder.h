/*
 * recorder.h - the notes' microphone recorder: a worker thread reads the
 * default input device through PortAudio in chunks and appends them to a
 * WAV file through libsndfile, until the main thread says stop
 * (lab 05, part J).
 * Python:  pyaudio stream.read(CHUNK) + wave.writeframes in a Thread,
 *          ended by Enter.
 */
#ifndef LAB_RECORDER_H
#define LAB_RECORDER_H

/* Frames per read, as the notes' CHUNK. */
#define RECORDER_CHUNK 1024

/* Default sample rate (Hz).  Samples are 16-bit signed, one channel. */
#define RECORDER_RATE 44100

struct recorder;                /* opaque: only recorder_* look inside */

/* Options.  Pass NULL for all defaults. */
struct recorder_options {
    int rate;                   /* 0: RECORDER_RATE */
};

/*
 * recorder_new - initialise PortAudio, open the default input device
 * (16-bit mono, opts->rate, RECORDER_CHUNK frames per buffer) and create
 * the WAV file `path`.  The file's header is kept up to date after every
 * chunk, so it is valid even if the program is killed.
 * Python:  p = pyaudio.PyAudio(); stream = p.open(...); wave.open(path, "wb")
 * Returns: 0; -EINVAL if out or path is NULL or the rate is not
 *          1000..192000; -ENODEV if there is no default input device;
 *          -EIO if PortAudio or libsndfile refused; -ENOMEM.  On failure
 *          *out is NULL and PortAudio is terminated again.
 * Owns:    gives *out (free with recorder_free()); borrows path and opts.
 * Threads: any thread.  PortAudio's start-up messages on stderr are
 *          silenced.
 */
int recorder_new(struct recorder **out, const char *path, const struct recorder_options *opts);

/*
 * recorder_start - start the stream and the worker thread, which reads
 * RECORDER_CHUNK frames at a time and appends each chunk to the file.
 * Python:  Thread(target=record, args=(stream, wf)).start()
 * Returns: 0; -EINVAL if r is NULL or already started; -EIO if the
 *          stream will not start; errors of thread_new/thread_start.
 * Owns:    borrows r.
 */
int recorder_start(struct recorder *r);

/*
 * recorder_stop - tell the worker to stop, join it, then stop and close
 * the stream and close the file.  The worker finishes the chunk it is
 * reading and writes it, so nothing read is lost and at most one chunk
 * is read after the call.
 * Python:  g_Exit = True; ...; stream.stop_stream(); stream.close(); wf.close()
 * Returns: 0, or the first error the worker met (-EIO); -EINVAL if r is
 *          NULL or not started.  A second call returns 0.
 * Owns:    borrows r.
 * Threads: any thread but the worker.
 */
int recorder_stop(struct recorder *r);

/* recorder_frames - frames written to the file so far; 0 for NULL.
 * Owns: borrows r.  Threads: any thread. */
long recorder_frames(struct recorder *r);

/* recorder_free - stop if recording, close everything, terminate
 * PortAudio, release r.  Owns: takes r.  NULL is a no-op. */
void recorder_free(struct recorder *r);

/*
 * recorder_run - the notes' program: record `path` from the default input
 * device until a line (Enter) or end of file arrives on `enter_fd`.
 * Python:  run() from the notes, with input() on the main thread.
 * Returns: 0, with the frames recorded in *frames; errors as
 *          recorder_new/start/stop; -EINVAL if frames is NULL or
 *          enter_fd < 0; -errno from read.
 * Owns:    borrows path, opts and frames; reads enter_fd, never closes it.
 */
int recorder_run(const char *path, int enter_fd, const struct recorder_options *opts, long *frames);

#endif /* LAB_RECORDER_H */
