#!/bin/sh
# systemd-analyze verify must print nothing for the shipped units. It exits 0
# on warnings, so any output counts as failure. ExecStart= must exist, so the
# units are checked as installed by meson (prefix-substituted) with the
# binaries pointed at the build tree.
# Usage: verify-units.sh <certd binary> <certd-update-system-trust> <unit file>...
set -eu
certd=$1
update=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in "$@"; do
    sed -e "s#^ExecStart=[^ ]*/certd\$#ExecStart=$certd#" -e "s#^ExecStart=[^ ]*/certd #ExecStart=$certd #" \
        -e "s#^ExecStart=[^ ]*/certd-update-system-trust#ExecStart=$update#" "$unit" > "$work/$(basename "$unit")"
done
output=$(cd "$work" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify ./* 2>&1 || echo "systemd-analyze exited with status $?")
if [ -n "$output" ]; then
    printf 'systemd-analyze verify reported:\n%s\n' "$output"
    exit 1
fi
echo "systemd-analyze verify: no findings for $*"
