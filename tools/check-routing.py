#!/usr/bin/env python3
"""check-routing.py OBJDUMP FIRMWARE.elf micropython|circuitpython

Reads the firmware's disassembly and checks that the allocator's callers reach the hooks:
- micropython: gc.c's gc_alloc and gc_realloc are renamed __real_gc_alloc and __real_gc_realloc
  (cmodule/renames.txt), so every call from outside gc.c (m_malloc and the rest) must go to the
  module's gc_alloc and gc_realloc, and the counting functions those jump to must call the
  __real_ ones and reach the slow path, in the function they share or themselves; traceback
  entries are added only through the module's function;
- both: every call of m_malloc_maybe, m_realloc_maybe and m_tracked_calloc (and CircuitPython's
  m_malloc_maybe_without_collect) goes through the module's function of that name, which holds
  the thread's alarms' errors meanwhile; in a firmware with threads, mp_thread_finish is
  reached only through the module's thread end;
- circuitpython: gc.c calls the hook itself, so gc_alloc and gc_realloc (or what LTO made of
  them) call memorymonitor_track_allocation, and main.c's cleanup_after_vm, on the way to a soft
  reload, calls memorymonitor_reset.
Either way, no function of the module calls a library routine for count-leading-zeros or
division (__clzsi2, __aeabi_uidiv and their kin): the hot path must not, and nothing else needs to.
Prints one line of evidence; exits 1 when the routing is not there.
"""
import os
import re
import subprocess
import sys

objdump, elf, host = sys.argv[1:4]
dump = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf], check=True,
                      capture_output=True, text=True).stdout

# caller -> callees named exactly (a branch or call to the start of a function).
calls = {}
defined = set()
caller = None
for line in dump.splitlines():
    head = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
    if head:
        caller = head.group(1)
        defined.add(caller)
        continue
    target = re.search(r"\s(?:bl|blx|b|b\.w|b\.n|call|jmp|j|jal|tail)\s+(?:\S+,)?\s*(?:0x)?[0-9a-f]+ <([^+>]+)>$", line)
    if caller and target:
        # A call the linker sends through a long-branch stub (__gc_alloc_veneer, on i.MX RT where
        # the heap's functions sit in tightly coupled memory) is a call to the stub's target.
        callee = re.sub(r"^__(.+)_veneer$", r"\1", target.group(1))
        calls.setdefault(caller, set()).add(callee)


def callers_of(name):
    return sorted(c for c, targets in calls.items() if name in targets)


def base(name):
    # LTO and the compiler rename copies of a function: gc_alloc.constprop.0, gc_alloc.part.1.
    return name.split(".")[0]


def fail(message):
    print("FAIL  %s: %s" % (elf, message))
    sys.exit(1)


hook = "memorymonitor_track_allocation"
slow = "mm_track_slow"

# What the module renames (FILE:NAME=NEW): on MicroPython cmodule/renames.txt, on CircuitPython
# (whose gc.c calls the hook itself) ports/circuitpython/renames.txt. Where NEW is __real_NAME,
# the module's function takes the name NAME; otherwise NEW is the module's, and calls NAME.
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
with open(os.path.join(root, "cmodule" if host == "micropython" else "ports/circuitpython", "renames.txt")) as f:
    renames = dict(line.split(":", 1)[1].split("=") for line in f.read().split())
replaced = [name for name, new in renames.items() if new == "__real_" + name]
# The module's functions, C and Rust, as the linker names them: mm_*, memorymonitor_*,
# allocation* (the types' methods). (Not those that take the place of the interpreter's, into
# which LTO may inline the interpreter's own code.)
module = [c for c in calls if re.match(r"(mm_|memorymonitor_|allocation|_ZN13memorymonitor)", c)]
# (pico-sdk wraps the division routines: __wrap___aeabi_uidiv.)
library = sorted({"%s -> %s" % (c, t) for c in module for t in calls[c]
                  if re.match(r"(__wrap_)?__(clz|aeabi_\w*div|u?div[sd]i3|udivmod)", t)})
if not module:
    fail("no function of the module found")
if library:
    fail("the module calls library routines: %s" % ", ".join(library))
# The allocations whose callers cannot take an exception (name interning's; malloc.c's *_maybe,
# which return null where they cannot allocate, and m_tracked_calloc, C libraries' memory) are
# made with the thread's hold depth up: every call of them goes through the module's function,
# on both hosts. (m_tracked_calloc calls __real_m_malloc_maybe inside that hold.)
evidence = []
held = [w for w in replaced if re.match(r"m_\w*_maybe\w*$|m_tracked_calloc$", w)]
# (Under LTO the __real_ function may be inlined into the module's.)
inside = held + ["__real_" + h for h in held]
for name in held:
    real = "__real_" + name
    if real not in defined and name not in defined:
        continue
    direct = [c for c in callers_of(real) if base(c) not in inside and "held" not in c]
    if direct:
        fail("%s is called around the module's hold by %s" % (real, ", ".join(direct)))
    if callers_of(name):
        evidence.append("%s <- %s" % (name, ", ".join(callers_of(name)[:3])))
    elif name != "m_tracked_calloc":
        # (Only a firmware with such a C library calls m_tracked_calloc.)
        fail("nothing calls %s (the interpreter's calls of it are not routed)" % name)
# A firmware with threads (its _thread module, which no inlining hides) ends a thread's
# monitors when py/modthread.c finishes the thread.
finish, end = "mp_thread_finish", renames["mp_thread_finish"]
nm = subprocess.run([re.sub(r"objdump$", "nm", objdump), elf], check=True, capture_output=True, text=True).stdout
if re.search(r" mp_module_thread$", nm, re.M):
    direct = [c for c in callers_of(finish) if base(c) != end]
    if not callers_of(end) or direct:
        fail("%s is called around the module's thread end by %s" % (finish, ", ".join(direct) or "nothing"))
    # The port's thread end is called from the module's, or inlined into it; either way the
    # module ends the thread's monitors, in a function one call away at most.
    reach = calls.get(end, set()).union(*(calls.get(c, set()) for c in calls.get(end, set())))
    if (finish in defined and finish not in calls.get(end, set())) or not {slow, "mm_tally_end"} & reach:
        fail("%s does not end the thread's monitors (mm_tally_end, the slow path's walk) before %s" % (end, finish))
    evidence.append("%s <- %s -> %s, %s" % (end, ", ".join(callers_of(end)), slow, finish))
# Traceback entries are added with the thread's alarms muted (cmodule/host.c), on both hosts.
tb = "mp_obj_exception_add_traceback"
direct = [c for c in callers_of("__real_" + tb) if base(c) != tb]
if direct:
    fail("__real_%s is called around the module's function by %s" % (tb, ", ".join(direct)))
if callers_of(tb):
    evidence.append("%s <- %s" % (tb, ", ".join(callers_of(tb)[:3])))
if host == "micropython":
    for name in ("gc_alloc", "gc_realloc"):
        real = "__real_" + name
        routed = [c for c in callers_of(name) if not base(c).startswith("gc_")]
        # Inside gc.c (gc_realloc moving a block) and inside the module's counting functions, the
        # __real_ function is called directly; nowhere else.
        direct = [c for c in callers_of(real) if not base(c).startswith(("gc_", "__real_gc_", "mm_"))]
        if not routed:
            fail("nothing calls the module's %s" % name)
        if direct:
            fail("%s is called directly, around the module, by %s" % (real, ", ".join(direct)))
        evidence.append("%s <- %s" % (name, ", ".join(routed[:4]) + (", ..." if len(routed) > 4 else "")))
    # The module's functions jump through a pointer (not visible here) to the counting
    # functions, which call the __real_ function and then count, in a function of their own
    # that takes the slow path out of line.
    for name in ("gc_alloc", "gc_realloc"):
        real = "__real_" + name
        counting = [(c, t) for c in calls if real in calls[c]
                    for t in calls[c] | {c} if slow in calls.get(t, ())]
        if not counting:
            fail("no function calls %s and reaches %s, itself or through a function it calls" % (real, slow))
        evidence.append("%s -> %s, %s -> %s" % (counting[0][0], real, counting[0][1], slow))
    print("ok    %s: %s; no call of __real_gc_alloc or __real_gc_realloc outside gc.c and the module" % (
        elf, "; ".join(evidence)))
else:
    for real in ("gc_alloc", "gc_realloc"):
        if not any(base(c) == real for c in callers_of(hook)):
            fail("%s does not call %s (callers: %s)" % (real, hook, callers_of(hook)))
    # main.c's cleanup before a soft reload, where the heap is made anew.
    reset = callers_of("memorymonitor_reset")
    if not any(base(c) == "cleanup_after_vm" for c in reset):
        fail("cleanup_after_vm does not call memorymonitor_reset (callers: %s)" % reset)
    print("ok    %s: %s <- %s; memorymonitor_reset <- %s; %s" % (
        elf, hook, ", ".join(callers_of(hook)), ", ".join(reset), "; ".join(evidence)))
