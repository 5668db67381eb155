#!/bin/sh
# Configures (once) and builds in ./build: everything, or the ninja targets
# given (e.g. daemon/certd cli/certctl). Quiet unless something fails.
set -eu
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized >/dev/null
log=$(mktemp)
if ! ninja -C build "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
