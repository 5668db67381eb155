#!/bin/sh
# Configures (once) and builds certd in ./build.
set -eu
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized >/dev/null
ninja -C build >/dev/null
