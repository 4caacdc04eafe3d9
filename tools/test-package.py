#!/usr/bin/env python3
"""Tests of the mmcheck package (python/mmcheck.py), one ok/FAIL line per step.

    python3 tools/test-package.py MICROPYTHON_TESTS_DIR [--unix NAME=BINARY]... [--board NAME=COMMAND]...
        [--unittest DIR] [--build DIR]

MICROPYTHON_TESTS_DIR is the tests/ folder of a MicroPython tree (its run-tests.py runs them all).
--unix: a unix port built with the module; tests/package/*.py run against it with mmcheck found
  through MICROPYPATH, then the examples/ci tests (unittest from --unittest, a folder holding
  micropython-lib's unittest package; without one, the unittest-style file is skipped, saying so).
--board: the emulator command line of a board with the module, as run-tests.py's execpty target
  takes it ("qemu-system-arm ... -serial pty -kernel firmware.elf"). A board has no filesystem
  here: each test is copied into the build folder with mmcheck's source in place of its import.
Exits non-zero if any step failed.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "python", "mmcheck.py")
TESTS = sorted(glob.glob(os.path.join(ROOT, "tests", "package", "*.py")))
CI = os.path.join(ROOT, "examples", "ci")
failed = []


def step(ok, what, detail=""):
    print("%-5s %s" % ("ok" if ok else "FAIL", what))
    if not ok:
        failed.append(what)
        if detail:
            print(detail.rstrip())


def run_tests(tests_dir, results, files, target=None, env=None):
    # tools/run-tests.sh, with the failures in its output; run-tests.py clears MICROPYPATH unless
    # told to keep it. Returns (passed, the output).
    cmd = [os.path.join(ROOT, "tools", "run-tests.sh"), os.path.dirname(os.path.abspath(tests_dir)),
           os.path.abspath(results), "--keep-path"] + (["-t", target] if target else []) + files
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0, p.stdout


def summary(out):
    # run-tests.py's "N tests passed" line, for the ok line.
    m = re.findall(r"^(\d+ tests? passed)", out, re.M)
    return m[-1] if m else ""


def inline(test, source):
    """A test's text with mmcheck's source in place of its import line."""
    public = re.findall(r"^(?:def|class) ([a-zA-Z]\w*)", source, re.M)
    out, done = [], False
    for line in open(test).read().split("\n"):
        if line.strip() == "import mmcheck" and not done:
            # `mmcheck.name` must still work: a class whose attributes are the package's names.
            out += [source, "class mmcheck:"] + ["    %s = %s" % (n, n) for n in public]
            done = True
        elif re.match(r"from mmcheck import ", line) and not done:
            out.append(source)
            done = True
        else:
            out.append(line)
    if not done:
        raise SystemExit("%s: no `import mmcheck` or `from mmcheck import` line" % test)
    return "\n".join(out)


def unix_env(binary, *path):
    env = dict(os.environ)
    env["MICROPY_MICROPYTHON"] = binary
    env["MICROPYPATH"] = os.pathsep.join(path)
    return env


def ci_examples(name, binary, unittest_dir):
    # The examples/ci tests, as the example's workflow runs them: each file on its own, every one
    # passing but over_budget.py, which must fail with the message committed beside it.
    path = [os.path.join(ROOT, "python"), os.path.join(CI, "lib")]
    if unittest_dir:
        path.append(unittest_dir)
    env = unix_env(binary, *path)
    for test in sorted(glob.glob(os.path.join(CI, "tests", "*.py"))):
        base = os.path.basename(test)
        src = open(test).read()
        if "import unittest" in src and not unittest_dir:
            print("skip  %s, examples/ci/tests/%s: no micropython-lib unittest (--unittest)" % (name, base))
            continue
        p = subprocess.run([binary, test], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=120)
        what = "%s, examples/ci/tests/%s" % (name, base)
        if base == "over_budget.py":
            # Each line of the expected file, in order, among the output's lines: the file holds
            # only what does not depend on the block size (the traceback's paths vary too).
            want = open(os.path.join(CI, "tests", "over_budget.expected")).read().split("\n")
            want = [w for w in want if w]
            lines = iter(p.stdout.split("\n"))
            found = all(any(line == w for line in lines) for w in want)
            step(p.returncode != 0 and found, what + " fails, as it should, with the expected message",
                 "exit status %d, output:\n%s" % (p.returncode, p.stdout))
        else:
            step(p.returncode == 0, what, p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tests_dir", help="a MicroPython tree's tests/ folder")
    ap.add_argument("--unix", action="append", default=[], metavar="NAME=BINARY")
    ap.add_argument("--board", action="append", default=[], metavar="NAME=COMMAND")
    ap.add_argument("--unittest", help="a folder holding micropython-lib's unittest package")
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "package"))
    args = ap.parse_args()
    tests_dir = os.path.abspath(args.tests_dir)
    build = os.path.abspath(args.build)
    if not TESTS:
        raise SystemExit("no tests in tests/package")
    names = " ".join(os.path.basename(t) for t in TESTS)

    for spec in args.unix:
        name, binary = spec.split("=", 1)
        binary = os.path.abspath(binary)
        ok, out = run_tests(tests_dir, os.path.join(build, name + "-results"), TESTS,
                            env=unix_env(binary, os.path.join(ROOT, "python")))
        step(ok, "%s: tests/package (%s): %s" % (name, names, summary(out)), out)
        ci_examples(name, binary, args.unittest and os.path.abspath(args.unittest))

    if args.board:
        source = open(PACKAGE).read()
        inlined = os.path.join(build, "inlined")
        os.makedirs(inlined, exist_ok=True)
        copies = []
        for test in TESTS:
            copy = os.path.join(inlined, os.path.basename(test))
            with open(copy, "w") as f:
                f.write(inline(test, source))
            with open(test + ".exp") as f, open(copy + ".exp", "w") as g:
                g.write(f.read())
            copies.append(copy)
    for spec in args.board:
        name, command = spec.split("=", 1)
        ok, out = run_tests(tests_dir, os.path.join(build, name + "-results"), copies, target="execpty:" + command)
        step(ok, "%s: tests/package with mmcheck inlined: %s" % (name, summary(out)), out)

    if failed:
        print("mmcheck: %d step(s) failed" % len(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
