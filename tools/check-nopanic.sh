#!/bin/sh
# check-nopanic.sh FIRMWARE.elf [NM]: no panic machinery in the firmware: nothing of core::fmt or
# core::panicking is linked in (the core has no panicking path, so none may be reachable).
set -eu
found=$("${2:-arm-none-eabi-nm}" -C "$1" | grep -E 'core::(fmt|panicking)|rust_begin_unwind' || true)
if [ -n "$found" ]; then
    echo "$found"
    echo "memorymonitor: panic code is linked into $1" >&2
    exit 1
fi
echo "ok    no core::fmt or core::panicking symbol in $1"
