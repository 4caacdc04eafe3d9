#!/bin/sh
# Fetches MicroPython's source, as the Debian source package of the suite MICROPYTHON_SUITE names
# (stable unless set), and unpacks it to $1 (e.g. build/micropython/src). Uses a private apt
# state under $1's parent: the machine's own apt configuration is read for its Debian mirror and
# left as it is.
# fetch-micropython.sh --oldest prints the oldest MicroPython the module builds with.
set -eu
oldest=1.25
[ "${1-}" = --oldest ] && { echo "$oldest"; exit 0; }
dest=$(realpath -m "$1")
work=$(dirname "$dest")
suite=${MICROPYTHON_SUITE:-stable}

fail() { echo "memorymonitor: $*" >&2; exit 1; }
command -v apt-get >/dev/null || fail "no apt-get to fetch MicroPython with: set MICROPYTHON_DIR=/path/to/micropython ($oldest or newer)"
command -v xz >/dev/null || fail "xz is missing: apt-get install xz-utils"

# The first Debian archive this machine's apt already uses (deb822 .sources or one-line lists).
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n' | grep -m1 '/debian/*$' || true)
[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -n 's/^deb\(-src\)\?[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\/debian\/*\)[[:space:]].*/\3/p' | head -n 1)
[ -n "$mirror" ] || fail "no Debian mirror in /etc/apt/sources.list*: set MICROPYTHON_DIR=/path/to/micropython ($oldest or newer)"

apt="$work/apt"
rm -rf "$apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
cat > "$apt/micropython.sources" <<SOURCES
Types: deb-src
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
set -- -q -o Dir::Etc::SourceList="$apt/micropython.sources" -o Dir::Etc::SourceParts=/nonexistent \
    -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root
apt-get "$@" update >"$apt/update.log" 2>&1 || fail "apt-get update for the micropython source failed (see $apt/update.log)"
(cd "$apt" && apt-get "$@" source --download-only micropython >download.log 2>&1) \
    || fail "apt-get source micropython failed (see $apt/download.log)"

tarball=$(ls "$apt"/micropython_*.orig.tar.xz)
version=$(basename "$tarball" | sed 's/^micropython_\([0-9.]*\).*/\1/')
[ "$(printf '%s\n' "$oldest" "$version" | sort -V | head -n 1)" = "$oldest" ] \
    || fail "Debian $suite has MicroPython $version; $oldest or newer is needed: set MICROPYTHON_DIR"
rm -rf "$dest" "$work/unpack"
mkdir -p "$work/unpack"
tar -xf "$tarball" -C "$work/unpack"
mv "$work/unpack"/micropython-* "$dest"
rmdir "$work/unpack"
echo "MicroPython $version from Debian $suite: $dest"
