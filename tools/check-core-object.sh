#!/bin/sh
# check-core-object.sh NM CORE.o: the relocatable object that brings the Rust core into a firmware
# defines every name of include/memorymonitor.exports and nothing a C library or libgcc also
# defines (memmove, memcpy, log2f, __aeabi_*, ...): only those, and the unwinder's personality
# stub on hosted targets.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
exports=$root/include/memorymonitor.exports
defined=$("$1" -g --defined-only "$2" | awk 'NF == 3 {print $3}' | grep -vx rust_eh_personality || true)
extra=$(echo "$defined" | grep -vxF -f "$exports" || true)
missing=$(echo "$defined" | grep -vxF -f - "$exports" || true)
if [ -n "$extra" ] || [ -n "$missing" ]; then
    echo "memorymonitor: $2 does not define exactly the ABI: outside it: $(echo ${extra:-none}); missing: $(echo ${missing:-none})" >&2
    exit 1
fi
echo "ok    $2 defines only the ABI ($("$1" -g --defined-only "$2" | grep -c ' [TDBR] ') symbols)"
