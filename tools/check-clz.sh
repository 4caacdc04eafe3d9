#!/bin/sh
# check-clz.sh TARGET: the core built for TARGET finds the bucket with a count-leading-zeros
# instruction where the CPU has one (Armv7-M, Armv8-M Mainline) and with no call to the Rust
# runtime's leading-zeros routine anywhere (Armv6-M, Armv8-M Baseline and RISC-V use a loop).
set -eu
target=$1
lib=target/$target/release/libmemorymonitor.a
case $target in
    riscv*) objdump=riscv64-unknown-elf-objdump ;;
    *) objdump=arm-none-eabi-objdump ;;
esac
obj=$(mktemp)
trap 'rm -f "$obj"' EXIT
ar p "$lib" "$(ar t "$lib" | grep '^memorymonitor-' | head -n 1)" >"$obj"
clz=$("$objdump" -d "$obj" | grep -cE '\sclz(\.w)?\s' || true)
calls=$("$objdump" -dr "$obj" | grep -c '__clz' || true)
case $target in
    thumbv7* | thumbv8m.main*) want=instruction ;;
    *) want=loop ;;
esac
if [ "$calls" != 0 ] || { [ $want = instruction ] && [ "$clz" = 0 ]; } || { [ $want = loop ] && [ "$clz" != 0 ]; }; then
    echo "memorymonitor: $target: $clz clz instructions and $calls calls to __clz*, expected the $want" >&2
    exit 1
fi
echo "ok    $target finds the bucket with the $want ($clz clz instructions, no __clz* call)"
