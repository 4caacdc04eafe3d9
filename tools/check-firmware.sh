#!/bin/bash
# check-firmware.sh NAME STOCK_ELF MODULE_ELF micropython|circuitpython BUDGET: the checks every
# board firmware gets, in make test (the qemu boards) and make test-upstream (every board):
#   flash     the module adds at most BUDGET's bytes for the firmware's instruction set
#             (thumb1=N,arm=N,rv32=N,rv64=N) of text + data against the stock build (STOCK_ELF;
#             - for none: the flash is then not compared);
#   no panic  nothing of core::fmt or core::panicking is linked (check-nopanic.sh);
#   core      the core's relocatable object defines only the ABI (check-core-object.sh);
#   routing   the allocator's callers reach the hooks, and the module calls no library routine
#             for leading zeros or division, in the disassembly (check-routing.py).
# One line per check; exits 1 when any fails.
set -u -o pipefail
name=$1 stock=$2 module=$3 host=$4 budget=$5
tools=$(cd "$(dirname "$0")" && pwd)
failed=0
# The firmware's instruction set, from its ELF header, picks the cross binutils and the budget.
case $(readelf -h "$module" 2>/dev/null | sed -n 's/^ *\(Class\|Machine\): *//p' | tr '\n' ' ') in
    'ELF32 ARM ')
        cross=arm-none-eabi- isa=arm
        # Cortex-M0, M0+: the wrappers count more inline there (cmodule/wrap.c).
        case $(readelf -A "$module") in *'Tag_THUMB_ISA_use: Thumb-1'*) isa=thumb1 ;; esac
        ;;
    'ELF32 RISC-V ') cross=riscv64-unknown-elf- isa=rv32 ;;
    'ELF64 RISC-V ') cross=riscv64-unknown-elf- isa=rv64 ;;
    *) echo "FAIL  $name: $module is not an Arm or RISC-V firmware"; exit 1 ;;
esac
budget=$(echo ",$budget," | sed -n "s/.*,$isa=\([0-9]*\),.*/\1/p")
[ -n "$budget" ] || { echo "FAIL  $name: the flash budget $5 has no figure for $isa"; exit 1; }
b=$("$tools/flash.sh" --flash "$module")
a=$b flash="flash not compared"
[ "$stock" = - ] || a=$("$tools/flash.sh" --flash "$stock")
if ! [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
    echo "FAIL  $name: cannot read the flash of $stock or $module"
    exit 1
elif [ "$stock" = - ]; then
    echo "ok    $name: flash $b bytes, not compared: no stock build of this board (one per port and CPU)"
elif [ $((b - a)) -le "$budget" ]; then
    flash="$((b - a)) bytes of flash added (budget $budget)"
    echo "ok    $name: flash $a -> $b bytes, $((b - a)) added (budget $budget)"
else
    echo "FAIL  $name: flash $a -> $b bytes, $((b - a)) added, over the budget of $budget"
    failed=1
fi
"$tools/check-nopanic.sh" "$module" ${cross}nm || failed=1
core=$(find "$(dirname "$module")" -name memorymonitor-core.o | head -n 1)
"$tools/check-core-object.sh" ${cross}nm "${core:?no memorymonitor-core.o beside $module}" || failed=1
python3 "$tools/check-routing.py" ${cross}objdump "$module" "$host" || failed=1
[ $failed = 0 ] && echo "ok    $name: $flash, no panic code, core object, routing"
exit $failed
