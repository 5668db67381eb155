#!/usr/bin/env python3
"""Checks the built Debian packages of certd: extracts each with
`dpkg-deb -x` and compares the installed layout with
tests/install/expected-layout.txt (the list the install test checks against
`meson introspect --installed`; man pages gzipped, plus each package's
/usr/share/doc files and lintian overrides), checks modes and owners (executables 0755, other
files 0644, directories 0755, nothing world-writable, all root:root), the
Depends fields (dpkg-deb -I), the conffile, that every unit's ExecStart= is
in the package, and which units the maintainer scripts enable.

Prints one "PASS name" or "FAIL name" line per check (scripts/test-summary.py
counts them), details indented below a failure; --results FILE appends the
result lines there as well. Exit status 1 when a check failed.

Usage: check-package.py [--results FILE] DIR   (DIR: scripts/build-package.sh's output)"""
import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE_ROOT / "tests" / "install"))
from layout import diff_lines, read_layout  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--results")
parser.add_argument("dir", type=Path)
args = parser.parse_args()

failures = 0
result_lines = []


def report(name, problems):
    global failures
    line = ("FAIL " if problems else "PASS ") + "package-" + name
    print(line)
    for problem in problems:
        print("    " + problem)
    result_lines.append(line)
    failures += bool(problems)


def run(*command):
    return subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout


version = run("dpkg-parsechangelog", "-l", str(SOURCE_ROOT / "debian" / "changelog"), "-S", "Version").strip()
arch = run("dpkg", "--print-architecture").strip()
debs = {
    "certd": args.dir / f"certd_{version}_{arch}.deb",
    "cockpit-certd": args.dir / f"cockpit-certd_{version}_all.deb",
}
missing_debs = [str(p) for p in debs.values() if not p.is_file()]
report("files", [f"no {p}" for p in missing_debs])
if missing_debs:
    sys.exit(1)

entries = read_layout()

with tempfile.TemporaryDirectory(prefix="certd-package-check-") as tmp:
    layout_problems, mode_problems = [], []
    contents = {}
    for package, deb in debs.items():
        root = Path(tmp) / package
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        installed = sorted("/" + str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())
        contents[package] = (root, installed)
        expected = [e.path + (".gz" if e.man else "") for e in entries if e.package == package]
        doc = f"/usr/share/doc/{package}"
        # The debhelper files every package gets: debian/copyright, the
        # changelog, the lintian overrides (debian/<package>.lintian-overrides).
        expected += [f"{doc}/copyright", f"{doc}/changelog.Debian.gz", f"/usr/share/lintian/overrides/{package}"]
        layout_problems += [f"{package}: {line}" for line in diff_lines(expected, installed)]

        executables = {e.path for e in entries if e.executable}
        tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True,
                                   stdout=subprocess.PIPE).stdout
        with tempfile.TemporaryFile() as buffer:
            buffer.write(tar_bytes)
            buffer.seek(0)
            with tarfile.open(fileobj=buffer) as tar:
                for member in tar.getmembers():
                    name = member.name[2:] if member.name.startswith("./") else member.name
                    path = "/" + name.strip("/")
                    mode = member.mode & 0o7777
                    if member.uname != "root" or member.gname != "root":
                        mode_problems.append(f"{package}: {path} owned by {member.uname}:{member.gname}")
                    if mode & 0o002:
                        mode_problems.append(f"{package}: {path} is world-writable ({mode:04o})")
                    if member.isdir():
                        want = 0o755
                    elif member.issym():
                        continue
                    elif path in executables:
                        want = 0o755
                    else:
                        want = 0o644
                    if mode != want:
                        mode_problems.append(f"{package}: {path} has mode {mode:04o}, expected {want:04o}")
    if layout_problems:
        layout_problems.insert(0, "expected-layout.txt (-) against the packages' files (+):")
    report("layout", layout_problems)
    report("modes", mode_problems)

    # Units: what ExecStart= runs is in the package (or in the base system).
    root, installed = contents["certd"]
    unit_problems = []
    for unit in sorted((root / "usr/lib/systemd/system").glob("*.service")):
        for match in re.finditer(r"^ExecStart=[-@:+!]*(\S+)", unit.read_text(), re.M):
            program = match.group(1)
            if program.startswith("/usr/bin/busctl"):
                continue  # systemd's own
            if program not in installed:
                unit_problems.append(f"{unit.name}: ExecStart={program} is not in the package")
    for dropin in ("nginx.service.d", "postgresql@.service.d"):
        text = (root / "usr/lib/systemd/system" / dropin / "certd.conf").read_text() \
            if (root / "usr/lib/systemd/system" / dropin / "certd.conf").is_file() else ""
        for line in ("After=certd.service", "Wants=certd.service"):
            if not re.search(rf"^{re.escape(line)}$", text, re.M):
                unit_problems.append(f"{dropin}/certd.conf lacks {line}")
    report("units", unit_problems)

# Control information: Depends, conffiles, maintainer scripts.
def field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], check=True, stdout=subprocess.PIPE,
                          text=True).stdout.strip()


def relations(value):
    return [alt.strip() for alt in value.split(",") if alt.strip()]


depends_problems = []
certd_depends = relations(field(debs["certd"], "Depends"))
names = [re.sub(r"\s*\(.*?\)", "", d) for d in certd_depends]
for wanted in ("default-dbus-system-bus | dbus-system-bus", "ca-certificates", "openssl",
               "libsdbus-c++1", "libsystemd0", "libssl3", "libc6", "libstdc++6"):
    if wanted not in names:
        depends_problems.append(f"certd: Depends lacks {wanted}: {', '.join(certd_depends)}")
if field(debs["certd"], "Architecture") != arch:
    depends_problems.append(f"certd: Architecture is not {arch}")
cockpit_depends = relations(field(debs["cockpit-certd"], "Depends"))
for wanted in ("cockpit-bridge (>= 219)", f"certd (>= {version})"):
    if wanted not in cockpit_depends:
        depends_problems.append(f"cockpit-certd: Depends lacks {wanted}: {', '.join(cockpit_depends)}")
report("depends", depends_problems)

info = run("dpkg-deb", "-I", str(debs["certd"]), "conffiles").split()
report("conffiles", [] if info == ["/etc/certd/certd.conf"] else [f"conffiles: {info}"])

script_problems = []
with tempfile.TemporaryDirectory(prefix="certd-package-control-") as control:
    subprocess.run(["dpkg-deb", "-e", str(debs["certd"]), control], check=True)
    postinst = (Path(control) / "postinst").read_text()
    enabled = set(re.findall(r"deb-systemd-helper enable '([^']+)'", postinst))
    want = {"certd.service", "certd-expiry-check.timer", "certd-system-trust.path"}
    if enabled != want:
        script_problems.append(f"postinst enables {sorted(enabled)}, expected {sorted(want)}")
    started = set()
    for units in re.findall(r"deb-systemd-invoke \$_dh_action ((?:'[^']+' ?)+)", postinst):
        started |= set(re.findall(r"'([^']+)'", units))
    if started != want:
        script_problems.append(f"postinst starts {sorted(started)}, expected {sorted(want)}")
report("maintainer-scripts", script_problems)

if args.results:
    with open(args.results, "a") as f:
        f.write("".join(line + "\n" for line in result_lines))
sys.exit(1 if failures else 0)
