# Sourced by test-upstream.sh: CircuitPython from the snapshots folder, built as the README's
# "Put it in your CircuitPython" says, with the project's gc.c patch applied: the unix port's
# standard variant running tests/*.py, and every board line of that section (cp_cpu_of below),
# stock and with the module, with the firmware checks; raspberry_pi_pico also
# runs tests/*.py and a REPL session with a soft reload in rp2040js. Beside them, CircuitPython's
# own memorymonitor (tools/circuitpython-own.py) on the unix port (with SIDE_BY_SIDE_BOARDS=1 on
# every board line too): its flash and RAM, and how it does on tests/*.py.
# What it takes from test-upstream.sh (and nothing else):
#   variables  up (the snapshots folder), work (the work folder), root, tools, jobs, unix_opts,
#              parts (circuitpython-unix: only the unix port's three builds, for the benchmark),
#              SIDE_BY_SIDE_BOARDS from the environment (1: the boards with the original too),
#              v128 (the MicroPython tree whose run-tests.py and micropython-lib it borrows)
#   functions  step, behind, joined, later, run_tests, mmcheck_tests, sweep, rp2040,
#              firmware_checks, which leaves the flash added in `added`, and firmware_checks_alone
#   outputs    rows of $work/circuitpython-boards.txt and $work/flash.txt; in $work/side-by-side,
#              a NAME.row per firmware (unix and each board), BOARD.symbols.md per board, and
#              tests.md; for the tables, cp_lines (the README's board lines), cp_boards (the
#              board of each) and side_by_side_boards (SIDE_BY_SIDE_BOARDS, 0 unless set); a
#              failed step marks the run failed through step, as the sourcing script's own steps
#              do, and a board line without BOARD= sets `failed` to 1.
cpsrc=$up/circuitpython
cp_tarball=$(ls "$cpsrc"/circuitpython-*.tar.xz 2>/dev/null | head -n 1)
cp_tree=$work/circuitpython
side_by_side_boards=${SIDE_BY_SIDE_BOARDS:-0}
# A second copy, without the gc.c patch, for CircuitPython's own memorymonitor.
cp_own_tree=$work/circuitpython-own
cp_out=$work/out/circuitpython
# The snapshot has no .git: py/version.py takes the version from CP_VERSION instead.
export CP_VERSION=${cp_tarball##*/circuitpython-}
CP_VERSION=${CP_VERSION%.tar.xz}

# cp_unpack TREE FINISH...: unpacks the snapshot into TREE once (a stamp says it is whole), then
# runs FINISH (the patch, or the update of CircuitPython's own module).
cp_unpack() {
    local tree=$1
    shift
    [ -f "$tree.unpacked" ] && { echo "already unpacked: $tree"; return 0; }
    rm -rf "$tree" && mkdir -p "$tree" || return 1
    tar -xJf "$cp_tarball" -C "$tree" --strip-components=1 || return 1
    # Submodules: paths relative to CircuitPython's root.
    for sub in "$cpsrc"/cp-sub-*.tar.xz; do tar -xJf "$sub" -C "$tree" || return 1; done
    "$@" || return 1
    touch "$tree.unpacked"
}
cp_patch() {
    # The tree lies inside this repository's build folder: without the ceiling, git would take
    # it for a part of this repository and leave files outside the current folder unpatched.
    # (Whether gc.c then has the shape the module needs, the build's circuitpython.mk checks.)
    (cd "$cp_tree" && GIT_CEILING_DIRECTORIES=$work git apply "$root"/ports/circuitpython/0001-*.patch) || return 1
    echo "unpacked $cp_tree ($CP_VERSION), gc.c patched"
}

# The unix port's standard variant, without the parts whose sources the snapshot leaves out.
cp_unix="$unix_opts CFLAGS_EXTRA=-DMICROPY_PY_MICROPYTHON_RINGIO=0"

# The board lines a user copies from the README, which has them from this file (make regen).
cp_board_lines() {
    grep '^make -C ports/' "$root/ports/circuitpython/boards.txt"
}

# free_flash DIR: the bytes of the firmware's flash region (FLASH_FIRMWARE in the link map) that
# its text and data leave free.
free_flash() {
    local length
    length=$(awk '$1 == "FLASH_FIRMWARE" {print $3; exit}' "$1/firmware.elf.map")
    echo $((length - $("$tools/flash.sh" --flash "$1/firmware.elf")))
}

# cp_board LINE: builds the README's make LINE as it is, and again without USER_C_MODULES (the
# stock firmware with the same features) where no line before it has the same CPU (one stock build
# per port and CPU: the flash added is the first such board's), each in a build folder of its own;
# then the firmware checks, and a row of the board table with the bytes that stay free.
declare -A cp_stock_of # CPU -> the board whose stock build it has
cp_board() {
    local line=$1 args=() stock=() module=() port board a
    # The line's words as the shell would split them (LIBS="-lgcc -lc" is one), without running
    # anything in it.
    mapfile -t args < <(python3 -c 'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "${line#make -C ports/}")
    port=${args[0]}
    board=$(cp_boards "$line")
    for a in "${args[@]:1}"; do
        case $a in
            USER_C_MODULES=*) module+=("USER_C_MODULES=$root") ;;
            *) stock+=("$a"); module+=("$a") ;;
        esac
    done
    if [ -z "$board" ]; then
        echo "FAIL  a board line of the README names no BOARD: $line"
        failed=1
        return
    fi
    local out=$cp_out/$board name="$cp_name $board" cpu same
    cpu=${cp_cpu_of[$board]:-}
    same=${cp_stock_of[$cpu]:-}
    # Beside CircuitPython's own module (SIDE_BY_SIDE_BOARDS=1), every board has its stock build.
    if [ -n "$same" ] && [ "$side_by_side_boards" != 1 ]; then
        step "$name: build the README's line" make -C "$cp_tree/ports/$port" -j"$jobs" "${module[@]}" BUILD="$out" || return
        firmware_checks_alone "$name" "$out" "$same" circuitpython
        printf '| `%s` | %s | %s | as `%s` | | %d |\n' "$board" "$cpu" "$(cp_dropped "${stock[@]}")" "$same" \
            "$(free_flash "$out")" >>"$work/circuitpython-boards.txt"
        return
    fi
    cp_stock_of[$cpu]=$board
    behind "$name: build stock" make -C "$cp_tree/ports/$port" -j"$jobs" "${stock[@]}" BUILD="$out-stock"
    step "$name: build the README's line" make -C "$cp_tree/ports/$port" -j"$jobs" "${module[@]}" BUILD="$out"
    joined $? || return
    firmware_checks "$name" "$out-stock" "$out" circuitpython
    # CircuitPython's own module, the same line with CIRCUITPY_MEMORYMONITOR=1 in place of
    # USER_C_MODULES, beside the boards built after it (SIDE_BY_SIDE_BOARDS=1: a third build of
    # each board, which CI's time cannot hold).
    if [ "$side_by_side_boards" = 1 ]; then
        later "$name: build CircuitPython's own module" cp_own_board "$board" "$port" "${stock[@]}"
    fi
    printf '| `%s` | %s | %s | %+d | %d | %d |\n' "$board" "$cpu" "$(cp_dropped "${stock[@]}")" "$added" \
        "$(free_flash "$out-stock")" "$(free_flash "$out")" >>"$work/circuitpython-boards.txt"
}

# cp_dropped MAKE_ARGS...: the features a board line leaves out to make room (not those every
# line of its port turns off for Debian's compiler or the snapshot).
cp_dropped() {
    local drop
    drop=$(printf '%s\n' "$@" | grep -E '^CIRCUITPY_[A-Z0-9_]+=0$' \
        | grep -vE '^CIRCUITPY_(MIN_GCC_VERSION|HASHLIB|HASHLIB_MBEDTLS|USB_HOST)=' | paste -sd ' ')
    echo "${drop:-nothing}"
}

# cp_own_board BOARD PORT MAKE_ARGS...: the board with CircuitPython's own module, and its row of
# the side-by-side table.
cp_own_board() {
    local board=$1 out=$cp_out/$1 port=$2
    shift 2
    make -C "$cp_own_tree/ports/$port" -j"$jobs" "$@" CIRCUITPY_MEMORYMONITOR=1 BUILD="$out-own" || return
    cp_firmware "$board" "$out-stock/firmware.elf" "$out-own/firmware.elf" "$out/firmware.elf" || return
    python3 "$tools/symbols.py" "$out-stock/firmware.elf" "CircuitPython's own=$out-own/firmware.elf" \
        "memorymonitor=$out/firmware.elf" >"$work/side-by-side/$board.symbols.md"
}

# The boards the README's lines must build (SAMD21 twice), with their CPU for the tables.
declare -A cp_cpu_of=(
    [trinket_m0]="SAMD21 (Cortex-M0+)" [feather_m0_express]="SAMD21 (Cortex-M0+)"
    [feather_m4_express]="SAMD51 (Cortex-M4F)" [raspberry_pi_pico]="RP2040 (Cortex-M0+)"
    [raspberry_pi_pico2]="RP2350 (Cortex-M33)"
)

# cp_boards LINE...: the board each line builds, one per line (nothing for a line without BOARD=).
cp_boards() {
    printf '%s\n' "$@" | sed -n 's/.* BOARD=\([^ ]*\).*/\1/p'
}

# cp_families LINE...: the lines build every board of cp_cpu_of, and only those.
cp_families() {
    local b
    for b in "${!cp_cpu_of[@]}"; do
        printf '%s\n' "$@" | grep -q " BOARD=$b " || { echo "no line for $b"; return 1; }
    done
    for b in $(cp_boards "$@"); do
        [ -n "${cp_cpu_of[$b]:-}" ] || { echo "a line for $b, whose CPU cp_cpu_of does not name"; return 1; }
    done
    if printf '%s\n' "$@" | grep -qv ' USER_C_MODULES=/path/to/memorymonitor'; then
        echo "a line without USER_C_MODULES=/path/to/memorymonitor"
        return 1
    fi
    echo "$# lines: $(cp_boards "$@" | paste -sd ' ')"
}

# raspberry_pi_pico in rp2040js: tests/*.py, then a REPL session with a soft reload.
cp_pico() {
    local status=0
    run_tests "$work/$v128" "$pico-results" - -t exec:"$(rp2040 --press-key "$pico/firmware.uf2")" -e mm_threads \
        || status=1
    python3 "$tools/rp2040js/circuitpython-session.py" "$pico/firmware.uf2" "$up/rp2040/bootrom-b1.bin" || status=1
    return $status
}

# cp_usermods: the USER_C_MODULES folders of the unix port's three builds, $cp_out/usermods-KIND:
# stock, own (CircuitPython's own memorymonitor) and module (this one, as the README's unix line
# builds it). All three have CircuitPython's traceback module, which the standard variant leaves
# out and full board builds have (mmcheck.where() reads its tracebacks), so that they differ only
# in memorymonitor. The port does not read CIRCUITPY_MEMORYMONITOR: own lists its sources, and
# the macro turns gc.c's hook calls on.
cp_usermods() {
    local kind
    mkdir -p "$cp_out/traceback" "$cp_out/usermods-stock" "$cp_out/usermods-module" "$cp_out/usermods-own/memorymonitor" \
        || return 1
    # Sources named by absolute paths: py.mk puts the object of a source outside USER_C_MODULES
    # at $(BUILD)/ and its path, which for $(TOP)'s ../.. is outside BUILD and shared by the builds.
    printf '%s\n' 'SRC_USERMOD_C += $(addprefix $(abspath $(TOP))/,shared-bindings/traceback/__init__.c shared-module/traceback/__init__.c)' \
        'CFLAGS_USERMOD += -DCIRCUITPY_TRACEBACK=1' >"$cp_out/traceback/micropython.mk"
    for kind in stock own module; do ln -sfn "$cp_out/traceback" "$cp_out/usermods-$kind/traceback" || return 1; done
    ln -sfn "$root" "$cp_out/usermods-module/memorymonitor"
    printf '%s\n' \
        'SRC_USERMOD_C += $(foreach d,shared-bindings shared-module,$(addprefix $(abspath $(TOP))/$(d)/memorymonitor/,__init__.c AllocationAlarm.c AllocationSize.c))' \
        'CFLAGS_USERMOD += -UCIRCUITPY_MEMORYMONITOR -DCIRCUITPY_MEMORYMONITOR=1' >"$cp_out/usermods-own/memorymonitor/micropython.mk"
}

# cp_unix_build KIND: CircuitPython's unix port, standard variant, into $cp_out/unix-KIND, own
# from the tree without the gc.c patch.
cp_unix_build() {
    local tree=$cp_tree
    [ "$1" = own ] && tree=$cp_own_tree
    make -C "$tree/ports/unix" -j"$jobs" $cp_unix BUILD="$cp_out/unix-$1" USER_C_MODULES="$cp_out/usermods-$1"
}

# cp_unix: the unix port three ways; this module runs tests/*.py, mmcheck's tests and a sample of
# the sweep, and CircuitPython's own runs tests/*.py, whose differences go into a table.
cp_unix() {
    local name="$cp_name unix" bin=$cp_out/unix-module/micropython
    step "$name: the USER_C_MODULES folders" cp_usermods || return
    behind "$name: build stock" cp_unix_build stock
    step "$name: build with module" cp_unix_build module
    joined $? || return
    behind "$name: build CircuitPython's own module" cp_unix_build own
    # The snapshot has no tests/: MicroPython's run-tests.py drives CircuitPython's binary.
    step "$name: tests/*.py" run_tests "$work/$v128" "$cp_out/unix-results" "$bin"
    if joined 0; then
        step "$name: flash and RAM beside CircuitPython's own module" cp_firmware unix \
            "$cp_out/unix-stock/micropython" "$cp_out/unix-own/micropython" "$bin"
        step "$name: tests/*.py on CircuitPython's own module" python3 "$tools/compare-tests.py" \
            "$cp_out/unix-own/micropython" "$work/side-by-side/tests.md" "$root"/tests/*.py
    fi
    step "$name: mmcheck (tests/package, examples/ci)" mmcheck_tests "$work/$v128" "$cp_out/package" "$bin"
    step "$name: fault-injection sweep, a sample" sweep "$name" sweep-upstream-circuitpython \
        --micropython "$bin" "$work/$v128/tests" --every 4 --limit 60 --timeout 300
}

# cp_firmware NAME STOCK OWN MODULE: NAME's row of the side-by-side table (a file of its own, as
# the boards' rows come in the order their builds end): flash and static RAM of the three builds.
cp_firmware() {
    local s o m
    s=($("$tools/flash.sh" "$2")) && o=($("$tools/flash.sh" "$3")) && m=($("$tools/flash.sh" "$4")) || return 1
    printf '| %s | %d | %+d | %+d | %d | %+d | %+d |\n' "$1" "${s[0]}" $((o[0] - s[0])) $((m[0] - s[0])) \
        "${s[1]}" $((o[1] - s[1])) $((m[1] - s[1])) >"$work/side-by-side/$1.row"
}

cp_name="CircuitPython ${CP_VERSION%%-g*}"
if [ -z "$cp_tarball" ]; then
    echo "skip  CircuitPython: no circuitpython-*.tar.xz in $cpsrc"
elif ! step "setup: unpack CircuitPython, apply the gc.c patch" cp_unpack "$cp_tree" cp_patch \
    || ! step "setup: unpack CircuitPython again, its own memorymonitor updated" cp_unpack "$cp_own_tree" \
        python3 "$tools/circuitpython-own.py" "$cp_own_tree"; then
    :
elif [ "$parts" = circuitpython-unix ]; then
    # make bench-circuitpython: the three unix builds, nothing run.
    step "$cp_name unix: the USER_C_MODULES folders" cp_usermods \
        && for kind in stock own module; do step "$cp_name unix: build $kind" cp_unix_build $kind; done
else
    cp_unix
    mapfile -t cp_lines < <(cp_board_lines)
    step "$cp_name: the README's board lines name every board family" cp_families "${cp_lines[@]}"
    pico=$cp_out/raspberry_pi_pico
    for line in "${cp_lines[@]}"; do
        cp_board "$line"
        # raspberry_pi_pico in rp2040js, beside the boards built after it.
        case $line in *" BOARD=raspberry_pi_pico "*) [ -f "$pico/firmware.uf2" ] && later "$cp_name raspberry_pi_pico: rp2040js" cp_pico ;; esac
    done
fi
