#!/bin/sh
# core-object.sh TARGET LIB LD OUT: OUT, the one relocatable object of the Rust core that a
# firmware links, from the core's staticlib LIB built for TARGET: just what the exported functions
# (include/memorymonitor.exports) need, so that nothing of compiler_builtins the core does not
# call (memmove, say) may stand in for the port's own C library. build-core.sh makes every
# firmware's this way; check-abi.sh and check-clz.sh check what it makes.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=$1 lib=$2 ld=$3 out=$4
# Debian's RISC-V binutils are 64-bit by default: a 32-bit core needs the 32-bit emulation named.
emulation=
case $target in riscv32*) emulation="-m elf32lriscv" ;; esac
"$ld" -r $emulation $(sed 's/^/-u /' "$root/include/memorymonitor.exports") -o "$out" "$lib"
