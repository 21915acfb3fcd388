# kit_stacks.py - gdb script: one line per thread saying where it is
# blocked, which mutex it waits for and who holds it, then any cycle.
#
#   gdb -nx -q -batch -p PID -x harness/lib/kit_stacks.py
#
# Needs libc6-dbg for the mutex owner (__data.__owner).  Printed lines:
#   LWP 14001 worker  transfer() at bank.c:42  WAITS FOR mutex <a_lock> held by LWP 14000
#   DEADLOCK CYCLE: LWP 14001 -> LWP 14000 -> LWP 14001
import gdb

SYSTEM_DIRS = ("./", "../")          # glibc's own sources are relative
HARNESS_FILES = ("kit_noise.c",)     # the noise wrappers sit between the user and libc
LOCK_FRAMES = ("___pthread_mutex_lock", "__pthread_mutex_lock",
               "pthread_mutex_lock", "__pthread_mutex_lock_full",
               "___pthread_mutex_timedlock", "__pthread_mutex_clocklock_common")
BLOCK_FRAMES = ("__pthread_clockjoin_ex", "___pthread_cond_wait",
                "__pthread_cond_wait_common", "___pthread_cond_timedwait",
                "__new_sem_wait_slow64", "__GI___wait4", "__GI___poll",
                "__GI___libc_read", "__libc_accept", "epoll_wait",
                "__GI___nanosleep", "__GI___clock_nanosleep", "__libc_pause")


def mutex_wait(frame):
    """(description, owner LWP) of the mutex this lock frame waits for."""
    try:
        m = frame.read_var("mutex")
        owner = int(m.dereference()["__data"]["__owner"])
        text = str(m)
        name = text.split(" ", 1)[1] if "<" in text else text
        return name, owner
    except (gdb.error, ValueError, RuntimeError):
        return None


COND_FRAMES = ("___pthread_cond_wait", "__pthread_cond_wait_common",
               "___pthread_cond_timedwait", "___pthread_cond_clockwait")


def cond_wait(frame):
    """The condition variable this wait frame sleeps on, by name if it has one."""
    try:
        c = frame.read_var("cond")
        text = str(c)
        return text.split(" ", 1)[1] if "<" in text else text
    except (gdb.error, ValueError, RuntimeError):
        return None


def describe(thread):
    thread.switch()
    frame = gdb.newest_frame()
    user = None
    blocked = None
    waits = None
    while frame is not None:
        name = frame.name() or "??"
        if blocked is None and (name in LOCK_FRAMES or name in BLOCK_FRAMES):
            blocked = name
            if name in LOCK_FRAMES:
                waits = mutex_wait(frame)
            elif name in COND_FRAMES:
                cond = cond_wait(frame)
                if cond:
                    blocked = "%s on cond %s" % (name, cond)
        sal = frame.find_sal()
        if user is None and sal.symtab is not None \
                and not sal.symtab.filename.startswith(SYSTEM_DIRS) \
                and not sal.symtab.filename.endswith(HARNESS_FILES):
            user = "%s() at %s:%d" % (name, sal.symtab.filename, sal.line)
        frame = frame.older()
    return user or "(no frame with source)", blocked, waits


def main():
    waits_for = {}
    print("=== KIT STACKS: one line per thread (where, and what it waits for) ===")
    for th in sorted(gdb.selected_inferior().threads(), key=lambda t: t.num):
        lwp = th.ptid[1]
        user, blocked, waits = describe(th)
        line = "LWP %d %-16s %s" % (lwp, th.name or "", user)
        if waits:
            line += "  WAITS FOR mutex %s held by LWP %d" % waits
            waits_for[lwp] = waits[1]
        elif blocked:
            line += "  blocked in " + blocked
        print(line)
    for start in waits_for:
        seen, cur = [], start
        while cur in waits_for and cur not in seen:
            seen.append(cur)
            cur = waits_for[cur]
        if cur == start:
            print("DEADLOCK CYCLE: " + " -> ".join("LWP %d" % t for t in seen + [start]))
            break
    print("=== KIT STACKS: full backtraces ===")
    gdb.execute("thread apply all bt 12")


main()
