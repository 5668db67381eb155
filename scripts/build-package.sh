#!/bin/sh
# Builds certd's Debian packages (dpkg-buildpackage -us -uc -b) from a copy
# of this checkout in a temporary directory, moves the .deb files with their
# .changes and .buildinfo to OUTDIR, and runs lintian on them: any error or
# warning fails. Nothing is written to the source tree or its parent.
# The copy holds the working tree as git sees it (tracked and new files,
# uncommitted changes included; ignored ones such as build*/ left out).
# The build log is OUTDIR/build.log, lintian's output OUTDIR/lintian.log.
#
# Usage: scripts/build-package.sh [--results FILE] OUTDIR
#   --results FILE  append "PASS|FAIL package-build" and "... package-lintian"
#                   (the result-line format of scripts/test-summary.py)
# DEB_BUILD_OPTIONS defaults to "parallel=<cores> nocheck noautodbgsym" (a
# real -O2 build, no debug-symbol package: CI keeps only the check).
set -eu
results=/dev/null
if [ "${1:-}" = --results ]; then
    results=$2
    shift 2
fi
[ $# -eq 1 ] || { echo "usage: $0 [--results FILE] OUTDIR" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
case "$out/" in
    "$src/debian/"*) echo "$0: OUTDIR must not be inside debian/" >&2; exit 2 ;;
esac

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
upstream=${version%-*}
work=$(mktemp -d "${TMPDIR:-/tmp}/certd-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
tree="$work/certd-$upstream"
mkdir "$tree"

if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard \
        | xargs -0 -r sh -c 'for f do if [ -e "$f" ] || [ -L "$f" ]; then printf "%s\0" "$f"; fi; done' sh \
        | tar --null -T - -cf -) | tar -xf - -C "$tree"
else
    tar -C "$src" --exclude='./build' --exclude='./build-*' --exclude='./.git' -cf - . | tar -xf - -C "$tree"
fi

rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo
echo "package: building certd $version in $work (log: $out/build.log)"
start=$(date +%s)
if ! (cd "$tree" && DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc) nocheck noautodbgsym} \
        dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
    tail -60 "$out/build.log"
    echo "package: dpkg-buildpackage FAILED after $(( $(date +%s) - start )) s"
    echo "FAIL package-build" >> "$results"
    echo "FAIL package-lintian" >> "$results"
    exit 1
fi
echo "package: built in $(( $(date +%s) - start )) s"
echo "PASS package-build" >> "$results"
for f in "$work"/*.deb "$work"/*.ddeb "$work"/*.changes "$work"/*.buildinfo; do
    [ -e "$f" ] && mv "$f" "$out/"
done
ls -l "$out" | grep -E '\.(deb|ddeb|changes|buildinfo)$' | sed 's/^/package: /'

changes=$(ls "$out"/certd_"${version}"_*.changes)
if lintian --fail-on error,warning "$changes" >"$out/lintian.log" 2>&1; then
    cat "$out/lintian.log"
    echo "package: lintian: no errors, no warnings"
    echo "PASS package-lintian" >> "$results"
else
    cat "$out/lintian.log"
    echo "package: lintian reported errors or warnings (or failed)"
    echo "FAIL package-lintian" >> "$results"
    exit 1
fi
