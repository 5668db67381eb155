#!/bin/sh
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer in
# ./build-sanitized and runs the suite on it (all but two suites, see
# below): certd, the tests and every child they start report memory errors,
# leaks and undefined behaviour, and any report fails the test that caused it.
set -eu
cd "$(dirname "$0")/.."
build=build-sanitized
if [ ! -f $build/build.ninja ]; then
    # -O0: sanitizer instrumentation at -O2 quadruples the build (gcc 12); the
    # checks are the same.
    meson setup $build --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C $build >/dev/null
# libfaketime and the fault shim are preloaded before the ASan runtime:
# allowed, since neither allocates through ASan's interceptors first.
export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The fault tests restart certd before every file operation of each change
# (hundreds of restarts); here, where the point is memory errors on those
# paths, every 4th operation and those around each commit are enough: the
# normal pass proves every ordering (see tests/integration/fault_injection_test.cpp).
export CERTD_FAULT_STRIDE=4
# Sanitized code is slower: give every test three times its time. Not
# repeated here (CI's 30 minutes): the "static" suite, which checks files
# (man pages, units, layout) rather than running C++, and the "browser"
# suite, whose certd calls the other suites make too.
meson test -C $build --print-errorlogs --timeout-multiplier 3 --no-suite static --no-suite browser "$@"
