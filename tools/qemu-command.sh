#!/bin/sh
# qemu-command.sh MICROPYTHON_DIR BOARD: the emulator command line MicroPython's own qemu port
# uses for BOARD (without -kernel), as its Makefile of that tree defines it, with the serial
# port on a pty for run-tests.py's execpty target.
set -eu
# (The last line: some trees print a hint about V=1 first.)
make -s --no-print-directory -C "$1/ports/qemu" BOARD="$2" -f Makefile -f - memorymonitor-print-qemu <<'MK' | tail -n 1
memorymonitor-print-qemu:
	@echo $(QEMU_SYSTEM) $(QEMU_ARGS) -serial pty
MK
