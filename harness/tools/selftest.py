"""selftest.py - how the kit tests itself (DESIGN section 5), grading a
folder of submissions, and `make doctor`.

The self-test proves the kit, not a student's work:
  1. static rules: same header in labs/ and solutions/, grading tables and
     docs anchors that resolve, mutant headers, no sleep/printf in tests;
  2. detector canaries: each tool flags a known bug and passes clean code;
  3. every solution passes every tier (gcc), and builds warning-free with clang;
  4. every graded test fails on the stubs;
  5. every mutant is caught by the test it names (only that test runs);
  6. every demo builds and runs to exit 0 without input.
It ends with one line: "selftest: N passed, N failed".
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import time

import kit

RESULTS = []
# A mutant expected to hang is caught by the watchdog; waiting 3/4 of the
# suite's timeout for each would dominate the self-test.
MUTANT_WATCHDOG_S = 6.0


def record(ok, what, detail=""):
    RESULTS.append((ok, what, detail))
    mark = kit.paint("ok  ", "32") if ok else kit.paint("FAIL", "31")
    print("%s %s%s" % (mark, what, ("\n       " + detail.replace("\n", "\n       ")) if detail and not ok else ""),
          flush=True)


# ---- 1. static rules ----------------------------------------------------------

def slug(heading):
    text = heading.strip().lower().replace(" ", "-")
    return re.sub(r"[^a-z0-9-]", "", text)


def doc_anchors(lab_or_doc):
    path = os.path.join(kit.ROOT, "docs", lab_or_doc + ".md")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return {slug(l.lstrip("#")) for l in f if l.startswith("#")}


def check_headers(lab):
    lab_h = sorted(os.path.basename(p) for p in glob.glob("labs/%s/*.h" % lab))
    sol_h = sorted(os.path.basename(p) for p in glob.glob("solutions/%s/*.h" % lab))
    if lab_h != sol_h:
        return record(False, "%s: same contract headers in labs/ and solutions/" % lab, "%s vs %s" % (lab_h, sol_h))
    differ = [h for h in lab_h if open("labs/%s/%s" % (lab, h)).read() != open("solutions/%s/%s" % (lab, h)).read()]
    record(not differ and bool(lab_h), "%s: contract headers identical in labs/ and solutions/" % lab,
           "differ: %s" % differ if differ else "no header")


def referenced_anchors(lab):
    """Every docs reference in the lab's sources, tests and grading table."""
    refs = set()
    files = glob.glob("labs/%s/*" % lab) + glob.glob("solutions/%s/*" % lab) + \
        glob.glob("harness/tests/%s/*" % lab)
    for path in files:
        with open(path, errors="replace") as f:
            text = f.read()
        refs |= set(re.findall(r"docs/(\d\d-[a-z0-9-]+)\.md#([a-z0-9-]+)", text))
        refs |= set(re.findall(r"\"(\d\d-[a-z0-9-]+)#([a-z0-9-]+)\"", text))
        refs |= set(re.findall(r"\t(\d\d-[a-z0-9-]+)#([a-z0-9-]+)$", text, re.M))
    return refs


def check_anchors(lab):
    missing = []
    for doc, anchor in sorted(referenced_anchors(lab)):
        anchors = doc_anchors(doc)
        if anchors is None or anchor not in anchors:
            missing.append("docs/%s.md#%s" % (doc, anchor))
    record(not missing, "%s: every docs link in code, tests and grading.tsv resolves to a heading" % lab,
           "no such heading: " + ", ".join(missing))


def check_test_rules(lab):
    bad = []
    for path in glob.glob("harness/tests/%s/test_*.c" % lab):
        text = open(path).read()
        for pat, why in ((r"\bu?sleep\s*\(", "sleep (R36)"), (r"\bprintf\s*\(", "printf (R38)"),
                         (r"cr_log_warn", "cr_log_warn (R38)"),
                         # Criterion 2.4.1's gt() passes on equal values (it is ge()):
                         # a test written with it can give points for a wrong answer.
                         (r"\bgt\s*\(", "Criterion's gt(), which behaves as ge() in 2.4.1: use ge(x, y + 1) or cr_assert(x > y)")):
            if re.search(pat, text):
                bad.append("%s: %s" % (path, why))
        if len(re.findall(r"^TestSuite\(", text, re.M)) != 1:
            bad.append("%s: exactly one TestSuite(..., .timeout = N) (R33)" % path)
    record(not bad, "%s: tests use no sleep, printf or cr_log_warn, one TestSuite each" % lab, "; ".join(bad))


def mutant_header(path):
    head = {}
    with open(path) as f:
        for line in f:
            if line.startswith("---"):
                break
            if ":" in line:
                key, val = line.split(":", 1)
                head[key.strip()] = val.strip()
    return head


def check_mutant_headers(lab, grading):
    problems = []
    patches = sorted(glob.glob("harness/mutants/%s/*.patch" % lab))
    for p in patches:
        h = mutant_header(p)
        for key in ("Bug", "Symptom", "Caught-by"):
            if not h.get(key):
                problems.append("%s: no %s: line" % (p, key))
        if h.get("Caught-by") and h["Caught-by"] not in grading.tests:
            problems.append("%s: Caught-by %s is not a graded test" % (p, h["Caught-by"]))
    record(len(patches) >= 5 and not problems, "%s: %d mutants, each with Bug/Symptom/Caught-by naming a graded test" % (
        lab, len(patches)), "; ".join(problems) or "fewer than 5 mutants")


def check_stub_todos(lab):
    stubs = [p for p in glob.glob("labs/%s/*.c" % lab) if not os.path.basename(p).startswith("demo_")]
    todos = sum(len(re.findall(r"TODO\(%s-[A-Z]\)" % lab[:2], open(p).read())) for p in stubs)
    enosys = sum(open(p).read().count("-ENOSYS") for p in stubs)
    record(todos > 0 and enosys > 0, "%s: stubs carry TODO(%s-X) markers and return -ENOSYS (%d TODOs)" % (
        lab, lab[:2], todos), "no TODO(%s-X) or -ENOSYS in %s" % (lab[:2], stubs))


# ---- 2..6. dynamic -----------------------------------------------------------

def run_canaries():
    out = "build/canary/00-canary"
    ok, err = kit.build_lab("00-canary", "none", out)
    if not ok:
        return record(False, "canaries build", err)
    results, _ = kit.run_tests(os.path.join(kit.ROOT, out), os.path.join(kit.ROOT, out, "criterion.json"),
                               log_path=os.path.join(kit.ROOT, out, "tests.log"))
    bad = {n: m for n, (s, m) in results.items() if s != "PASSED"}
    record(results and not bad, "detector canaries: %d checks (Helgrind, DRD, TSan, memcheck, watchdog, noise, hygiene)" % len(results),
           "\n".join("%s: %s" % (n, kit.first_reason(m, "FAILED")) for n, m in bad.items()) + " (log: %s/tests.log)" % out)


def check_solution(lab, grading):
    rows, results = kit.check_lab(lab, "solutions", quiet=True)
    extra = sorted(set(results) - set(grading.tests))
    missing = sorted(set(grading.tests) - set(results))
    record(not extra and not missing, "%s: grading.tsv lists exactly the tests the binary runs" % lab,
           "not in grading.tsv: %s; not run: %s" % (extra, missing))
    bad = [r for r in rows if r["status"] != "passed"]
    record(not bad, "%s: the solution passes all %d graded tests, every tier" % (lab, len(rows)),
           "\n".join("%s: %s" % (r["name"], kit.first_reason([r["message"]], "FAILED")) for r in bad))


def check_clang(lab):
    # Always from scratch: stale objects once made a broken clang build look green.
    shutil.rmtree(os.path.join("build", "clang", lab), ignore_errors=True)
    ok, err = kit.build_lab(lab, "solutions/" + lab, "build/clang/" + lab, cc="clang")
    record(ok, "%s: solution, tests, scenarios and demos build warning-free with clang" % lab, err)


def check_stub(lab):
    rows, _ = kit.check_lab(lab, "labs", quiet=True)
    free = [r["name"] for r in rows if r["status"] != "failed"]
    record(not free and bool(rows), "%s: every graded test fails on the stub (%d tests)" % (lab, len(rows)),
           "passes or skips on the stub (free points): %s" % free)


def check_mutant(lab, patch):
    bug = os.path.basename(patch)[:-len(".patch")]
    head = mutant_header(patch)
    test = head.get("Caught-by", "")
    # build/mutants/<lab>/<bug>/: two labs may name a bug alike.
    base = os.path.join("build", "mutants", lab, bug)
    src = os.path.join(base, "src", lab)
    out = os.path.join(base, lab)
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(os.path.join("solutions", lab), src)
    p = subprocess.run(["patch", "-s", "-p1", "-d", src, "-i", os.path.abspath(patch)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        return False, "%s: the patch no longer applies to solutions/%s: %s" % (patch, lab, p.stdout[-300:])
    ok, err = kit.build_lab(lab, src, out)
    if not ok:
        return False, "%s: the mutant does not build: %s" % (patch, err)
    results, _ = kit.run_tests(os.path.join(kit.ROOT, out), os.path.join(kit.ROOT, out, "criterion.json"),
                               test.replace("::", "/"),
                               {"KIT_MAKE_TARGET": "check", "KIT_WATCHDOG_S": str(MUTANT_WATCHDOG_S)},
                               os.path.join(kit.ROOT, out, "tests.log"))
    status, messages = results.get(test, ("MISSING", []))
    if status == "MISSING":
        return False, "%s: its test %s did not run (log: %s/tests.log)" % (patch, test, out)
    return status != "PASSED", "%s -> %s %s: %s" % (bug, test, status, kit.first_reason(messages, status)[:120])


def check_mutants(lab):
    """One at a time: the runner adopts and ends every orphan after a run,
    which would also end a mutant running beside it."""
    for patch in sorted(glob.glob("harness/mutants/%s/*.patch" % lab)):
        t0 = time.time()
        caught, why = check_mutant(lab, patch)
        record(caught, "%s: mutant %s is caught (%.1f s)" % (lab, os.path.basename(patch), time.time() - t0), why)


def check_demos(lab):
    for demo in sorted(glob.glob("build/solutions/%s/demo_*" % lab)):
        t0 = time.time()
        try:
            p = subprocess.run([demo], cwd=kit.ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=kit.DEMO_TIMEOUT_S,
                               preexec_fn=kit.limits)
            ok, detail = p.returncode == 0, "exit %d: %s" % (p.returncode, p.stdout[-400:])
        except subprocess.TimeoutExpired:
            ok, detail = False, "still running after %d s with no input" % kit.DEMO_TIMEOUT_S
        kit.reap_orphans()
        record(ok, "%s: %s runs without input and exits 0 (%.1f s)" % (lab, os.path.basename(demo), time.time() - t0),
               detail)


def cmd_selftest(args):
    kit.become_subreaper()
    for var in ("TEST", "SEED", "REPEAT", "FAST"):
        os.environ.pop(var, None)   # the self-test always runs everything
    t0 = time.time()
    labs = kit.select_labs(os.environ.get("LAB"))
    print("selftest: labs %s" % ", ".join(labs), flush=True)
    for lab in labs:
        grading = kit.Grading(lab)
        check_headers(lab)
        check_anchors(lab)
        check_test_rules(lab)
        check_mutant_headers(lab, grading)
        check_stub_todos(lab)
    run_canaries()
    for lab in labs:
        t1 = time.time()
        grading = kit.Grading(lab)
        check_solution(lab, grading)
        check_clang(lab)
        check_demos(lab)
        check_stub(lab)
        check_mutants(lab)
        print("selftest: %s took %.0f s" % (lab, time.time() - t1), flush=True)
    passed = sum(ok for ok, _, _ in RESULTS)
    failed = len(RESULTS) - passed
    print("\nselftest finished in %.0f s" % (time.time() - t0))
    print("selftest: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


# ---- grading a folder of submissions ----------------------------------------------

def cmd_grade(args):
    """Each sub-folder of SUBMISSIONS is one student's copy of labs/."""
    kit.become_subreaper()
    root = os.path.abspath(args.submissions or "")
    if not args.submissions or not os.path.isdir(root):
        sys.exit("kit: make grade SUBMISSIONS=dir  (dir/<student>/NN-topic/*.c)")
    summary = []
    for student in sorted(os.listdir(root)):
        sdir = os.path.join(root, student)
        if not os.path.isdir(sdir):
            continue
        rows = []
        for lab in kit.select_labs(os.environ.get("LAB")):
            if os.path.isdir(os.path.join(sdir, lab)):
                lab_rows, _ = kit.check_lab(lab, "labs", src_root=sdir,
                                            out_root=os.path.join("build", "grade", student), quiet=True)
                rows += lab_rows
        out = os.path.join(kit.BUILD, "grade", student)
        os.makedirs(out, exist_ok=True)
        score, max_score = kit.write_outputs(rows, sdir, False, os.path.join(out, "results.json"))
        summary.append((student, score, max_score))
        print("grade: %-20s %g/%g" % (student, score, max_score), flush=True)
    with open(os.path.join(kit.BUILD, "grade", "scores.csv"), "w") as f:
        f.write("student,score,max_score\n")
        for s, sc, mx in summary:
            f.write("%s,%g,%g\n" % (s, sc, mx))
    print("grade: build/grade/scores.csv and build/grade/<student>/results.json written")
    return 0


# ---- doctor ---------------------------------------------------------------------

def cmd_doctor(args):
    checks = [("criterion", ["pkg-config", "--modversion", "criterion"]),
              ("valgrind", ["valgrind", "--version"]), ("gdb", ["gdb", "--version"]),
              ("clang", ["clang", "--version"]), ("patch", ["patch", "--version"])]
    bad = 0
    for name, cmd in checks:
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            ok = p.returncode == 0
            line = p.stdout.splitlines()[0] if p.stdout else ""
        except FileNotFoundError:
            ok, line = False, "not installed (make deps)"
        bad += not ok
        print("%s %-10s %s" % ("ok  " if ok else "FAIL", name, line))
    print("cores: %d" % os.cpu_count())
    RESULTS.clear()
    run_canaries()
    bad += sum(not ok for ok, _, _ in RESULTS)
    return 1 if bad else 0
