#!/usr/bin/env python3
"""make test-suite: MicroPython's own test suite (run-tests.py's default set, without the tests
that need micropython-lib's unittest) three ways: the stock unix build, the build with the
module, and the build with the module running tests/suite/prologue.py before every test
(tools/with-prologue.py). All three must pass, fail and skip exactly the same tests.

A few of MicroPython's tests fail now and then on a loaded machine, on stock builds too
(thread/stress_recurse.py, cmdline/repl_paste.py's timing): a test that fails in one build and
not in another is run again, alone, five times in each build; it only counts as a difference if
it fails again in the build where it failed and never in the other. Failures that run-tests.py
itself calls known-flaky (MicroPython after 1.28) count as passes.

usage: suite.py STOCK_BINARY MODULE_BINARY MICROPYTHON_DIR RESULTS_DIR
"""
import os
import re
import resource
import subprocess
import sys

stock, module, tree, out = (os.path.realpath(p) for p in sys.argv[1:5])
root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
tests = os.path.join(tree, "tests")
os.makedirs(out, exist_ok=True)

# select_poll_fd.py opens files up to the descriptor limit and expects poll() to take them all,
# which fails above 1024 descriptors (CPython too); keep the limit where the test expects it.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft > 1024:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

# run-tests.py stops at the first test that needs unittest, which Debian's tarball lacks.
unittest = re.compile(r"^\s*(import|from) unittest", re.M)
excluded = sorted(
    os.path.relpath(os.path.join(d, f), tests)
    for d, _, files in os.walk(tests) for f in files
    if f.endswith(".py") and unittest.search(open(os.path.join(d, f), errors="replace").read()))

modes = {
    "stock": {"MICROPY_MICROPYTHON": stock},
    "module": {"MICROPY_MICROPYTHON": module},
    "module+prologue": {"MICROPY_MICROPYTHON": os.path.join(root, "tools", "with-prologue.py"),
                        "MM_MICROPYTHON": module,
                        "MM_PROLOGUE": os.path.join(root, "tests", "suite", "prologue.py")},
}


def run(mode, results, args):
    """run-tests.py's output (tools/run-tests.sh adds the failures' diffs); its status is not
    the verdict here, the comparison of the three runs is."""
    env = dict(os.environ, **modes[mode])
    proc = subprocess.run([os.path.join(root, "tools", "run-tests.sh"), tree, results] + args,
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.stdout


def summary(log):
    """(performed, failed tests, skipped tests, known-flaky failures) from run-tests' summary."""
    count = lambda what: int((re.search(r"^(\d+) tests %s" % what, log, re.M) or [0, 0])[1])
    names = lambda what: set((re.search(r"^\d+ tests %s: (.*)$" % what, log, re.M) or [0, ""])[1].split())
    return count("performed"), names("failed"), names("skipped"), count("had known-flaky failures")


# Many of the suite's tests wait (sleeps, threads, timeouts) more than they compute: four at a time
# per core take a third off the run on two cores. The three runs stay one after the other, as a few
# tests share files and sockets between runs.
jobs = "-j%d" % (4 * (os.cpu_count() or 2))
outcome = {}
for mode in modes:
    log = run(mode, os.path.join(out, mode), [jobs, "-e", "|".join(excluded)])
    with open(os.path.join(out, mode + ".log"), "w") as f:
        f.write(log)
    if " tests performed" not in log:
        print(log[-2000:])
        sys.exit("memorymonitor: run-tests.py did not finish for %s (log: %s/%s.log)" % (mode, out, mode))
    outcome[mode] = summary(log)
    performed, failed, skipped, flaky = outcome[mode]
    print("%s: %d passed, %d skipped, %d failed%s" % (
        mode, performed - len(failed), len(skipped), len(failed),
        " (of the passes, %d known-flaky failures that run-tests.py ignores)" % flaky if flaky else ""))


def alone(mode, test):
    """Whether `test` passes when run by itself in `mode`."""
    log = run(mode, os.path.join(out, "again", mode), [test])
    return re.search(r"^1 tests passed", log, re.M) is not None


status = 0
for mode in ("module", "module+prologue"):
    performed, failed, skipped, _ = outcome[mode]
    base = outcome["stock"]
    for test in sorted(failed ^ base[1]):
        # A test that failed in one build only, run alone five times in each: flaky (a crash
        # under load, a timing) if it then passes every time in the build where it failed, or
        # fails at least once in the other one too; a difference otherwise.
        side, other = (mode, "stock") if test in failed else ("stock", mode)
        if not (all(alone(side, test) for _ in range(5)) or not all(alone(other, test) for _ in range(5))):
            continue
        print("flaky %s: failed in one run only; run alone, it passes in %s, or fails in %s too" % (test, side, other))
        failed.discard(test)
        base[1].discard(test)
    if (performed, failed, skipped) != base[:3]:
        print("memorymonitor: %s does not pass, fail and skip the same tests as stock:" % mode)
        print("  performed %d vs %d; failed only here: %s; failed only in stock: %s; skipped differently: %s" % (
            performed, base[0], sorted(failed - base[1]), sorted(base[1] - failed), sorted(skipped ^ base[2])))
        status = 1
if status == 0:
    print("ok    all three runs pass, fail and skip the same tests")
sys.exit(status)
