#!/bin/sh
# build-core.sh CORE.o LD OBJCOPY CC [FLAG...]: builds memorymonitor's Rust core for the CPU that
# the C compiler CC and its FLAGs build for, as the one relocatable object CORE.o that a firmware
# links. micropython.mk, micropython.cmake and CircuitPython's build all call it.
# build-core.sh --target CC [FLAG...] prints the Rust target only.
# MEMORYMONITOR_TARGET, when set, is the target; otherwise tools/rust-target.sh picks it. CORE.o
# is replaced only when its contents change, so that an unchanged build does not relink.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
if [ "$out" = --target ]; then
    shift 1
else
    ld=$2 objcopy=$3
    shift 3
fi
target=${MEMORYMONITOR_TARGET:-$(sh "$root/tools/rust-target.sh" "$@")} || { echo "$target" >&2; exit 1; }
if [ "$out" = --target ]; then
    echo "$target"
    exit 0
fi
command -v cargo >/dev/null || { echo "memorymonitor needs cargo and rustc: install Rust with rustup (https://rustup.rs), then build again" >&2; exit 1; }
sh "$root/tools/rust-targets.sh" --need "$target"
dir=$(dirname "$out")
mkdir -p "$dir"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --target "$target" --target-dir "$dir/cargo"
lib=$dir/cargo/$target/release/libmemorymonitor.a
# rustc's Arm unwind index tables are of no use (panic = "abort") and a port's linker script
# need not place them; the stack note would make the linker warn about newlib's startup files.
case $target in
    thumb*) "$objcopy" -R '.ARM.exidx*' -R '.ARM.extab*' -R .note.GNU-stack "$lib" "$dir/core.a" ;;
    *) cp "$lib" "$dir/core.a" ;;
esac
sh "$root/tools/core-object.sh" "$target" "$dir/core.a" "$ld" "$out.new"
if cmp -s "$out.new" "$out"; then rm "$out.new"; else mv "$out.new" "$out"; fi
