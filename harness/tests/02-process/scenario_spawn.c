/*
 * scenario_spawn.c - the spawn start method: the program runs again from
 * main(), finds its target by name, and gets only a string (lab 02,
 * part F).  Used natively by the functional tests and under memcheck
 * (where /proc/self/exe names Valgrind's tool, not this program).
 *
 *   runs_target     a registered target runs in a spawned child, gets a
 *                   copy of the string argument (or NULL) and its return
 *                   value is the exit code (SM-02).
 *   globals         a global set at run time: fork sees the new value,
 *                   spawn the load-time one (SM-05).
 *   runtime_target  a target registered after main() started is unknown
 *                   in the child: exit code PROCESS_EXIT_NO_TARGET, and
 *                   the parent goes on (SM-06).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "process.h"

/* The value this global has in every fresh run of the program. */
#define LOAD_TIME_VALUE 5

/* What the main program sets it to before starting children. */
#define RUN_TIME_VALUE 42

/* What late_target would return if it ever ran. */
#define LATE_CODE 77

static int g_setting = LOAD_TIME_VALUE;

/* Target: the length of the string argument, or 99 for NULL. */
static int
string_length(void *arg)
{
    return arg == NULL ? 99 : (int)strlen(arg);
}
PROCESS_REGISTER(string_length)

/* Target: the global's value as this process sees it. */
static int
read_setting(void *arg)
{
    (void)arg;
    return g_setting;
}
PROCESS_REGISTER(read_setting)

/* Target: registered only at run time (see runtime_target). */
static int
late_target(void *arg)
{
    (void)arg;
    return LATE_CODE;
}

/* run_one - start target with `start` and `arg`, join, return its exit
 * code; fails the scenario on any error. */
static int
run_one(process_target *target, void *arg, enum process_start start)
{
    struct process_options opts = { .start = start };
    struct process *p = NULL;
    int code = -1000;
    int err = process_new(&p, target, arg, &opts);

    kit_scen_check(err != -ENOSYS, "not implemented yet: process_new returned -ENOSYS. See TODO(02-A) in labs/02-process/process.c");
    kit_scen_check(err == 0, "process_new: expected 0, got %s", kit_errname(err));
    err = process_start(p);
    kit_scen_check(err == 0, "process_start (%s): expected 0, got %s", start == PROCESS_START_SPAWN ? "spawn" : "fork", kit_errname(err));
    kit_scen_check(process_pid(p) > 0, "process_pid after start: expected > 0, got %d", (int)process_pid(p));
    err = process_join(p, LAB_FOREVER);
    kit_scen_check(err == 0, "process_join: expected 0, got %s", kit_errname(err));
    err = process_exitcode(p, &code);
    kit_scen_check(err == 0, "process_exitcode after join: expected 0, got %s", kit_errname(err));
    process_free(p);
    return code;
}

static void
case_runs_target(void)
{
    char word[] = "hello spawn";
    int code = run_one(string_length, word, PROCESS_START_SPAWN);

    kit_scen_check(code == (int)strlen(word), "spawned string_length(\"%s\"): expected exit code %d, got %d (%d = the child could not find the target; %d = execve failed). Did the child get the argument as a string?", word, (int)strlen(word), code, PROCESS_EXIT_NO_TARGET, PROCESS_EXIT_EXEC_FAILED);
    code = run_one(string_length, NULL, PROCESS_START_SPAWN);
    kit_scen_check(code == 99, "spawned string_length(NULL): expected exit code 99 (a NULL argument stays NULL), got %d", code);
}

static void
case_globals(void)
{
    int code;

    g_setting = RUN_TIME_VALUE;
    code = run_one(read_setting, NULL, PROCESS_START_FORK);
    kit_scen_check(code == RUN_TIME_VALUE, "fork child reading a global set to %d at run time: expected %d (a copy of the parent), got %d", RUN_TIME_VALUE, RUN_TIME_VALUE, code);
    code = run_one(read_setting, NULL, PROCESS_START_SPAWN);
    kit_scen_check(code == LOAD_TIME_VALUE, "spawn child reading a global set to %d at run time: expected the load-time value %d (a fresh run of the program), got %d", RUN_TIME_VALUE, LOAD_TIME_VALUE, code);
}

static void
case_runtime_target(void)
{
    int err = process_register("late_target", late_target);
    int code;

    kit_scen_check(err == 0, "process_register(\"late_target\", fn): expected 0, got %s", kit_errname(err));
    code = run_one(late_target, NULL, PROCESS_START_SPAWN);
    kit_scen_check(code == PROCESS_EXIT_NO_TARGET, "spawned target registered only at run time: expected exit code PROCESS_EXIT_NO_TARGET (%d), since the fresh child never ran that registration; got %d", PROCESS_EXIT_NO_TARGET, code);
    code = run_one(late_target, NULL, PROCESS_START_FORK);
    kit_scen_check(code == LATE_CODE, "the parent must go on: a fork child of late_target afterwards: expected %d, got %d", LATE_CODE, code);
}

int
main(int argc, char **argv)
{
    process_spawn_main(argc, argv);     /* a spawned child ends in here */
    if (argc != 2) {
        fprintf(stderr, "usage: %s runs_target|globals|runtime_target\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "runs_target") == 0)
        case_runs_target();
    else if (strcmp(argv[1], "globals") == 0)
        case_globals();
    else if (strcmp(argv[1], "runtime_target") == 0)
        case_runtime_target();
    else
        return 2;
    return 0;
}
