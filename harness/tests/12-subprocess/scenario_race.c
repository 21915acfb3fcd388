/*
 * scenario_race.c - lab 12 from two threads at once (race tier) and a
 * whole tour of the contract (memory tier).
 *
 *   threads    two threads, each starting children, talking to them and
 *              running a pipeline at the same time: no shared state in
 *              the library may race, and each thread gets its own
 *              output back.  The children are /bin programs, which the
 *              tools do not follow.
 *   lifecycle  one thread: every call once, including the failures (a
 *              missing program, a timeout), for memcheck.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kit.h"
#include "sp.h"

#define ROUNDS 2

/* What one thread found; read by main after pthread_join. */
struct outcome {
    int id;
    char why[160];
};

/* talk - run `echo <id>` through cat and a pipeline; "" if all right. */
static void
talk(struct outcome *o)
{
    char word[16];
    char want[20];
    char *echo[] = { "/bin/echo", word, NULL };
    char *cat[] = { "/bin/cat", NULL };
    char *const *const stages[] = { echo, cat };
    struct sp_options cap = { .capture = true };
    struct sp_result r = { 0 };
    int codes[2];
    int err;

    snprintf(word, sizeof(word), "t%d", o->id);
    snprintf(want, sizeof(want), "t%d\n", o->id);
    err = sp_check_output(echo, NULL, &r, 30.0);
    if (err != 0 || r.out == NULL || strcmp(r.out, want) != 0)
        snprintf(o->why, sizeof(o->why), "check_output(echo %s): %s \"%s\"", word, kit_errname(err), r.out ? r.out : "(null)");
    sp_result_release(&r);
    err = sp_pipeline(stages, 2, &cap, &r, codes, 30.0);
    if (o->why[0] == '\0' && (err != 0 || r.out == NULL || strcmp(r.out, want) != 0))
        snprintf(o->why, sizeof(o->why), "pipeline(echo %s | cat): %s \"%s\"", word, kit_errname(err), r.out ? r.out : "(null)");
    sp_result_release(&r);
}

static void *
worker(void *arg)
{
    struct outcome *o = arg;
    int k;

    for (k = 0; k < ROUNDS && o->why[0] == '\0'; k++)
        talk(o);
    return NULL;
}

static void
threads(void)
{
    struct outcome out[2] = { { .id = 1 }, { .id = 2 } };
    pthread_t t[2];
    int i;

    for (i = 0; i < 2; i++)
        kit_scen_check(pthread_create(&t[i], NULL, worker, &out[i]) == 0, "pthread_create failed");
    for (i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < 2; i++) {
        kit_scen_require_impl(strstr(out[i].why, "-ENOSYS") ? -ENOSYS : 0, "sp_check_output", "12-D");
        kit_scen_check(out[i].why[0] == '\0', "thread %d: %s", i + 1, out[i].why);
    }
}

/* tour_popen - Popen: pipes, communicate, poll, signals, a timeout. */
static void
tour_popen(void)
{
    char *cat[] = { "/bin/cat", NULL };
    struct sp_options o = {
        .in.how = SP_PIPE, .out.how = SP_PIPE, .err.how = SP_PIPE,
    };
    struct sp_result r = { 0 };
    struct sp_popen *p = NULL;
    int code;
    int err = sp_popen_new(&p, cat, &o);

    kit_scen_require_impl(err, "sp_popen_new", "12-A");
    kit_scen_check(err == 0, "sp_popen_new(cat): %s", kit_errname(err));
    kit_scen_check(sp_popen_poll(p, &code) == -EAGAIN, "poll while running");
    kit_scen_check(sp_popen_wait(p, &code, 0.01) == -ETIMEDOUT, "wait(0.01)");
    err = sp_popen_communicate(p, "abc", 3, &r, 30.0);
    kit_scen_check(err == 0 && r.out_len == 3, "communicate: %s", kit_errname(err));
    sp_result_release(&r);
    kit_scen_check(sp_popen_terminate(p) == 0, "terminate after the end");
    sp_popen_free(p);
    err = sp_popen_new(&p, cat, &o);
    kit_scen_check(err == 0, "sp_popen_new(cat) again: %s", kit_errname(err));
    err = sp_popen_communicate(p, NULL, 0, &r, 0.0);
    sp_result_release(&r);
    sp_popen_free(p);           /* still running: killed and reaped */
}

/* tour_sp - the one-call functions, including their failures. */
static void
tour_sp(void)
{
    char *nope[] = { "no-such-program-12", NULL };
    char *sleeper[] = { "/bin/sleep", "60", NULL };
    char *hi[] = { "/bin/echo", "hi", NULL };
    struct sp_options cap = { .capture = true };
    struct sp_result r = { 0 };
    char *out = NULL;
    int code;
    int err = sp_run(nope, NULL, &r, 30.0);

    kit_scen_check(err == -ENOENT, "run(missing): %s", kit_errname(err));
    err = sp_run(sleeper, &cap, &r, 0.05);
    kit_scen_check(err == -ETIMEDOUT, "run(sleep, 0.05): %s", kit_errname(err));
    sp_result_release(&r);
    err = sp_check_output(hi, NULL, &r, 30.0);
    kit_scen_check(err == 0, "check_output(echo hi): %s", kit_errname(err));
    sp_result_release(&r);
    err = sp_getstatusoutput("echo x; exit 2", &code, &out);
    kit_scen_check(err == 0 && code == 2, "getstatusoutput: %s %d", kit_errname(err), code);
    free(out);
    err = sp_check_call(hi, NULL, &code, 30.0);
    kit_scen_check(err == 0, "check_call(echo hi): %s", kit_errname(err));
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "threads") == 0) {
        threads();
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "lifecycle") == 0) {
        tour_popen();
        tour_sp();
        talk(&(struct outcome){ .id = 3 });
        return 0;
    }
    fprintf(stderr, "usage: %s threads|lifecycle\n", argv[0]);
    return 2;
}
