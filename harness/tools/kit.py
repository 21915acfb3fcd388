#!/usr/bin/env python3
"""kit.py - build the labs, run their Criterion binaries, grade, self-test.

The Makefile is the only entry point; it calls this script:
    make check [LAB=01] [TEST=name] [SEED=n] [REPEAT=n] [FAST=1]
    make check-solutions
    make test          (the kit's self-test: DESIGN section 5)
    make grade SUBMISSIONS=dir
    make doctor

Verdicts come from Criterion's per-test JSON, never from its exit code
(it exits 0 for an unknown option or an empty filter), joined with each
lab's harness/tests/NN-topic/grading.tsv (parts, points, tiers, docs).
"""
import argparse
import ctypes
import html
import json
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
LAB_RUN_TIMEOUT_S = 900        # one lab's whole Criterion run, a backstop
BUILD_TIMEOUT_S = 300
DEMO_TIMEOUT_S = 30
PR_SET_CHILD_SUBREAPER = 36
COLOR = sys.stdout.isatty() and os.environ.get("NO_COLOR") is None


def paint(text, code):
    return "\033[%sm%s\033[0m" % (code, text) if COLOR else text


def become_subreaper():
    """Orphans of the tests come back to us, so none outlives make."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def reap_orphans():
    """End and reap every child left (they were adopted as orphans)."""
    left = []
    for pid in children_of(os.getpid()):
        left.append(pid)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                break
        except ChildProcessError:
            break
    return left


def children_of(ppid):
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == ppid:
            kids.append(int(entry))
    return kids


# ---- labs and their grading tables ----------------------------------------

def all_labs():
    labs = os.path.join(ROOT, "labs")
    return sorted(d for d in os.listdir(labs)
                  if re.match(r"^\d\d-", d) and os.path.isdir(os.path.join(labs, d)))


def select_labs(want):
    labs = all_labs()
    if not want:
        return labs
    chosen = [l for l in labs if l == want or l.split("-")[0] == want.zfill(2)]
    if not chosen:
        sys.exit("kit: no lab matches LAB=%s (labs: %s)" % (want, ", ".join(labs)))
    return chosen


class Grading:
    """harness/tests/NN-topic/grading.tsv: parts, and points per test."""

    def __init__(self, lab):
        self.lab = lab
        self.parts = {}
        self.tests = {}
        path = os.path.join(ROOT, "harness", "tests", lab, "grading.tsv")
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if cols[0] == "part" and len(cols) == 3:
                    self.parts[cols[1]] = cols[2]
                elif cols[0] == "test" and len(cols) == 6:
                    self.tests[cols[1]] = {"part": cols[2], "points": float(cols[3]),
                                           "tier": cols[4], "docs": cols[5]}
                else:
                    sys.exit("kit: %s:%d: bad line (see the format at the top of the file)" % (path, n))


# ---- building and running ---------------------------------------------------

def build_lab(lab, src_dir, out_dir, cc=None):
    """make -f harness/lab.mk; returns (ok, first error lines)."""
    cmd = ["make", "-s", "-f", "harness/lab.mk", "LAB=" + lab, "SRC=" + src_dir,
           "OUT=" + out_dir]
    if cc:
        cmd.append("CC=" + cc)
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=BUILD_TIMEOUT_S)
    errors = [l for l in p.stdout.splitlines() if "error" in l]
    return p.returncode == 0, "\n".join(errors[:6]) or p.stdout[-600:]


def limits():
    """Resource limits around student code: no fork bomb, no runaway."""
    import resource
    os.setsid()
    for res, val in ((resource.RLIMIT_NPROC, 4096), (resource.RLIMIT_FSIZE, 1 << 30),
                     (resource.RLIMIT_CORE, 0)):
        try:
            soft, hard = resource.getrlimit(res)
            resource.setrlimit(res, (min(val, hard) if hard != resource.RLIM_INFINITY else val, hard))
        except (ValueError, OSError):
            pass


INFRA_ERRORS = ("Could not spawn test instance",)


def run_tests(out_dir, json_path, test=None, env_extra=None, log_path=None):
    """Run one lab's Criterion binary; returns ({suite::name: (status, messages)}, orphans).

    Criterion sometimes cannot start a worker on a loaded machine ("Could not
    spawn test instance"): no test ran, so nothing was judged.  That run, and
    only that kind of run, is repeated once, and the log says so.
    """
    results, orphans = run_tests_once(out_dir, json_path, test, env_extra, log_path)
    log_text = open(log_path, errors="replace").read() if log_path and os.path.exists(log_path) else ""
    if any(e in log_text for e in INFRA_ERRORS):
        print("kit: Criterion could not start a test worker (%s); running the binary again" % out_dir, flush=True)
        results, orphans2 = run_tests_once(out_dir, json_path, test, env_extra, log_path)
        orphans += orphans2
    return results, orphans


def run_tests_once(out_dir, json_path, test=None, env_extra=None, log_path=None):
    binary = os.path.join(out_dir, "tests")
    cmd = [binary, "-j1", "--color=never", "--ignore-warnings", "--json=" + json_path]
    if test:
        cmd.append("--filter=" + (test if "/" in test else "*/" + test))
    env = dict(os.environ)
    env.update(env_extra or {})
    if os.path.exists(json_path):
        os.unlink(json_path)
    with open(log_path or os.devnull, "w") as log:
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                             preexec_fn=limits)
        try:
            p.wait(timeout=LAB_RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    orphans = reap_orphans()
    results = {}
    try:
        data = load_criterion_json(json_path)
    except (OSError, ValueError):
        return results, orphans
    for suite in data.get("test_suites", []):
        for t in suite.get("tests", []):
            results["%s::%s" % (suite["name"], t["name"])] = (t["status"], in_order(t.get("messages", [])))
    return results, orphans


def load_criterion_json(path):
    """Criterion 2.4.1 writes each message line raw between quotes, without
    escaping quotes or backslashes; re-encode those lines, then parse."""
    fixed = []
    in_messages = False
    with open(path, errors="replace") as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith('"messages": ['):
                in_messages = not stripped.endswith("]") and not stripped.endswith("],")
            elif in_messages and stripped in ("]", "],"):
                in_messages = False
            elif in_messages and stripped.startswith('"'):
                comma = stripped.endswith(",") and not stripped.endswith('\\",')
                body = stripped[:-1] if stripped.endswith(",") else stripped
                line = json.dumps(body[1:-1]) + ("," if comma else "") + "\n"
            fixed.append(line)
    return json.loads("".join(fixed))


def in_order(lines):
    """Criterion lists a test's assertion messages newest first, each as
    its lines (the first starts with "file.c:N: "); put them in the order
    they happened."""
    groups = []
    for line in lines:
        if re.match(r"^\S+:\d+: ", line) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return [line for group in reversed(groups) for line in group]


# ---- verdicts ---------------------------------------------------------------

def without_lib_prefix(text):
    """Criterion puts the file:line of the assert first; for the runtime's
    own asserts that is harness/lib, and the test's line follows it."""
    return re.sub(r"(?m)^harness/lib/\S+\.c:\d+: ", "", text)


def first_reason(messages, status):
    """One line for the scoreboard: the first message, no file:line."""
    text = "\n".join(m.strip() for m in messages if m.strip())
    text = re.sub(r"^(\S+\.c:\d+: )+", "", text)
    if status == "ERRORED" and not text:
        return "crashed or timed out (see the log)"
    return text.split("\n")[0][:160] or ("failed with no message (the test exited early?)")


def grade_lab(lab, src, results, grading, built, build_error, orphans):
    rows = []
    make_target = "check-solutions" if src == "solutions" else "check"
    for name, g in grading.tests.items():
        status, messages = results.get(name, ("MISSING", []))
        if not built:
            status, messages = "FAILED", ["build failed: " + build_error]
        verdict = {"PASSED": "passed", "SKIPPED": "skipped"}.get(status, "failed")
        message = without_lib_prefix("\n".join(messages))
        if status == "MISSING":
            message = "did not run (crashed runner, filtered out, or hung)"
        short = name.split("::", 1)[1]
        rows.append({
            "lab": lab, "part": g["part"], "part_title": grading.parts.get(g["part"], ""),
            "name": name, "points": g["points"] if verdict == "passed" else 0.0,
            "max": g["points"], "status": verdict, "tier": g["tier"],
            "message": message, "seed": int(os.environ.get("SEED") or 1),
            "reproduce": "make %s LAB=%s TEST=%s" % (make_target, lab[:2], short),
            "docs": "docs/%s.md#%s" % tuple(g["docs"].split("#", 1)) if "#" in g["docs"] else g["docs"],
        })
    if orphans:
        rows.append({"lab": lab, "part": "-", "part_title": "hygiene", "name": lab + "::no_orphans",
                     "points": 0.0, "max": 0.0, "status": "failed", "tier": "hygiene",
                     "message": "processes outlived the test run (adopted and killed): %s" % orphans,
                     "seed": 0, "reproduce": "make %s LAB=%s" % (make_target, lab[:2]), "docs": "docs/harness.md#hygiene"})
    return rows


def scoreboard(rows, test_filter):
    print()
    print(paint("%-12s %-4s %-40s %9s  %-7s %s" % ("lab", "part", "title", "points", "status", "reason"), "1"))
    by_part = {}
    for r in rows:
        by_part.setdefault((r["lab"], r["part"]), []).append(r)
    for (lab, part), rs in by_part.items():
        if test_filter and all(r["status"] == "failed" and r["message"].startswith("did not run") for r in rs):
            continue
        got = sum(r["points"] for r in rs)
        mx = sum(r["max"] for r in rs)
        bad = [r for r in rs if r["status"] == "failed"]
        skipped = [r for r in rs if r["status"] == "skipped"]
        status = "FAIL" if bad else ("SKIP" if skipped else "ok")
        color = {"FAIL": "31", "SKIP": "33", "ok": "32"}[status]
        reason = first_reason([bad[0]["message"]], "FAILED") if bad else (
            "%d skipped (FAST=1)" % len(skipped) if skipped else "")
        print("%-12s %-4s %-40s %4g/%-4g  %s %s" % (lab, part, rs[0]["part_title"][:40], got, mx,
                                                paint("%-7s" % status, color), reason[:90]))


def details(rows):
    bad = [r for r in rows if r["status"] == "failed"]
    if not bad:
        return
    print(paint("\nFailures (each with the command that reproduces it):", "1"))
    for r in bad:
        print(paint("\n[FAIL] %s  (%s, part %s, %s tier, %g pt)" % (
            r["name"], r["lab"], r["part"], r["tier"], r["max"]), "31"))
        for line in without_lib_prefix(r["message"]).splitlines()[:14]:
            print("    " + line)
        print("    docs: %s" % r["docs"])
        print("    rerun: %s" % r["reproduce"])


def write_outputs(rows, src, fast, path):
    score = sum(r["points"] for r in rows)
    max_score = sum(r["max"] for r in rows)
    doc = {"kit": "c-concurrency-kit", "format": 1, "source": src, "fast": fast,
           "seed": int(os.environ.get("SEED") or 1),
           "repeat": int(os.environ.get("REPEAT") or 50),
           "score": score, "max_score": max_score, "tests": rows}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    # Converted forms go beside a graded student's results, or to build/results.
    out_dir = os.path.dirname(path) if os.path.dirname(path) != ROOT else os.path.join(BUILD, "results")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "gradescope.json"), "w") as f:
        json.dump(to_gradescope(doc), f, indent=1)
    with open(os.path.join(out_dir, "junit.xml"), "w") as f:
        f.write(to_junit(doc))
    return score, max_score


def to_gradescope(doc):
    """Gradescope's results.json (autograder specification)."""
    return {"score": doc["score"], "output": "seed %d, %s" % (doc["seed"], "FAST" if doc["fast"] else "all tiers"),
            "tests": [{"name": r["name"], "number": "%s.%s" % (r["lab"][:2], r["part"]),
                       "score": r["points"], "max_score": r["max"],
                       "status": "passed" if r["status"] == "passed" else "failed",
                       "output": r["message"] + ("\nrerun: " + r["reproduce"] if r["status"] == "failed" else ""),
                       "tags": [r["tier"]], "visibility": "visible"} for r in doc["tests"]]}


def to_junit(doc):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    labs = sorted({r["lab"] for r in doc["tests"]})
    for lab in labs:
        rs = [r for r in doc["tests"] if r["lab"] == lab]
        out.append('  <testsuite name="%s" tests="%d" failures="%d" skipped="%d">' % (
            lab, len(rs), sum(r["status"] == "failed" for r in rs), sum(r["status"] == "skipped" for r in rs)))
        for r in rs:
            out.append('    <testcase classname="%s.%s" name="%s">' % (lab, r["part"], html.escape(r["name"])))
            if r["status"] == "failed":
                out.append('      <failure message="%s">%s</failure>' % (
                    html.escape(first_reason([r["message"]], "FAILED")), html.escape(r["message"])))
            elif r["status"] == "skipped":
                out.append("      <skipped/>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def check_lab(lab, src, src_root=None, out_root=None, test=None, quiet=False):
    """Build and run one lab from `src` (labs|solutions|a folder)."""
    src_dir = os.path.join(src_root or src, lab)
    out_dir = os.path.join(out_root or os.path.join("build", src), lab)
    grading = Grading(lab)
    if not quiet:
        print("kit: %s: building %s" % (lab, src_dir), flush=True)
    built, err = build_lab(lab, src_dir, out_dir)
    results, orphans = {}, []
    if built:
        if not quiet:
            print("kit: %s: running tests" % lab, flush=True)
        env = {"KIT_MAKE_TARGET": "check-solutions" if src == "solutions" else "check"}
        results, orphans = run_tests(os.path.join(ROOT, out_dir), os.path.join(ROOT, out_dir, "criterion.json"),
                                     test, env, os.path.join(ROOT, out_dir, "tests.log"))
    return grade_lab(lab, src, results, grading, built, err, orphans), results


def cmd_check(args):
    become_subreaper()
    fast = os.environ.get("FAST", "") not in ("", "0")
    test = os.environ.get("TEST") or None
    if fast:
        print(paint("kit: FAST=1: Helgrind, DRD and memcheck tests are skipped; the score below is not a grade.", "33"))
    t0 = time.time()
    rows = []
    for lab in select_labs(os.environ.get("LAB")):
        lab_rows, _ = check_lab(lab, args.src, test=test)
        if test:
            lab_rows = [r for r in lab_rows if r["name"].split("::", 1)[1] == test or test in r["name"]]
        rows += lab_rows
    if test and not rows:
        sys.exit("kit: no test named %s (see harness/tests/*/grading.tsv)" % test)
    scoreboard(rows, test)
    details(rows)
    score, max_score = write_outputs(rows, args.src, fast, os.path.join(ROOT, "results.json"))
    passed = sum(r["status"] == "passed" for r in rows)
    failed = sum(r["status"] == "failed" for r in rows)
    skipped = sum(r["status"] == "skipped" for r in rows)
    print("\nscore %g/%g in %.0f s; results.json written (build/results/ has Gradescope and JUnit forms)" % (
        score, max_score, time.time() - t0))
    print("check: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from selftest import cmd_selftest, cmd_grade, cmd_doctor
    from bench import cmd_bench
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--src", default="labs", choices=["labs", "solutions"])
    sub.add_parser("selftest")
    g = sub.add_parser("grade")
    g.add_argument("--submissions", required=True)
    sub.add_parser("doctor")
    sub.add_parser("bench")
    a = parser.parse_args()
    os.chdir(ROOT)
    handler = {"check": cmd_check, "selftest": cmd_selftest, "grade": cmd_grade, "doctor": cmd_doctor,
               "bench": cmd_bench}[a.cmd]
    sys.exit(handler(a))
