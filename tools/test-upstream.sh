#!/bin/bash
# make test-upstream: builds the module into every tree of the upstream snapshots folder
# (../shared/upstream: MicroPython 1.28.0 and master, the submodules of their samd and rp2 ports,
# CircuitPython) with the make and cmake lines a user types, stock builds beside them, and
# checks each: tests/*.py on the unix ports and on the emulated boards (qemu; rp2040js for
# RP2040 firmware), MicroPython's own suite three ways, the disassembly of each board firmware
# for the allocator's routing, and the flash the module adds (at most 2048 bytes).
#   test-upstream.sh UPSTREAM_DIR WORK_DIR
# Prints one line per tree and check, then the flash table; exits 1 if any check failed.
set -uo pipefail
up=$(realpath -m "$1")
work=$(realpath -m "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/tools
if [ ! -f "$up/README.md" ]; then
    echo "skip  test-upstream: no upstream snapshots at $up (CI has them beside its clone; set UPSTREAM=/path/to/them)"
    exit 0
fi
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
budget=2048
logs=$work/logs
mkdir -p "$logs"
: >"$work/flash.txt"
failed=0

# step NAME COMMAND...: runs COMMAND with its output in logs/NAME.log; one line either way.
# The line shows the last line of the output that is not make's own.
step() {
    local name=$1 t0=$SECONDS log
    shift
    log=$logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_').log
    if "$@" >"$log" 2>&1; then
        printf 'ok    %-50s %4ds  %s\n' "$name" $((SECONDS - t0)) "$(grep -v '^make' "$log" | tail -n 1 | cut -c1-160)"
        return 0
    fi
    printf 'FAIL  %-50s %4ds  (log: %s)\n' "$name" $((SECONDS - t0)) "$log"
    tail -n 25 "$log" | sed 's/^/      /'
    failed=1
    return 1
}

need() {
    "$tools/need.sh" arm-none-eabi-gcc gcc-arm-none-eabi
    "$tools/need.sh" '/usr/lib/arm-none-eabi/lib/thumb/v6-m/nofp/libc.a' libnewlib-arm-none-eabi
    "$tools/need.sh" qemu-system-arm qemu-system-arm
    "$tools/need.sh" cmake cmake
    "$tools/need.sh" g++ g++
    "$tools/need.sh" node nodejs
    "$tools/need.sh" npm npm
    "$tools/rust-targets.sh" thumbv6m-none-eabi thumbv7em-none-eabihf thumbv8m.main-none-eabi
    python3 -c 'import serial, huffman, polib, cascadetoml, jinja2' 2>/dev/null \
        || python3 -m pip install -q --disable-pip-version-check pyserial huffman polib cascadetoml jinja2
    (cd "$tools/rp2040js" && npm ci --no-audit --no-fund --silent)
    echo "toolchains and emulators ready"
}

# unpack NAME TARBALL [EXTRA...]: unpacks the tree once (a stamp says it is whole).
unpack() {
    local name=$1 main=$2
    shift 2
    [ -f "$work/$name.unpacked" ] && { echo "already unpacked: $work/$name"; return 0; }
    rm -rf "${work:?}/$name" && mkdir -p "$work/$name" || return 1
    tar -xJf "$main" -C "$work/$name" --strip-components=1 || return 1
    for extra; do tar -xJf "$extra" -C "$work/$name" --strip-components=1 || return 1; done
    touch "$work/$name.unpacked"
    echo "unpacked $work/$name"
}

# flash NAME STOCK_ELF MODULE_ELF: records text+data of both and fails over the budget.
flash() {
    local name=$1 a b
    a=$(arm-none-eabi-size "$2" | awk 'NR == 2 {print $1 + $2}')
    b=$(arm-none-eabi-size "$3" | awk 'NR == 2 {print $1 + $2}')
    printf '| %s | %d | %d | %+d |\n' "$name" "$a" "$b" $((b - a)) >>"$work/flash.txt"
    echo "$name: $a -> $b bytes of flash ($((b - a)) added; budget $budget)"
    [ $((b - a)) -le $budget ]
}

# run_tests TREE RESULTS BINARY [ARGS...]: MicroPython's run-tests.py of TREE on tests/*.py, with
# the unix BINARY (or "-" when ARGS name a board to test on). Emulated boards are slow, and
# mm_model.py prints only at its end: a test may be silent for minutes.
run_tests() {
    local tree=$1 results=$2 binary=$3
    shift 3
    (cd "$tree/tests" && MICROPY_MICROPYTHON=$binary MICROPY_TEST_TIMEOUT=900 \
        python3 ./run-tests.py "$@" -r "$results" "$root"/tests/*.py) \
        || { (cd "$tree/tests" && python3 ./run-tests.py -r "$results" --print-failures); return 1; }
}

unix_opts="VARIANT=standard MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_PY_SSL=0 FROZEN_MANIFEST="

# The unix port of a MicroPython tree: stock and module, tests/*.py, the suite three ways.
micropython_unix() {
    local v=$1 usermod=$2 tree=$work/$1 out=$work/out/$1
    step "$v unix: build stock" make -C "$tree/ports/unix" -j"$jobs" $unix_opts BUILD="$out/unix-stock" PROG=micropython || return
    step "$v unix: build with module (USER_C_MODULES=$usermod)" make -C "$tree/ports/unix" -j"$jobs" $unix_opts BUILD="$out/unix" PROG=micropython USER_C_MODULES="$usermod" || return
    step "$v unix: tests/*.py" run_tests "$tree" "$out/unix-results" "$out/unix/micropython" --heapsize 16M
    step "$v unix: the suite three ways" python3 "$tools/suite.py" "$out/unix-stock/micropython" "$out/unix/micropython" "$tree" "$out/suite"
}

# A qemu board of a MicroPython tree: stock and module, flash, no panic code, routing, tests/*.py.
micropython_qemu() {
    local v=$1 board=$2 tree=$work/$1 out=$work/out/$1/qemu-$2
    step "$v qemu $board: build stock" make -C "$tree/ports/qemu" -j"$jobs" BOARD="$board" BUILD="$out-stock" || return
    step "$v qemu $board: build with module" make -C "$tree/ports/qemu" -j"$jobs" BOARD="$board" BUILD="$out" USER_C_MODULES="$root" || return
    step "$v qemu $board: flash" flash "MicroPython ${v#micropython-} qemu $board" "$out-stock/firmware.elf" "$out/firmware.elf"
    step "$v qemu $board: no panic code" "$tools/check-nopanic.sh" "$out/firmware.elf"
    step "$v qemu $board: core object" "$tools/check-core-object.sh" arm-none-eabi-nm "$out/memorymonitor/memorymonitor-core.o"
    step "$v qemu $board: routing" python3 "$tools/check-routing.py" arm-none-eabi-objdump "$out/firmware.elf" micropython
    step "$v qemu $board: tests/*.py on the board" run_tests "$tree" "$out-results" - \
        -t execpty:"$("$tools/qemu-command.sh" "$tree" "$board") -kernel $out/firmware.elf"
}

# A board of a make or cmake port (samd, rp2): stock and module firmware, flash, routing, no
# panic code. Extra make arguments come from the environment of the caller (CMAKE_ARGS for rp2).
micropython_board() {
    local v=$1 port=$2 board=$3 usermod=$4 tree=$work/$1 out=$work/out/$1/$2-$3
    step "$v $port $board: build stock" make -C "$tree/ports/$port" -j"$jobs" BOARD="$board" BUILD="$out-stock" || return
    step "$v $port $board: build with module" make -C "$tree/ports/$port" -j"$jobs" BOARD="$board" BUILD="$out" USER_C_MODULES="$usermod" || return
    step "$v $port $board: flash" flash "MicroPython ${v#micropython-} $port $board" "$out-stock/firmware.elf" "$out/firmware.elf"
    step "$v $port $board: no panic code" "$tools/check-nopanic.sh" "$out/firmware.elf"
    step "$v $port $board: core object" "$tools/check-core-object.sh" arm-none-eabi-nm "$(find "$out" -name memorymonitor-core.o | head -n 1)"
    step "$v $port $board: routing" python3 "$tools/check-routing.py" arm-none-eabi-objdump "$out/firmware.elf" micropython
}

# rp2040js runs an RP2040 firmware and serves its USB REPL on stdin/stdout.
rp2040() {
    echo "node $tools/rp2040js/rp2040-repl.mjs --bootrom $up/rp2040/bootrom-b1.bin $*"
}

mp=$up/micropython
v128=micropython-1.28.0
vmaster=micropython-master
step "setup: toolchains and emulators" need || exit 1
step "setup: unpack $v128" unpack $v128 "$mp/$v128.tar.xz" "$mp/$v128"-lib-*.tar.xz || exit 1
step "setup: unpack $vmaster" unpack $vmaster "$mp/$vmaster.tar.xz" "$mp/$vmaster"-lib-*.tar.xz || exit 1
step "setup: unpack picotool" unpack picotool "$mp/picotool-2.2.0.tar.xz" || exit 1

# USER_C_MODULES names the repository, or (master) the folder that holds it.
step "$v128: mpy-cross" make -C "$work/$v128/mpy-cross" -j"$jobs"
micropython_unix $v128 "$root"
micropython_qemu $v128 MICROBIT
micropython_qemu $v128 MPS2_AN500
step "$vmaster: mpy-cross" make -C "$work/$vmaster/mpy-cross" -j"$jobs"
micropython_unix $vmaster "$(dirname "$root")"
micropython_qemu $vmaster MICROBIT

micropython_board $v128 samd ADAFRUIT_FEATHER_M0_EXPRESS "$root"
micropython_board $v128 samd ADAFRUIT_FEATHER_M4_EXPRESS "$root"

# rp2 is a cmake port; pico-sdk needs picotool, built here without USB (it only converts images).
picotool=$work/out/picotool
step "picotool: build" bash -c "cmake -S $work/picotool -B $picotool-build -DPICO_SDK_PATH=$work/$v128/lib/pico-sdk \
    -DCMAKE_INSTALL_PREFIX=$picotool -DPICOTOOL_FLAT_INSTALL=1 -DPICOTOOL_NO_LIBUSB=1 \
    && cmake --build $picotool-build -j$jobs && cmake --install $picotool-build"
export CMAKE_ARGS=-Dpicotool_DIR=$picotool/picotool
micropython_board $v128 rp2 RPI_PICO "$root/micropython.cmake"
micropython_board $v128 rp2 RPI_PICO2 "$root/micropython.cmake"
unset CMAKE_ARGS
# RP2040 in rp2040js (no core 1, so no threads): tests/*.py through the USB REPL, soft reset
# before each. RP2350 has no emulator here: built and checked above, not run.
pico=$work/out/$v128/rp2-RPI_PICO
step "$v128 rp2 RPI_PICO: tests/*.py in rp2040js" run_tests "$work/$v128" "$pico-results" - \
    -t exec:"$(rp2040 "$pico/firmware.uf2")" -e mm_threads

[ -f "$tools/test-upstream-circuitpython.sh" ] && . "$tools/test-upstream-circuitpython.sh"

echo
echo "Flash added by the module (text + data of firmware.elf, the same tree built without it; budget $budget bytes):"
echo
echo "| firmware | stock | with memorymonitor | added |"
echo "| --- | ---: | ---: | ---: |"
cat "$work/flash.txt"
exit $failed
