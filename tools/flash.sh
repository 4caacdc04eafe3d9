#!/bin/sh
# flash.sh [--flash] FIRMWARE.elf: "FLASH RAM", the flash a firmware takes (text + data) and its
# static RAM (data + bss), as GNU size counts them; with --flash, the flash alone. The host's size
# reads Arm and RISC-V firmware alike. Every flash figure of the project comes from here.
set -eu
fields='$1 + $2, $2 + $3'
if [ "$1" = --flash ]; then
    fields='$1 + $2'
    shift
fi
out=$(size "$1") || exit 1
echo "$out" | awk "NR == 2 {print $fields}"
