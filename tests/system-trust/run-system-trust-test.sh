#!/bin/sh
# certd's CAs in the system's trust, end to end on loopback: a private
# dbus-daemon and certd, Debian's squid as an SSL-bump proxy with its own CA,
# an HTTPS "updates server", curl through the proxy, and update-ca-certificates
# against a temporary root run by certd-system-trust.service's ExecStart=.
# TAP on standard output (a line per case, the plan last), diagnostics on
# standard error; exit 0 when all passed.
#
# Usage: tests/system-trust/run-system-trust-test.sh <path-to-certd-binary> <path-to-repo>
# $CERTD_TEST_CERTD, when set, replaces the certd binary (the sanitized pass).
# Needs (Debian 12): squid-openssl curl ca-certificates openssl dbus; run as root
# (squid drops to its user "proxy", one case runs curl as nobody).
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 <path-to-certd-binary> <path-to-repo>" >&2
    exit 2
fi
missing=
for tool in dbus-daemon busctl openssl curl squid /usr/lib/squid/security_file_certgen update-ca-certificates /usr/bin/python3; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "setup:$missing missing (apt-get install -y --no-install-recommends squid-openssl curl ca-certificates openssl dbus)" >&2
    echo "not ok 1 - setup:$missing missing"
    echo "1..1"
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root" >&2
    echo "not ok 1 - setup: not root"
    echo "1..1"
    exit 1
fi
# The whole run is bounded; on SIGTERM the script stops everything it started.
exec timeout --signal=TERM --kill-after=15 100 /usr/bin/python3 "$(dirname "$0")/system_trust_test.py" "${CERTD_TEST_CERTD:-$1}" "$2"
