#!/bin/sh
# python-env.sh VENV MODULE=PACKAGE...: the Python packages the checks import (pyserial for the
# emulated boards' REPL, CircuitPython's build tools), in a virtual environment at VENV that sees
# the system's own packages too. The Makefile puts VENV/bin first on PATH, so every python3 of
# make and of the scripts it runs is that one. Debian's python3 refuses pip installs into the
# system (it is externally managed); a virtual environment takes them. Creating one needs Debian's
# python3-venv, installed here when missing, as need.sh installs everything else.
set -eu
venv=$1
shift
tools=$(dirname "$0")
if [ ! -x "$venv/bin/python3" ]; then
    if ! python3 -m venv --system-site-packages "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        "$tools/need.sh" '/usr/share/python-wheels/pip-*.whl' python3-venv
        python3 -m venv --system-site-packages "$venv"
    fi
fi
missing=
for spec; do
    "$venv/bin/python3" -c "import ${spec%%=*}" 2>/dev/null || missing="$missing ${spec#*=}"
done
[ -z "$missing" ] && exit 0
echo "memorymonitor: installing$missing into $venv"
"$venv/bin/python3" -m pip install -q --disable-pip-version-check $missing && exit 0
echo "memorymonitor:$missing could not be installed: run $venv/bin/python3 -m pip install$missing" >&2
exit 1
