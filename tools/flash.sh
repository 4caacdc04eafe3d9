#!/bin/sh
# flash.sh FIRMWARE.elf: "FLASH RAM", the flash a firmware takes (text + data) and its static RAM
# (data + bss), as GNU size counts them; the host's size reads Arm and RISC-V firmware alike.
# Every flash figure of the project comes from here.
set -eu
out=$(size "$1") || exit 1
echo "$out" | awk 'NR == 2 {print $1 + $2, $2 + $3}'
