#!/usr/bin/env python3
"""Stands in for the micropython binary under run-tests.py (as MICROPY_MICROPYTHON).

Runs the file $MM_PROLOGUE, then what the command line asked for, in one interpreter:
  [options] script.py [args]   the script, keeping its file name, sys.argv, sys.path[0] and
                               line numbers;
  [options] -c CMD [args]      CMD;
  [options] -m MOD [args]      MOD as __main__, as the interpreter's own -m does.
Everything else goes to $MM_MICROPYTHON unchanged: the REPL (no script), -i, -v (tests that print
the bytecode of what they run, which would then be this loader's) and -X compile-only (nothing
runs). Usage: MM_MICROPYTHON=... MM_PROLOGUE=... with-prologue.py [options] ...
"""
import os
import sys

micropython = os.environ["MM_MICROPYTHON"]
args = sys.argv[1:]


def run(argv):
    os.execv(micropython, [micropython] + argv)


# The options before the script, -c or -m: -X takes a value, every other option is one word.
n = 0
while n < len(args):
    if args[n] == "-X":
        if args[n + 1 : n + 2] == ["compile-only"]:
            run(args)
        n += 2
    elif args[n] in ("-v", "-i"):
        run(args)
    elif args[n].startswith("-") and args[n] not in ("-c", "-m"):
        n += 1
    else:
        break
options, rest = args[:n], args[n:]
if not rest or rest[0] in ("-c", "-m") and len(rest) < 2:
    run(args)

code = ["exec(open(%r).read())" % os.environ["MM_PROLOGUE"], "import sys"]
if rest[0] == "-c":
    code += ["sys.argv[:] = %r" % (["-c"] + rest[2:]), rest[1]]
elif rest[0] == "-m":
    # __import__'s fourth argument False is how the interpreter's -m runs a module as __main__.
    code += ["sys.argv[:] = %r" % rest[1:], "__import__(%r, None, None, False)" % rest[1]]
else:
    script = rest[0]
    code += [
        "sys.argv[:] = %r" % rest,
        "sys.path[0] = %r" % (os.path.dirname(script) or ""),
        "__file__ = %r" % script,
        "exec(compile(open(%r).read(), %r, 'exec'))" % (script, script),
    ]
run(options + ["-c", "\n".join(code)])
