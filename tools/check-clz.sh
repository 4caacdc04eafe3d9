#!/bin/sh
# check-clz.sh TARGET: the hot path of cmodule/track.h (inline in the counting function of
# MicroPython's allocator wrappers and in CircuitPython's hook), compiled by GCC for TARGET's CPU,
# finds the bucket with a count-leading-zeros instruction where the CPU has one and with a loop
# where it has none (as GCC itself tells, compiling __builtin_clzl to a library call); and
# neither it nor the Rust core built for TARGET (target/TARGET/release) calls a library's
# leading-zeros routine (__clzsi2 and the like); and at -O3 (as CircuitPython's RP2040 build
# compiles) the hot path stays within twice its -Os size: a loop that -O3 unrolled would be several
# times larger.
set -eu
target=$1
root=$(cd "$(dirname "$0")/.." && pwd)
lib=$root/target/$target/release/libmemorymonitor.a
# A CPU of the target, as a port's GCC flags name it (tools/cpus.txt).
line=$(grep "^$target " "$root/tools/cpus.txt") || { echo "memorymonitor: tools/cpus.txt has no CPU for $target" >&2; exit 1; }
set -- $line
cc=${2}gcc
shift 2
flags=$*
objdump=${cc%gcc}objdump
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Whether the CPU has the instruction, from the compiler itself: where it has none, a leading-zeros
# builtin becomes a library call. track.h's own list of such CPUs must agree.
printf 'unsigned long f(unsigned long x) {\n    return __builtin_clzl(x);\n}\n' >"$tmp/probe.c"
"$cc" $flags -ffreestanding -Os -c "$tmp/probe.c" -o "$tmp/probe.o"
if "$objdump" -dr "$tmp/probe.o" | grep -q '__clz'; then want=loop; else want=instruction; fi
sh "$root/tools/core-object.sh" "$target" "$lib" "${cc%gcc}ld" "$tmp/core.o"
printf '#include "track.h"\nvoid *mm_counted(void *p, mm_tally_t *t, size_t blocks) {\n    return mm_track(p, t, blocks);\n}\n' >"$tmp/wrapper.c"
# size_at FLAG: compiles the hot path with FLAG into wrapperFLAG.o and prints its size.
size_at() {
    "$cc" $flags -ffreestanding "$1" -c -I"$root/include" -I"$root/cmodule" "$tmp/wrapper.c" -o "$tmp/wrapper$1.o"
    "${cc%gcc}size" "$tmp/wrapper$1.o" | awk 'NR == 2 {print $1}'
}
small=$(size_at -Os)
fast=$(size_at -O3)
case $small$fast in
    '' | *[!0-9]*) echo "memorymonitor: $target: could not measure the hot path ($cc $flags)" >&2; exit 1 ;;
esac
if [ "$fast" -gt $((2 * small)) ]; then
    echo "memorymonitor: $target: the hot path takes $small bytes at -Os but $fast at -O3: a loop was unrolled" >&2
    exit 1
fi
for part in core wrapper-Os wrapper-O3; do
    # A call is a relocation against the routine (the core object would define it too).
    calls=$("$objdump" -dr "$tmp/$part.o" | grep -cE 'R_[A-Z0-9_]+\s+__clz' || true)
    if [ "$calls" != 0 ]; then
        echo "memorymonitor: $target, $part: $calls calls to __clz*" >&2
        exit 1
    fi
done
clz=$("$objdump" -d "$tmp/wrapper-Os.o" | grep -cE '\sclz(\.w)?\s' || true)
if { [ $want = instruction ] && [ "$clz" = 0 ]; } || { [ $want = loop ] && [ "$clz" != 0 ]; }; then
    echo "memorymonitor: $target: the hot path has $clz clz instructions, expected the $want" >&2
    exit 1
fi
echo "ok    $target: the hot path finds the bucket with the $want ($flags; $small bytes at -Os, $fast at -O3); no __clz* call there or in the Rust core"
