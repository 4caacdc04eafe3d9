#!/usr/bin/env python3
"""The fault-injection sweep: an alarm can fire at any allocation, and the interpreter must
survive each one (SQLite's out-of-memory loop). For each program of MicroPython's own tests,
tools/sweep-driver.py counts its allocations N, then trips an AllocationAlarm(minimum_block_count=1)
at allocation k, k = 0, S, 2S, ... until the program runs to its end without the alarm firing,
each trip in a fresh interpreter, and checks the interpreter after it (docs/testing.md). This
counts the outcomes, fails on any hang, signal, sanitizer report or unhealthy interpreter, and
names each such program and trip.

    sweep.py --micropython BINARY | --board COMMAND   TESTS_DIR   [options]

--micropython: a unix port built with the module (run with this environment, ASAN_OPTIONS too).
--board: the emulator command line of a board with the module, as run-tests.py's execpty target
  takes it; each run follows a soft reset, through the raw REPL (pyboard.py of the tree that
  TESTS_DIR belongs to).
TESTS_DIR: a tests/ folder of MicroPython; --dirs picks its folders.
--stride S: trip every S-th allocation (1: every one); --limit L: at most about L trips a program
  (the stride widened to fit); --every E: only every E-th program (a bounded sample).
--table FILE and --section NAME: the table of outcomes, written into FILE between the lines
  <!-- NAME --> and <!-- /NAME --> (tools/write-section.py).
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRIVER = open(os.path.join(ROOT, "tools", "sweep-driver.py")).read()
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer")
# Programs a sweep cannot run the way it runs them: they read their own file or arguments, read
# standard input, or time themselves (slow under a sanitizer). Listed by name, with the reason.
# Programs that read standard input, that put the interpreter in a state they undo only at
# their end (a locked heap, where the driver's captured print cannot allocate; a mounted file
# system that a second run cannot mount again), which a trip in between leaves behind, or that
# wait for a scheduled callback (the scheduler prints a callback's exception and drops it, so
# a trip there leaves the program waiting for ever).
SKIP = re.compile(r"^\s*(import|from) (unittest|select|socket)\b|input\(|heap_lock|gc\.disable"
                  r"|builtins\.\w+ =|vfs\.mount|os\.mount|schedule\(", re.M)
UNSWEPT = {
    "micropython/meminfo.py": "prints the heap's layout",
    "micropython/memstats.py": "prints the heap's use",
    "micropython/stack_use.py": "prints the stack's use",
    "misc/sys_settrace_features.py": "traces the driver too",
    "misc/sys_settrace_generator.py": "traces the driver too",
    "misc/sys_settrace_loop.py": "traces the driver too",
    "micropython/kbd_intr.py": "raises KeyboardInterrupt at the driver",
}


def driver(name, source, folder, k):
    text = DRIVER.replace('"@NAME@"', repr(name)).replace('"@SRC@"', repr(source))
    text = text.replace('"@DIR@"', repr(folder))
    return text.replace("\nK = -1\n", "\nK = %d\n" % k)


def plain(source, folder):
    """The program alone, as run-tests.py would run it from its folder."""
    return "import sys\nsys.path.insert(0, %r)\n%s" % (folder, source)


class Unix:
    """Runs each script in a fresh unix interpreter (with this process's environment)."""

    def __init__(self, binary, timeout):
        self.binary, self.timeout = binary, timeout

    def run(self, script):
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(script)
        try:
            p = subprocess.run([self.binary, "-X", "heapsize=4M", f.name], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=self.timeout, errors="replace")
            return p.returncode, p.stdout, p.stderr, False
        except subprocess.TimeoutExpired as e:
            return None, (e.stdout or b"").decode(errors="replace"), (e.stderr or b"").decode(errors="replace"), True
        finally:
            os.unlink(f.name)

    def close(self):
        pass


class Board:
    """Runs each script on an emulated board after a soft reset (a fresh interpreter), booting
    the board again after a hang."""

    def __init__(self, pyboard, command, timeout):
        self.pyboard, self.command, self.timeout, self.board = pyboard, command, timeout, None

    def run(self, script):
        try:
            if self.board is None:
                self.board = self.pyboard.Pyboard("execpty:" + self.command)
            self.board.enter_raw_repl()
            self.board.exec_raw_no_follow(script)
            out, err = self.board.follow(self.timeout)
            text = lambda b: b.decode(errors="replace").replace("\r\n", "\n")
            return 0, text(out), text(err), False
        except Exception as e:  # the board stopped answering: a hang or a crash
            self.close()
            return None, "", repr(e), True

    def close(self):
        if self.board is not None:
            try:
                self.board.close()
            except Exception:
                pass
            self.board = None


def failure(rc, out, err, hung):
    """What went wrong with one run of the driver, or None."""
    if SANITIZER.search(err):
        return "sanitizer"
    if hung:
        return "hang"
    if rc is not None and rc < 0:
        return "signal"
    if not re.search(r"^end$", out, re.M):
        return "error"
    return None


def sweep(target, name, source, folder, stride, limit):
    """Sweeps one program: (outcome, [(k, fired, total, health)], detail lines)."""
    counts = []
    for _ in range(2):
        rc, out, err, hung = target.run(driver(name, source, folder, -1))
        bad = failure(rc, out, err, hung)
        if bad == "sanitizer":
            # Without any alarm: the interpreter's own report, which no trip should be blamed for.
            return "stock", [], ["a sanitizer report with no alarm active:"] + \
                [line for line in err.splitlines() if SANITIZER.search(line)][:1]
        if bad == "signal" and failure(*target.run(plain(source, folder))) == "signal":
            # The program crashes the interpreter with no monitor at all (CircuitPython 10's unix
            # port on two of MicroPython 1.28.0's tests): nothing of the module's to sweep.
            return "stock", [], ["crashes with no monitor active"]
        if bad:
            return bad, [], (err or out).strip().splitlines()[-3:]
        if re.search(r"^skip$", out, re.M):
            return "skip", [], []
        counts.append(re.search(r"^program .* allocations (-?\d+) output (\S+)$", out, re.M).groups())
    n = int(counts[1][0])
    # A program whose two runs differ (time, ids, randomness) is tripped but not compared.
    reference = counts[1][1] if counts[0] == counts[1] else None
    stride = max(stride, (max(n, 0) + limit) // limit)
    trips = []
    k = 0
    while True:
        rc, out, err, hung = target.run(driver(name, source, folder, k))
        bad = failure(rc, out, err, hung)
        if bad:
            return bad, trips, ["at trip %d" % k] + (err or out).strip().splitlines()[-3:]
        k_, fired, total, health, output = re.search(r"^trip (\d+) (\w+) (-?\d+) (\w+) (\S+)$", out, re.M).groups()
        if health == "healthy" and reference is not None and output != reference:
            health = "output"
        trips.append((k, fired, total, health))
        if health != "healthy":
            return "unhealthy", trips, ["trip %d %s %s %s" % trips[-1]]
        if fired == "none" or k > 4 * max(n, 0) + 1000:
            return "ok", trips, []
        k += stride


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--micropython")
    ap.add_argument("--board")
    ap.add_argument("tests")
    ap.add_argument("--dirs", default="basics,float,micropython,misc,unicode")
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--limit", type=int, default=100000)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--max-size", type=int, default=0, help="skip programs larger than this (boards)")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--only", help="this program alone (basics/dict1.py), to repeat a failure")
    ap.add_argument("--label", default="")
    ap.add_argument("--table")
    ap.add_argument("--section")
    a = ap.parse_args()
    tests = os.path.abspath(a.tests)
    programs = []
    for d in a.dirs.split(","):
        folder = os.path.join(tests, d)
        for f in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            rel = d + "/" + f
            if not f.endswith(".py") or rel in UNSWEPT or a.only and rel != a.only:
                continue
            src = open(os.path.join(folder, f), errors="replace").read()
            if SKIP.search(src):
                continue
            if a.max_size and len(src) > a.max_size:
                continue
            programs.append((rel, src))
    programs = programs[::1 if a.only else a.every]
    if a.board:
        sys.path.insert(0, os.path.join(os.path.dirname(tests), "tools"))
        import pyboard
        jobs = 1

        def target():
            return Board(pyboard, a.board, a.timeout)
    else:
        binary = os.path.abspath(a.micropython)
        jobs = a.jobs

        def target():
            return Unix(binary, a.timeout)

    def one(p):
        t = target()
        try:
            folder = "" if a.board else os.path.join(tests, os.path.dirname(p[0]))
            return p[0], sweep(t, p[0], p[1], folder, a.stride, a.limit)
        finally:
            t.close()

    start = time.time()
    counts = {}
    fired = {"raised": 0, "caught": 0, "none": 0}
    bad = []
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for name, (outcome, trips, detail) in pool.map(one, programs):
            counts[outcome] = counts.get(outcome, 0) + 1
            for t in trips:
                fired[t[1]] = fired.get(t[1], 0) + 1
            if outcome == "stock":
                print("skip  %s: %s" % (name, " ".join(detail)))
            elif outcome not in ("ok", "skip"):
                bad.append((name, outcome, detail))
    seconds = time.time() - start
    trips = sum(fired.values())
    where = a.label or (a.board and "board") or a.micropython
    print("sweep %s: %d programs, %d trips (%d raised, %d caught by the program, %d ran to the end) in %.0f s"
          % (where, len(programs), trips, fired["raised"], fired["caught"], fired["none"], seconds))
    for name, outcome, detail in bad:
        print("FAIL  %s: %s" % (name, outcome))
        for line in detail:
            print("        " + line)
    if bad:
        print("repeat one: python3 tools/sweep.py %s %s --limit %d --only PROGRAM"
              % ("--board '%s'" % a.board if a.board else "--micropython " + a.micropython, a.tests, a.limit))
    if a.table and a.section:
        row = "| %s | %d | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.0f s |\n" % (
            where, len(programs), "every %s, at most %d a program" % ("one" if a.stride == 1 else "%d-th" % a.stride, a.limit),
            trips, fired["raised"], fired["caught"], fired["none"], counts.get("ok", 0), counts.get("skip", 0) + counts.get("stock", 0),
            counts.get("hang", 0), counts.get("signal", 0), counts.get("sanitizer", 0),
            counts.get("unhealthy", 0) + counts.get("error", 0), seconds)
        head = ("| interpreter | programs | allocations tripped | trips | raised | caught by the program | ran to the end "
                "| programs healthy | skipped | hangs | signals | sanitizer reports | unhealthy or stopped | time |\n"
                "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "write-section.py"), a.table, a.section],
                       input=head + row, text=True, check=True)
    sys.exit(1 if bad else 0)


main()
