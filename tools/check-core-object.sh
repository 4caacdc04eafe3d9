#!/bin/sh
# check-core-object.sh NM CORE.o: the relocatable object that brings the Rust core into a firmware
# defines the names of include/memorymonitor.exports and nothing a C library or libgcc also
# defines (memmove, memcpy, log2f, __aeabi_*, ...): only those, and the unwinder's personality
# stub on hosted targets.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
extra=$("$1" -g --defined-only "$2" | awk 'NF == 3 {print $3}' | sort | while read -r sym; do
    [ "$sym" = rust_eh_personality ] || grep -qx "$sym" "$root/include/memorymonitor.exports" || echo "$sym"
done)
if [ -n "$extra" ]; then
    echo "memorymonitor: $2 defines symbols outside the ABI: $(echo $extra)" >&2
    exit 1
fi
echo "ok    $2 defines only the ABI ($("$1" -g --defined-only "$2" | grep -c ' [TDBR] ') symbols)"
