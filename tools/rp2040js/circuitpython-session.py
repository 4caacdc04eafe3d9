#!/usr/bin/env python3
"""circuitpython-session.py FIRMWARE.uf2 BOOTROM: a CircuitPython REPL session on an RP2040
firmware with memorymonitor, in rp2040js, as a user types it at a board: count allocations, trip
an alarm, leave monitors active, soft-reload with Ctrl-D (CircuitPython's main.c then calls
memorymonitor_reset before the heap is made anew), and monitor again.

Each line is typed at the REPL and the board's answer is checked; one line per step. Lines are
single statements (exec of a string where a block is needed): CircuitPython's REPL indents
after a line ending in a colon.
"""
import os
import select
import subprocess
import sys
import time

firmware, bootrom = sys.argv[1:3]
here = os.path.dirname(os.path.abspath(__file__))
board = subprocess.Popen(
    ["node", os.path.join(here, "rp2040-repl.mjs"), "--bootrom", bootrom, "--press-key", firmware],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
seen = b""


def read_until(token, timeout=120):
    """Board output up to and including `token`; fails after `timeout` seconds of emulation."""
    global seen
    deadline = time.monotonic() + timeout
    while token not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or board.poll() is not None:
            sys.exit("FAIL  no %r from the board; it said:\n%s" % (token, seen[-600:].decode(errors="replace")))
        if select.select([board.stdout], [], [], left)[0]:
            chunk = os.read(board.stdout.fileno(), 4096)
            if chunk:
                seen += chunk
    out, seen = seen.split(token, 1)
    return out.decode(errors="replace")


def send(data):
    board.stdin.write(data)
    board.stdin.flush()


def repl(line, expect=None):
    """Types `line`, returns what it printed; with `expect`, that text must be among it."""
    send(line.encode() + b"\r")
    out = read_until(b">>> ")
    # The REPL echoes the line: what follows the echo is the answer.
    answer = out.split(line, 1)[-1].strip()
    if expect is not None and expect not in answer:
        sys.exit("FAIL  %s\n      expected %r, got:\n%s" % (line, expect, answer))
    return answer


read_until(b">>> ", timeout=300)
print("ok    booted to the REPL (rp2040js)")
repl("import memorymonitor")
print("ok    " + repl("print(sorted(n for n in dir(memorymonitor) if not n.startswith('_')))",
                      "['AllocationAlarm', 'AllocationError', 'AllocationSize']"))
repl("mm = memorymonitor.AllocationSize()")
repl('exec("with mm:\\n b = bytearray(100)")')
# 100 bytes are 7 blocks of 16: bucket 3 holds 5 to 8 blocks.
print("ok    counted: " + repl("print(len(mm), mm.bytes_per_block, mm[3] >= 1, list(mm))", "16 16 True"))
repl("aa = memorymonitor.AllocationAlarm(minimum_block_count=2)")
print("ok    alarm: " + repl(
    'exec("try:\\n with aa:\\n  x = bytearray(64)\\nexcept memorymonitor.AllocationError as e:\\n print(\'raised\', e)")',
    "raised Attempt to allocate"))
print("ok    ignore: " + repl(
    'exec("with aa.ignore(1):\\n x = bytearray(64)\\nprint(\'ignored one\')")', "ignored one"))
# Left active across the reload: the heap they live in is about to be made anew.
repl("mm.__enter__() is mm")
repl("aa2 = memorymonitor.AllocationAlarm(minimum_block_count=10000).__enter__()")
send(b"\x04")
read_until(b"soft reboot")
read_until(b">>> ", timeout=300)
print("ok    soft reload (Ctrl-D) with two monitors active, back at the REPL")
repl("import memorymonitor")
repl("m2 = memorymonitor.AllocationSize()")
repl('exec("with m2:\\n y = [str(i) for i in range(10)]")')
print("ok    monitoring again after the reload: " + repl("print(sum(m2) >= 10, m2[0] >= 1)", "True True"))
repl("a2 = memorymonitor.AllocationAlarm(minimum_block_count=2)")
print("ok    alarm after the reload: " + repl(
    'exec("try:\\n with a2:\\n  x = bytearray(64)\\nexcept memorymonitor.AllocationError as e:\\n print(\'raised\', e)")',
    "raised Attempt to allocate"))
board.stdin.close()
board.terminate()
