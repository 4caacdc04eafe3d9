#!/bin/sh
# board-lines.sh [--check]: writes ports/circuitpython/boards.txt, the CircuitPython board lines
# make test-upstream builds, into the README's board-lines section, where users copy them from;
# with --check, fails if the README's copy differs instead (make check-generated).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
block() {
    echo '```sh'
    cat "$root/ports/circuitpython/boards.txt"
    echo '```'
}
if [ "${1:-}" = --check ]; then
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    cp "$root/README.md" "$tmp"
    block | python3 "$root/tools/write-section.py" "$tmp" circuitpython-board-lines >/dev/null
    if ! cmp -s "$tmp" "$root/README.md"; then
        echo "memorymonitor: the README's CircuitPython board lines differ from ports/circuitpython/boards.txt: run make regen" >&2
        exit 1
    fi
    echo "ok    the README's CircuitPython board lines are ports/circuitpython/boards.txt"
else
    block | python3 "$root/tools/write-section.py" "$root/README.md" circuitpython-board-lines
fi
