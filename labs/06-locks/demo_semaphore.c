/*
 * demo_semaphore.c - six workers, at most two at work at once: a
 * BoundedSemaphore(2) as a pool of two permits.  Then what the bound is
 * for: giving back a permit nobody took is reported.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include "semaphore.h"

#define WORKERS 6

static struct semaphore *permits;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int busy;                /* guarded by mu */
static int most_busy;           /* guarded by mu */

static void *
work(void *arg)
{
    long id = (long)arg;
    int err = semaphore_acquire(permits, LAB_FOREVER);

    if (err)
        return (void *)(long)err;
    pthread_mutex_lock(&mu);
    busy++;
    most_busy = busy > most_busy ? busy : most_busy;
    printf("worker %ld starts (%d at work)\n", id, busy);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < 1000; i++)
        sched_yield();
    pthread_mutex_lock(&mu);
    busy--;
    pthread_mutex_unlock(&mu);
    return (void *)(long)semaphore_release(permits, 1);
}

int
main(void)
{
    pthread_t t[WORKERS];
    int bad = 0;
    int err;

    if (semaphore_new_bounded(&permits, 2) != 0)
        return 1;
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < WORKERS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        bad |= ret != NULL;
    }
    printf("most workers at once: %d (the semaphore allows 2)\n", most_busy);
    err = semaphore_release(permits, 1);
    printf("one release too many: %s\n", err == -EOVERFLOW ? "-EOVERFLOW (Python: ValueError)" : "not refused!");
    if (bad)
        printf("semaphore_acquire/release failed (not implemented yet? see TODO(06-E))\n");
    semaphore_free(permits);
    return bad || most_busy > 2 || err != -EOVERFLOW;
}
