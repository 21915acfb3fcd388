/*
 * demo_call.c - the notes' tour of the one-call functions: call,
 * check_call, getstatusoutput and check_output run another program (here
 * /bin/echo and the shell instead of "python protest.py"), and run()
 * collects its output.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sp.h"

/* show_call - call() and check_call() on a program that prints. */
static int
show_call(void)
{
    char *hello[] = { "echo", "Hello world", NULL };
    char *fail[] = { "sh", "-c", "exit 3", NULL };
    int code = -1;
    int err;

    err = sp_call(hello, NULL, &code, LAB_FOREVER);
    printf("call() test: err %d, returncode %d\n", err, code);
    err = sp_check_call(fail, NULL, &code, LAB_FOREVER);
    printf("check_call(exit 3): err %d (SP_ECALLED = %d), returncode %d\n",
           err, SP_ECALLED, code);
    return err == SP_ECALLED && code == 3 ? 0 : 1;
}

/* show_output - getstatusoutput(), check_output() and run(capture). */
static int
show_output(void)
{
    char *hello[] = { "echo", "Hello world", NULL };
    struct sp_options cap = { .capture = true };
    struct sp_result r = { 0 };
    char *out = NULL;
    int status = -1;
    int bad = 0;

    bad |= sp_getstatusoutput("echo Hello world; exit 2", &status, &out);
    printf("getstatusoutput(): (%d, '%s')\n", status, out ? out : "");
    free(out);
    bad |= sp_check_output(hello, NULL, &r, LAB_FOREVER);
    printf("check_output(): '%s' (%zu bytes, newline kept)\n",
           r.out ? r.out : "", r.out_len);
    sp_result_release(&r);
    bad |= sp_run(hello, &cap, &r, 5.0);
    printf("run(capture_output=True): returncode %d, stdout %zu bytes, stderr %zu bytes\n",
           r.returncode, r.out_len, r.err_len);
    sp_result_release(&r);
    return bad != 0;
}

int
main(void)
{
    int bad = show_call();

    bad |= show_output();
    return bad;
}
