#!/bin/sh
# need.sh COMMAND PACKAGE...: makes sure COMMAND (or, for a path or glob, such a file) exists, installing
# the Debian PACKAGEs when it does not and this is a root shell with apt-get; otherwise stops
# with one line naming what is missing and the command that fixes it.
set -eu
what=$1
shift
have() { case $what in /*) ls $what >/dev/null 2>&1 ;; *) command -v "$what" >/dev/null 2>&1 ;; esac; }
have && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "memorymonitor: installing $* for $what"
    if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >/dev/null 2>&1; then
        apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >/dev/null
    fi
    have && exit 0
fi
echo "memorymonitor: $what is missing: run apt-get install $* (as root)" >&2
exit 1
