/*
 * kit_spawn.c - run a program in its own process group with a deadline;
 * on timeout, dump its threads' stacks before killing the whole group.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"

extern char **environ;

/* envp_build - environ followed by `extra`.  Gives: free(). */
static char **
envp_build(char *const extra[])
{
    size_t n = 0;
    size_t m = 0;
    char **envp;

    while (environ[n])
        n++;
    while (extra && extra[m])
        m++;
    envp = malloc((n + m + 1) * sizeof(*envp));
    if (envp == NULL)
        return NULL;
    /* Extra entries first: execve's lookup takes the first match. */
    memcpy(envp, extra ? extra : envp, m * sizeof(*envp));
    memcpy(envp + m, environ, n * sizeof(*envp));
    envp[n + m] = NULL;
    return envp;
}

/* child_exec - in the child: own group, output to logfd, exec.  Only
 * async-signal-safe calls.  Does not return. */
static void
child_exec(char *const argv[], char **envp, int logfd)
{
    int devnull = open("/dev/null", O_RDONLY);

    setpgid(0, 0);
    if (devnull >= 0)
        dup2(devnull, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    execve(argv[0], argv, envp);
    _exit(127);
}

/* wait_deadline - wait for `pid` until `timeout` s; true if it ended. */
static bool
wait_deadline(pid_t pid, double timeout)
{
    int pfd = pidfd_open(pid, 0);
    double deadline = kit_now() + timeout;
    struct pollfd p;
    int n;

    if (pfd < 0)
        return true; /* already gone: waitpid below collects it */
    p.fd = pfd;
    p.events = POLLIN;
    do {
        double left = deadline - kit_now();
        n = poll(&p, 1, left > 0 ? (int)(left * 1000) + 1 : 0);
    } while (n < 0 && errno == EINTR);
    close(pfd);
    return n > 0;
}

/* kill_group - end every process left in group `pgid` and reap those
 * that are ours (orphans adopted through the subreaper).  Every member
 * got SIGKILL, so the blocking reap ends.  Returns whether any was left. */
static bool
kill_group(pid_t pgid)
{
    bool left = kill(-pgid, 0) == 0;

    kill(-pgid, SIGKILL);
    while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
        ;
    return left;
}

/* log_scan - copy the last "FAIL: " line and, after a timeout, the head
 * of the stack dump from the log into `out`. */
static void
log_scan(const char *log_path, struct kit_exit *out)
{
    FILE *f = fopen(log_path, "r");
    char line[1024];
    size_t used = 0;
    bool in_stacks = false;

    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "FAIL: ", 6) == 0) {
            snprintf(out->fail_line, sizeof(out->fail_line), "%s", line + 6);
            out->fail_line[strcspn(out->fail_line, "\n")] = '\0';
        }
        if (strstr(line, "=== KIT STACKS"))
            in_stacks = true;
        if (in_stacks && used + strlen(line) + 1 < sizeof(out->stacks)) {
            memcpy(out->stacks + used, line, strlen(line) + 1);
            used += strlen(line);
        }
    }
    fclose(f);
}

int
kit_spawn(char *const argv[], char *const env[], const char *log_path,
          double timeout, struct kit_exit *out)
{
    double start = kit_now();
    char **envp;
    int logfd;
    int status = 0;
    pid_t pid;

    memset(out, 0, sizeof(*out));
    if (access(argv[0], X_OK) != 0)
        return -ENOENT;
    logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0)
        return -errno;
    envp = envp_build(env);
    if (envp == NULL) {
        close(logfd);
        return -ENOMEM;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        int err = -errno;
        free(envp);
        close(logfd);
        return err;
    }
    if (pid == 0)
        child_exec(argv, envp, logfd);
    setpgid(pid, pid); /* also here: no window where the group is unset */
    out->pid = pid;
    free(envp);
    if (!wait_deadline(pid, timeout)) {
        out->timed_out = true;
        dprintf(logfd, "\n=== KIT STACKS: %s still running after %.1f s ===\n",
                argv[0], timeout);
        kit_dump_stacks(pid, logfd);
        kill(-pid, SIGKILL);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    out->left_processes = kill_group(pid) && !out->timed_out;
    close(logfd);
    out->wall = kit_now() - start;
    out->signaled = WIFSIGNALED(status);
    out->code = out->signaled ? WTERMSIG(status) : WEXITSTATUS(status);
    log_scan(log_path, out);
    return 0;
}
