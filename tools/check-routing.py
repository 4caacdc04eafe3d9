#!/usr/bin/env python3
"""check-routing.py OBJDUMP FIRMWARE.elf micropython|circuitpython

Reads the firmware's disassembly and checks that the allocator's callers reach the hooks:
- micropython: the module wraps gc_alloc and gc_realloc at link time, so every call to them from
  outside gc.c (m_malloc and the rest) must go to __wrap_gc_alloc / __wrap_gc_realloc, and the
  counting functions the wrappers jump to must call the real ones and reach the slow path, in
  the function they share or themselves; traceback
  entries are added only through the module's wrapper; in a firmware with threads,
  mp_thread_finish is reached only through the module's thread end;
- both: every call of m_malloc_maybe and m_realloc_maybe (and CircuitPython's
  m_malloc_maybe_without_collect) goes through the module's wrapper, which holds the thread's
  alarms' errors meanwhile;
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

# What the module wraps: on MicroPython cmodule/wrapped.txt, on CircuitPython (whose gc.c calls
# the hook itself) ports/circuitpython/wrapped.txt.
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
with open(os.path.join(root, "cmodule" if host == "micropython" else "ports/circuitpython", "wrapped.txt")) as f:
    wrapped = f.read().split()
# The module's functions, C and Rust, as the linker names them: the C ones are named mm_*,
# memorymonitor_*, allocation* (the types' methods), or __wrap_ and a function it wraps. Other
# __wrap_ functions are the port's (pico-sdk's __wrap_atanhf, which divides by calling
# __wrap___aeabi_fdiv).
module = [c for c in calls if re.match(r"(mm_|memorymonitor_|allocation|_ZN13memorymonitor|__wrap_(%s)$)"
                                       % "|".join(wrapped), c)]
library = sorted({"%s -> %s" % (c, t) for c in module for t in calls[c]
                  if re.match(r"(__wrap_)?__(clz|aeabi_\w*div|u?div[sd]i3|udivmod)", t)})
if not module:
    fail("no function of the module found")
if library:
    fail("the module calls library routines: %s" % ", ".join(library))
# The allocations whose callers cannot take an exception (name interning's; malloc.c's *_maybe,
# which return null where they cannot allocate) are made with the thread's hold depth up: every
# call of them goes through the module's wrapper, on both hosts.
evidence = []
for real in [w for w in wrapped if re.match(r"m_\w*_maybe", w)]:
    if real not in defined:
        continue
    wrap = "__wrap_" + real
    direct = [c for c in callers_of(real) if "wrap" not in c and "held" not in c]
    if direct:
        fail("%s is called around the module's hold by %s" % (real, ", ".join(direct)))
    if not callers_of(wrap):
        fail("nothing calls %s (the interpreter's calls of %s are not routed)" % (wrap, real))
    evidence.append("%s <- %s" % (wrap, ", ".join(callers_of(wrap)[:3])))
if host == "micropython":
    # Every function the module wraps that the firmware has has its wrapper.
    unwrapped = [w for w in wrapped if w in defined and "__wrap_" + w not in defined]
    if unwrapped:
        fail("not wrapped: %s" % ", ".join(unwrapped))
    for real in ("gc_alloc", "gc_realloc"):
        wrap = "__wrap_" + real
        routed = [c for c in callers_of(wrap) if not base(c).startswith("gc_")]
        # Inside gc.c (gc_realloc moving a block) and inside the wrappers themselves, the real
        # function is called directly; nowhere else.
        direct = [c for c in callers_of(real)
                  if not base(c).startswith("gc_") and "wrap" not in c and "watched" not in c
                  and "sized" not in c]
        if not routed:
            fail("nothing calls %s" % wrap)
        if direct:
            fail("%s is called directly, around the hook, by %s" % (real, ", ".join(direct)))
        evidence.append("%s <- %s" % (wrap, ", ".join(routed[:4]) + (", ..." if len(routed) > 4 else "")))
    # The wrappers jump through a pointer (not visible here) to the counting functions, which
    # call the real function and then count, in a function of their own that takes the slow
    # path out of line.
    for real in ("gc_alloc", "gc_realloc"):
        counting = [(c, t) for c in calls if real in calls[c]
                    for t in calls[c] | {c} if slow in calls.get(t, ())]
        if not counting:
            fail("no function calls %s and reaches %s, itself or through a function it calls" % (real, slow))
        evidence.append("%s -> %s, %s -> %s" % (counting[0][0], real, counting[0][1], slow))
    # A firmware with threads ends a thread's monitors when py/modthread.c finishes the thread.
    finish = "mp_thread_finish"
    if any(finish in targets for targets in calls.values()) or "__wrap_" + finish in calls:
        wrap = "__wrap_" + finish
        direct = [c for c in callers_of(finish) if c != wrap]
        if not callers_of(wrap) or direct:
            fail("%s is called around the module's thread end by %s" % (finish, ", ".join(direct) or "nothing"))
        # The port's thread end is inlined into the wrapper, or one call away from it.
        reach = calls.get(wrap, set()).union(*(calls.get(c, set()) for c in calls.get(wrap, set())))
        if finish not in calls.get(wrap, set()) or not {slow, "mm_tally_end"} & reach:
            fail("%s does not end the thread's monitors (mm_tally_end, the slow path's walk) before %s" % (wrap, finish))
        evidence.append("%s <- %s -> %s, %s" % (wrap, ", ".join(callers_of(wrap)), slow, finish))
    # Traceback entries are added with the thread's alarms muted (cmodule/wrap.c).
    tb = "mp_obj_exception_add_traceback"
    direct = [c for c in callers_of(tb) if c != "__wrap_" + tb]
    if direct:
        fail("%s is called around the module's wrapper by %s" % (tb, ", ".join(direct)))
    if callers_of("__wrap_" + tb):
        evidence.append("__wrap_%s <- %s" % (tb, ", ".join(callers_of("__wrap_" + tb)[:3])))
    print("ok    %s: %s; no direct call of gc_alloc or gc_realloc outside gc.c" % (
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
