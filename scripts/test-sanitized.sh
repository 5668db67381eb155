#!/bin/sh
# Runs the suite against certd, certctl and lib built by clang with
# AddressSanitizer and UndefinedBehaviorSanitizer (./build-sanitized, also
# the fuzzing build: -Dfuzzing=true, see scripts/fuzz.sh): certd, certctl and
# every child they start report memory errors, leaks and undefined
# behaviour, and any report fails the test that caused it.
#   - the unit tests, which call lib directly, are built and run there;
#   - the integration tests are the ones of ./build (scripts/build.sh first),
#     pointed at the sanitized binaries (CERTD_TEST_CERTD,
#     CERTD_TEST_CERTCTL): a test program is only the client, and compiling
#     all of them again under ASan took a third of CI's time. Their logs are
#     build/meson-logs/sanitized.*.
# Not repeated here: the "static" suite, which checks files (man pages,
# units, layout) rather than running C++, and the "browser" suite, whose
# certd calls the other suites make too.
set -eu
cd "$(dirname "$0")/.."
build=build-sanitized
if [ ! -f build/build.ninja ]; then
    echo "build/ is missing: run scripts/build.sh first" >&2
    exit 1
fi
# A build-sanitized/ from before it was clang's is made again.
if [ -f $build/build.ninja ] && ! grep -q '"clang"' $build/meson-info/intro-compilers.json 2>/dev/null; then
    rm -rf $build
fi
if [ ! -f $build/build.ninja ]; then
    # -O0: sanitizer instrumentation at -O2 quadruples the build; the checks
    # are the same. clang compiles this code a quarter faster than gcc 12.
    CC=clang CXX=clang++ meson setup $build --buildtype=debug -Dfuzzing=true \
        -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C $build daemon/certd cli/certctl tests/unit-tests >/dev/null
ninja -C build >/dev/null
# libfaketime and the fault shim are preloaded into certd; clang links the
# ASan runtime statically, so the order check is moot.
export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The fault tests restart certd before every file operation of each change
# (hundreds of restarts); here, where the point is memory errors on those
# paths, every 4th operation and those around each commit are enough: the
# normal pass proves every ordering (see tests/integration/fault_injection_test.cpp).
export CERTD_FAULT_STRIDE=4
export CERTD_TEST_CERTD="$PWD/$build/daemon/certd" CERTD_TEST_CERTCTL="$PWD/$build/cli/certctl"
# Sanitized code is slower: give every test three times its time.
# Arguments (test names) select integration tests only.
status=0
if [ $# -eq 0 ]; then
    meson test -C $build --no-rebuild --print-errorlogs --timeout-multiplier 3 --suite unit || status=1
fi
meson test -C build --no-rebuild --print-errorlogs --timeout-multiplier 3 --logbase sanitized \
    --no-suite static --no-suite browser --no-suite unit "$@" || status=1
exit $status
