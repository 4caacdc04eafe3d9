#!/bin/sh
# rust-target.sh CC [FLAG...]: the Rust target triple for code that the C compiler CC builds with
# FLAGs, or one line starting "memorymonitor:" that says why there is none (exit status 1).
# tools/build-core.sh asks it for make and cmake ports alike.
cc=$1
shift
cpu= arch= abi= float=
for flag; do
    case $flag in
        -mcpu=*) cpu=${flag#-mcpu=} ;;
        -march=*) arch=${flag#-march=} ;;
        -mabi=*) abi=${flag#-mabi=} ;;
        -mfloat-abi=*) float=${flag#-mfloat-abi=} ;;
    esac
done
fail() {
    echo "memorymonitor: $*: set MEMORYMONITOR_TARGET to its Rust target triple"
    exit 1
}

case $cc in
    *xtensa*)
        echo "memorymonitor: Xtensa CPUs (ESP32, ESP32-S2, ESP32-S3, ESP8266) have no target in stable Rust: build for an Arm or RISC-V board (ESP32-C3, ESP32-C6), or install Espressif's Rust toolchain and set MEMORYMONITOR_TARGET"
        exit 1 ;;
esac

# Only a hard-float ABI changes how functions are called; softfp links with soft-float code.
hf=
[ "$float" = hard ] && hf=hf
# Extensions such as +nodsp or .small-multiply do not change the instruction set's family.
case ${cpu%%[+.]*} in
    '') ;;
    cortex-m0 | cortex-m0plus | cortex-m1) echo thumbv6m-none-eabi; exit 0 ;;
    cortex-m3) echo thumbv7m-none-eabi; exit 0 ;;
    cortex-m4 | cortex-m7) echo thumbv7em-none-eabi$hf; exit 0 ;;
    cortex-m23) echo thumbv8m.base-none-eabi; exit 0 ;;
    cortex-m33 | cortex-m35p | cortex-m55 | cortex-m85) echo thumbv8m.main-none-eabi$hf; exit 0 ;;
    *) fail "no Rust target is known for -mcpu=$cpu" ;;
esac

case $arch in
    '')
        rustc -vV 2>/dev/null | sed -n 's/^host: //p'
        exit 0 ;;
    rv32* | rv64*) ;;
    *) fail "no Rust target is known for -march=$arch" ;;
esac

# RISC-V: the single-letter extensions (g is imafd), then multi-letter ones after underscores;
# Zca alone is the compressed instructions of a CPU without floating point.
base=${arch%%_*}
ext=$(echo "${base#rv??}" | sed 's/g/imafd/')
case $arch in *_zca*) ext=${ext}c ;; esac
has() {
    for e; do
        case $ext in *$e*) ;; *) return 1 ;; esac
    done
}
case ${arch%"${arch#rv??}"}/${abi:-default} in
    rv32/ilp32f) has m a f c && echo riscv32imafc-unknown-none-elf && exit 0 ;;
    rv32/ilp32 | rv32/default)
        has m a c && echo riscv32imac-unknown-none-elf && exit 0
        has m c && echo riscv32imc-unknown-none-elf && exit 0 ;;
    rv64/lp64d | rv64/default)
        has m a f d c && echo riscv64gc-unknown-none-elf && exit 0
        [ "$abi" = lp64d ] || { has m a c && echo riscv64imac-unknown-none-elf && exit 0; } ;;
    rv64/lp64) has m a c && echo riscv64imac-unknown-none-elf && exit 0 ;;
esac
fail "no Rust target is known for -march=$arch -mabi=${abi:-(default)}"
