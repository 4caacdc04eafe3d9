#!/usr/bin/env python3
"""make bench: what memorymonitor costs, in instructions counted by callgrind (deterministic)
and, secondarily, wall-clock time, against a stock unix build measured in the same run.

usage: bench.py [--no-wall] STOCK_BINARY MICROPYTHON_DIR OUT_MARKDOWN NAME=MODULE_BINARY...
Each NAME=MODULE_BINARY is a build with a memorymonitor module (make bench-circuitpython sets
CircuitPython's own beside this one); with more than one, each row names its module.
--no-wall leaves the wall-clock columns out (make bench-circuitpython: only instructions compare
two modules fairly on a machine that may be busy).
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from benchconf import PROLOGUES

WALL = sys.argv[1] != "--no-wall"
ARGS = sys.argv[1 if WALL else 2:]
STOCK, MPDIR, OUT = ARGS[:3]
MODULES = [arg.split("=", 1) for arg in ARGS[3:]]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PERF = os.path.join(MPDIR, "tests", "perf_bench")
N, M = 100, 100  # run-perfbench.py's CPU and memory parameters: the smallest set of each
WORKLOADS = ["bm_chaos", "bm_hexiom", "bm_wordcount", "core_str", "misc_raytrace"]

# The functions every tracked allocation goes through, whose calls count them: the hook
# CircuitPython's gc.c calls where there is one, else the module's gc_alloc and gc_realloc, which
# take the place of MicroPython's (gc.c's own calls go to its __real_ ones).
HOOK, TRACKED = "memorymonitor_track_allocation", ("gc_alloc", "gc_realloc")


def script(workload, mode):
    if workload == "churn":
        body = open(os.path.join(ROOT, "bench", "churn.py")).read()
    else:
        body = open(os.path.join(PERF, workload + ".py")).read()
        body += open(os.path.join(PERF, "benchrun.py")).read()
        body += "\nbm_run(%d, %d)\n" % (N, M)
    body = PROLOGUES[mode] + body
    f = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
    f.write(body)
    f.close()
    return f.name


def callgrind(binary, path):
    out = path + ".cg"
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, binary, path],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    total = 0
    calls = {}
    names = {}
    callee = None  # the function whose calls the next calls= line gives
    with open(out) as f:
        for line in f:
            if line.startswith("summary:"):
                total = int(line.split()[1])
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2).strip()
                callee = names.get(m.group(1)) if line.startswith("cfn=") else None
            elif line.startswith("calls=") and callee:
                calls[callee] = calls.get(callee, 0) + int(line.split()[0][6:])
                callee = None
    os.unlink(out)
    return total, calls[HOOK] if HOOK in calls else sum(calls.get(t, 0) for t in TRACKED)


def wall(binary, path, runs=9):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([binary, path], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    rows = []
    calls = {}
    for w in ["churn"] + WORKLOADS:
        # Stock once per workload, each module's configurations against it.
        stock = {}
        for name, binary in [("stock", STOCK)] + MODULES:
            ir = dict(stock)
            for mode in ["stock"] if name == "stock" else list(PROLOGUES)[1:]:
                path = script(w, mode)
                total, n = callgrind(binary, path)
                ir[mode] = total
                if mode == "idle":
                    calls[name] = calls.get(name, 0) + n
                if WALL and mode in ("stock", "idle", "1 size"):
                    ir[mode + " wall"] = wall(binary, path)
                os.unlink(path)
            if name == "stock":
                stock = ir
            else:
                rows.append((w, name, ir))
        print("  measured", w, file=sys.stderr)

    modes = list(PROLOGUES)
    named = len(MODULES) > 1
    walls = ["idle", "1 size"] if WALL else []
    lines = [
        "| workload | " + ("module | " if named else "") + "stock instructions | "
        + " | ".join(modes[1:] + ["wall: " + m for m in walls]) + " |",
        "| --- | " + ("--- | " if named else "") + "---: | " + " | ".join("---:" for _ in modes[1:] + walls) + " |",
    ]
    for w, name, ir in rows:
        ratios = ["%.4fx" % (ir[m] / ir["stock"]) for m in modes[1:]]
        ratios += ["%.3fx" % (ir[m + " wall"] / ir["stock wall"]) for m in walls]
        lines.append("| %s | %s%d | %s |" % (w, name + " | " if named else "", ir["stock"], " | ".join(ratios)))
    lines.append("")
    lines.append("Instructions added per tracked allocation (an allocation or reallocation through the")
    lines.append("allocator wrappers or CircuitPython's hook), against stock, all workloads together:")
    lines.append("")
    for name, _ in MODULES:
        mine = [ir for _, n, ir in rows if n == name]
        stock_total = sum(ir["stock"] for ir in mine)
        for m in modes[1:]:
            extra = sum(ir[m] for ir in mine) - stock_total
            per = "%.1f" % (extra / calls[name]) if calls[name] else "no tracked allocation found"
            lines.append("- %s%s: %s (%d allocations)" % (name + ", " if named else "", m, per, calls[name]))
    text = "\n".join(lines) + "\n"
    with open(OUT, "w") as f:
        f.write(text)
    print(text)


main()
