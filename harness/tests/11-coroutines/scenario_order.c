/*
 * scenario_order.c - lab 11's invariants, repeated in-process, for the
 * ordering tier (run under seeded schedule noise at read, write, accept,
 * connect and poll: the noise build wraps the I/O calls inside co_read
 * and friends, so wake-ups come in a different order every seed).
 *
 *   round_robin  two coroutines switching by name log exactly ABABAB.
 *   echo         one hub: a server task, a handler per connection and
 *                20 client tasks; every client gets its own words back.
 *   timers       six naps wake earliest deadline first.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kit.h"
#include "co.h"
#include "cosched.h"

#define CLIENTS 20

/* ---- round_robin ----------------------------------------------------- */

static struct co *gr[2];
static char rr_log[16];
static size_t rr_len;

static void *
take_turns(void *arg)
{
    long me = (long)arg;

    for (int i = 0; i < 3; i++) {
        rr_log[rr_len++] = me == 0 ? 'A' : 'B';
        co_switch(gr[1 - me], (void *)(1 - me), NULL);
    }
    return NULL;
}

static void
round_robin(void)
{
    int err;

    rr_len = 0;
    memset(rr_log, 0, sizeof(rr_log));
    err = co_new(&gr[0], take_turns, NULL);
    kit_scen_require_impl(err, "co_new", "11-A");
    kit_scen_check(err == 0, "co_new: %s", kit_errname(err));
    err = co_new(&gr[1], take_turns, NULL);
    kit_scen_check(err == 0, "co_new: %s", kit_errname(err));
    err = co_switch(gr[0], (void *)0L, NULL);
    kit_scen_require_impl(err, "co_switch", "11-A");
    kit_scen_check(strcmp(rr_log, "ABABAB") == 0, "two coroutines switching by name logged \"%s\": expected \"ABABAB\"", rr_log);
    co_free(gr[0]);
    co_free(gr[1]);
}

/* ---- echo ------------------------------------------------------------ */

static int listen_fd;
static struct sockaddr_in server_addr;
static int echoed;

static void *
handler(struct co_hub *hub, void *arg)
{
    int fd = (int)(long)arg;
    char buf[64];
    ssize_t n;

    while ((n = co_read(hub, fd, buf, sizeof(buf))) > 0)
        if (co_write(hub, fd, buf, (size_t)n) != 0)
            break;
    close(fd);
    return NULL;
}

static void *
server(struct co_hub *hub, void *arg)
{
    struct co_task *h[CLIENTS];
    size_t n = 0;

    (void)arg;
    while (n < CLIENTS) {
        int fd = co_accept(hub, listen_fd);
        kit_scen_check(fd >= 0, "co_accept: %s", kit_errname(fd));
        kit_scen_check(co_spawn(hub, &h[n], handler, (void *)(long)fd) == 0, "co_spawn(handler) failed");
        n++;
    }
    co_joinall(h, n, LAB_FOREVER, NULL);
    for (size_t i = 0; i < n; i++)
        co_task_free(h[i]);
    return NULL;
}

/* client - send two messages, each echoed before the next. */
static void *
client(struct co_hub *hub, void *arg)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int err = co_connect(hub, fd, (struct sockaddr *)&server_addr,
                         sizeof(server_addr));

    kit_scen_check(err == 0, "co_connect: %s", kit_errname(err));
    for (int round = 0; round < 2; round++) {
        char msg[32];
        char back[32] = "";
        int len = snprintf(msg, sizeof(msg), "client %ld round %d", (long)arg, round);
        size_t got = 0;
        kit_scen_check(co_write(hub, fd, msg, (size_t)len) == 0, "co_write failed");
        while (got < (size_t)len) {
            ssize_t n = co_read(hub, fd, back + got, (size_t)len - got);
            kit_scen_check(n > 0, "co_read of the echo: %s", kit_errname((int)n));
            got += (size_t)n;
        }
        kit_scen_check(memcmp(msg, back, (size_t)len) == 0, "sent \"%s\", echo \"%s\": a wake-up reached the wrong coroutine", msg, back);
    }
    close(fd);
    echoed++;
    return NULL;
}

static void
echo(void)
{
    struct co_task *t[CLIENTS + 1];
    struct co_hub *hub;
    socklen_t len = sizeof(server_addr);
    int err = co_hub_new(&hub);

    kit_scen_require_impl(err, "co_hub_new", "11-B");
    kit_scen_check(err == 0, "co_hub_new: %s", kit_errname(err));
    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = 0;
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    kit_scen_check(bind(listen_fd, (struct sockaddr *)&server_addr, len) == 0 && listen(listen_fd, CLIENTS) == 0 && getsockname(listen_fd, (struct sockaddr *)&server_addr, &len) == 0, "setup: listen on loopback failed");
    echoed = 0;
    kit_scen_check(co_spawn(hub, &t[0], server, NULL) == 0, "co_spawn(server) failed");
    for (long i = 1; i <= CLIENTS; i++)
        kit_scen_check(co_spawn(hub, &t[i], client, (void *)i) == 0, "co_spawn(client) failed");
    err = co_joinall(t, CLIENTS + 1, 10.0, NULL);
    kit_scen_check(err == 0, "co_joinall(server and %d clients): %s", CLIENTS, kit_errname(err));
    kit_scen_check(echoed == CLIENTS, "%d of %d clients got their echo", echoed, CLIENTS);
    for (int i = 0; i <= CLIENTS; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
    close(listen_fd);
}

/* ---- timers ---------------------------------------------------------- */

static const long nap[6] = {30, 10, 50, 20, 60, 40};
static double armed_at[6];
static int woke[6];
static int nwoke;

static void *
timed_nap(struct co_hub *hub, void *arg)
{
    long i = (long)arg;

    armed_at[i] = kit_now() + nap[i] / 1000.0;
    co_sleep(hub, nap[i] / 1000.0);
    woke[nwoke++] = (int)i;
    return NULL;
}

static void
timers(void)
{
    struct co_task *t[6];
    struct co_hub *hub;
    int err = co_hub_new(&hub);

    kit_scen_require_impl(err, "co_hub_new", "11-B");
    kit_scen_check(err == 0, "co_hub_new: %s", kit_errname(err));
    nwoke = 0;
    for (long i = 0; i < 6; i++)
        kit_scen_check(co_spawn(hub, &t[i], timed_nap, (void *)i) == 0, "co_spawn failed");
    err = co_joinall(t, 6, 10.0, NULL);
    kit_scen_check(err == 0 && nwoke == 6, "co_joinall of 6 naps: %s, %d woke", kit_errname(err), nwoke);
    for (int a = 0; a + 1 < 6; a++)
        kit_scen_check(armed_at[woke[a]] <= armed_at[woke[a + 1]] + 0.003, "a %ld ms nap woke before a %ld ms one armed at the same time", nap[woke[a]], nap[woke[a + 1]]);
    for (int i = 0; i < 6; i++)
        co_task_free(t[i]);
    co_hub_free(hub);
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
        int rounds;
    } cases[] = {
        {"round_robin", round_robin, 20},
        {"echo", echo, 3},
        {"timers", timers, 1},
    };

    if (argc != 2)
        return 2;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        if (strcmp(argv[1], cases[c].name) != 0)
            continue;
        for (int i = kit_scen_repeat(cases[c].rounds); i > 0; i--)
            cases[c].run();
        return 0;
    }
    fprintf(stderr, "scenario_order: unknown case %s\n", argv[1]);
    return 2;
}
