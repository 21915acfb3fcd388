"""plot.py - turn lab 13's benchmark figures into docs/img/13-choosing-speedup.png.

Reads build/bench/bench.json (written by `make bench`) when it holds lab
13's rows; otherwise runs the two benchmarks itself (build them first with
`make -f harness/lab.mk LAB=13-choosing SRC=solutions/13-choosing
OUT=build/solutions/13-choosing bench`).  Speed-up = time on 1 thread /
time of the configuration, for C and for Python; the I/O rows use the
one-after-another time as their base.  Needs gnuplot (gnuplot-nox).
Run from the kit's root:  python3 harness/bench/13-choosing/plot.py
"""
import json
import os
import subprocess
import sys

LAB = "13-choosing"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BENCH_JSON = os.path.join(ROOT, "build", "bench", "bench.json")
OUT_PNG = os.path.join(ROOT, "docs", "img", LAB + "-speedup.png")
DATA = os.path.join(ROOT, "build", "bench", LAB + "-speedup.dat")

# (label, metric, base metric)
BARS = [("2 threads", "cpu_2threads", "cpu_1thread"),
        ("2 threads, GIL model", "cpu_2threads_gil", "cpu_1thread"),
        ("2 processes", "cpu_2processes", "cpu_1thread"),
        ("a thread each", "io_threads", "io_one_by_one"),
        ("one event loop", "io_loop", "io_one_by_one")]


def parse(text):
    out = {}
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) == 5 and cols[0] == "bench":
            out[cols[1]] = float(cols[2])
    return out


def from_json():
    if not os.path.exists(BENCH_JSON):
        return None
    with open(BENCH_JSON) as f:
        rows = [r for r in json.load(f) if r["lab"] == LAB]
    if not rows:
        return None
    return ({r["metric"]: r["c"] for r in rows},
            {r["metric"]: r["python"] for r in rows if r["python"] is not None})


def from_runs():
    c = subprocess.run([os.path.join(ROOT, "build", "solutions", LAB, "bench_choosing")],
                       stdout=subprocess.PIPE, text=True, check=True).stdout
    py = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "bench_choosing.py")],
                        stdout=subprocess.PIPE, text=True, check=True).stdout
    return parse(c), parse(py)


def speedup(fig, metric, base):
    if fig.get(metric) and fig.get(base):
        return "%.3f" % (fig[base] / fig[metric])
    return "NaN"


def main():
    figs = from_json() or from_runs()
    os.makedirs(os.path.dirname(DATA), exist_ok=True)
    os.makedirs(os.path.dirname(OUT_PNG), exist_ok=True)
    with open(DATA, "w") as f:
        for label, metric, base in BARS:
            f.write("%s\t%s\t%s\n" % (label, speedup(figs[0], metric, base),
                                      speedup(figs[1], metric, base)))
    subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'" % (DATA, OUT_PNG),
                    os.path.join(HERE, "plot.gnuplot")], check=True)
    with open(DATA) as f:
        sys.stdout.write(f.read())
    print("plot: %s written" % os.path.relpath(OUT_PNG, ROOT))


if __name__ == "__main__":
    main()
