#!/bin/sh
# Stands in for the micropython binary under run-tests.py (as MICROPY_MICROPYTHON): runs the file
# $MM_PROLOGUE, then the test script named last, in one interpreter, keeping the script's file
# name, directory on sys.path and line numbers. Without a script (REPL tests), or with -v (tests
# that print the bytecode of the script they run, which would then be this loader's), it runs
# $MM_MICROPYTHON unchanged.
#   MM_MICROPYTHON=... MM_PROLOGUE=... with-prologue.sh [options] test.py
set -eu
last=
for arg in "$@"; do last=$arg; done
case " $* " in
    *" -v "*) exec "$MM_MICROPYTHON" "$@" ;;
esac
case $last in
    *.py) ;;
    *) exec "$MM_MICROPYTHON" "$@" ;;
esac
n=$#
i=1
for arg in "$@"; do
    # Keep every argument but the script.
    [ "$i" -lt "$n" ] && set -- "$@" "$arg"
    i=$((i + 1))
done
shift "$n"
exec "$MM_MICROPYTHON" "$@" -c "exec(open('$MM_PROLOGUE').read())
import sys
sys.argv[:] = ['$last']
sys.path[0] = '${last%/*}'
__file__ = '$last'
exec(compile(open('$last').read(), '$last', 'exec'))"
