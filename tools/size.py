#!/usr/bin/env python3
"""make size: the flash (text + data) and static RAM (data + bss) that memorymonitor adds to
each firmware, as the difference between the same firmware built without and with it.

usage: size.py [FILE.md] NAME STOCK_ELF MODULE_ELF [NAME STOCK_ELF MODULE_ELF ...]
Prints the table, and writes it into the `make-size` section of FILE.md where one is named.
"""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
readme = args.pop(0) if args[0].endswith(".md") else None


def sizes(path):
    out = subprocess.run([os.path.join(here, "flash.sh"), path], check=True, capture_output=True, text=True).stdout
    flash, ram = (int(x) for x in out.split())
    return flash, ram


rows = ["| firmware | flash stock | flash with memorymonitor | added flash | added static RAM |",
        "| --- | ---: | ---: | ---: | ---: |"]
for i in range(0, len(args), 3):
    name, stock, module = args[i:i + 3]
    (f0, r0), (f1, r1) = sizes(stock), sizes(module)
    rows.append("| %s | %d | %d | **%+d** | %+d |" % (name, f0, f1, f1 - f0, r1 - r0))
table = "\n".join(rows) + "\n"
print(table)
if readme:
    subprocess.run([sys.executable, os.path.join(here, "write-section.py"), readme, "make-size"],
                   input=table, text=True, check=True)
