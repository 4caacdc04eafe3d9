#!/usr/bin/env python3
"""symbols.py STOCK.elf NAME=FIRMWARE.elf...: a markdown table of the symbols each firmware has
that stock has not, or has at another size, with the bytes of each (nm's sizes): where the flash
and RAM a module adds go, symbol beside symbol. Two kinds of change are summed in one row each,
as they buy nothing of their own: the compressed message texts (`translationN`, renumbered and
recompressed as messages come and go) and the few bytes by which unrelated functions move under
LTO. The last rows add the columns up (flash: everything but bss; RAM: data and bss); the
text + data figures are a little larger, by the padding between symbols.
"""
import re
import subprocess
import sys

NOISE = 4  # bytes: an unrelated function that changes by at most this much is layout, not code


def symbols(elf):
    out = subprocess.run(["nm", "-S", "-C", elf], check=True, capture_output=True, text=True).stdout
    sizes, kinds = {}, {}
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and parts[2].lower() in "tdrb":
            # LTO numbers its private copies per build, Rust hashes its names: neither is compared.
            name = re.sub(r"::h[0-9a-f]{16}$", "", parts[3].split(".lto_priv.")[0])
            sizes[name] = sizes.get(name, 0) + int(parts[1], 16)
            kinds[name] = parts[2].lower()
    return sizes, kinds


def row_of(name, kind, added):
    if re.fullmatch(r"translation\d+", name):
        return "`translationN`: the compressed messages, all together"
    if kind != "b" and max(map(abs, added)) <= NOISE and not re.search(r"memorymonitor|^mm_", name):
        return "elsewhere, at most %d bytes each (layout under LTO)" % NOISE
    return "`%s`" % name


def main():
    stock, kind_of = symbols(sys.argv[1])
    builds = [(arg.split("=", 1)[0], symbols(arg.split("=", 1)[1])) for arg in sys.argv[2:]]
    for _, (_, kinds) in builds:
        kind_of.update(kinds)
    changed = {}
    for i, (_, (sizes, _)) in enumerate(builds):
        for name in set(sizes) | set(stock):
            diff = sizes.get(name, 0) - stock.get(name, 0)
            if diff:
                changed.setdefault(name, [kind_of[name], [0] * len(builds)])[1][i] = diff
    rows = {}
    for name, (kind, added) in changed.items():
        label = row_of(name, kind, added) + (" (RAM)" if kind == "b" else "")
        row = rows.setdefault(label, [kind, [0] * len(builds)])
        row[1] = [a + b for a, b in zip(row[1], added)]
    print("| symbol | " + " | ".join(name for name, _ in builds) + " |")
    print("| --- | " + " | ".join("---:" for _ in builds) + " |")
    for label, (_, added) in sorted(rows.items(), key=lambda r: (r[0].startswith(("`translationN", "elsewhere")), -max(r[1][1]), r[0])):
        print("| %s | %s |" % (label, " | ".join("%+d" % a if a else "" for a in added)))
    for total, kinds in (("flash, in all", "trd"), ("RAM, in all", "db")):
        sums = [sum(a[i] for k, a in changed.values() if k in kinds) for i in range(len(builds))]
        print("| %s | %s |" % (total, " | ".join("%+d" % t for t in sums)))


main()
