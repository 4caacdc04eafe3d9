#!/usr/bin/env python3
"""make bench: what memorymonitor costs, in instructions counted by callgrind (deterministic)
and, secondarily, wall-clock time, against a stock unix build measured in the same run.

usage: bench.py STOCK_BINARY MODULE_BINARY MICROPYTHON_DIR OUT_MARKDOWN
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from benchconf import PROLOGUES

STOCK, MODULE, MPDIR, OUT = sys.argv[1:5]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PERF = os.path.join(MPDIR, "tests", "perf_bench")
N, M = 100, 100  # run-perfbench.py's CPU and memory parameters: the smallest set of each
WORKLOADS = ["bm_chaos", "bm_hexiom", "bm_wordcount", "core_str", "misc_raytrace"]

# The functions every allocation from outside gc.c goes through (the allocator wrappers), whose
# calls count the allocations tracked.
TRACKED = ("__wrap_gc_alloc", "__wrap_gc_realloc")


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
    names = {}
    calls = cost = 0
    pending = False  # the next cost line after calls= is the inclusive cost of those calls
    after_calls = False
    with open(out) as f:
        for line in f:
            if line.startswith("summary:"):
                total = int(line.split()[1])
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2).strip()
                pending = line.startswith("cfn=") and names.get(m.group(1)) in TRACKED
                continue
            if line.startswith("calls="):
                if pending:
                    calls += int(line.split()[0][6:])
                    after_calls = True
                continue
            if after_calls:
                after_calls = pending = False
    os.unlink(out)
    return total, calls, cost


def wall(binary, path, runs=9):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([binary, path], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    rows = []
    hook = {}
    for w in ["churn"] + WORKLOADS:
        ir = {}
        for mode in PROLOGUES:
            path = script(w, mode)
            total, calls, cost = callgrind(STOCK if mode == "stock" else MODULE, path)
            ir[mode] = total
            hook.setdefault(mode, [0, 0])
            hook[mode][0] += calls
            hook[mode][1] += cost
            if mode in ("stock", "idle", "1 size"):
                ir[mode + " wall"] = wall(STOCK if mode == "stock" else MODULE, path)
            os.unlink(path)
        rows.append((w, ir))
        print("  measured", w, file=sys.stderr)

    modes = list(PROLOGUES)
    lines = [
        "| workload | stock instructions | " + " | ".join(m for m in modes[1:]) + " | wall: idle | wall: 1 size |",
        "| --- | ---: | " + " | ".join("---:" for _ in modes[1:]) + " | ---: | ---: |",
    ]
    for w, ir in rows:
        ratios = " | ".join("%.4fx" % (ir[m] / ir["stock"]) for m in modes[1:])
        walls = " | ".join("%.3fx" % (ir[m + " wall"] / ir["stock wall"]) for m in ("idle", "1 size"))
        lines.append("| %s | %d | %s | %s |" % (w, ir["stock"], ratios, walls))
    lines.append("")
    lines.append("Instructions added per tracked allocation (an allocation or reallocation through the")
    lines.append("allocator wrappers), against stock, all workloads together:")
    lines.append("")
    stock_total = sum(ir["stock"] for _, ir in rows)
    calls = hook["idle"][0]
    for m in modes[1:]:
        extra = sum(ir[m] for _, ir in rows) - stock_total
        lines.append("- %s: %.1f (%d allocations)" % (m, extra / calls, calls))
    text = "\n".join(lines) + "\n"
    with open(OUT, "w") as f:
        f.write(text)
    print(text)


main()
