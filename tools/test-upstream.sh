#!/bin/bash
# make test-upstream: builds the module into every tree of the upstream snapshots folder
# (../shared/upstream: MicroPython 1.28.0 and master, the submodules of their samd, rp2, nrf and
# mimxrt ports, CircuitPython) with the make and cmake lines a user types, stock builds beside
# them, and checks each: tests/*.py on the unix ports and on the emulated boards (qemu;
# rp2040js for RP2040 firmware), MicroPython's own suite three ways, the disassembly of each
# board firmware for the allocator's routing, and the flash the module adds (at most
# FLASH_BUDGET bytes).
#   test-upstream.sh UPSTREAM_DIR WORK_DIR
# Prints one line per tree and check, then the flash tables; exits 1 if any check failed.
# UPSTREAM_PARTS="micropython circuitpython" (the default) names what to build; FLASH_BUDGET the
# bytes of flash the module may add to a firmware (the Makefile passes its own).
set -uo pipefail
up=$(realpath -m "$1")
work=$(realpath -m "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/tools
# The Python packages of the checks, as the Makefile has them (tools/python-env.sh).
VENV=${VENV:-$root/build/venv}
export PATH=$VENV/bin:$PATH
if [ ! -f "$up/README.md" ]; then
    echo "skip  test-upstream: no upstream snapshots at $up (CI has them beside its clone; set UPSTREAM=/path/to/them)"
    exit 0
fi
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
budget=${FLASH_BUDGET:?the Makefile sets FLASH_BUDGET}
parts=${UPSTREAM_PARTS:-micropython circuitpython}
logs=$work/logs
mkdir -p "$logs"
: >"$work/flash.txt"
: >"$work/circuitpython-boards.txt"
: >"$work/times.txt"
failed=0

# log_of NAME: the log file of step NAME.
log_of() {
    echo "$logs/$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_').log"
}

# step NAME COMMAND...: runs COMMAND with its output in logs/NAME.log; one line either way.
# The line shows the last line of the output that is not make's own.
step() {
    local name=$1 t0=$SECONDS log
    shift
    log=$(log_of "$name")
    if "$@" >"$log" 2>&1; then
        printf 'ok    %-50s %4ds  %s\n' "$name" $((SECONDS - t0)) "$(grep -v '^make' "$log" | tail -n 1 | cut -c1-160)"
        printf '| %s | %d |\n' "$name" $((SECONDS - t0)) >>"$work/times.txt"
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
    "$tools/rust-targets.sh" thumbv6m-none-eabi thumbv7em-none-eabihf thumbv8m.main-none-eabi thumbv8m.main-none-eabihf
    "$tools/python-env.sh" "$VENV" serial=pyserial huffman polib cascadetoml jinja2
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

# text_data ELF: the flash a firmware takes (text + data).
text_data() {
    arm-none-eabi-size "$1" | awk 'NR == 2 {print $1 + $2}'
}

# firmware_checks NAME STOCK_DIR MODULE_DIR micropython|circuitpython: the checks of every board
# firmware (tools/check-firmware.sh), and a row of the flash table; leaves the flash added in
# `added`.
firmware_checks() {
    local name=$1 a b
    a=$(text_data "$2/firmware.elf")
    b=$(text_data "$3/firmware.elf")
    added=$((b - a))
    printf '| %s | %d | %d | %+d |\n' "$name" "$a" "$b" $added >>"$work/flash.txt"
    step "$name: firmware checks" "$tools/check-firmware.sh" "$name" "$2/firmware.elf" "$3/firmware.elf" "$4" "$budget"
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

# mmcheck_tests TREE BUILD BINARY: the companion package's tests and examples/ci on a unix
# BINARY, with micropython-lib's unittest from the 1.28.0 tree.
mmcheck_tests() {
    python3 "$tools/test-package.py" "$1/tests" --build "$2" --unix "unix=$3" \
        --unittest "$work/$v128/lib/micropython-lib/python-stdlib/unittest"
}

unix_opts="VARIANT=standard MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_PY_SSL=0 FROZEN_MANIFEST="

# The unix port of a MicroPython tree: stock and module, tests/*.py, the suite three ways.
micropython_unix() {
    local v=$1 usermod=$2 tree=$work/$1 out=$work/out/$1
    step "$v unix: build stock" make -C "$tree/ports/unix" -j"$jobs" $unix_opts BUILD="$out/unix-stock" PROG=micropython || return
    step "$v unix: build with module (USER_C_MODULES=$usermod)" make -C "$tree/ports/unix" -j"$jobs" $unix_opts BUILD="$out/unix" PROG=micropython USER_C_MODULES="$usermod" || return
    step "$v unix: tests/*.py" run_tests "$tree" "$out/unix-results" "$out/unix/micropython" --heapsize 16M
    step "$v unix: the suite three ways" python3 "$tools/suite.py" "$out/unix-stock/micropython" "$out/unix/micropython" "$tree" "$out/suite"
    step "$v unix: mmcheck (tests/package, examples/ci)" mmcheck_tests "$tree" "$out/package" "$out/unix/micropython"
}

# A qemu board of a MicroPython tree: stock and module, flash, no panic code, routing, tests/*.py.
micropython_qemu() {
    local v=$1 board=$2 tree=$work/$1 out=$work/out/$1/qemu-$2
    step "$v qemu $board: build stock" make -C "$tree/ports/qemu" -j"$jobs" BOARD="$board" BUILD="$out-stock" || return
    step "$v qemu $board: build with module" make -C "$tree/ports/qemu" -j"$jobs" BOARD="$board" BUILD="$out" USER_C_MODULES="$root" || return
    firmware_checks "MicroPython ${v#micropython-} qemu $board" "$out-stock" "$out" micropython
    step "$v qemu $board: tests/*.py on the board" run_tests "$tree" "$out-results" - \
        -t execpty:"$("$tools/qemu-command.sh" "$tree" "$board") -kernel $out/firmware.elf"
}

# unchanged ELF COMMAND...: runs COMMAND (the build that made ELF, again) and fails if it relinked.
unchanged() {
    local elf=$1 before
    shift
    before=$(stat -c %y "$elf") && "$@" || return 1
    [ "$(stat -c %y "$elf")" = "$before" ] || { echo "$elf was linked again"; return 1; }
    echo "the second build left $elf as it was"
}

# A board of a make or cmake port (samd, rp2): stock and module firmware, flash, routing, no
# panic code, and no relink when nothing changed. Extra make arguments come from the environment
# of the caller (CMAKE_ARGS for rp2).
micropython_board() {
    local v=$1 port=$2 board=$3 usermod=$4 tree=$work/$1 out=$work/out/$1/$2-$3
    local build=(make -C "$tree/ports/$port" -j"$jobs" BOARD="$board" BUILD="$out" USER_C_MODULES="$usermod")
    step "$v $port $board: build stock" make -C "$tree/ports/$port" -j"$jobs" BOARD="$board" BUILD="$out-stock" || return
    step "$v $port $board: build with module" "${build[@]}" || return
    step "$v $port $board: an unchanged build does not relink" unchanged "$out/firmware.elf" "${build[@]}"
    firmware_checks "MicroPython ${v#micropython-} $port $board" "$out-stock" "$out" micropython
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

# sweep LABEL SECTION ARGS...: the fault-injection sweep (tools/sweep.py) with ARGS; its table of
# outcomes goes into docs/testing.md's SECTION.
sweep() {
    local label=$1 section=$2
    shift 2
    python3 "$tools/sweep.py" "$@" --label "$label" --table "$root/docs/testing.md" --section "$section"
}

micropython_all() {
    # USER_C_MODULES names the repository, or (master) the folder that holds it.
    step "$v128: mpy-cross" make -C "$work/$v128/mpy-cross" -j"$jobs"
    micropython_unix $v128 "$root"
    # Every program of the unix port's test folders, at most about 200 trips each (docs/testing.md).
    step "$v128 unix: fault-injection sweep" sweep "MicroPython 1.28.0 unix" sweep-upstream-unix \
        --micropython "$work/out/$v128/unix/micropython" "$work/$v128/tests" --limit 200 --timeout 300
    micropython_qemu $v128 MICROBIT
    # A sample on the Cortex-M0 board: every 25th small program of basics, each on a fresh boot.
    step "$v128 qemu MICROBIT: fault-injection sweep, a sample" sweep "MicroPython 1.28.0 qemu MICROBIT" \
        sweep-upstream-microbit --board "$("$tools/qemu-command.sh" "$work/$v128" MICROBIT) \
        -kernel $work/out/$v128/qemu-MICROBIT/firmware.elf" "$work/$v128/tests" --dirs basics --every 25 \
        --max-size 1500 --limit 25 --timeout 300
    micropython_qemu $v128 MPS2_AN500
    step "$vmaster: mpy-cross" make -C "$work/$vmaster/mpy-cross" -j"$jobs"
    micropython_unix $vmaster "$(dirname "$root")"
    micropython_qemu $vmaster MICROBIT

    micropython_board $v128 samd ADAFRUIT_FEATHER_M0_EXPRESS "$root"
    micropython_board $v128 samd ADAFRUIT_FEATHER_M4_EXPRESS "$root"
    # nrf builds with LTO (the module takes gc.c, malloc.c and objexcept.c out of it); mimxrt
    # runs the linker itself, with its linker script before LDFLAGS.
    micropython_board $v128 nrf PCA10040 "$root"
    micropython_board $v128 mimxrt TEENSY40 "$root"

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
}

case " $parts " in *" micropython "*) micropython_all ;; esac
case " $parts " in *" circuitpython "*) . "$tools/test-upstream-circuitpython.sh" ;; esac

# The tables, printed, and written into docs/flash.md and the README where every part ran.
flash_table() {
    echo "| firmware | stock | with memorymonitor | added |"
    echo "| --- | ---: | ---: | ---: |"
    cat "$work/flash.txt"
}
boards_table() {
    echo "| board | CPU | left out | flash added | free, stock | free, with memorymonitor |"
    echo "| --- | --- | --- | ---: | ---: | ---: |"
    cat "$work/circuitpython-boards.txt"
}
echo
echo "Flash added by the module (text + data of firmware.elf, the same tree built without it; budget $budget bytes):"
echo
flash_table
if [ -s "$work/circuitpython-boards.txt" ]; then
    echo
    echo "CircuitPython boards, built with the README's lines (Arm GCC $(arm-none-eabi-gcc -dumpversion)):"
    echo
    boards_table
fi
if [ "$parts" = "micropython circuitpython" ] && [ $failed = 0 ] && [ -s "$work/circuitpython-boards.txt" ]; then
    flash_table | python3 "$tools/write-section.py" "$root/docs/flash.md" test-upstream-flash || failed=1
    boards_table | python3 "$tools/write-section.py" "$root/README.md" test-upstream-circuitpython-boards || failed=1
    { echo "| step | seconds |"; echo "| --- | ---: |"; cat "$work/times.txt"; echo "| all | $SECONDS |"; } \
        | python3 "$tools/write-section.py" "$root/docs/testing.md" test-upstream-times || failed=1
fi
exit $failed
