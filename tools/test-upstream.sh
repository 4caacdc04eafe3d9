#!/bin/bash
# make test-upstream: builds the module into every tree of the upstream snapshots folder
# (../shared/upstream: MicroPython 1.28.0 and master, the submodules of their samd, rp2, stm32,
# nrf and mimxrt ports, CircuitPython) with the make and cmake lines a user types, stock builds
# beside them, and checks each: tests/*.py on the unix ports and on the emulated boards (qemu;
# rp2040js for RP2040 firmware), MicroPython's own suite three ways, the disassembly of each
# board firmware for the allocator's routing, and the flash the module adds (at most
# FLASH_BUDGET's figure for the firmware's instruction set).
#   test-upstream.sh UPSTREAM_DIR WORK_DIR
# Prints one line per tree and check, then the flash tables; exits 1 if any check failed.
# UPSTREAM_PARTS="micropython circuitpython" (the default) names what to build (make
# bench-circuitpython sets circuitpython-unix); SIDE_BY_SIDE_BOARDS=1 builds each CircuitPython
# board with CircuitPython's own module too, for docs/flash.md; FLASH_BUDGET the
# bytes of flash the module may add to a firmware and UNIX_OPTS the unix port's build options
# (the Makefile passes its own).
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
# One build date for the whole run: MicroPython writes the day into genhdr/mpversion.h, so a run
# that crosses midnight rebuilt, and "an unchanged build does not relink" failed.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}
logs=$work/logs
mkdir -p "$logs"
: >"$work/flash.txt"
: >"$work/circuitpython-boards.txt"
: >"$work/times.txt"
rm -rf "$work/side-by-side" && mkdir -p "$work/side-by-side"
rm -f "$work/failed"
failed=0
# Interrupted, the steps in the background (builds, emulators, a sweep that writes the docs) end
# with the script.
trap 'kill $(jobs -p) 2>/dev/null' EXIT
trap 'exit 130' INT TERM

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
    : >"$work/failed"
    return 1
}

# behind NAME COMMAND...: step NAME COMMAND... in the background, beside the step that follows
# it; `joined $?` after that step waits, and fails when either failed. Two builds side by side:
# one build's serial parts (the qstr scan, the link) leave a core idle that the other takes.
behind() {
    step "$@" &
    behind_pid=$!
}
joined() {
    wait "$behind_pid" && return "$1"
}

# later NAME COMMAND...: step NAME COMMAND... in the background, beside all the steps that follow
# until `settled`: an emulator runs on one core, and a build takes the other meanwhile; a build
# (CircuitPython's own module's) shares both cores with the builds that follow.
later_pids=()
later() {
    step "$@" &
    later_pids+=($!)
}
settled() {
    local pid
    for pid in "${later_pids[@]}"; do wait "$pid"; done
    later_pids=()
}

# The cross compilers, qemu and every Rust target come from the Makefile's qemu-tools, which
# make test-upstream runs first; these are what only this script needs.
need() {
    "$tools/need.sh" cmake cmake
    "$tools/need.sh" g++ g++
    "$tools/need.sh" node nodejs
    "$tools/need.sh" npm npm
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

# firmware_checks NAME STOCK_DIR MODULE_DIR micropython|circuitpython: the checks of every board
# firmware (tools/check-firmware.sh), and a row of the flash table; leaves the flash added in
# `added`.
firmware_checks() {
    local name=$1 a b
    a=$("$tools/flash.sh" --flash "$2/firmware.elf")
    b=$("$tools/flash.sh" --flash "$3/firmware.elf")
    added=$((b - a))
    printf '| %s | %d | %d | %+d |\n' "$name" "$a" "$b" $added >>"$work/flash.txt"
    step "$name: firmware checks" "$tools/check-firmware.sh" "$name" "$2/firmware.elf" "$3/firmware.elf" "$4" "$budget"
}

# firmware_checks_alone NAME MODULE_DIR SAME_AS micropython|circuitpython: the same for a firmware
# without a stock build of its own (its port and CPU have SAME_AS's), and its row of the flash
# table, without a figure added.
firmware_checks_alone() {
    printf '| %s | | %d | as %s |\n' "$1" "$("$tools/flash.sh" --flash "$2/firmware.elf")" "$3" >>"$work/flash.txt"
    step "$1: firmware checks" "$tools/check-firmware.sh" "$1" - "$2/firmware.elf" "$4" "$budget"
}

# run_tests TREE RESULTS BINARY [ARGS...]: MicroPython's run-tests.py of TREE on tests/*.py, with
# the unix BINARY (or "-" when ARGS name a board to test on). Emulated boards are slow, and
# mm_model.py prints only at its end: a test may be silent for minutes.
run_tests() {
    local tree=$1 results=$2 binary=$3
    shift 3
    MICROPY_MICROPYTHON=$binary MICROPY_TEST_TIMEOUT=900 "$tools/run-tests.sh" "$tree" "$results" --ours "$@"
}

# mmcheck_tests TREE BUILD BINARY: the companion package's tests and examples/ci on a unix
# BINARY, with micropython-lib's unittest from the 1.28.0 tree.
mmcheck_tests() {
    python3 "$tools/test-package.py" "$1/tests" --build "$2" --unix "unix=$3" \
        --unittest "$work/$v128/lib/micropython-lib/python-stdlib/unittest"
}

# The unix port's options, as the Makefile builds it (UNIX_OPTS), in the standard variant.
unix_opts="VARIANT=standard ${UNIX_OPTS:?the Makefile sets UNIX_OPTS}"

# micropython_unix TREE USER_C_MODULES [suite]: the unix port of a MicroPython tree with the
# module: tests/*.py and mmcheck's tests; with `suite`, also the stock build and MicroPython's own
# suite three ways (make test runs it on Debian's stable tree; here, on master's only).
micropython_unix() {
    local v=$1 usermod=$2 tree=$work/$1 out=$work/out/$1
    local build=(make -C "$tree/ports/unix" -j"$jobs" $unix_opts PROG=micropython)
    # The step's name says which folder, not where the clone is: the times table stays the same.
    local named="USER_C_MODULES=the repository"
    [ "$usermod" = "$root" ] || named="USER_C_MODULES=the folder holding the repository"
    if [ "${3:-}" = suite ]; then
        behind "$v unix: build stock" "${build[@]}" BUILD="$out/unix-stock"
        step "$v unix: build with module ($named)" "${build[@]}" BUILD="$out/unix" USER_C_MODULES="$usermod"
        joined $? || return
    else
        step "$v unix: build with module ($named)" "${build[@]}" BUILD="$out/unix" USER_C_MODULES="$usermod" \
            || return
    fi
    step "$v unix: tests/*.py" run_tests "$tree" "$out/unix-results" "$out/unix/micropython"
    [ "${3:-}" = suite ] && step "$v unix: the suite three ways" python3 "$tools/suite.py" "$out/unix-stock/micropython" \
        "$out/unix/micropython" "$tree" "$out/suite"
    step "$v unix: mmcheck (tests/package, examples/ci)" mmcheck_tests "$tree" "$out/package" "$out/unix/micropython"
}

# micropython_qemu TREE BOARD: a qemu board of a MicroPython tree, stock and module: flash, no
# panic code, routing, tests/*.py on the board, and with MMCHECK=1 in the environment also
# mmcheck's tests, both beside the builds that follow (an emulator takes one core). Both builds
# get what the board needs of Debian 12's toolchains (tools/qemu-board-args.txt).
micropython_qemu() {
    local v=$1 board=$2 tree=$work/$1 out=$work/out/$1/qemu-$2 command
    set -- $(awk -v b="$board" '$1 == b {$1 = ""; print}' "$tools/qemu-board-args.txt")
    behind "$v qemu $board: build stock" make -C "$tree/ports/qemu" -j"$jobs" BOARD="$board" "$@" BUILD="$out-stock"
    step "$v qemu $board: build with module" make -C "$tree/ports/qemu" -j"$jobs" BOARD="$board" "$@" BUILD="$out" USER_C_MODULES="$root"
    joined $? || return
    firmware_checks "MicroPython ${v#micropython-} qemu $board" "$out-stock" "$out" micropython
    command="$("$tools/qemu-command.sh" "$tree" "$board") -kernel $out/firmware.elf"
    later "$v qemu $board: tests/*.py on the board" run_tests "$tree" "$out-results" - -t execpty:"$command"
    [ "${MMCHECK:-}" = 1 ] || return 0
    later "$v qemu $board: mmcheck (tests/package)" python3 "$tools/test-package.py" "$tree/tests" \
        --build "$out-package" --board "$board=$command"
}

# unchanged ELF COMMAND...: runs COMMAND (the build that made ELF, again) and fails if it relinked.
unchanged() {
    local elf=$1 before
    shift
    before=$(stat -c %y "$elf") && "$@" || return 1
    [ "$(stat -c %y "$elf")" = "$before" ] || { echo "$elf was linked again"; return 1; }
    echo "the second build left $elf as it was"
}

# micropython_board TREE PORT BOARD USER_C_MODULES [MAKE_ARGS...]: a board of a make or cmake port
# (samd, stm32, nrf, mimxrt, rp2): stock and module firmware, flash, routing, no panic code, and
# no relink when nothing changed. rp2's CMAKE_ARGS come from the caller's environment.
micropython_board() {
    local v=$1 port=$2 board=$3 usermod=$4 tree=$work/$1
    shift 4
    # Extra make arguments (FS_SIZE=60K) name the board's builds too.
    local name="$port $board${*:+ $*}" out=$work/out/$v/$port-$board${*:+-$(echo "$*" | tr -c 'A-Za-z0-9\n' -)}
    local build=(make -C "$tree/ports/$port" -j"$jobs" BOARD="$board" "$@" BUILD="$out" USER_C_MODULES="$usermod")
    behind "$v $name: build stock" make -C "$tree/ports/$port" -j"$jobs" BOARD="$board" "$@" BUILD="$out-stock"
    step "$v $name: build with module" "${build[@]}"
    joined $? || return
    step "$v $name: an unchanged build does not relink" unchanged "$out/firmware.elf" "${build[@]}"
    firmware_checks "MicroPython ${v#micropython-} $name" "$out-stock" "$out" micropython
}

# micropython_board_only TREE PORT BOARD USER_C_MODULES SAME_AS [MAKE_ARGS...]: a board whose
# port and CPU already have a stock build (SAME_AS's): the module's firmware and its checks,
# without a flash figure of its own.
micropython_board_only() {
    local v=$1 port=$2 board=$3 usermod=$4 same=$5
    shift 5
    local name="$port $board${*:+ $*}" out=$work/out/$v/$port-$board${*:+-$(echo "$*" | tr -c 'A-Za-z0-9\n' -)}
    step "$v $name: build with module" make -C "$work/$v/ports/$port" -j"$jobs" BOARD="$board" "$@" BUILD="$out" \
        USER_C_MODULES="$usermod" || return
    firmware_checks_alone "MicroPython ${v#micropython-} $name" "$out" "$same" micropython
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
    # Every 4th program of the unix port's test folders (a program costs more than its trips), at
    # most about 100 trips each (docs/testing.md).
    step "$v128 unix: fault-injection sweep" sweep "MicroPython 1.28.0 unix" sweep-upstream-unix \
        --micropython "$work/out/$v128/unix/micropython" "$work/$v128/tests" --every 4 --limit 100 --timeout 300
    micropython_qemu $v128 MICROBIT
    # A sample on the Cortex-M0 board: every 50th small program of basics, each on a fresh boot.
    later "$v128 qemu MICROBIT: fault-injection sweep, a sample" sweep "MicroPython 1.28.0 qemu MICROBIT" \
        sweep-upstream-microbit --board "$("$tools/qemu-command.sh" "$work/$v128" MICROBIT) \
        -kernel $work/out/$v128/qemu-MICROBIT/firmware.elf" "$work/$v128/tests" --dirs basics --every 50 \
        --max-size 1500 --limit 25 --timeout 300
    micropython_qemu $v128 MPS2_AN500
    # RISC-V (32 and 64 bits), Cortex-M55 (Armv8.1-M, the family of RP2350's M33) and an STM32
    # (F205, Cortex-M3), each with what it needs of Debian 12's toolchains.
    MMCHECK=1 micropython_qemu $v128 VIRT_RV32
    MMCHECK=1 micropython_qemu $v128 VIRT_RV64
    MMCHECK=1 micropython_qemu $v128 MPS3_AN547
    MMCHECK=1 micropython_qemu $v128 NETDUINO2
    step "$vmaster: mpy-cross" make -C "$work/$vmaster/mpy-cross" -j"$jobs"
    micropython_unix $vmaster "$(dirname "$root")" suite
    micropython_qemu $vmaster MICROBIT

    micropython_board $v128 samd ADAFRUIT_FEATHER_M0_EXPRESS "$root"
    micropython_board $v128 samd ADAFRUIT_FEATHER_M4_EXPRESS "$root"
    # nrf and the small stm32 boards build with LTO; mimxrt runs the linker itself, with its
    # linker script before LDFLAGS.
    # One stock build per port and CPU: STM32F091 (Cortex-M0, LTO), F405 (M4F), F722 (M7); nRF51
    # (M0, LTO) and nRF52832 (M4F, LTO); the H743 and the nRF52840 share those CPUs' stock builds.
    micropython_board $v128 stm32 NUCLEO_F091RC "$root"
    micropython_board $v128 stm32 PYBV11 "$root"
    micropython_board $v128 stm32 NUCLEO_F722ZE "$root"
    # No stm32 board has threads by default: the H743 is built with them, so that a thread's tally
    # comes from the pool and its end must reach the module (check-routing's thread-end route).
    micropython_board_only $v128 stm32 VCC_GND_H743VI "$root" NUCLEO_F722ZE CFLAGS_EXTRA=-DMICROPY_PY_THREAD=1
    # The micro:bit's stock firmware leaves about 2.2 KB of its region free, less than the module
    # takes: the README's line takes 4 KB from the file system (the port's own FS_SIZE).
    micropython_board $v128 nrf MICROBIT "$root" FS_SIZE=60K
    micropython_board $v128 nrf PCA10040 "$root"
    micropython_board_only $v128 nrf PCA10056 "$root" PCA10040
    micropython_board $v128 mimxrt TEENSY40 "$root"

    # rp2 is a cmake port; pico-sdk needs picotool, built here without USB (it only converts images).
    picotool=$work/out/picotool
    step "picotool: build" bash -c "cmake -S $work/picotool -B $picotool-build -DPICO_SDK_PATH=$work/$v128/lib/pico-sdk \
        -DCMAKE_INSTALL_PREFIX=$picotool -DPICOTOOL_FLAT_INSTALL=1 -DPICOTOOL_NO_LIBUSB=1 \
        && cmake --build $picotool-build -j$jobs && cmake --install $picotool-build"
    export CMAKE_ARGS=-Dpicotool_DIR=$picotool/picotool
    micropython_board $v128 rp2 RPI_PICO "$root/micropython.cmake"
    # RP2040 in rp2040js (no core 1, so no threads): tests/*.py through the USB REPL, soft reset
    # before each, beside RP2350's builds. RP2350 has no emulator here: built and checked, not run.
    pico=$work/out/$v128/rp2-RPI_PICO
    later "$v128 rp2 RPI_PICO: tests/*.py in rp2040js" run_tests "$work/$v128" "$pico-results" - \
        -t exec:"$(rp2040 "$pico/firmware.uf2")" -e mm_threads
    micropython_board $v128 rp2 RPI_PICO2 "$root/micropython.cmake"
    unset CMAKE_ARGS
    settled
}

case " $parts " in *" micropython "*) micropython_all ;; esac
case " $parts " in *" circuitpython "* | *" circuitpython-unix "*) . "$tools/test-upstream-circuitpython.sh" ;; esac
settled

# The tables, printed, and written into docs/flash.md and the README where every part ran.
flash_table() {
    echo "| firmware | stock | with memorymonitor | added |"
    echo "| --- | ---: | ---: | ---: |"
    cat "$work/flash.txt"
}
micropython_boards_table() {
    echo "| firmware | stock | with memorymonitor | added |"
    echo "| --- | ---: | ---: | ---: |"
    grep "^| MicroPython ${v128#micropython-} " "$work/flash.txt"
}
boards_table() {
    echo "| board | CPU | left out | flash added | free, stock | free, with memorymonitor |"
    echo "| --- | --- | --- | ---: | ---: | ---: |"
    cat "$work/circuitpython-boards.txt"
}
if [ -s "$work/flash.txt" ]; then
    echo
    echo "Flash added by the module (text + data of firmware.elf, the same tree built without it; budget $budget):"
    echo
    flash_table
fi
if [ -s "$work/circuitpython-boards.txt" ]; then
    echo
    echo "CircuitPython boards, built with the README's lines (Arm GCC $(arm-none-eabi-gcc -dumpversion)):"
    echo
    boards_table
fi
# CircuitPython's own module beside this one: the unix port, then the boards in the README's order.
side_by_side_table() {
    local row
    echo "| firmware | flash, stock | added by CircuitPython's own | added by memorymonitor | RAM, stock | added by CircuitPython's own | added by memorymonitor |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for row in unix $([ "$side_by_side_boards" = 1 ] && cp_boards "${cp_lines[@]}"); do
        cat "$work/side-by-side/$row.row" || return 1
    done
}
if [ -s "$work/side-by-side/tests.md" ]; then
    echo
    echo "CircuitPython's own memorymonitor beside this one:"
    echo
    side_by_side_table
    echo
    cat "$work/side-by-side/tests.md"
fi
[ -e "$work/failed" ] && failed=1
# The side-by-side tables need only the CircuitPython part (UPSTREAM_PARTS=circuitpython
# SIDE_BY_SIDE_BOARDS=1 refreshes them in about half the time of a whole run).
if [ "${side_by_side_boards:-0}" = 1 ] && [ $failed = 0 ] && [ -s "$work/circuitpython-boards.txt" ]; then
    side_by_side_table | python3 "$tools/write-section.py" "$root/docs/flash.md" test-upstream-circuitpython-own \
        || failed=1
    # The symbols of the README's first board, the smallest.
    python3 "$tools/write-section.py" "$root/docs/flash.md" test-upstream-circuitpython-symbols \
        <"$work/side-by-side/$(cp_boards "${cp_lines[0]}").symbols.md" || failed=1
fi
if [ "$parts" = "micropython circuitpython" ] && [ $failed = 0 ] && [ -s "$work/circuitpython-boards.txt" ]; then
    flash_table | python3 "$tools/write-section.py" "$root/docs/flash.md" test-upstream-flash || failed=1
    boards_table | python3 "$tools/write-section.py" "$root/README.md" test-upstream-circuitpython-boards || failed=1
    micropython_boards_table | python3 "$tools/write-section.py" "$root/README.md" test-upstream-micropython-boards \
        || failed=1
    python3 "$tools/write-section.py" "$root/docs/circuitpython.md" test-upstream-circuitpython-own-tests \
        <"$work/side-by-side/tests.md" || failed=1
    { echo "| step | seconds |"; echo "| --- | ---: |"; cat "$work/times.txt"; echo "| all | $SECONDS |"; } \
        | python3 "$tools/write-section.py" "$root/docs/testing.md" test-upstream-times || failed=1
fi
exit $failed
