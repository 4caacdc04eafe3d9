#!/usr/bin/env python3
"""check-stub.py MICROPYTHON STUB: the .pyi stub declares what the built module has, no more and
no less: its classes, their methods and attributes, and the len/index/iteration protocols."""
import ast
import subprocess
import sys

PROTOCOLS = ("__len__", "__getitem__", "__iter__")
# Run on the interpreter: each public class, the members dir() shows, and the protocols that work.
PROBE = """
import memorymonitor as m
for name in sorted(n for n in dir(m) if not n.startswith("_")):
    cls = getattr(m, name)
    obj = cls()
    works = []
    for proto, use in (("__len__", len), ("__getitem__", lambda o: o[0]), ("__iter__", iter)):
        try:
            use(obj)
            works.append(proto)
        except TypeError:
            pass
    members = [a for a in dir(cls) if not a.startswith("_") or a in ("__enter__", "__exit__")]
    print(name, " ".join(sorted(members + works)))
"""


def declared(stub):
    classes = {}
    for node in ast.parse(open(stub).read()).body:
        if isinstance(node, ast.ClassDef):
            names = set()
            for n in node.body:
                if isinstance(n, ast.FunctionDef):
                    names.add(n.name)
                elif isinstance(n, ast.AnnAssign):
                    names.add(n.target.id)
            keep = {n for n in names if not n.startswith("_") or n in PROTOCOLS}
            keep |= {n for n in names if n in ("__enter__", "__exit__")}
            classes[node.name] = keep
    return classes


def built(micropython):
    out = subprocess.run([micropython, "-c", PROBE], capture_output=True, text=True, check=True)
    classes = {}
    for line in out.stdout.splitlines():
        name, *members = line.split()
        classes[name] = set(members)
    return classes


def main():
    micropython, stub = sys.argv[1:]
    want, have = declared(stub), built(micropython)
    bad = False
    for name in sorted(set(want) | set(have)):
        missing = have.get(name, set()) - want.get(name, set())
        extra = want.get(name, set()) - have.get(name, set())
        if name not in want or name not in have or missing or extra:
            bad = True
            print(f"FAIL  {name}: stub lacks {sorted(missing)}, module lacks {sorted(extra)}"
                  + ("" if name in want and name in have else " (class on one side only)"))
    if bad:
        sys.exit(1)
    print(f"ok    {stub} declares what the module has ({len(have)} classes)")


main()
