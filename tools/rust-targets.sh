#!/bin/sh
# rust-targets.sh TARGET...: installs the Rust standard library of each target that is missing
# (make test's checks; a firmware build only asks, with --need).
# One the machine's rustup cannot fetch (some mirrors lack thumbv8m.base-none-eabi) is reported
# and left out; the checks that need it skip it, saying so.
# rust-targets.sh --have TARGET: whether it is installed; where not, says the check is skipped.
# rust-targets.sh --need TARGET: the same for a build, which stops with the command to run (a
# Rust without rustup is taken to have its targets).
set -eu
if [ "$1" = --need ]; then
    command -v rustup >/dev/null || exit 0
    rustup target list --installed 2>/dev/null | grep -qx "$2" && exit 0
    echo "memorymonitor: the Rust target $2 is missing: run rustup target add $2" >&2
    exit 1
fi
command -v rustup >/dev/null || { echo "memorymonitor: rustup is missing: install Rust with rustup (https://rustup.rs)" >&2; exit 1; }
if [ "$1" = --have ]; then
    rustup target list --installed | grep -qx "$2" && exit 0
    echo "skip  $2: rustup here cannot install its standard library"
    exit 1
fi
installed=$(rustup target list --installed)
for t; do
    echo "$installed" | grep -qx "$t" && continue
    rustup target add "$t" >/dev/null 2>&1 || echo "memorymonitor: rustup target add $t failed: checks for it are skipped"
done
