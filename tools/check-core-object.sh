#!/bin/sh
# check-core-object.sh NM CORE.o: the relocatable object that brings the Rust core into a firmware
# defines every name of include/memorymonitor.exports and nothing a C library or libgcc also
# defines (memmove, memcpy, log2f, __aeabi_*, ...): only those, and the unwinder's personality
# stub on hosted targets.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
defined=$("$1" -g --defined-only "$2" | awk 'NF == 3 {print $3}' | grep -vx rust_eh_personality | LC_ALL=C sort)
extra=$(echo "$defined" | grep -vxF -f "$root/include/memorymonitor.exports" || true)
missing=$(echo "$defined" | grep -xF -f - "$root/include/memorymonitor.exports" | diff - "$root/include/memorymonitor.exports" | sed -n 's/^> //p')
if [ -n "$extra" ] || [ -n "$missing" ]; then
    echo "memorymonitor: $2 does not define exactly the ABI: outside it: ${extra:-none}; missing: ${missing:-none}" | tr '\n' ' ' >&2
    echo >&2
    exit 1
fi
echo "ok    $2 defines only the ABI ($("$1" -g --defined-only "$2" | grep -c ' [TDBR] ') symbols)"
