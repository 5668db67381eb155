#!/usr/bin/env python3
"""Checks where `meson install` puts certd's files on Debian: configures a
throwaway build directory of the source tree with --prefix=/usr (nothing is
compiled), and compares `meson introspect --installed` with
expected-layout.txt, exactly. Man pages are expected only when scdoc is
found (--without-man otherwise). TAP output.

Usage: check-install-layout.py [--meson MESON] [--without-man] SOURCE_ROOT"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import diff_lines, read_layout  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--meson", default="meson")
parser.add_argument("--without-man", action="store_true")
parser.add_argument("source_root")
args = parser.parse_args()

entries = read_layout()
expected = [e.path for e in entries if not (e.man and args.without_man)]
print("1..3")

with tempfile.TemporaryDirectory(prefix="certd-install-layout-") as tmp:
    build = Path(tmp) / "build"
    setup = subprocess.run([args.meson, "setup", "--prefix=/usr", "-Dtests=false", str(build), args.source_root],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if setup.returncode != 0:
        print("not ok 1 - meson setup --prefix=/usr -Dtests=false")
        print("\n".join("# " + line for line in setup.stdout.splitlines()[-30:]))
        print("not ok 2 - every expected file installed # SKIP no build directory")
        print("not ok 3 - nothing else installed # SKIP no build directory")
        sys.exit(1)
    print("ok 1 - meson setup --prefix=/usr -Dtests=false")
    introspect = subprocess.run([args.meson, "introspect", "--installed", str(build)],
                                stdout=subprocess.PIPE, check=True, text=True)
    installed = sorted(json.loads(introspect.stdout).values())

diff = diff_lines(expected, installed)
missing = [line for line in diff if line.startswith("-")]
unexpected = [line for line in diff if line.startswith("+")]
print(("ok" if not missing else "not ok") + f" 2 - every expected file installed ({len(expected)})")
print(("ok" if not unexpected else "not ok") + " 3 - nothing else installed")
if diff:
    print("# expected-layout.txt (-) against meson introspect --installed (+):")
    for line in diff:
        print("#   " + line)
sys.exit(1 if diff else 0)
