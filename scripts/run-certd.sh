#!/bin/sh
# Builds certd and certctl and runs certd in the foreground with its state
# in ./dev-state. On the system bus when one is running and certd's policy is
# installed there; otherwise on a private bus that follows the shipped
# policy, whose address is printed. Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
say() { printf 'run-certd: %s\n' "$*" >&2; }

say "checking build dependencies (installs what is missing from Debian's archive)..."
scripts/install-dependencies.sh
say "building certd and certctl in ./build (a few minutes the first time)..."
scripts/build.sh daemon/certd cli/certctl
mkdir -p dev-state

policy_installed() {
    [ -e /usr/share/dbus-1/system.d/org.certd.Certd1.conf ] || [ -e /etc/dbus-1/system.d/org.certd.Certd1.conf ]
}
if [ -S /run/dbus/system_bus_socket ] && policy_installed && [ "$(id -u)" -eq 0 ]; then
    say "certd runs on the system bus; try: build/cli/certctl status"
    exec build/daemon/certd --state-dir=dev-state --config=/dev/null
fi

work=$(mktemp -d)
bus_pid=
certd_pid=
cleanup() {
    # Runs once, whatever is already gone: no command here may fail the trap.
    trap - EXIT INT TERM
    [ -n "$certd_pid" ] && kill "$certd_pid" 2>/dev/null || true
    [ -n "$certd_pid" ] && wait "$certd_pid" 2>/dev/null || true
    [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null || true
    [ -n "$bus_pid" ] && wait "$bus_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

sed -e 's#<listen>.*</listen>#<listen>unix:tmpdir=/tmp</listen>#' \
    -e 's#<user>.*</user>##' -e 's#<pidfile>.*</pidfile>##' \
    -e 's#<includedir>system.d</includedir>#<include>'"$PWD"'/systemd/org.certd.Certd1.conf</include>#' \
    -e 's#<includedir>/etc/dbus-1/system.d</includedir>##' -e 's#<include[^>]*>/etc/dbus-1/system.conf</include>##' -e 's#<include[^>]*>/etc/dbus-1/system-local.conf</include>##' \
    -e 's#<servicedir>.*</servicedir>##' -e 's#<standard_system_servicedirs */>##' \
    /usr/share/dbus-1/system.conf > "$work/bus.conf"
say "no system bus to use: starting a private one with the shipped policy..."
dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=1 > "$work/address" 2> "$work/dbus-daemon.log" &
bus_pid=$!
tries=0
while [ ! -s "$work/address" ]; do
    kill -0 "$bus_pid" 2>/dev/null || { say "dbus-daemon did not start:"; cat "$work/dbus-daemon.log" >&2; exit 1; }
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { say "dbus-daemon printed no address in 10 s"; exit 1; }
    sleep 0.1
done
address=$(head -n1 "$work/address")
cat <<MSG
certd is starting on a private bus. In another shell:

    export DBUS_SYSTEM_BUS_ADDRESS=$address

then certctl, busctl --system and the tests' tools reach it, e.g.
    build/cli/certctl status

MSG
DBUS_SYSTEM_BUS_ADDRESS=$address build/daemon/certd --state-dir=dev-state --config=/dev/null &
certd_pid=$!
status=0
wait "$certd_pid" || status=$?
certd_pid=
exit "$status"
