#!/bin/sh
# check-core-object.sh NM CORE.o: the relocatable object that brings the Rust core into a firmware
# defines the C ABI of include/memorymonitor.h and nothing a C library or libgcc also defines
# (memmove, memcpy, log2f, __aeabi_*, ...): only the ABI, critical-section's two functions on
# CPUs without compare-and-swap, and the unwinder's personality stub on hosted targets.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
extra=$("$1" -g --defined-only "$2" | awk 'NF == 3 {print $3}' | sort | while read -r sym; do
    case $sym in _critical_section_1_0_acquire | _critical_section_1_0_release | rust_eh_personality) continue ;; esac
    grep -q "[ *]$sym[(;]" "$root/include/memorymonitor.h" || echo "$sym"
done)
if [ -n "$extra" ]; then
    echo "memorymonitor: $2 defines symbols outside the ABI: $(echo $extra)" >&2
    exit 1
fi
echo "ok    $2 defines only the ABI ($("$1" -g --defined-only "$2" | grep -c ' [TDBR] ') symbols)"
