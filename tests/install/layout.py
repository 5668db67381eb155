"""The expected installed layout (expected-layout.txt), shared by the
install test (meson introspect) and the package test (the built .deb)."""
from dataclasses import dataclass
from pathlib import Path

LAYOUT_FILE = Path(__file__).with_name("expected-layout.txt")


@dataclass(frozen=True)
class Entry:
    path: str
    package: str = "certd"
    man: bool = False
    executable: bool = False


def read_layout(path=LAYOUT_FILE):
    entries = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        file, *tags = line.split()
        options = {}
        for tag in tags:
            if tag.startswith("package="):
                options["package"] = tag.split("=", 1)[1]
            elif tag == "man":
                options["man"] = True
            elif tag == "exec":
                options["executable"] = True
            else:
                raise ValueError(f"{path}:{number}: unknown tag {tag!r}")
        if not file.startswith("/"):
            raise ValueError(f"{path}:{number}: not an absolute path: {file}")
        entries.append(Entry(file, **options))
    return entries


def diff_lines(expected, actual):
    """'-path' for each expected path missing, '+path' for each unexpected one."""
    return [f"-{p}" for p in sorted(set(expected) - set(actual))] + \
           [f"+{p}" for p in sorted(set(actual) - set(expected))]
