#!/bin/sh
# Installs dependencies, builds and runs every test, ending with the line
# "N passed, N failed" (individual test cases) over all of:
#   - the unit and integration suite on the normal build (build/),
#   - the same suite against certd, certctl and lib built with AddressSanitizer
#     and UBSan (build-sanitized/), but for the checks of files and the
#     browser test,
#   - every fuzz target for FUZZ_SECONDS, 10 by default here, from the
#     sanitized build (build-sanitized/, clang, -O0),
#   - the Debian packages: built, lintian-clean, their layout checked
#     (build-package/).
# --quick runs only the first. Run as root: tests chown files to other
# groups, mount small tmpfs file systems, set chattr +i and call certd as
# the unprivileged user "nobody".
set -u
cd "$(dirname "$0")/.."
started=$(date +%s)
# Each phase's start, in seconds since the run began: CI allows 30 minutes.
phase() { echo "== $* ($(( $(date +%s) - started )) s)"; }
phase "dependencies"
scripts/install-dependencies.sh || exit 1
phase "build"
scripts/build.sh || exit 1
phase "the suite"
meson test -C build --print-errorlogs
status=$?
sources=build/meson-logs
if [ "${1:-}" != "--quick" ]; then
    phase "the suite under AddressSanitizer and UndefinedBehaviorSanitizer"
    scripts/test-sanitized.sh >build-sanitized.log 2>&1 || { status=1; tail -200 build-sanitized.log; }
    grep -E '^ *[0-9]+/[0-9]+ ' build-sanitized.log || true
    sources="$sources build-sanitized/meson-logs build/meson-logs/sanitized"
    phase "fuzzing"
    # 10 s per target keeps the whole run inside CI's 30 minutes on two
    # cores (a clean run took 29.5 min with 20 s); FUZZ_SECONDS=300
    # scripts/fuzz.sh is the longer run by hand.
    CERTD_FUZZ_BUILD=build-sanitized FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh || status=1
    sources="$sources build-sanitized/results.txt"
    phase "the Debian package"
    # Built from a copy of the tree in a temporary directory; only the
    # packages and logs land in build-package/ (ignored by git).
    mkdir -p build-package
    : > build-package/results.txt
    # noopt: CI checks the packaging (layout, maintainer scripts, lintian),
    # which the optimisation level does not change, in half the compile
    # time; scripts/build-package.sh alone builds the -O2 package to ship.
    DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck noautodbgsym noopt" \
        scripts/build-package.sh --results build-package/results.txt build-package || status=1
    if grep -qx 'PASS package-build' build-package/results.txt; then
        python3 tests/package/check-package.py --results build-package/results.txt build-package
        check=$?
        [ $check -eq 0 ] || status=1
        [ $check -le 1 ] || echo "FAIL package-check (exit status $check)" >> build-package/results.txt
    fi
    sources="$sources build-package/results.txt"
fi
phase "done"
python3 scripts/test-summary.py $sources
exit $status
