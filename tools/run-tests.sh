#!/bin/sh
# run-tests.sh TREE RESULTS [--ours] [ARGS...]: MicroPython's run-tests.py of the tree TREE with
# ARGS (its options, then any test files), its results in the folder RESULTS; when a test fails,
# prints the failures (--print-failures) and exits 1. The interpreter and the timeout come from
# the environment, as run-tests.py reads them (MICROPY_MICROPYTHON, MICROPY_TEST_TIMEOUT).
# --ours: the project's tests/*.py, with the heap they need on the unix port (mm_huge.py's big
# allocations; run-tests.py gives boards their own heap). run-tests.sh --heap prints that size.
set -u
heap=16M
[ "${1-}" = --heap ] && { echo "$heap"; exit 0; }
root=$(cd "$(dirname "$0")/.." && pwd)
tree=$1 results=$2
shift 2
if [ "${1-}" = --ours ]; then
    shift
    set -- --heapsize "$heap" "$@" "$root"/tests/*.py
fi
cd "$tree/tests" || exit 1
python3 ./run-tests.py -r "$results" "$@" && exit 0
python3 ./run-tests.py -r "$results" --print-failures
exit 1
