#!/bin/bash
# check-firmware.sh NAME STOCK_ELF MODULE_ELF micropython|circuitpython BUDGET: the checks every
# board firmware gets, in make test (the qemu boards) and make test-upstream (every board):
#   flash     the module adds at most BUDGET bytes of text + data against the stock build;
#   no panic  nothing of core::fmt or core::panicking is linked (check-nopanic.sh);
#   core      the core's relocatable object defines only the ABI (check-core-object.sh);
#   routing   the allocator's callers reach the hooks, and the module calls no library routine
#             for leading zeros or division, in the disassembly (check-routing.py).
# One line per check; exits 1 when any fails.
set -u -o pipefail
name=$1 stock=$2 module=$3 host=$4 budget=$5
tools=$(cd "$(dirname "$0")" && pwd)
failed=0
text_data() {
    arm-none-eabi-size "$1" | awk 'NR == 2 {print $1 + $2}'
}
a=$(text_data "$stock") b=$(text_data "$module")
if ! [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
    echo "FAIL  $name: cannot read the flash of $stock or $module"
    exit 1
elif [ $((b - a)) -le "$budget" ]; then
    echo "ok    $name: flash $a -> $b bytes, $((b - a)) added (budget $budget)"
else
    echo "FAIL  $name: flash $a -> $b bytes, $((b - a)) added, over the budget of $budget"
    failed=1
fi
"$tools/check-nopanic.sh" "$module" || failed=1
core=$(find "$(dirname "$module")" -name memorymonitor-core.o | head -n 1)
"$tools/check-core-object.sh" arm-none-eabi-nm "${core:?no memorymonitor-core.o beside $module}" || failed=1
python3 "$tools/check-routing.py" arm-none-eabi-objdump "$module" "$host" || failed=1
[ $failed = 0 ] && echo "ok    $name: $((b - a)) bytes of flash added (budget $budget), no panic code, core object, routing"
exit $failed
