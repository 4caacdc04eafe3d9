#!/usr/bin/env python3
"""make bench, Cortex-M0 part: what memorymonitor costs on the emulated MICROBIT board (nRF51,
Cortex-M0, the Thumb-1 of RP2040 and SAMD21), in instructions, against a stock firmware built
from the same tree.

qemu runs with -icount shift=0: virtual time advances one nanosecond per instruction, so the
nRF51's TIMER0, at 16 MHz, ticks once per 62.5 instructions. The board has no `time` module; the
script reaches the timer through machine.mem32. Each configuration runs on a freshly booted
board (heap state shifts results by a few percent), through the raw REPL over the emulated UART.

usage: bench-m0.py MICROPYTHON_DIR STOCK_ELF MODULE_ELF OUT_MARKDOWN [ROUNDS]
"""
import os
import re
import shlex
import subprocess
import sys

from benchconf import PROLOGUES

TREE, STOCK, MODULE, OUT = sys.argv[1:5]
ROUNDS = int(sys.argv[5]) if len(sys.argv) > 5 else 4000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The port's own command line for the board (tools/qemu-command.sh), its serial port on stdio.
QEMU = shlex.split(subprocess.run([os.path.join(ROOT, "tools", "qemu-command.sh"), TREE, "MICROBIT"],
                                  stdout=subprocess.PIPE, text=True, check=True).stdout)
QEMU[QEMU.index("-serial") + 1] = "stdio"
QEMU += ["-icount", "shift=0"]
INSTRUCTIONS_PER_TICK = 62.5


# TIMER0 (nRF51): timer mode, 32 bits, prescaler 0 (16 MHz), cleared and started; _ticks()
# captures it into CC[0] and reads it.
TIMER = """import machine
_m32 = machine.mem32
_T = 0x40008000
_m32[_T + 0x504] = 0
_m32[_T + 0x508] = 3
_m32[_T + 0x510] = 0
_m32[_T + 0x00C] = 1
_m32[_T + 0x000] = 1
def _ticks():
    _m32[_T + 0x040] = 1
    return _m32[_T + 0x540]
"""

# How many allocations the workload makes, counted by the module itself, on its own board: the
# workload's loop runs over a generator that re-enters an AllocationSize every 500 rounds (well
# below the 65535 at which a bucket saturates) and adds up its counts.
COUNTER = """import memorymonitor
_counted = [0]
def _counting_range(n):
    mm = memorymonitor.AllocationSize()
    mm.__enter__()
    for i in range(n):
        if i % 500 == 499:
            mm.__exit__()
            _counted[0] += sum(mm)
            mm.__enter__()
        yield i
    mm.__exit__()
    _counted[0] += sum(mm)
"""


class Board:
    def __init__(self, elf):
        self.p = subprocess.Popen(QEMU + ["-kernel", elf], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buf = b""

    def read_until(self, token):
        while token not in self.buf:
            chunk = os.read(self.p.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("the board stopped; got: %r" % self.buf[-400:])
            self.buf += chunk
        i = self.buf.index(token) + len(token)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def write(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def run(self, code):
        """Runs code through the raw REPL; returns what it printed."""
        self.write(b"\r\x03\x03\r\x01")
        self.read_until(b"raw REPL; CTRL-B to exit\r\n>")
        self.write(code.encode() + b"\x04")
        self.read_until(b"OK")
        out = self.read_until(b"\x04")[:-1]
        err = self.read_until(b"\x04")[:-1]
        if err.strip():
            raise RuntimeError("the board raised: %s" % err.decode(errors="replace"))
        return out.decode()

    def close(self):
        self.p.kill()
        self.p.wait()


def measure(elf, body):
    board = Board(elf)
    try:
        return board.run(body)
    finally:
        board.close()


def main():
    workload = open(os.path.join(ROOT, "bench", "churn.py")).read()
    # The workload's definitions only; the call is made below, between two timer reads.
    workload = workload.replace("\nchurn(20000)\n", "\n")
    instructions = {}
    for mode, prologue in PROLOGUES.items():
        code = (TIMER + prologue + workload
                + "_t0 = _ticks()\nchurn(%d)\n_t1 = _ticks()\nprint('ticks', _t1 - _t0)\n" % ROUNDS)
        out = measure(STOCK if mode == "stock" else MODULE, code)
        ticks = int(re.search(r"ticks (\d+)", out).group(1))
        instructions[mode] = ticks * INSTRUCTIONS_PER_TICK
        print("  measured Cortex-M0", mode, ticks, "ticks", file=sys.stderr)
    counting = workload.replace("for i in range(rounds):", "for i in _counting_range(rounds):")
    assert counting != workload, "bench/churn.py's loop changed: update the counting run"
    out = measure(MODULE, COUNTER + counting + "churn(%d)\nprint('allocations', _counted[0])\n" % ROUNDS)
    allocations = int(re.search(r"allocations (\d+)", out).group(1))

    modes = list(PROLOGUES)
    stock = instructions["stock"]
    lines = [
        "Cortex-M0 (qemu MICROBIT, -icount shift=0), bench/churn.py, %d rounds, %d tracked allocations:" % (ROUNDS, allocations),
        "",
        "| workload | stock instructions | " + " | ".join(modes[1:]) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in modes[1:]) + " |",
        "| churn | %d | %s |" % (stock, " | ".join("%.4fx" % (instructions[m] / stock) for m in modes[1:])),
        "",
        "Instructions added per tracked allocation, against stock (timer resolution: 62.5 instructions",
        "over the whole run):",
        "",
    ]
    for m in modes[1:]:
        lines.append("- %s: %.1f" % (m, (instructions[m] - stock) / allocations))
    text = "\n".join(lines) + "\n"
    with open(OUT, "w") as f:
        f.write(text)
    print(text)


main()
