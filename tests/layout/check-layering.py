#!/usr/bin/env python3
"""lib/ is grouped by feature; each folder may include only the folders it
rests on, so that the walls between features stay where they are:

    base  <-  x509  <-  trust, host (never each other)  <-  acme, expiry  <-  metrics, config

and nothing in lib/ includes D-Bus or logging headers (the daemon's). Prints
every include that crosses a wall and fails when there is one."""
import pathlib
import re
import sys

ALLOWED = {
    "base": {"base"},
    "x509": {"base", "x509"},
    "trust": {"base", "x509", "trust"},
    "host": {"base", "x509", "host"},
    "acme": {"base", "x509", "host", "acme"},
    "expiry": {"base", "x509", "expiry"},
    "metrics": {"base", "x509", "expiry", "metrics"},
    "config": {"base", "x509", "trust", "host", "acme", "expiry", "config"},
}
FORBIDDEN_SYSTEM = ("sdbus-c++", "spdlog", "systemd/")

lib = pathlib.Path(sys.argv[1])
problems = []
for path in sorted(lib.rglob("*")):
    if path.suffix not in (".h", ".cpp"):
        continue
    folder = path.relative_to(lib).parts[0]
    if folder not in ALLOWED:
        problems.append(f"{path}: not in one of the folders {sorted(ALLOWED)}")
        continue
    for number, line in enumerate(path.read_text().splitlines(), 1):
        local = re.match(r'#include "([^"/]+)/', line)
        if local and local.group(1) not in ALLOWED[folder]:
            problems.append(f"{path}:{number}: {folder}/ may not include {local.group(1)}/")
        elif re.match(r'#include "[^"/]+"', line):
            problems.append(f"{path}:{number}: include lib headers by folder (\"base/error.h\")")
        system = re.match(r"#include <([^>]+)>", line)
        if system and system.group(1).startswith(FORBIDDEN_SYSTEM):
            problems.append(f"{path}:{number}: lib/ is free of D-Bus, logging and systemd: {system.group(1)}")
for problem in problems:
    print(problem)
print(f"{len(problems)} include(s) across a wall" if problems else "lib/ layering: every include respects the walls")
sys.exit(1 if problems else 0)
