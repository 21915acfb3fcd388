/*
 * kit_tool.c - run a scenario under Helgrind, DRD, memcheck, TSan or
 * schedule noise, and turn what the tool wrote into one short finding.
 *
 * DESIGN.  Valgrind writes one XML file per process (--xml-file=vg.%p.xml;
 * forked children are followed and write their own), so every file is
 * read: a child's race never reaches the parent's exit code.  For each
 * <error> we keep its <kind>, its text, and the first frame with source in
 * each of its <stack>s that is not Valgrind's or libc's, which gives "both
 * file:lines" for a race.  Leaks count only in the top process: a forked
 * child that _exit()s still holds a copy of the parent's heap.  TSan
 * writes tsan.<pid> logs; each "WARNING: ThreadSanitizer:" is a finding.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit.h"

#ifndef KIT_SUPP_DIR
#define KIT_SUPP_DIR "harness/supp"
#endif

static const char *const tool_names[] = {
    [KIT_NATIVE] = "native",     [KIT_HELGRIND] = "helgrind",
    [KIT_DRD] = "drd",           [KIT_TSAN] = "tsan",
    [KIT_MEMCHECK] = "memcheck", [KIT_NOISE] = "noise",
};

const char *
kit_tool_name(enum kit_tool tool)
{
    return tool_names[tool];
}

static bool
is_valgrind(enum kit_tool tool)
{
    return tool == KIT_HELGRIND || tool == KIT_DRD || tool == KIT_MEMCHECK;
}

/* ---- reading the reports ------------------------------------------- */

/* slurp - a whole file as a string.  Gives: free().  NULL if unreadable. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        buf[fread(buf, 1, (size_t)n, f)] = '\0';
    }
    fclose(f);
    return buf;
}

/* tag_text - copy the text of the first <tag>...</tag> in [p, end) into
 * out; returns a pointer past it, or NULL if there is none. */
static const char *
tag_text(const char *p, const char *end, const char *tag, char *out,
         size_t len)
{
    char open[40];
    char close[40];
    const char *a;
    const char *b;

    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    a = strstr(p, open);
    if (a == NULL || a >= end)
        return NULL;
    a += strlen(open);
    b = strstr(a, close);
    if (b == NULL || b > end)
        return NULL;
    snprintf(out, len, "%.*s", (int)(b - a), a);
    return b + strlen(close);
}

/* user_frame - "file:line (fn)" of the first frame in [p, end) that has
 * source and is not Valgrind's preload or a system library. */
static bool
user_frame(const char *p, const char *end, char *out, size_t len)
{
    const char *f;

    while ((f = strstr(p, "<frame>")) != NULL && f < end) {
        const char *fe = strstr(f, "</frame>");
        char obj[256] = "";
        char file[128] = "";
        char line[16] = "";
        char fn[128] = "?";
        if (fe == NULL || fe > end)
            return false;
        tag_text(f, fe, "obj", obj, sizeof(obj));
        tag_text(f, fe, "fn", fn, sizeof(fn));
        if (tag_text(f, fe, "file", file, sizeof(file)) &&
            tag_text(f, fe, "line", line, sizeof(line)) &&
            !strstr(obj, "vgpreload") && strncmp(obj, "/usr/", 5) != 0 &&
            strncmp(obj, "/lib", 4) != 0) {
            snprintf(out, len, "%s:%s (%s)", file, line, fn);
            return true;
        }
        p = fe;
    }
    return false;
}

/* describe_error - "Kind: text at a.c:1 (f); other access at b.c:2 (g)" */
static void
describe_error(const char *e, const char *end, const char *kind, char *out,
               size_t len)
{
    char what[256] = "";
    char where[2][200] = {"", ""};
    const char *stack = e;
    int nw = 0;

    if (!tag_text(e, end, "what", what, sizeof(what))) {
        const char *x = strstr(e, "<xwhat>");
        if (x && x < end)
            tag_text(x, end, "text", what, sizeof(what));
    }
    while (nw < 2 && (stack = strstr(stack, "<stack>")) != NULL &&
           stack < end) {
        const char *se = strstr(stack, "</stack>");
        if (se == NULL || se > end)
            break;
        if (user_frame(stack, se, where[nw], sizeof(where[nw])))
            nw++;
        stack = se;
    }
    snprintf(out, len, "%s: %s%s%s%s%s", kind, what, nw ? " at " : "",
             where[0], nw > 1 ? "; other access at " : "", where[1]);
}

static void
add_kind(struct kit_tool_report *r, const char *kind)
{
    size_t used = strlen(r->kinds);

    if (strstr(r->kinds, kind))
        return;
    snprintf(r->kinds + used, sizeof(r->kinds) - used, "%s%s",
             used ? " " : "", kind);
}

/* scan_xml - count and describe the errors of one Valgrind XML file. */
static void
scan_xml(const char *xml, bool top, struct kit_tool_report *r)
{
    const char *e = xml;

    while ((e = strstr(e, "<error>")) != NULL) {
        const char *end = strstr(e, "</error>");
        char kind[64] = "?";
        if (end == NULL)
            break;
        tag_text(e, end, "kind", kind, sizeof(kind));
        if (strncmp(kind, "Leak_", 5) == 0 && !top) {
            e = end;
            continue;
        }
        add_kind(r, kind);
        /* A definitely lost block is the root of the indirect ones: show
         * it first, whatever order memcheck listed them in. */
        if (r->nerrors++ == 0 || (strcmp(kind, "Leak_DefinitelyLost") == 0 &&
                                  strncmp(r->first, "Leak_IndirectlyLost", 19) == 0))
            describe_error(e, end, kind, r->first, sizeof(r->first));
        e = end;
    }
}

/* tsan_frames - the first frame outside the sanitizer runtime in each of
 * the first two stacks of the report in [p, end). */
static int
tsan_frames(const char *p, const char *end, char where[2][200])
{
    int stack = -1;
    bool have = false;
    int nw = 0;

    while (p && p < end && nw < 2) {
        const char *eol = strchr(p, '\n');
        int len = (int)((eol ? eol : end) - p);
        const char *hash = strstr(p, "#");
        if (hash && hash < p + len && strspn(p, " ") == 4) {
            if (strncmp(hash, "#0 ", 3) == 0) {
                stack++;
                have = false;
            }
            if (!have && stack >= 0 && stack < 2 &&
                !memmem(p, (size_t)len, "sanitizer", 9) &&
                !memmem(p, (size_t)len, "libtsan", 7)) {
                snprintf(where[nw++], 200, "%.*s", len - (int)(hash + 3 - p),
                         hash + 3);
                have = true;
            }
        }
        p = eol ? eol + 1 : NULL;
    }
    return nw;
}

/* scan_tsan - count and describe the reports of one TSan log. */
static void
scan_tsan(const char *log, struct kit_tool_report *r)
{
    static const char mark[] = "WARNING: ThreadSanitizer: ";
    const char *w = strstr(log, mark);

    while (w != NULL) {
        const char *next = strstr(w + 1, mark);
        const char *end = next ? next : w + strlen(w);
        char kind[96];
        char where[2][200] = {"", ""};
        int nw;
        w += strlen(mark);
        snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(w, "(\n"), w);
        while (kind[0] && kind[strlen(kind) - 1] == ' ')
            kind[strlen(kind) - 1] = '\0';
        nw = tsan_frames(w, end, where);
        add_kind(r, kind);
        if (r->nerrors++ == 0)
            snprintf(r->first, sizeof(r->first), "%s: at %s%s%s", kind,
                     where[0], nw > 1 ? "; other access at " : "", where[1]);
        w = next;
    }
}

/* scan_dir - read every report file the run left in r->log_dir. */
static void
scan_dir(enum kit_tool tool, pid_t top_pid, struct kit_tool_report *r)
{
    DIR *d = opendir(r->log_dir);
    struct dirent *e;
    int files = 0;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[PATH_MAX];
        char *text;
        bool xml = strncmp(e->d_name, "vg.", 3) == 0;
        if (!xml && strncmp(e->d_name, "tsan.", 5) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", r->log_dir, e->d_name);
        text = slurp(path);
        if (text == NULL)
            continue;
        files++;
        if (xml)
            scan_xml(text, atoi(e->d_name + 3) == (int)top_pid, r);
        else
            scan_tsan(text, r);
        free(text);
    }
    closedir(d);
    if (is_valgrind(tool) && files == 0 && !r->exit.timed_out) {
        r->nerrors++;
        snprintf(r->first, sizeof(r->first),
                 "%s wrote no XML report: is Valgrind installed? (make doctor)",
                 kit_tool_name(tool));
    }
}

/* ---- running ---------------------------------------------------------- */

/* prepare_dir - a fresh, empty log folder for this run. */
static int
prepare_dir(const char *dir)
{
    char cmd[PATH_MAX + 32];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    return system(cmd) == 0 ? 0 : -EIO;
}

/* add_suppressions - one --suppressions= per harness/supp/NAME.supp file
 * (each library's noise in its own file, with its reasons). */
static int
add_suppressions(char store[][PATH_MAX], int s, int max, char **argv, int n)
{
    DIR *d = opendir(KIT_SUPP_DIR);
    struct dirent *e;

    if (d == NULL)
        return n;
    while ((e = readdir(d)) != NULL && s < max) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".supp") != 0)
            continue;
        snprintf(store[s], PATH_MAX, "--suppressions=%s/%s", KIT_SUPP_DIR,
                 e->d_name);
        argv[n++] = store[s++];
    }
    closedir(d);
    return n;
}

/* build_argv - the command line for `tool`; strings live in `store`. */
static void
build_argv(enum kit_tool tool, const char *prog, const char *arg,
           const char *dir, char store[][PATH_MAX], char **argv)
{
    int n = 0;
    int s = 0;

    if (is_valgrind(tool)) {
        argv[n++] = "/usr/bin/valgrind";
        snprintf(store[s], PATH_MAX, "--tool=%s", kit_tool_name(tool));
        argv[n++] = store[s++];
        argv[n++] = "--xml=yes";
        snprintf(store[s], PATH_MAX, "--xml-file=%s/vg.%%p.xml", dir);
        argv[n++] = store[s++];
        argv[n++] = "--trace-children=yes";
        argv[n++] = "--trace-children-skip=/bin/*,/usr/bin/*";
        argv[n++] = "--child-silent-after-fork=no";
        n = add_suppressions(store, s, KIT_MAX_SUPP_FILES + s, argv, n);
        if (tool == KIT_MEMCHECK) {
            argv[n++] = "--leak-check=full";
            argv[n++] = "--show-leak-kinds=definite,indirect";
            argv[n++] = "--errors-for-leak-kinds=definite,indirect";
        }
    }
    argv[n++] = (char *)prog;
    argv[n++] = (char *)arg;
    argv[n] = NULL;
}

/* tool_env - environment a tool needs, followed by the caller's. */
static void
tool_env(enum kit_tool tool, const char *dir, char *const extra[],
         char *tsan_opts, size_t len, char **env)
{
    int n = 0;

    if (tool == KIT_TSAN) {
        snprintf(tsan_opts, len,
                 "TSAN_OPTIONS=log_path=%s/tsan exitcode=66 halt_on_error=0 second_deadlock_stack=1 suppressions=%s/tsan-suppressions.txt",
                 dir, KIT_SUPP_DIR);
        env[n++] = tsan_opts;
    }
    while (extra && extra[0] && n < 15)
        env[n++] = *extra++;
    env[n] = NULL;
}

static double
tool_timeout(enum kit_tool tool, double timeout)
{
    if (is_valgrind(tool))
        return timeout > KIT_VALGRIND_TIMEOUT_S ? timeout : KIT_VALGRIND_TIMEOUT_S;
    if (tool == KIT_TSAN)
        return timeout > KIT_TSAN_TIMEOUT_S ? timeout : KIT_TSAN_TIMEOUT_S;
    return timeout;
}

static void
make_repro(enum kit_tool tool, const char *prog, const char *arg,
           char *const env[], struct kit_tool_report *r)
{
    const char *seed = "";

    for (int i = 0; env && env[i]; i++)
        if (strncmp(env[i], "KIT_SEED=", 9) == 0)
            seed = env[i];
    if (is_valgrind(tool))
        snprintf(r->repro, sizeof(r->repro),
                 "valgrind --tool=%s --suppressions=harness/supp/valgrind.supp %s %s  (+ the other harness/supp/*.supp)",
                 kit_tool_name(tool), kit_rel(prog), arg);
    else
        snprintf(r->repro, sizeof(r->repro), "%s%s%s %s", seed,
                 *seed ? " " : "", kit_rel(prog), arg);
}

int
kit_tool_run(enum kit_tool tool, const char *scen, const char *arg,
             char *const env[], double timeout, struct kit_tool_report *out)
{
    static const char *const suffix[] = {[KIT_TSAN] = ".tsan",
                                         [KIT_NOISE] = ".noise"};
    char prog[PATH_MAX];
    char log[PATH_MAX + 16];
    char store[KIT_MAX_SUPP_FILES + 2][PATH_MAX];
    char *argv[KIT_MAX_SUPP_FILES + 20];
    char *envv[16];
    char tsan_opts[PATH_MAX + 128];
    int err;

    memset(out, 0, sizeof(*out));
    snprintf(prog, sizeof(prog), "%s/%s%s", kit_build_dir(), scen,
             suffix[tool] ? suffix[tool] : "");
    snprintf(out->log_dir, sizeof(out->log_dir), "%s/logs/%s.%s.%s",
             kit_build_dir(), scen, arg, kit_tool_name(tool));
    err = prepare_dir(out->log_dir);
    if (err)
        return err;
    snprintf(log, sizeof(log), "%s/output.log", out->log_dir);
    build_argv(tool, prog, arg, out->log_dir, store, argv);
    tool_env(tool, out->log_dir, env, tsan_opts, sizeof(tsan_opts), envv);
    make_repro(tool, prog, arg, env, out);
    err = kit_spawn(argv, envv, log, tool_timeout(tool, timeout), &out->exit);
    if (err)
        return err;
    scan_dir(tool, out->exit.pid, out);
    return 0;
}
