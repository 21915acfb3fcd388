/*
 * kit_noise.c - seeded schedule noise at every call where a schedule turns.
 *
 * DESIGN.  Linked only into scenario_X.noise, with -Wl,--wrap=CALL for
 * each CALL below (harness/lab.mk, NOISE_CALLS), so the noise reaches the
 * student's objects and the scenario but not libc or Criterion.  Around
 * each wrapped call a per-thread xorshift generator decides, with chance
 * KIT_NOISE_PCT %, to sched_yield() or to sleep 0..KIT_NOISE_MAX_US µs.
 * Each thread's generator is seeded from KIT_SEED and the thread's
 * creation index; a forked child reseeds from its parent's generator.  So
 * a seed replays the same noise decisions; the kernel's scheduler still
 * varies, which is why replaying a seed reproduces a failure most of the
 * time, not always (reference/race-toolchain.md section 7).
 *
 * Settings are read once in a constructor, before any thread exists (a
 * lazy read on first use would itself be a data race).  KIT_SEED unset or
 * 0 turns the noise off.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kit.h"

static unsigned long noise_seed;
static unsigned noise_pct;
static unsigned noise_max_us;
static atomic_ulong threads_created;
static __thread uint64_t rng;

static uint64_t
mix(uint64_t x)
{
    /* splitmix64 finaliser: spreads nearby seeds far apart. */
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t
next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned
env_uint(const char *name, unsigned dflt)
{
    const char *s = getenv(name);

    return s && *s ? (unsigned)strtoul(s, NULL, 10) : dflt;
}

__attribute__((constructor)) static void
noise_init(void)
{
    noise_seed = env_uint("KIT_SEED", 0);
    noise_pct = noise_seed ? env_uint("KIT_NOISE_PCT", KIT_NOISE_PCT) : 0;
    noise_max_us = env_uint("KIT_NOISE_MAX_US", KIT_NOISE_MAX_US);
    rng = mix(noise_seed) | 1;
}

void
kit_noise_point(void)
{
    int saved = errno;
    uint64_t r;
    struct timespec ts;

    if (noise_pct == 0 || next() % 100 >= noise_pct)
        return;
    r = next();
    if (r & 1) {
        sched_yield();
    } else {
        ts.tv_sec = 0;
        ts.tv_nsec = (long)((r >> 1) % (noise_max_us + 1)) * 1000;
        nanosleep(&ts, NULL);
    }
    errno = saved;
}

/* ---- threads ---------------------------------------------------------- */

struct trampoline {
    void *(*fn)(void *);
    void *arg;
    uint64_t seed;
};

static void *
trampoline_main(void *p)
{
    struct trampoline t = *(struct trampoline *)p;

    free(p);
    rng = t.seed | 1;
    kit_noise_point();
    return t.fn(t.arg);
}

int __real_pthread_create(pthread_t *, const pthread_attr_t *,
                          void *(*)(void *), void *);

int
__wrap_pthread_create(pthread_t *th, const pthread_attr_t *attr,
                      void *(*fn)(void *), void *arg)
{
    struct trampoline *t = malloc(sizeof(*t));
    int err;

    if (t == NULL)
        return EAGAIN;
    t->fn = fn;
    t->arg = arg;
    t->seed = mix(noise_seed * 1000003u + atomic_fetch_add(&threads_created, 1) + 1);
    kit_noise_point();
    err = __real_pthread_create(th, attr, trampoline_main, t);
    if (err)
        free(t);
    kit_noise_point();
    return err;
}

/*
 * WRAP_AROUND(ret, name, params, args): noise before and after the real
 * call, keeping the call's errno.
 */
#define WRAP_AROUND(ret, name, params, args)                                 \
    ret __real_##name params;                                                \
    ret __wrap_##name params                                                 \
    {                                                                        \
        ret r;                                                               \
        int saved;                                                           \
        kit_noise_point();                                                   \
        r = __real_##name args;                                              \
        saved = errno;                                                       \
        kit_noise_point();                                                   \
        errno = saved;                                                       \
        return r;                                                            \
    }

WRAP_AROUND(int, pthread_mutex_lock, (pthread_mutex_t *m), (m))
WRAP_AROUND(int, pthread_mutex_unlock, (pthread_mutex_t *m), (m))
WRAP_AROUND(int, pthread_mutex_timedlock,
            (pthread_mutex_t *m, const struct timespec *t), (m, t))
WRAP_AROUND(int, pthread_cond_wait, (pthread_cond_t *c, pthread_mutex_t *m),
            (c, m))
WRAP_AROUND(int, pthread_cond_timedwait,
            (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t),
            (c, m, t))
WRAP_AROUND(int, pthread_cond_signal, (pthread_cond_t *c), (c))
WRAP_AROUND(int, pthread_cond_broadcast, (pthread_cond_t *c), (c))
WRAP_AROUND(int, pthread_join, (pthread_t t, void **ret), (t, ret))
WRAP_AROUND(int, sem_wait, (sem_t *s), (s))
WRAP_AROUND(int, sem_post, (sem_t *s), (s))
WRAP_AROUND(pid_t, waitpid, (pid_t p, int *st, int opt), (p, st, opt))
WRAP_AROUND(ssize_t, read, (int fd, void *b, size_t n), (fd, b, n))
WRAP_AROUND(ssize_t, write, (int fd, const void *b, size_t n), (fd, b, n))
WRAP_AROUND(ssize_t, send, (int fd, const void *b, size_t n, int fl),
            (fd, b, n, fl))
WRAP_AROUND(ssize_t, recv, (int fd, void *b, size_t n, int fl), (fd, b, n, fl))
WRAP_AROUND(int, accept, (int fd, struct sockaddr *a, socklen_t *l),
            (fd, a, l))
WRAP_AROUND(int, connect, (int fd, const struct sockaddr *a, socklen_t l),
            (fd, a, l))
WRAP_AROUND(int, poll, (struct pollfd *f, nfds_t n, int t), (f, n, t))

pid_t __real_fork(void);

pid_t
__wrap_fork(void)
{
    pid_t pid;
    int saved;
    uint64_t child_seed;

    kit_noise_point();
    child_seed = mix(next());
    pid = __real_fork();
    saved = errno;
    if (pid == 0)
        rng = child_seed | 1;
    kit_noise_point();
    errno = saved;
    return pid;
}
