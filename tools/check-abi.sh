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
    if ! rustup target list --installed | grep -qx "$target"; then
        echo "skip  $target: this machine's rustup cannot install its standard library"
        return
    fi
    cargo build --quiet --release --target "$target" </dev/null
    lib=target/$target/release/libmemorymonitor.a
    # Global definitions of the object a firmware links (tools/core-object.sh).
    sh tools/core-object.sh "$target" "$lib" "${tools}ld" "$out/core-$target.o"
    "${tools}nm" -g --defined-only "$out/core-$target.o" | awk 'NF == 3 {print $3}' \
        | LC_ALL=C sort > "$out/$target.exports"
    if ! diff -u include/memorymonitor.exports "$out/$target.exports"; then
        echo "memorymonitor: $target exports differ from include/memorymonitor.exports" >&2
        exit 1
    fi
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
