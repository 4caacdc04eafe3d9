# Sourced by test-upstream.sh: CircuitPython from the snapshots folder, built as the README's
# "Put it in your CircuitPython" says, with the project's gc.c patch applied: the unix port's
# standard variant running tests/*.py, and every board line of that section (SAMD21, SAMD51,
# RP2040, RP2350), stock and with the module, with the firmware checks; raspberry_pi_pico also
# runs tests/*.py and a REPL session with a soft reload in rp2040js.
# What it takes from test-upstream.sh (and nothing else):
#   variables  up (the snapshots folder), work (the work folder), root, tools, jobs, unix_opts,
#              v128 (the MicroPython tree whose run-tests.py and micropython-lib it borrows)
#   functions  step, behind, joined, later, run_tests, mmcheck_tests, sweep, rp2040, text_data, and
#              firmware_checks, which leaves the flash added in `added`
#   outputs    rows of $work/circuitpython-boards.txt and $work/flash.txt; a failed step marks
#              the run failed through step, as the sourcing script's own steps do.
cpsrc=$up/circuitpython
cp_tarball=$(ls "$cpsrc"/circuitpython-*.tar.xz 2>/dev/null | head -n 1)
cp_tree=$work/circuitpython
cp_out=$work/out/circuitpython
# The snapshot has no .git: py/version.py takes the version from CP_VERSION instead.
export CP_VERSION=${cp_tarball##*/circuitpython-}
CP_VERSION=${CP_VERSION%.tar.xz}

cp_unpack() {
    [ -f "$work/circuitpython.unpacked" ] && { echo "already unpacked: $cp_tree"; return 0; }
    rm -rf "$cp_tree" && mkdir -p "$cp_tree" || return 1
    tar -xJf "$cp_tarball" -C "$cp_tree" --strip-components=1 || return 1
    # Submodules: paths relative to CircuitPython's root.
    for sub in "$cpsrc"/cp-sub-*.tar.xz; do tar -xJf "$sub" -C "$cp_tree" || return 1; done
    # The tree lies inside this repository's build folder: without the ceiling, git would take
    # it for a part of this repository and leave files outside the current folder unpatched.
    (cd "$cp_tree" && GIT_CEILING_DIRECTORIES=$work git apply "$root"/ports/circuitpython/0001-*.patch) || return 1
    grep -c '^[[:space:]]*memorymonitor_track_allocation' "$cp_tree/py/gc.c" | grep -qx 2 || { echo "the gc.c patch did not apply"; return 1; }
    touch "$work/circuitpython.unpacked"
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
    echo $((length - $(text_data "$1/firmware.elf")))
}

# cp_board LINE: builds the README's make LINE as it is, and again without USER_C_MODULES (the
# stock firmware with the same features), each in a build folder of its own; then the firmware
# checks, and a row of the board table with the bytes that stay free.
cp_board() {
    local line=$1 args=() stock=() module=() port board= a
    # The line's words as the shell would split them (LIBS="-lgcc -lc" is one), without running
    # anything in it.
    mapfile -t args < <(python3 -c 'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "${line#make -C ports/}")
    port=${args[0]}
    for a in "${args[@]:1}"; do
        case $a in
            BOARD=*) board=${a#BOARD=} ;;
        esac
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
    local out=$cp_out/$board name="$cp_name $board"
    behind "$name: build stock" make -C "$cp_tree/ports/$port" -j"$jobs" "${stock[@]}" BUILD="$out-stock"
    step "$name: build the README's line" make -C "$cp_tree/ports/$port" -j"$jobs" "${module[@]}" BUILD="$out"
    joined $? || return
    firmware_checks "$name" "$out-stock" "$out" circuitpython
    local drop
    drop=$(printf '%s\n' "${stock[@]}" | grep -E '^CIRCUITPY_[A-Z0-9_]+=0$' \
        | grep -vE '^CIRCUITPY_(MIN_GCC_VERSION|HASHLIB|HASHLIB_MBEDTLS|USB_HOST)=' | paste -sd ' ')
    printf '| `%s` | %s | %s | %+d | %d | %d |\n' "$board" "$(cp_cpu "$board")" "${drop:-nothing}" "$added" \
        "$(free_flash "$out-stock")" "$(free_flash "$out")" >>"$work/circuitpython-boards.txt"
}

cp_cpu() {
    case $1 in
        trinket_m0 | feather_m0_express) echo "SAMD21 (Cortex-M0+)" ;;
        feather_m4_express) echo "SAMD51 (Cortex-M4F)" ;;
        raspberry_pi_pico) echo "RP2040 (Cortex-M0+)" ;;
        raspberry_pi_pico2) echo "RP2350 (Cortex-M33)" ;;
    esac
}

# cp_families LINE...: the lines build SAMD21 (two boards), SAMD51, RP2040 and RP2350.
cp_families() {
    local b
    for b in trinket_m0 feather_m0_express feather_m4_express raspberry_pi_pico raspberry_pi_pico2; do
        printf '%s\n' "$@" | grep -q " BOARD=$b " || { echo "no line for $b"; return 1; }
    done
    if printf '%s\n' "$@" | grep -qv ' USER_C_MODULES=/path/to/memorymonitor'; then
        echo "a line without USER_C_MODULES=/path/to/memorymonitor"
        return 1
    fi
    echo "$# lines: $(printf '%s\n' "$@" | sed 's/.* BOARD=\([^ ]*\) .*/\1/' | paste -sd ' ')"
}

# raspberry_pi_pico in rp2040js: tests/*.py, then a REPL session with a soft reload.
cp_pico() {
    local status=0
    run_tests "$work/$v128" "$pico-results" - -t exec:"$(rp2040 --press-key "$pico/firmware.uf2")" -e mm_threads \
        || status=1
    python3 "$tools/rp2040js/circuitpython-session.py" "$pico/firmware.uf2" "$up/rp2040/bootrom-b1.bin" || status=1
    return $status
}

if [ -z "$cp_tarball" ]; then
    echo "skip  CircuitPython: no circuitpython-*.tar.xz in $cpsrc"
elif step "setup: unpack CircuitPython, apply the gc.c patch" cp_unpack; then
    cp_name="CircuitPython ${CP_VERSION%%-g*}"
    # The unix build's USER_C_MODULES is a folder holding this repository and CircuitPython's own
    # traceback module, which the standard variant leaves out and full board builds have:
    # mmcheck.where() reads its tracebacks with it.
    cp_mods=$cp_out/usermods
    mkdir -p "$cp_mods/traceback" && ln -sfn "$root" "$cp_mods/memorymonitor"
    printf '%s\n' 'SRC_USERMOD_C += $(addprefix $(TOP)/,shared-bindings/traceback/__init__.c shared-module/traceback/__init__.c)' \
        'CFLAGS_USERMOD += -DCIRCUITPY_TRACEBACK=1' >"$cp_mods/traceback/micropython.mk"
    if step "$cp_name unix: build with module" make -C "$cp_tree/ports/unix" -j"$jobs" $cp_unix \
        BUILD="$cp_out/unix" USER_C_MODULES="$cp_mods"; then
        # The snapshot has no tests/: MicroPython's run-tests.py drives CircuitPython's binary.
        step "$cp_name unix: tests/*.py" run_tests "$work/$v128" "$cp_out/unix-results" \
            "$cp_out/unix/micropython" --heapsize 16M
        step "$cp_name unix: mmcheck (tests/package, examples/ci)" mmcheck_tests "$work/$v128" "$cp_out/package" \
            "$cp_out/unix/micropython"
        step "$cp_name unix: fault-injection sweep, a sample" sweep "$cp_name unix" sweep-upstream-circuitpython \
            --micropython "$cp_out/unix/micropython" "$work/$v128/tests" --every 4 --limit 60 --timeout 300
    fi
    mapfile -t cp_lines < <(cp_board_lines)
    step "$cp_name: the README's board lines name every board family" cp_families "${cp_lines[@]}"
    pico=$cp_out/raspberry_pi_pico
    for line in "${cp_lines[@]}"; do
        cp_board "$line"
        # raspberry_pi_pico in rp2040js, beside the boards built after it.
        case $line in *" BOARD=raspberry_pi_pico "*) [ -f "$pico/firmware.uf2" ] && later "$cp_name raspberry_pi_pico: rp2040js" cp_pico ;; esac
    done
fi
