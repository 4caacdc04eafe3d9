#!/bin/sh
# make test-suite: MicroPython's own test suite (run-tests.py's default set, without the tests
# that need micropython-lib's unittest) three ways: the stock unix build, the build with the
# module, and the build with the module running tests/suite/prologue.py before every test.
# All three must pass, fail and skip exactly the same tests.
#   suite.sh STOCK_BINARY MODULE_BINARY MICROPYTHON_DIR RESULTS_DIR
set -eu
stock=$(realpath "$1") module=$(realpath "$2") tests=$3/tests
mkdir -p "$4"
out=$(realpath "$4")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$tests"
# run-tests.py stops at the first test that needs unittest, which Debian's tarball lacks.
exclude=$(grep -rlE '^[[:space:]]*(import|from) unittest' --include='*.py' . | sed 's|^\./||' | sort | tr '\n' '|' | sed 's/|$//')

run() {
    name=$1
    shift
    env "$@" python3 ./run-tests.py -j2 -r "$out/$name" -e "$exclude" >"$out/$name.log" 2>&1 || true
    if ! grep -q ' tests performed' "$out/$name.log"; then
        tail -n 20 "$out/$name.log"
        echo "memorymonitor: run-tests.py did not finish for $name (log: $out/$name.log)" >&2
        exit 1
    fi
    # The summary, not the per-test lines, which parallel jobs interleave: each count, then the
    # names of the failed and skipped tests, one a line. A failure that run-tests.py itself
    # calls known-flaky (MicroPython after 1.28) counts as a pass: it may pass in one run and
    # fail in the next, whatever the build.
    awk '
        /^[0-9]+ tests (performed|passed|skipped|failed)/ { w = $3; sub(/:$/, "", w); n[w] = $1 }
        /^[0-9]+ tests had known-flaky failures/ { n["passed"] += $1; flaky = $1 }
        /^[0-9]+ tests (failed|skipped): / { sub(/^[0-9]+ tests [a-z]+: /, ""); for (i = 1; i <= NF; i++) names[++k] = $i }
        END {
            for (w in n) if (w != "performed") print w, n[w] + 0
            print "performed", n["performed"] + 0
            for (i = 1; i <= k; i++) print names[i]
            if (flaky) print flaky > "/dev/stderr"
        }' "$out/$name.log" 2>"$out/$name.flaky" | sort >"$out/$name.outcome"
    flaky=$(cat "$out/$name.flaky")
    echo "$name: $(sed -n 's/^\(passed\|failed\|skipped\) \([0-9]*\)$/\2 \1/p' "$out/$name.outcome" | tr '\n' ',' | sed 's/,$//; s/,/, /g')${flaky:+ (of the passes, $flaky known-flaky failures that run-tests.py ignores)}"
}

run stock MICROPY_MICROPYTHON="$stock"
run module MICROPY_MICROPYTHON="$module"
run module+prologue MICROPY_MICROPYTHON="$root/tools/with-prologue.py" MM_MICROPYTHON="$module" \
    MM_PROLOGUE="$root/tests/suite/prologue.py"
status=0
for name in module module+prologue; do
    if ! diff -u "$out/stock.outcome" "$out/$name.outcome"; then
        echo "memorymonitor: $name does not pass, fail and skip the same tests as stock" >&2
        status=1
    fi
done
[ $status = 0 ] && echo "ok    all three runs pass, fail and skip the same tests"
exit $status
