#!/bin/sh
# check-abi.sh: for every CPU of tools/cpus.txt (Cortex-M0+: SAMD21, RP2040; Cortex-M4F: SAMD51;
# Cortex-M33: RP2350 and others; RISC-V: ESP32-C3, C6 and others), the core's staticlib defines
# exactly the names of include/memorymonitor.exports (the ABI of include/memorymonitor.h), and
# tests/abi/hooks.c, which defines the allocation hook as CircuitPython's build does and calls the
# hooks as its gc.c and main.c do, compiled by a C compiler for that CPU, links with it.
set -eu
cd "$(dirname "$0")/.."
out=build/abi
mkdir -p "$out"
check() {
    target=$1 tools=$2
    shift 2
    tools/rust-targets.sh --have "$target" || return 0
    cargo build --quiet --release --target "$target" </dev/null
    lib=target/$target/release/libmemorymonitor.a
    # The object a firmware links (tools/core-object.sh) defines exactly the ABI.
    sh tools/core-object.sh "$target" "$lib" "${tools}ld" "$out/core-$target.o"
    sh tools/check-core-object.sh "${tools}nm" "$out/core-$target.o" >/dev/null
    "${tools}gcc" "$@" -O2 -Wall -Werror -Iinclude -Icmodule \
        tests/abi/hooks.c "$lib" -o "$out/hooks-$target.elf" 2>"$out/link-$target.log" \
        || { cat "$out/link-$target.log"; exit 1; }
    echo "ok    $target exports exactly the ABI ($(wc -l < include/memorymonitor.exports) symbols) and links with the hooks' callers (${tools}gcc $*)"
}
# Every CPU of tools/cpus.txt. Debian's RISC-V compiler has no C library; hooks.c needs none
# (freestanding, no startup files).
while read -r target cross flags; do
    case $cross in
        arm-*) extra=--specs=nosys.specs ;;
        *) extra="-ffreestanding -nostdlib -Wl,-e,main" ;;
    esac
    check "$target" "$cross" $flags $extra
done <tools/cpus.txt
