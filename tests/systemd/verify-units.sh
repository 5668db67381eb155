#!/bin/sh
# systemd-analyze verify must print nothing for the shipped units. It exits 0
# on warnings, so any output counts as failure. ExecStart= must exist, so the
# units are checked as installed by meson (prefix-substituted) with the
# binaries pointed at the build tree. Every man: page of Documentation= must
# exist too: the built pages (--man, repeated) are put on MANPATH; without
# them (no scdoc) that one check is skipped, and said so.
# Usage: verify-units.sh [--man <built page>]... <certd binary> <certd-update-system-trust> <unit file>...
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
man_check=--man=no
while [ "${1:-}" = --man ]; do
    page=$2
    shift 2
    section=${page##*.}
    mkdir -p "$work/man/man$section"
    ln -sf "$(cd "$(dirname "$page")" && pwd)/$(basename "$page")" "$work/man/man$section/"
    man_check=--man=yes
done
certd=$1
update=$2
shift 2
mkdir "$work/units"
for unit in "$@"; do
    sed -e "s#^ExecStart=[^ ]*/certd\$#ExecStart=$certd#" -e "s#^ExecStart=[^ ]*/certd #ExecStart=$certd #" \
        -e "s#^ExecStart=[^ ]*/certd-update-system-trust#ExecStart=$update#" "$unit" > "$work/units/$(basename "$unit")"
done
# The built pages first, then man's default search path (the trailing colon).
output=$(cd "$work/units" && MANPATH="$work/man:" SYSTEMD_LOG_COLOR=0 systemd-analyze verify $man_check ./* 2>&1 \
    || echo "systemd-analyze exited with status $?")
if [ -n "$output" ]; then
    printf 'systemd-analyze verify reported:\n%s\n' "$output"
    exit 1
fi
[ "$man_check" = --man=yes ] || echo "Documentation= man pages not checked: none built (scdoc missing)"
echo "systemd-analyze verify: no findings for $*"
