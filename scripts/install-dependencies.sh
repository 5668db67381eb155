#!/bin/sh
# Installs everything certd needs to build, run and test, from Debian 12's
# archive. Needs root. Quiet unless something fails.
set -eu
packages="
  g++ meson ninja-build pkg-config
  libsdbus-c++-dev libsdbus-c++-bin libspdlog-dev libsystemd-dev libssl-dev
  libinih-dev libcli11-dev nlohmann-json3-dev libcurl4-openssl-dev libgtest-dev libgmock-dev
  dbus systemd openssl ca-certificates util-linux python3
  faketime postgresql e2fsprogs
  clang libclang-rt-14-dev
  cockpit-ws cockpit-bridge chromium chromium-driver python3-selenium
  squid-openssl curl
  pebble tinyproxy
  debhelper dpkg-dev fakeroot lintian scdoc bash-completion groff-base man-db git
"
# promtool (the metrics test's judge) comes out of Debian's prometheus
# package without installing it: its postinst would start a server.
install_promtool() {
    command -v promtool >/dev/null 2>&1 || [ -x /usr/local/bin/promtool ] && return 0
    dir=$(mktemp -d)
    chmod 755 "$dir" # apt's _apt user downloads into it
    if ! (cd "$dir" && { apt-get download -q prometheus || { apt-get update -q && apt-get download -q prometheus; }; } \
                       >download.log 2>&1 &&
          dpkg-deb --fsys-tarfile prometheus_*.deb | tar -x -C "$dir" ./usr/bin/promtool &&
          install -m 755 "$dir/usr/bin/promtool" /usr/local/bin/promtool); then
        cat "$dir/download.log" >&2
        rm -rf "$dir"
        return 1
    fi
    rm -rf "$dir"
}

missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing="$missing $package"
done
if [ -z "$missing" ]; then
    [ "$(id -u)" -ne 0 ] && exit 0
    install_promtool
    exit
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages:$missing; run this as root (sudo $0)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
install_promtool
