# Sourced by test-upstream.sh: CircuitPython from the snapshots folder, built as the README's
# "Put it in your CircuitPython" says, with the project's gc.c patch applied: the unix port's
# standard variant running tests/*.py, and raspberry_pi_pico (RP2040) firmware, stock and with
# the module, running tests/*.py and a REPL session with a soft reload in rp2040js.
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
cp_unix="VARIANT=standard FROZEN_MANIFEST= MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_PY_SSL=0
    CFLAGS_EXTRA=-DMICROPY_PY_MICROPYTHON_RINGIO=0"
# Debian's Arm GCC is 12 where CircuitPython asks for 14; hashlib and USB host need submodule
# commits the snapshot could not have.
cp_pico="BOARD=raspberry_pi_pico CIRCUITPY_MIN_GCC_VERSION=0 CIRCUITPY_HASHLIB=0
    CIRCUITPY_HASHLIB_MBEDTLS=0 CIRCUITPY_USB_HOST=0"

if [ -z "$cp_tarball" ]; then
    echo "skip  CircuitPython: no circuitpython-*.tar.xz in $cpsrc"
elif step "setup: unpack CircuitPython, apply the gc.c patch" cp_unpack; then
    cp_name="CircuitPython ${CP_VERSION%%-g*}"
    if step "$cp_name unix: build with module" make -C "$cp_tree/ports/unix" -j"$jobs" $cp_unix \
        BUILD="$cp_out/unix" USER_C_MODULES="$root"; then
        # The snapshot has no tests/: MicroPython's run-tests.py drives CircuitPython's binary.
        step "$cp_name unix: tests/*.py" run_tests "$work/$v128" "$cp_out/unix-results" \
            "$cp_out/unix/micropython" --heapsize 16M
    fi
    pico=$cp_out/raspberry_pi_pico
    if step "$cp_name raspberry_pi_pico: build stock" make -C "$cp_tree/ports/raspberrypi" -j"$jobs" $cp_pico \
        BUILD="$pico-stock" \
        && step "$cp_name raspberry_pi_pico: build with module" make -C "$cp_tree/ports/raspberrypi" -j"$jobs" $cp_pico \
            BUILD="$pico" USER_C_MODULES="$root"; then
        step "$cp_name raspberry_pi_pico: flash" flash "$cp_name raspberry_pi_pico (RP2040)" "$pico-stock/firmware.elf" "$pico/firmware.elf"
        step "$cp_name raspberry_pi_pico: no panic code" "$tools/check-nopanic.sh" "$pico/firmware.elf"
        step "$cp_name raspberry_pi_pico: core object" "$tools/check-core-object.sh" arm-none-eabi-nm "$pico/memorymonitor/memorymonitor-core.o"
        step "$cp_name raspberry_pi_pico: routing" python3 "$tools/check-routing.py" arm-none-eabi-objdump "$pico/firmware.elf" circuitpython
        step "$cp_name raspberry_pi_pico: tests/*.py in rp2040js" run_tests "$work/$v128" "$pico-results" - \
            -t exec:"$(rp2040 --press-key "$pico/firmware.uf2")" -e mm_threads
        step "$cp_name raspberry_pi_pico: REPL session with a soft reload in rp2040js" \
            python3 "$tools/rp2040js/circuitpython-session.py" "$pico/firmware.uf2" "$up/rp2040/bootrom-b1.bin"
    fi
fi
