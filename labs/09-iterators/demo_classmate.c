/*
 * demo_classmate.c - the notes' Classmate: add three names, loop over
 * them twice (each loop is a fresh pass), then add a name in the middle
 * of a loop and watch the next call refuse to go on.
 */
#include <stdio.h>

#include "names.h"

/* print_all - Python: for name in classmate: print(name) */
static int
print_all(struct names *n)
{
    struct iter *it = NULL;
    union iter_value v;
    int err = iter_from(&it, &names_iterable, n);

    while (err == 0 && (err = iter_next(it, &v)) == 0)
        printf("  %s\n", (const char *)v.p);
    iter_free(it);
    return err == ITER_STOP ? 0 : err;      /* the end is not an error */
}

/* change_while_looping - add a name after the first one was read. */
static int
change_while_looping(struct names *n)
{
    struct iter *it = NULL;
    union iter_value v;
    int err = names_iter(n, &it);

    if (err == 0 && (err = iter_next(it, &v)) == 0)
        printf("  %s\n", (const char *)v.p);
    if (err == 0 && (err = names_add(n, "zhaoliu")) == 0)
        printf("  (added zhaoliu during the loop)\n");
    if (err == 0)
        err = iter_next(it, &v);
    iter_free(it);
    printf("  next call: %s\n", err == -ESTALE ? "-ESTALE, as Python raises RuntimeError" : "unexpected");
    return err == -ESTALE ? 0 : -1;
}

int
main(void)
{
    static const char *const people[] = { "zhangsan", "lisi", "wangwu" };
    struct names *n = NULL;
    int err = names_new(&n);
    int i;

    for (i = 0; err == 0 && i < 3; i++)
        err = names_add(n, people[i]);
    printf("first loop:\n");
    if (err == 0)
        err = print_all(n);
    printf("second loop (a new iterator, so a new pass):\n");
    if (err == 0)
        err = print_all(n);
    printf("changing the names during a loop:\n");
    if (err == 0)
        err = change_while_looping(n);
    names_free(n);
    if (err != 0)
        fprintf(stderr, "demo_classmate: failed (%d)\n", err);
    return err == 0 ? 0 : 1;
}
