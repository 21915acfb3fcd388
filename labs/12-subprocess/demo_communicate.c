/*
 * demo_communicate.c - the notes' Popen examples: a child with its
 * stdin, stdout and stderr all pipes, fed and read by communicate().
 * The notes feed `print('Hello World')` to python3; here the child is
 * /bin/sh, fed a working line and a line that fails.
 */
#include <stdio.h>
#include <string.h>

#include "sp.h"

/* talk - start sh with three pipes, send `line`, print what came back. */
static int
talk(const char *line)
{
    struct sp_options o = {
        .in.how = SP_PIPE, .out.how = SP_PIPE, .err.how = SP_PIPE,
    };
    char *sh[] = { "sh", NULL };
    struct sp_popen *p = NULL;
    struct sp_result r = { 0 };
    int err = sp_popen_new(&p, sh, &o);

    if (err == 0)
        err = sp_popen_communicate(p, line, strlen(line), &r, 5.0);
    if (err == 0)
        printf("sent '%.*s' -> returncode %d, out '%.*s', err '%.*s'\n",
               (int)strcspn(line, "\n"), line, r.returncode,
               (int)strcspn(r.out, "\n"), r.out,
               (int)strcspn(r.err, "\n"), r.err);
    sp_result_release(&r);
    sp_popen_free(p);
    return err;
}

/* missing - a program that does not exist fails at the start. */
static int
missing(void)
{
    char *nope[] = { "python1", NULL };
    struct sp_popen *p = NULL;
    int err = sp_popen_new(&p, nope, NULL);

    printf("Popen(['python1']) -> %d (-ENOENT is %d: FileNotFoundError)\n",
           err, -ENOENT);
    sp_popen_free(p);
    return err == -ENOENT ? 0 : 1;
}

int
main(void)
{
    int bad = talk("echo Hello World\n") != 0;

    bad |= talk("noprint Hello World\n") != 0;
    bad |= missing();
    return bad;
}
