#!/bin/sh
# Installs dependencies, builds, runs every test, and ends with the line
# "N passed, N failed" (individual test cases). Run as root: tests chown
# files to other groups and call certd as the unprivileged user "nobody".
set -u
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh || exit 1
scripts/build.sh || exit 1
meson test -C build --print-errorlogs "$@"
status=$?
python3 scripts/test-summary.py build/meson-logs
exit $status
