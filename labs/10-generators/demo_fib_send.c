/*
 * demo_fib_send.c - the notes' send example: fib_gen(4) is read with
 * next() and send(None), runs to its last number, and send(2) puts its
 * counter back so that it gives one more.
 *
 * Python:
 *     obj = fib_gen(4)
 *     print(next(obj))        # 0
 *     print(obj.send(None))   # 1
 *     print(next(obj))        # 1
 *     print(next(obj))        # 2
 *     print(obj.send(2))      # 3: the counter went back to 2
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fibgen.h"

/* step - one call, printed the way the Python prints it. */
static int
step(const char *what, int err, long v)
{
    if (err) {
        printf("%-16s -> %s\n", what, err == -ENODATA ? "StopIteration" : strerror(-err));
        return err;
    }
    printf("%-16s -> %ld\n", what, v);
    return 0;
}

static int
run(void)
{
    struct gen *obj;
    void *none;
    long v = 0;
    int err = fibgen_new(&obj, 4);

    if (err)
        return err;
    err = fibgen_send(obj, 5, &v);
    printf("%-16s -> %s (a value sent before the first next)\n", "obj.send(5)", err == -EINVAL ? "TypeError (-EINVAL)" : "?");
    err = fibgen_next(obj, &v);
    step("next(obj)", err, v);
    err = gen_send(obj, NULL, &none);
    step("obj.send(None)", err, err ? 0 : *(long *)none);
    for (int i = 0; i < 2 && err == 0; i++) {
        err = fibgen_next(obj, &v);
        step("next(obj)", err, v);
    }
    if (err == 0) {
        err = fibgen_send(obj, 2, &v);
        step("obj.send(2)", err, v);
    }
    if (err == 0) {
        err = fibgen_next(obj, &v);
        step("next(obj)", err, v);
    }
    gen_free(obj);
    return err == -ENODATA ? 0 : err;
}

int
main(void)
{
    int err = run();

    if (err) {
        fprintf(stderr, "demo_fib_send: %s\n", strerror(-err));
        return 1;
    }
    return 0;
}
