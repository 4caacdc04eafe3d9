#!/bin/sh
# run-tests.sh TREE RESULTS [ARGS...]: MicroPython's run-tests.py of the tree TREE with ARGS, its
# results in the folder RESULTS; when a test fails, prints the failures (--print-failures) and
# exits 1. The interpreter and the timeout come from the environment, as run-tests.py reads them
# (MICROPY_MICROPYTHON, MICROPY_TEST_TIMEOUT).
set -u
tree=$1 results=$2
shift 2
cd "$tree/tests" || exit 1
python3 ./run-tests.py -r "$results" "$@" && exit 0
python3 ./run-tests.py -r "$results" --print-failures
exit 1
