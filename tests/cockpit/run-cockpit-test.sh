#!/bin/sh
# certd's Cockpit page in headless chromium against the real stack: a private
# dbus-daemon, certd, cockpit-ws + cockpit-bridge. TAP on standard output
# (a line per case, the plan last), a summary on standard error; exit 0 when
# all passed. Screenshots: $CERTD_SCREENSHOTS (default: a temporary directory).
#
# Usage: tests/cockpit/run-cockpit-test.sh <path-to-certd-binary> <path-to-repo>
# Needs (Debian 12): cockpit-ws cockpit-bridge chromium chromium-driver
# python3-selenium dbus openssl; run as root (certd generates host
# certificates, and the viewer case runs cockpit as nobody).
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 <path-to-certd-binary> <path-to-repo>" >&2
    exit 2
fi
for tool in dbus-daemon busctl openssl /usr/lib/cockpit/cockpit-ws /usr/bin/cockpit-bridge /usr/bin/chromium /usr/bin/chromedriver; do
    command -v "$tool" >/dev/null 2>&1 || { echo "setup: $tool is missing (apt-get install -y --no-install-recommends cockpit-ws cockpit-bridge chromium chromium-driver python3-selenium)" >&2; exit 1; }
done
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root" >&2
    exit 1
fi
# Debian's python3 (python3-selenium), not whatever python3 comes first in PATH.
# The whole run is bounded; the script stops everything it started on SIGTERM.
exec timeout --signal=TERM --kill-after=20 300 /usr/bin/python3 "$(dirname "$0")/cockpit_test.py" "$1" "$2"
