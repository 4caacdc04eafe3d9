#!/usr/bin/env python3
"""compare-tests.py BINARY OUT.md TEST.py...: runs the project's tests/*.py on another
interpreter's memorymonitor (CircuitPython's own module, built by test-upstream) and writes a
table row per test: the same output as this module's .exp, or where the two first differ.

It fails only when BINARY cannot run the module at all: a difference is a finding, not a failure.
"""
import concurrent.futures
import os
import subprocess
import sys

TIMEOUT = 10  # seconds; every test ends in a second or two on the unix port
HEAP = subprocess.check_output([os.path.join(os.path.dirname(os.path.abspath(__file__)), "run-tests.sh"),
                                "--heap"], text=True).strip()


def cell(text):
    text = text.strip().replace("|", "\\|")
    return "`%s`" % (text[:70] + "..." if len(text) > 70 else text) if text else "nothing"


def compare(binary, test):
    name = os.path.basename(test)
    with open(test + ".exp") as f:
        want = f.read().splitlines()
    try:
        run = subprocess.run([binary, "-X", "heapsize=" + HEAP, name], cwd=os.path.dirname(test),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        got = (e.stdout or b"").decode(errors="replace").splitlines()
        return name, "hangs: no end in %d s, after %d of %d lines" % (TIMEOUT, len(got), len(want))
    got = run.stdout.splitlines()
    if got == want:
        return name, "same"
    if got == ["SKIP"]:
        return name, "skipped by the test"
    n = next(i for i in range(max(len(got), len(want))) if i >= len(got) or i >= len(want) or got[i] != want[i])
    mine = want[n] if n < len(want) else ""
    theirs = got[n] if n < len(got) else ""
    result = "line %d: %s where this module prints %s" % (n + 1, cell(theirs), cell(mine))
    if run.returncode < 0:
        result += "; killed by signal %d after %d lines" % (-run.returncode, len(got))
    return name, result


def main():
    binary, out, tests = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    probe = subprocess.run([binary, "-c", "import memorymonitor; memorymonitor.AllocationSize()"],
                           capture_output=True, text=True, timeout=TIMEOUT)
    if probe.returncode != 0:
        sys.exit("%s has no working memorymonitor: %s" % (binary, probe.stderr.strip()))
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        rows = list(pool.map(lambda t: compare(binary, t), sorted(tests)))
    with open(out, "w") as f:
        f.write("| test | CircuitPython's own module |\n| --- | --- |\n")
        for name, result in rows:
            f.write("| `%s` | %s |\n" % (name, result))
    same = sum(result == "same" for _, result in rows)
    print("%d of %d tests give this module's output on %s" % (same, len(rows), binary))


main()
