/*
 * kit_watchdog.c - a hung test explains itself: after its deadline a
 * watchdog thread prints every thread's stack and the mutex each waits
 * for, fails the test, and ends the worker (children included).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "kit.h"

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cond;       /* CLOCK_MONOTONIC, set in start */
static bool wd_stopped;              /* guarded by wd_lock */
static bool wd_running;              /* guarded by wd_lock */
static double wd_seconds;            /* written before the thread starts */
static pthread_t wd_thread;

/* summary_lines - the one-line-per-thread part of a dump, for the
 * failure message (the full dump stays on stderr). */
static void
summary_lines(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    char line[512];
    size_t used = 0;

    buf[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f)) {
        if (strstr(line, "full backtraces"))
            break;
        if (strncmp(line, "LWP ", 4) != 0 && strncmp(line, "DEADLOCK", 8) != 0)
            continue;
        if (used + strlen(line) + 3 >= len)
            break;
        used += (size_t)snprintf(buf + used, len - used, "  %s", line);
    }
    fclose(f);
}

/* fire - the deadline passed: dump, fail, end.  Does not return. */
static void
fire(void)
{
    char path[] = "/tmp/kit-stacks-XXXXXX";
    char summary[2048];
    int fd = mkstemp(path);

    fprintf(stderr, "\n=== KIT WATCHDOG: %s still running after %.1f s ===\n",
            kit_test_name(), wd_seconds);
    if (fd >= 0) {
        kit_dump_stacks(getpid(), fd);
        close(fd);
    }
    summary_lines(path, summary, sizeof(summary));
    kit_end_children();
    cr_expect_fail("watchdog: %s made no progress for %.1f s (a deadlock, a lost wake-up, or a wait that ignores its timeout). Threads:\n%sFull stacks: %s\nReproduce: %s",
                   kit_test_name(), wd_seconds, summary, path, kit_repro(NULL));
    fflush(NULL);
    _exit(1);
}

static void *
watchdog_main(void *arg)
{
    struct timespec deadline;
    bool stopped;
    int err = 0;

    (void)arg;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)wd_seconds;
    deadline.tv_nsec += (long)((wd_seconds - (double)(time_t)wd_seconds) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&wd_lock);
    while (!wd_stopped && err != ETIMEDOUT)
        err = pthread_cond_timedwait(&wd_cond, &wd_lock, &deadline);
    stopped = wd_stopped;
    pthread_mutex_unlock(&wd_lock);
    if (!stopped)
        fire();
    return NULL;
}

void
kit_watchdog_start(double seconds)
{
    pthread_condattr_t attr;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&wd_cond, &attr);
    pthread_condattr_destroy(&attr);
    wd_seconds = seconds;
    wd_stopped = false;
    if (pthread_create(&wd_thread, NULL, watchdog_main, NULL) == 0)
        wd_running = true;
}

void
kit_watchdog_stop(void)
{
    if (!wd_running)
        return;
    pthread_mutex_lock(&wd_lock);
    wd_stopped = true;
    pthread_cond_signal(&wd_cond);
    pthread_mutex_unlock(&wd_lock);
    pthread_join(wd_thread, NULL);
    wd_running = false;
}
