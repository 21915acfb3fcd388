/*
 * scenario_order.c - the invariants of lab 06 under seeded schedule noise
 * (the ordering tier).  Each case repeats its round a few times in one
 * process; kit_noise_point() widens the critical sections the checks look
 * into.
 *
 *   counter_each / counter_batch / counter_atomic
 *               2 threads x 500 increments: the total is exactly 1000.
 *   bank        100 threads deposit 1 each: the balance is exactly 100.
 *   transfers   2 threads move money A->B and B->A at once: the total
 *               and both balances come out right, and the run ends (a
 *               stall of TRANSFER_STALL_S with no transfer is reported as
 *               a deadlock).
 *   rlock       3 threads take an RLock twice each round: never two owners.
 *   semaphore   4 threads (one only tries) share BoundedSemaphore(2):
 *               never three holders, and the value ends at 2.
 *   condition   a 2-slot buffer under a Condition, 2 producers and 2
 *               consumers: every item is taken exactly once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit.h"
#include "account.h"
#include "condition.h"
#include "counter.h"
#include "rlock.h"
#include "semaphore.h"

#define COUNTER_PER_THREAD 500
#define COUNTER_BATCH 64        /* 500 = 7 * 64 + 52: a partial last batch */
#define BANK_THREADS 100
#define TRANSFERS 300
#define TRANSFER_STALL_S 3.0
#define RLOCK_THREADS 3
#define RLOCK_ROUNDS 100
#define SEM_THREADS 4
#define SEM_ROUNDS 60
#define ITEMS_PER_PRODUCER 100
#define SLOTS 2

/* start_all - start n threads running fn(args + i * size). */
static void
start_all(pthread_t *t, int n, void *(*fn)(void *), void *args, size_t size)
{
    for (int i = 0; i < n; i++) {
        int err = pthread_create(&t[i], NULL, fn, (char *)args + i * size);
        kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
    }
}

static void
join_all(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

/* ---- counter -------------------------------------------------------- */

static void
case_counter(enum counter_strategy how)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        long total = -1;
        int err = counter_run(how, 2, COUNTER_PER_THREAD, COUNTER_BATCH,
                              &total);

        kit_scen_require_impl(err, "counter_run", "06-A");
        kit_scen_check(err == 0, "counter_run(%s, 2, %d, %d): expected 0, got %s", counter_strategy_name(how), COUNTER_PER_THREAD, COUNTER_BATCH, kit_errname(err));
        kit_scen_check(total == 2 * COUNTER_PER_THREAD, "counter_run(%s, 2 threads x %d): expected exactly %d, got %ld (round %d): increments were lost, so some read-add-write was not done as one step", counter_strategy_name(how), COUNTER_PER_THREAD, 2 * COUNTER_PER_THREAD, total, r);
    }
}

/* ---- bank ------------------------------------------------------------ */

static void *
deposit_one(void *arg)
{
    struct account *a = *(struct account **)arg;
    int err = account_deposit(a, 1);

    kit_scen_check(err == 0, "account_deposit(a, 1): expected 0, got %s", kit_errname(err));
    return NULL;
}

static void
case_bank(void)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        struct account *a = NULL;
        struct account *args[BANK_THREADS];
        pthread_t t[BANK_THREADS];
        long balance = -1;
        int err;

        kit_scen_check(account_new(&a, 0) == 0, "account_new failed");
        err = account_deposit(a, 0);
        kit_scen_require_impl(err, "account_deposit", "06-B");
        for (int i = 0; i < BANK_THREADS; i++)
            args[i] = a;
        start_all(t, BANK_THREADS, deposit_one, args, sizeof(args[0]));
        join_all(t, BANK_THREADS);
        kit_scen_check(account_balance(a, &balance) == 0, "account_balance failed");
        kit_scen_check(balance == BANK_THREADS, "%d threads each deposited 1: expected a balance of exactly %d, got %ld (round %d): deposits overwrote each other, so the read, the pause and the write were not all under the account's lock", BANK_THREADS, BANK_THREADS, balance, r);
        account_free(a);
    }
}

/* ---- transfers ------------------------------------------------------- */

struct transfers {
    struct account *a;
    struct account *b;
    pthread_mutex_t mu;         /* guards done and progress */
    pthread_cond_t changed;
    int done;
    long progress;
};

struct mover {
    struct transfers *t;
    bool a_to_b;
};

static void *
move_money(void *arg)
{
    struct mover *m = arg;
    struct transfers *t = m->t;

    for (int i = 0; i < TRANSFERS; i++) {
        long amount = 1 + i % 5;
        struct account *from = m->a_to_b ? t->a : t->b;
        struct account *to = m->a_to_b ? t->b : t->a;
        int err = account_transfer(from, to, amount);

        kit_scen_check(err == 0, "account_transfer: expected 0, got %s", kit_errname(err));
        pthread_mutex_lock(&t->mu);
        t->progress++;
        pthread_mutex_unlock(&t->mu);
    }
    pthread_mutex_lock(&t->mu);
    t->done++;
    pthread_cond_signal(&t->changed);
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* dump_own_stacks - gdb + the kit's lock-graph script on this process,
 * output to fd.  (kit_dump_stacks does this for tests, but it lives in the
 * Criterion-only part of libkit.)  Returns 0 or -1. */
static int
dump_own_stacks(int fd)
{
    char pid[16];
    int status;
    pid_t child;

    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        execlp("timeout", "timeout", "20", "gdb", "-nx", "-q", "-batch", "-p", pid, "-ex", "set print thread-events off", "-x", "harness/lib/kit_stacks.py", (char *)NULL);
        _exit(127);
    }
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* squeeze - drop the newline and runs of blanks from line, in place. */
static void
squeeze(char *line)
{
    char *q = line;

    for (char *p = line; *p != '\0' && *p != '\n'; p++)
        if (*p != ' ' || (q > line && q[-1] != ' '))
            *q++ = *p;
    *q = '\0';
}

/* deadlock_picture - this process's own stack dump, cut down to one line:
 * the cycle, then each thread waiting for a mutex and its holder.  "" if
 * gdb could not be run. */
static void
deadlock_picture(char *buf, size_t len)
{
    FILE *f = tmpfile();
    char line[512];
    char cycle[sizeof(line) + 4] = "";
    char waits[1024] = "";

    buf[0] = '\0';
    if (f == NULL)
        return;
    if (dump_own_stacks(fileno(f)) == 0) {
        rewind(f);
        while (fgets(line, sizeof(line), f) != NULL) {
            size_t used = strlen(waits);

            squeeze(line);
            if (strstr(line, "DEADLOCK CYCLE"))
                snprintf(cycle, sizeof(cycle), " | %s", line);
            else if (strstr(line, "WAITS FOR"))
                snprintf(waits + used, sizeof(waits) - used, " | %s", line);
        }
    }
    fclose(f);
    snprintf(buf, len, "%s%s", cycle, waits);
}

/* wait_movers - wait until both movers are done; fail if no transfer at
 * all finishes for TRANSFER_STALL_S (both threads hold one lock each and
 * wait for the other's: the AB/BA deadlock), with the threads' picture. */
static void
wait_movers(struct transfers *t)
{
    long seen = -1;
    double stall_until = 0;

    pthread_mutex_lock(&t->mu);
    while (t->done < 2) {
        struct timespec ts;

        if (t->progress != seen) {
            seen = t->progress;
            stall_until = kit_now() + TRANSFER_STALL_S;
        }
        if (kit_now() >= stall_until) {
            char picture[1600];

            deadlock_picture(picture, sizeof(picture));
            kit_scen_fail("no transfer finished for %.0f s, A->B and B->A at once: deadlock; take the two locks in one global order%s", TRANSFER_STALL_S, picture);
        }
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        (void)pthread_cond_timedwait(&t->changed, &t->mu, &ts);
    }
    pthread_mutex_unlock(&t->mu);
}

static void
transfers_init(struct transfers *t)
{
    pthread_condattr_t attr;

    memset(t, 0, sizeof(*t));
    kit_scen_check(account_new(&t->a, 1000) == 0 && account_new(&t->b, 1000) == 0, "account_new failed");
    pthread_mutex_init(&t->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->changed, &attr);
    pthread_condattr_destroy(&attr);
}

static void
transfers_destroy(struct transfers *t)
{
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->mu);
    account_free(t->a);
    account_free(t->b);
}

static void
case_transfers(void)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        struct transfers t;
        struct mover m[2];
        pthread_t th[2];
        long a = -1;
        long b = -1;
        int err;

        transfers_init(&t);
        err = account_transfer(t.a, t.b, 0);
        kit_scen_require_impl(err, "account_transfer", "06-C");
        m[0] = (struct mover){ .t = &t, .a_to_b = true };
        m[1] = (struct mover){ .t = &t, .a_to_b = false };
        start_all(th, 2, move_money, m, sizeof(m[0]));
        wait_movers(&t);
        join_all(th, 2);
        kit_scen_check(account_balance(t.a, &a) == 0 && account_balance(t.b, &b) == 0, "account_balance failed");
        kit_scen_check(a + b == 2000, "%d transfers each way between two accounts of 1000: expected the total to stay 2000, got %ld + %ld = %ld (round %d): money was made or lost, so a transfer was not one step under both locks", TRANSFERS, a, b, a + b, r);
        kit_scen_check(a == 1000 && b == 1000, "the same amounts went each way: expected 1000 and 1000, got %ld and %ld (round %d)", a, b, r);
        transfers_destroy(&t);
    }
}

/* ---- rlock ----------------------------------------------------------- */

struct owners {
    struct rlock *l;
    atomic_int inside;          /* threads between acquire and release */
};

static void *
own_twice(void *arg)
{
    struct owners *o = arg;

    for (int i = 0; i < RLOCK_ROUNDS; i++) {
        int err = rlock_acquire(o->l, LAB_FOREVER);
        int before;

        kit_scen_check(err == 0, "rlock_acquire(l, LAB_FOREVER): expected 0, got %s", kit_errname(err));
        before = atomic_fetch_add(&o->inside, 1);
        kit_scen_check(before == 0, "rlock_acquire returned 0 while another thread owned the RLock (%d owners at once): after a wakeup, check again that the lock is free before taking it (while, not if)", before + 1);
        kit_scen_check(rlock_acquire(o->l, 0) == 0 && rlock_count(o->l) == 2, "the owner's second acquire: expected 0 and a count of 2");
        kit_noise_point();
        atomic_fetch_sub(&o->inside, 1);
        kit_scen_check(rlock_release(o->l) == 0 && rlock_release(o->l) == 0, "the owner's two releases: expected 0 and 0");
    }
    return NULL;
}

static void
case_rlock(void)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        struct owners o = { .l = NULL };
        pthread_t t[RLOCK_THREADS];
        int err;

        atomic_init(&o.inside, 0);
        kit_scen_check(rlock_new(&o.l) == 0, "rlock_new failed");
        err = rlock_acquire(o.l, 0);
        kit_scen_require_impl(err, "rlock_acquire", "06-D");
        kit_scen_check(err == 0 && rlock_release(o.l) == 0, "rlock_acquire + rlock_release on a free RLock failed");
        for (int i = 0; i < RLOCK_THREADS; i++) {
            err = pthread_create(&t[i], NULL, own_twice, &o);
            kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
        }
        join_all(t, RLOCK_THREADS);
        rlock_free(o.l);
    }
}

/* ---- semaphore ------------------------------------------------------- */

struct holders {
    struct semaphore *s;
    atomic_int inside;
};

/* hold_once - take a unit (trying once when `try_only`), check that at
 * most two threads hold one, give it back.  Returns whether it held. */
static bool
hold_once(struct holders *h, bool try_only)
{
    int err = semaphore_acquire(h->s, try_only ? 0 : LAB_FOREVER);
    int before;

    if (try_only && err == -ETIMEDOUT)
        return false;
    kit_scen_check(err == 0, "semaphore_acquire: expected 0, got %s", kit_errname(err));
    before = atomic_fetch_add(&h->inside, 1);
    kit_scen_check(before < 2, "BoundedSemaphore(2) let %d threads hold a unit at once: after a wakeup, check again that a unit is free before taking it (while, not if)", before + 1);
    kit_noise_point();
    atomic_fetch_sub(&h->inside, 1);
    err = semaphore_release(h->s, 1);
    kit_scen_check(err == 0, "semaphore_release(s, 1) after an acquire: expected 0, got %s", kit_errname(err));
    return true;
}

static void *
hold_blocking(void *arg)
{
    for (int i = 0; i < SEM_ROUNDS; i++)
        (void)hold_once(arg, false);
    return NULL;
}

static void *
hold_trying(void *arg)
{
    for (int i = 0; i < SEM_ROUNDS; i++)
        (void)hold_once(arg, true);
    return NULL;
}

static void
case_semaphore(void)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        struct holders h = { .s = NULL };
        pthread_t t[SEM_THREADS];
        int err;

        atomic_init(&h.inside, 0);
        kit_scen_check(semaphore_new_bounded(&h.s, 2) == 0, "semaphore_new_bounded failed");
        err = semaphore_acquire(h.s, 0);
        kit_scen_require_impl(err, "semaphore_acquire", "06-E");
        kit_scen_check(err == 0 && semaphore_release(h.s, 1) == 0, "acquire + release on BoundedSemaphore(2) failed");
        for (int i = 0; i < SEM_THREADS; i++) {
            err = pthread_create(&t[i], NULL,
                                 i == 0 ? hold_trying : hold_blocking, &h);
            kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
        }
        join_all(t, SEM_THREADS);
        kit_scen_check(semaphore_value(h.s) == 2, "every unit taken was given back: expected the value to end at 2, got %d", semaphore_value(h.s));
        semaphore_free(h.s);
    }
}

/* ---- condition ------------------------------------------------------- */

#define ITEMS (2 * ITEMS_PER_PRODUCER)

struct buffer {
    struct condition *c;
    /* The condition's lock guards: */
    int slot[SLOTS];
    int count;
    int taken;                  /* items consumers took, in all */
    int seen[ITEMS];            /* how many times each item was taken */
};

struct producer {
    struct buffer *b;
    int first;                  /* its items: first, first + 1, ... */
};

static bool
has_room(void *arg)
{
    struct buffer *b = arg;

    return b->count < SLOTS;
}

static bool
has_item_or_done(void *arg)
{
    struct buffer *b = arg;

    return b->count > 0 || b->taken == ITEMS;
}

static void
lock_buffer(struct buffer *b)
{
    int err = condition_acquire(b->c, LAB_FOREVER);

    kit_scen_check(err == 0, "condition_acquire: expected 0, got %s", kit_errname(err));
}

static void *
produce(void *arg)
{
    struct producer *p = arg;
    struct buffer *b = p->b;

    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
        int err;

        lock_buffer(b);
        err = condition_wait_for(b->c, has_room, b, LAB_FOREVER);
        kit_scen_check(err == 0 && b->count < SLOTS, "condition_wait_for(has_room, LAB_FOREVER): expected 0 with a free slot, got %s with %d of %d slots used", kit_errname(err), b->count, SLOTS);
        b->slot[b->count++] = p->first + i;
        kit_scen_check(condition_notify_all(b->c) == 0, "condition_notify_all failed");
        kit_scen_check(condition_release(b->c) == 0, "condition_release failed");
    }
    return NULL;
}

static void *
consume(void *arg)
{
    struct buffer *b = arg;

    for (;;) {
        int err;

        lock_buffer(b);
        err = condition_wait_for(b->c, has_item_or_done, b, LAB_FOREVER);
        kit_scen_check(err == 0 && (b->count > 0 || b->taken == ITEMS), "condition_wait_for(has_item_or_done, LAB_FOREVER): expected 0 with an item, got %s with %d items", kit_errname(err), b->count);
        if (b->taken == ITEMS) {
            kit_scen_check(condition_release(b->c) == 0, "condition_release failed");
            return NULL;
        }
        b->seen[b->slot[--b->count]]++;
        b->taken++;
        kit_scen_check(condition_notify_all(b->c) == 0, "condition_notify_all failed");
        kit_scen_check(condition_release(b->c) == 0, "condition_release failed");
    }
}

static void
case_condition(void)
{
    int rounds = kit_scen_repeat(2);

    for (int r = 0; r < rounds; r++) {
        struct buffer *b = calloc(1, sizeof(*b));
        struct producer p[2];
        pthread_t t[4];
        int err;

        kit_scen_check(b != NULL && condition_new(&b->c) == 0, "condition_new failed");
        err = condition_acquire(b->c, 0);
        kit_scen_require_impl(err, "condition_acquire", "06-F");
        kit_scen_check(err == 0 && condition_release(b->c) == 0, "acquire + release of a free condition failed");
        p[0] = (struct producer){ .b = b, .first = 0 };
        p[1] = (struct producer){ .b = b, .first = ITEMS_PER_PRODUCER };
        start_all(t, 2, produce, p, sizeof(p[0]));
        for (int i = 2; i < 4; i++) {
            err = pthread_create(&t[i], NULL, consume, b);
            kit_scen_check(err == 0, "pthread_create: %s", strerror(err));
        }
        join_all(t, 4);
        for (int i = 0; i < ITEMS; i++)
            kit_scen_check(b->seen[i] == 1, "item %d was taken %d times: expected exactly once (round %d)", i, b->seen[i], r);
        condition_free(b->c);
        free(b);
    }
}

int
main(int argc, char **argv)
{
    const char *c = argc == 2 ? argv[1] : "";

    if (strcmp(c, "counter_each") == 0)
        case_counter(COUNTER_LOCK_EACH);
    else if (strcmp(c, "counter_batch") == 0)
        case_counter(COUNTER_LOCK_BATCH);
    else if (strcmp(c, "counter_atomic") == 0)
        case_counter(COUNTER_ATOMIC);
    else if (strcmp(c, "bank") == 0)
        case_bank();
    else if (strcmp(c, "transfers") == 0)
        case_transfers();
    else if (strcmp(c, "rlock") == 0)
        case_rlock();
    else if (strcmp(c, "semaphore") == 0)
        case_semaphore();
    else if (strcmp(c, "condition") == 0)
        case_condition();
    else {
        fprintf(stderr, "usage: %s counter_each|counter_batch|counter_atomic|bank|transfers|rlock|semaphore|condition\n", argv[0]);
        return 2;
    }
    return 0;
}
