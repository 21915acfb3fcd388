"""bench.py - `make bench [LAB=NN]`: every lab's C benchmarks beside the same
job in Python, measured in the same run, with the ratio.

A lab's benchmarks live in harness/bench/NN-topic/: bench_X.c (built at -O2
against the solution) and bench_X.py (the Python twin, run by Debian's
/usr/bin/python3, which has greenlet and gevent).  Each prints one line per
metric:
    bench<TAB>metric-id<TAB>value<TAB>unit<TAB>what it measures
A unit ending in "/s" is a rate (higher is better); any other is a time
(lower is better).  The table goes to docs/bench.md, the raw figures to
build/bench/bench.json.
"""
import glob
import json
import os
import platform
import subprocess
import sys
import time

import kit

PYTHON_FOR_BENCH = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
BENCH_TIMEOUT_S = 300


def parse(text):
    out = {}
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) == 5 and cols[0] == "bench":
            out[cols[1]] = {"value": float(cols[2]), "unit": cols[3], "what": cols[4]}
    return out


def run(cmd):
    p = subprocess.run(cmd, cwd=kit.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=BENCH_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        print("bench: %s failed (exit %d): %s" % (" ".join(cmd), p.returncode, p.stderr[-300:]))
    return parse(p.stdout)


def ratio(c, py):
    if not c or not py or not c["value"] or not py["value"]:
        return None
    rate = c["unit"].endswith("/s")
    return c["value"] / py["value"] if rate else py["value"] / c["value"]


def fmt(v):
    return "%.3g" % v if v < 1000 else "{:,.0f}".format(v)


def cmd_bench(args):
    labs = kit.select_labs(os.environ.get("LAB"))
    rows = []
    t0 = time.time()
    for lab in labs:
        if not glob.glob("harness/bench/%s/bench_*.c" % lab):
            continue
        out = os.path.join("build", "solutions", lab)
        p = subprocess.run(["make", "-s", "-f", "harness/lab.mk", "LAB=" + lab, "SRC=solutions/" + lab,
                            "OUT=" + out, "bench"], cwd=kit.ROOT)
        if p.returncode != 0:
            print("bench: %s does not build" % lab)
            continue
        for src in sorted(glob.glob("harness/bench/%s/bench_*.c" % lab)):
            name = os.path.basename(src)[:-2]
            print("bench: %s %s" % (lab, name), flush=True)
            c = run([os.path.join(out, name)])
            py_script = src[:-2] + ".py"
            py = run([PYTHON_FOR_BENCH, py_script]) if os.path.exists(py_script) else {}
            for metric, m in c.items():
                rows.append({"lab": lab, "metric": metric, "what": m["what"], "unit": m["unit"],
                             "c": m["value"], "python": py.get(metric, {}).get("value"),
                             "ratio": ratio(m, py.get(metric))})
    write(rows, time.time() - t0)
    plot(labs)
    return 0


def plot(labs):
    """A lab may draw its figures from build/bench/bench.json:
    harness/bench/NN-topic/plot.py (gnuplot underneath) writes docs/img/."""
    for lab in labs:
        script = os.path.join("harness", "bench", lab, "plot.py")
        if os.path.exists(script):
            p = subprocess.run([sys.executable, script], cwd=kit.ROOT, timeout=BENCH_TIMEOUT_S)
            print("bench: %s %s" % (script, "drew its plot" if p.returncode == 0 else "failed"))


def write(rows, seconds):
    os.makedirs(os.path.join(kit.BUILD, "bench"), exist_ok=True)
    with open(os.path.join(kit.BUILD, "bench", "bench.json"), "w") as f:
        json.dump(rows, f, indent=1)
    lines = ["# Benchmarks: C beside Python, measured in the same run", "",
             "Made by `make bench` (%.0f s) on %s, %d cores, %s; Python is Debian's %s." % (
                 seconds, platform.machine(), os.cpu_count(), time.strftime("%Y-%m-%d"),
                 platform.python_version() if PYTHON_FOR_BENCH == sys.executable else "python3"),
             "Rates (unit ending in /s): higher is better; times: lower is better. The last column is how",
             "many times better C did. Figures vary by about 20 % between runs on this kind of VM.", "",
             "| lab | metric | what | C | Python | unit | C vs Python |",
             "|-----|--------|------|---|--------|------|-------------|"]
    for r in rows:
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["lab"], r["metric"], r["what"], fmt(r["c"]),
            fmt(r["python"]) if r["python"] is not None else "-", r["unit"],
            "%.1fx" % r["ratio"] if r["ratio"] else "-"))
    with open(os.path.join(kit.ROOT, "docs", "bench.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[6:]))
    print("bench: docs/bench.md and build/bench/bench.json written")
