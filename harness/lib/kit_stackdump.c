/*
 * kit_stackdump.c - print every thread of a process, and the mutex or
 * condition variable each one waits on (gdb + kit_stacks.py; vgdb for a
 * process under Valgrind, whose threads gdb cannot see).  No Criterion
 * here: scenarios call it too, to explain a hang they detect themselves.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"

#ifndef KIT_STACKS_SCRIPT
#define KIT_STACKS_SCRIPT "harness/lib/kit_stacks.py"
#endif

/* is_valgrind - true when `pid` is a process running under Valgrind,
 * whose threads gdb cannot see (vgdb can). */
static bool
is_valgrind(pid_t pid)
{
    char path[64];
    char comm[32] = "";
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return false;
    if (fgets(comm, sizeof(comm), f) == NULL)
        comm[0] = '\0';
    fclose(f);
    return strstr(comm, "-amd64-") || strstr(comm, "-x86-") ||
           strstr(comm, "-arm64-");
}

int
kit_dump_stacks(pid_t pid, int out_fd)
{
    char pidstr[16];
    char vgpid[32];
    int status;
    pid_t child;

    snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
    snprintf(vgpid, sizeof(vgpid), "--pid=%d", (int)pid);
    fflush(NULL);
    child = fork();
    if (child < 0)
        return -errno;
    if (child == 0) {
        dup2(out_fd, 1);
        dup2(out_fd, 2);
        if (is_valgrind(pid))
            execlp("timeout", "timeout", "20", "vgdb", vgpid,
                   "v.info scheduler", (char *)NULL);
        else
            execlp("timeout", "timeout", "20", "gdb", "-nx", "-q", "-batch",
                   "-p", pidstr, "-ex", "set print thread-events off",
                   "-x", KIT_STACKS_SCRIPT, (char *)NULL);
        _exit(127);
    }
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            return -errno;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

