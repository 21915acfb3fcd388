/*
 * kit_hygiene.c - what a test must not leave behind: child or orphan
 * processes, open descriptors, /dev/shm entries, running threads.
 *
 * The test worker is made a child subreaper (kit_test.c), so an orphan
 * of the code under test is re-parented to the worker and shows up here
 * as one of its children.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kit.h"

#define MAX_FDS 256
#define MAX_SHM 128
#define NAME_LEN 96

struct kit_hygiene {
    int nfds;
    int fds[MAX_FDS];
    int nshm;
    char shm[MAX_SHM][NAME_LEN];
    int nthreads;
};

/* count_dir - entries of `path` other than . and .., or -errno. */
static int
count_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -errno;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int
kit_fd_count(void)
{
    int n = count_dir("/proc/self/fd");

    return n < 0 ? n : n - 1; /* minus the one opendir holds */
}

/* list_fds - open fds except the directory stream's own. */
static int
list_fds(int *fds, int max)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd != dirfd(d))
            fds[n++] = fd;
    }
    closedir(d);
    return n;
}

/*
 * /dev/shm names that libraries own, never a test's leak:
 *   bxfi_<pid>     Criterion's runner (BoxFort) keeps one arena per running
 *                  test binary; another binary may start mid-test.
 *   jack_db-<uid>  libjack (pulled in by PortAudio) creates it the first
 *                  time PortAudio starts on a machine, and keeps it.
 */
static const char *const library_shm[] = {"bxfi_", "jack_db-"};

static bool
library_owned(const char *name)
{
    for (size_t i = 0; i < sizeof(library_shm) / sizeof(library_shm[0]); i++)
        if (strncmp(name, library_shm[i], strlen(library_shm[i])) == 0)
            return true;
    return false;
}

static int
list_shm(char (*names)[NAME_LEN], int max)
{
    DIR *d = opendir("/dev/shm");
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL && n < max)
        if (e->d_name[0] != '.' && !library_owned(e->d_name))
            snprintf(names[n++], NAME_LEN, "%.*s", NAME_LEN - 1, e->d_name);
    closedir(d);
    return n;
}

struct kit_hygiene *
kit_hygiene_take(void)
{
    struct kit_hygiene *h = calloc(1, sizeof(*h));

    if (h == NULL)
        return NULL;
    h->nfds = list_fds(h->fds, MAX_FDS);
    h->nshm = list_shm(h->shm, MAX_SHM);
    h->nthreads = count_dir("/proc/self/task");
    return h;
}

void
kit_hygiene_free(struct kit_hygiene *h)
{
    free(h);
}

/* stat_fields - read a /proc stat file into buf and return the text after
 * the command name, which may hold spaces and parentheses: "S 1234 ..."
 * (state, ppid, ...).  NULL if the file is gone. */
static const char *
stat_fields(const char *path, char *buf, size_t len)
{
    char *paren;
    FILE *f;
    size_t n;

    f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    n = fread(buf, 1, len - 1, f);
    fclose(f);
    buf[n] = '\0';
    paren = strrchr(buf, ')');
    return paren && paren[1] == ' ' ? paren + 2 : NULL;
}

/* stat_state - the state letter in a /proc stat file, or 0. */
static char
stat_state(const char *path)
{
    char buf[512];
    const char *fields = stat_fields(path, buf, sizeof(buf));

    return fields ? fields[0] : 0;
}

char
kit_proc_state(pid_t pid)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    return stat_state(path);
}

char
kit_task_state(pid_t tid)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
    return stat_state(path);
}

long
kit_proc_syscall(pid_t pid, pid_t tid)
{
    char path[96];
    char buf[64] = "";
    FILE *f;

    if (tid > 0)
        snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid,
                 (int)tid);
    else
        snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    if (fgets(buf, sizeof(buf), f) == NULL)
        buf[0] = '\0';
    fclose(f);
    /* "running" while it runs; a number while it sleeps in a call. */
    return buf[0] >= '0' && buf[0] <= '9' ? atol(buf) : -1;
}

/* proc_ppid - parent of `pid` from /proc/PID/stat, or -1. */
static pid_t
proc_ppid(pid_t pid)
{
    char path[64];
    char buf[512];
    const char *fields;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    fields = stat_fields(path, buf, sizeof(buf));
    return fields ? (pid_t)atoi(fields + 2) : -1;
}

int
kit_proc_children(pid_t parent, pid_t *pids, int max, int *zombies)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    if (zombies)
        *zombies = 0;
    if (d == NULL)
        return -errno;
    while ((e = readdir(d)) != NULL) {
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid <= 0 || proc_ppid(pid) != parent)
            continue;
        if (pids && n < max)
            pids[n] = pid;
        if (zombies && kit_proc_state(pid) == 'Z')
            (*zombies)++;
        n++;
    }
    closedir(d);
    return n;
}

void
kit_end_children(void)
{
    pid_t kids[64];
    int n = kit_proc_children(getpid(), kids, 64, NULL);

    for (int i = 0; i < n && i < 64; i++) {
        kill(kids[i], SIGKILL);
        while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
            ;
    }
}

/* comm_of - the command name of `pid` (for messages). */
static void
comm_of(pid_t pid, char *buf, size_t len)
{
    char path[64];
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
    snprintf(buf, len, "?");
    f = fopen(path, "r");
    if (f == NULL)
        return;
    if (fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

/* Append to the report, keeping it one readable paragraph. */
#define REPORT(...)                                                          \
    do {                                                                     \
        if (used < len)                                                      \
            used += (size_t)snprintf(buf + used, len - used, __VA_ARGS__);   \
    } while (0)

/* check_children - report, then kill and reap, every child left. */
static int
check_children(char *buf, size_t len, size_t used0)
{
    pid_t kids[32];
    size_t used = used0;
    int n = kit_proc_children(getpid(), kids, 32, NULL);
    int i;

    for (i = 0; i < n && i < 32; i++) {
        char comm[32];
        char state = kit_proc_state(kids[i]);
        comm_of(kids[i], comm, sizeof(comm));
        REPORT("%s pid %d (%s) %s; ", state == 'Z' ? "zombie" : "process",
               (int)kids[i], comm,
               state == 'Z' ? "was never reaped (waitpid missing?)"
                            : "still running (not ended, or an orphan)");
        kill(kids[i], SIGKILL);
        while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
            ;
    }
    return n > 0 ? n : 0;
}

static bool
had_fd(const struct kit_hygiene *h, int fd)
{
    for (int i = 0; i < h->nfds; i++)
        if (h->fds[i] == fd)
            return true;
    return false;
}

static int
check_fds(const struct kit_hygiene *before, char *buf, size_t len,
          size_t *usedp)
{
    int now[MAX_FDS];
    int n = list_fds(now, MAX_FDS);
    size_t used = *usedp;
    int leaks = 0;

    for (int i = 0; i < n; i++) {
        char path[64];
        char target[128] = "?";
        ssize_t k;
        if (had_fd(before, now[i]))
            continue;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", now[i]);
        k = readlink(path, target, sizeof(target) - 1);
        if (k >= 0)
            target[k] = '\0';
        REPORT("fd %d -> %s left open; ", now[i], target);
        leaks++;
    }
    *usedp = used;
    return leaks;
}

static bool
had_shm(const struct kit_hygiene *h, const char *name)
{
    for (int i = 0; i < h->nshm; i++)
        if (strcmp(h->shm[i], name) == 0)
            return true;
    return false;
}

static int
check_shm(const struct kit_hygiene *before, char *buf, size_t len,
          size_t *usedp)
{
    static char now[MAX_SHM][NAME_LEN];
    int n = list_shm(now, MAX_SHM);
    size_t used = *usedp;
    int leaks = 0;

    for (int i = 0; i < n; i++) {
        char path[NAME_LEN + 16];
        if (had_shm(before, now[i]))
            continue;
        REPORT("/dev/shm/%s left behind (shm_unlink/sem_unlink missing?); ",
               now[i]);
        snprintf(path, sizeof(path), "/dev/shm/%s", now[i]);
        unlink(path);
        leaks++;
    }
    *usedp = used;
    return leaks;
}

/* check_threads - threads need a moment to leave /proc after a join. */
static int
check_threads(const struct kit_hygiene *before, char *buf, size_t len,
              size_t *usedp)
{
    double deadline = kit_now() + KIT_THREAD_GRACE_S;
    size_t used = *usedp;
    int n;

    while ((n = count_dir("/proc/self/task")) > before->nthreads &&
           kit_now() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (n <= before->nthreads)
        return 0;
    REPORT("%d thread(s) still running (not joined, or a worker that never exits); ",
           n - before->nthreads);
    *usedp = used;
    return n - before->nthreads;
}

int
kit_hygiene_diff(const struct kit_hygiene *before, char *buf, size_t len)
{
    size_t used = 0;
    int leaks;

    buf[0] = '\0';
    leaks = check_children(buf, len, used);
    used = strlen(buf);
    leaks += check_fds(before, buf, len, &used);
    leaks += check_shm(before, buf, len, &used);
    leaks += check_threads(before, buf, len, &used);
    return leaks;
}
