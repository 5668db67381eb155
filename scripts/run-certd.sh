#!/bin/sh
# Builds certd and runs it in the foreground with its state in ./dev-state.
# On the system bus when one is running and certd's policy is installed
# there; otherwise on a private bus that follows the shipped policy, whose
# address is printed. Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
scripts/build.sh
mkdir -p dev-state

policy_installed() {
    [ -e /usr/share/dbus-1/system.d/org.certd.Certd1.conf ] || [ -e /etc/dbus-1/system.d/org.certd.Certd1.conf ]
}
if [ -S /run/dbus/system_bus_socket ] && policy_installed && [ "$(id -u)" -eq 0 ]; then
    echo "certd on the system bus; try:  busctl tree org.certd.Certd1"
    exec build/daemon/certd --state-dir=dev-state --config=/dev/null
fi

work=$(mktemp -d)
sed -e 's#<listen>.*</listen>#<listen>unix:tmpdir=/tmp</listen>#' \
    -e 's#<user>.*</user>##' -e 's#<pidfile>.*</pidfile>##' \
    -e 's#<includedir>system.d</includedir>#<include>'"$PWD"'/systemd/org.certd.Certd1.conf</include>#' \
    -e 's#<includedir>/etc/dbus-1/system.d</includedir>##' -e 's#<include[^>]*>/etc/dbus-1/system.conf</include>##' -e 's#<include[^>]*>/etc/dbus-1/system-local.conf</include>##' \
    -e 's#<servicedir>.*</servicedir>##' -e 's#<standard_system_servicedirs */>##' \
    /usr/share/dbus-1/system.conf > "$work/bus.conf"
dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=1 > "$work/address" 2> "$work/dbus-daemon.log" &
bus_pid=$!
trap 'kill $bus_pid 2>/dev/null; wait $bus_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
while [ ! -s "$work/address" ]; do
    kill -0 $bus_pid 2>/dev/null || { echo "dbus-daemon did not start" >&2; exit 1; }
    sleep 0.1
done
address=$(head -n1 "$work/address")
cat <<MSG
No system bus to use: certd runs on a private bus with the shipped policy.
Reach it with:
    busctl --address=$address tree org.certd.Certd1
or export DBUS_SYSTEM_BUS_ADDRESS=$address and use busctl --system.
MSG
DBUS_SYSTEM_BUS_ADDRESS=$address build/daemon/certd --state-dir=dev-state --config=/dev/null
