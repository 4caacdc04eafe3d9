#!/bin/sh
# check-abi.sh: for the CPUs of CircuitPython's boards (Cortex-M0+: SAMD21, RP2040; Cortex-M4F:
# SAMD51), the core's staticlib defines exactly the ABI of include/memorymonitor.h, and
# tests/abi/hooks.c, which calls the hooks as CircuitPython's gc.c and main.c do, links with it.
set -eu
cd "$(dirname "$0")/.."
out=build/abi
mkdir -p "$out"
# Functions and data the header declares.
sed -n -e 's/^[a-z].*[ *]\([a-z_]*\)(.*);$/\1/p' -e 's/^extern .*[ *]\([a-z_]*\);$/\1/p' include/memorymonitor.h \
    | sort > "$out/expected"
check() {
    target=$1
    shift
    cargo build --quiet --release --target "$target"
    lib=target/$target/release/libmemorymonitor.a
    # Global definitions of the crate's own object (core and compiler_builtins are separate).
    arm-none-eabi-nm -g --defined-only "$lib" 2>/dev/null \
        | awk '/^memorymonitor-.*\.o:$/ {on = 1; next} /:$/ || /^$/ {on = 0} on && NF == 3 {print $3}' \
        | grep -v '^_critical_section_1_0_' | sort > "$out/$target.exports"
    if ! diff -u "$out/expected" "$out/$target.exports"; then
        echo "memorymonitor: $target exports differ from include/memorymonitor.h" >&2
        exit 1
    fi
    arm-none-eabi-gcc "$@" -mthumb -O2 -Wall -Werror --specs=nosys.specs -Iinclude -Icmodule \
        tests/abi/hooks.c "$lib" -o "$out/hooks-$target.elf" 2>"$out/link-$target.log" \
        || { cat "$out/link-$target.log"; exit 1; }
    echo "ok    $target exports exactly the ABI ($(wc -l < "$out/expected") symbols) and links with the hooks' callers"
}
check thumbv6m-none-eabi -mcpu=cortex-m0plus
check thumbv7em-none-eabihf -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16
