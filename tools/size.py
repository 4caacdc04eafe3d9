#!/usr/bin/env python3
"""make size: flash (text + data) and RAM (data + bss) that memorymonitor adds to a firmware,
as the difference between the same firmware built without and with it, and where the flash goes.

usage: size.py SIZE_TOOL STOCK_ELF MODULE_ELF MODULE_BUILD_DIR FIRMWARE_NAME
"""
import glob
import os
import subprocess
import sys

size_tool, stock, module, build, name = sys.argv[1:6]


def sizes(paths):
    out = subprocess.run([size_tool] + paths, check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines()[1:]:
        text, data, bss = (int(x) for x in line.split()[:3])
        rows[line.split()[-1]] = (text, data, bss)
    return rows


fw = sizes([stock, module])
(t0, d0, b0), (t1, d1, b1) = fw[stock], fw[module]
print("\n| firmware (%s) | flash (text+data) | static RAM (data+bss) |" % name)
print("| --- | ---: | ---: |")
print("| stock MicroPython | %d | %d |" % (t0 + d0, d0 + b0))
print("| with memorymonitor | %d | %d |" % (t1 + d1, d1 + b1))
print("| **added by the module** | **%+d** | **%+d** |" % (t1 + d1 - t0 - d0, d1 + b1 - d0 - b0))
# The shim's objects, before linking (the core's share is what remains after --gc-sections).
objs = sorted(glob.glob(os.path.join(build, "cmodule", "*.o")))
if objs:
    shim = sizes(objs)
    total = sum(t + d for t, d, _ in shim.values())
    print("\nC shim objects before linking: %d bytes of text+data (%s)" % (
        total, ", ".join("%s %d" % (os.path.basename(p), t + d) for p, (t, d, _) in shim.items())))
