/*
 * kit_hold.c - park worker threads until the test lets them go, so a
 * test can look at the world while every worker is alive and known to be
 * at a given point (their thread-locals set, their resources open).
 * A mutex and a condition variable: every race tool understands it.
 */
#include "kit.h"

void
kit_hold_init(struct kit_hold *h)
{
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    h->ready = 0;
    h->go = false;
}

void
kit_hold_arrive(struct kit_hold *h)
{
    pthread_mutex_lock(&h->mu);
    h->ready++;
    pthread_cond_broadcast(&h->cv);
    while (!h->go)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

void
kit_hold_wait_ready(struct kit_hold *h, int n)
{
    pthread_mutex_lock(&h->mu);
    while (h->ready < n)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

void
kit_hold_release(struct kit_hold *h)
{
    pthread_mutex_lock(&h->mu);
    h->go = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

void
kit_hold_destroy(struct kit_hold *h)
{
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
}
