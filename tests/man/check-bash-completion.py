#!/usr/bin/env python3
"""Drives shell-completion/bash/certctl in `bash --norc` as bash would
(COMP_WORDS, COMP_CWORD, then _certctl) and checks what it offers; prints
TAP. Runs once on its own and once with the bash-completion package's
helpers loaded, when they are installed. A stand-in certctl on PATH plays
the running certd for CA ids.

Usage: check-bash-completion.py COMPLETION_FILE
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("check_man_pages", HERE / "check-man-pages.py")
check_man_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_man_pages)

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"

DRIVER = r'''
[ -n "$HELPERS" ] && source "$HELPERS"
source "$COMPLETION" || exit 3
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_certctl
printf '%s\n' "${COMPREPLY[@]}"
'''

FAKE_CERTCTL = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/calls"
printf '3f2a9c41d0e1  Corporate Proxy CA  Thu 2027-11-26 14:00:00 UTC  yes\\n'
printf '0a1b2c3d4e5f  Other CA            Fri 2030-01-04 10:00:00 UTC  no\\n'
"""

# certd not running: certctl fails loudly; the completion must stay quiet.
FAILING_CERTCTL = """#!/bin/sh
echo "certctl: Could not connect to the system bus: No such file or directory" >&2
exit 1
"""


def complete(completion, words, helpers, path_dir, cwd):
    environment = dict(os.environ, COMPLETION=str(completion), HELPERS=helpers,
                       PATH=f"{path_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", DRIVER, "bash", *words],
                            capture_output=True, text=True, env=environment, cwd=cwd, timeout=60)
    offered = [line for line in result.stdout.splitlines() if line]
    return result.returncode, offered, result.stderr


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    completion = Path(sys.argv[1]).resolve()
    tap = check_man_pages.Tap()
    modes = [("plain bash", "")]
    if Path(BASH_COMPLETION).is_file():
        modes.append(("with bash-completion", BASH_COMPLETION))

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        working = scratch / "work"
        working.mkdir()
        for name in ("proxy-ca.crt", "probe.key", "chain.pem"):
            (working / name).write_text("x\n")
        fake = scratch / "fake"
        failing = scratch / "failing"
        for directory, script in ((fake, FAKE_CERTCTL), (failing, FAILING_CERTCTL)):
            directory.mkdir()
            (directory / "certctl").write_text(script)
            (directory / "certctl").chmod(0o755)

        for mode, helpers in modes:
            def check(words, expected, description, exact=True, path_dir=fake):
                code, offered, stderr = complete(completion, words, helpers, path_dir, working)
                if exact:
                    ok = sorted(offered) == sorted(expected)
                else:
                    ok = all(e in offered for e in expected)
                ok = ok and code == 0 and not stderr
                shown = " ".join(words[:-1]) + " " + words[-1]
                tap.check(ok, f"{mode}: '{shown}' offers {description}",
                          [f"offered: {offered}", f"expected: {expected}", f"exit {code}"] +
                          [f"stderr: {line}" for line in stderr.splitlines()])

            check(["certctl", ""], check_man_pages.CERTCTL_COMMANDS, "every command")
            check(["certctl", "li"], ["list-cas", "list-expiring"], "the commands starting with li")
            check(["certctl", "generate", ""], ["https", "postgresql"], "the services")
            check(["certctl", "-H", "probe", "export-host", ""], ["https", "postgresql"],
                  "the services after -H HOST")
            check(["certctl", "import-ca", "--"], ["--all"], "--all", exact=False)
            check(["certctl", "--"], ["--help", "--version", "--host=", "--json=", "--no-legend",
                                      "--no-ask-password"], "the global options")
            check(["certctl", "--json", "=", ""], ["short", "pretty", "off"], "the JSON modes")
            check(["certctl", "generate", "https", "--key-type", "=", "r"],
                  ["rsa-2048", "rsa-3072", "rsa-4096"], "the RSA key types")
            check(["certctl", "generate", "https", "--"],
                  ["--hostname=", "--key-type=", "--days=", "--name="], "generate's options", exact=False)
            check(["certctl", "upload", "https", "p"], ["probe.key", "proxy-ca.crt"], "files")
            check(["certctl", "upload", "https", "chain.pem", "probe.key", ""], [],
                  "nothing after SERVICE CERT KEY")
            check(["certctl", "show-ca", ""], ["3f2a9c41d0e1", "0a1b2c3d4e5f"],
                  "the ids of the running certd's CAs")
            check(["certctl", "delete-ca", "3f2a9c41d0e1", "0"], ["0a1b2c3d4e5f"], "further ids")
            calls = (fake / "calls").read_text().splitlines() if (fake / "calls").exists() else []
            tap.check(bool(calls) and all(c.endswith("list-cas") and "--no-legend" in c for c in calls),
                      f"{mode}: ids come from certctl --no-legend list-cas", calls)
            (fake / "calls").unlink(missing_ok=True)
            check(["certctl", "--host=root@probe", "show-ca", ""], ["3f2a9c41d0e1", "0a1b2c3d4e5f"],
                  "the remote CAs' ids")
            calls = (fake / "calls").read_text().splitlines() if (fake / "calls").exists() else []
            tap.check(len(calls) == 1 and calls[0].startswith("-H root@probe "),
                      f"{mode}: ids of a remote certd are asked with -H", calls)
            (fake / "calls").unlink(missing_ok=True)
            check(["certctl", "show-ca", ""], [], "nothing, quietly, when certd is not running",
                  path_dir=failing)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
