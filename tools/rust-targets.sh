#!/bin/sh
# rust-targets.sh TARGET...: installs the Rust standard library of each target that is missing.
# One the machine's rustup cannot fetch (some mirrors lack thumbv8m.base-none-eabi) is reported
# and left out; the checks that need it skip it, saying so.
# rust-targets.sh --have TARGET: whether it is installed; where not, says the check is skipped.
set -eu
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
