#!/usr/bin/env python3
"""Checks the example configuration etc/certd.conf with `certd
--check-config`; prints TAP.

- the file as shipped (everything commented out) is valid;
- with every commented-out setting that shows a value uncommented, it is
  still valid (so the defaults it shows are values certd accepts);
- an invalid value is reported as FILE:LINE: and exits 1 (certd(8)).

Usage: check-example-config.py CERTD EXAMPLE
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def run_certd(certd, config, scratch):
    # STATE_DIRECTORY: should --check-config ever start the daemon, it must
    # not touch the real state directory.
    environment = dict(os.environ, STATE_DIRECTORY=str(scratch / "state"),
                       DBUS_SYSTEM_BUS_ADDRESS="unix:path=" + str(scratch / "no-bus"))
    return subprocess.run([certd, "--config", str(config), "--check-config"], capture_output=True,
                          text=True, env=environment, timeout=60, cwd=scratch)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    certd, example = sys.argv[1], Path(sys.argv[2]).resolve()
    count, failed = 0, 0

    def check(ok, description, result):
        nonlocal count, failed
        count += 1
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {count} - {description}")
        if not ok:
            for line in (f"exit {result.returncode}", *result.stdout.splitlines(), *result.stderr.splitlines()):
                print(f"# {line}")

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        result = run_certd(certd, example, scratch)
        check(result.returncode == 0, "the example configuration as shipped is valid", result)

        uncommented = scratch / "uncommented.conf"
        uncommented.write_text(re.sub(r"^#([A-Za-z][A-Za-z0-9]*=\S.*)$", r"\1", example.read_text(), flags=re.M))
        result = run_certd(certd, uncommented, scratch)
        check(result.returncode == 0, "the defaults it shows are valid values", result)

        broken = scratch / "broken.conf"
        broken.write_text("[Expiry]\n# a comment\nWarnDays=30 0\n")
        result = run_certd(certd, broken, scratch)
        check(result.returncode == 1 and f"{broken}:3:" in result.stdout + result.stderr,
              "an invalid value is reported as FILE:LINE: with exit status 1", result)
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
