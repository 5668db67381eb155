#!/usr/bin/env python3
"""Checks the man pages against the code they describe; prints TAP.

- every built page renders with groff and man without a warning;
- org.certd.Certd1(5) has an interface block for each dbus/*.xml interface
  that lists exactly its methods (with argument directions, types and
  names), signals and properties (type, access, EmitsChangedSignal), and
  describes each of them; it names every org.certd.Certd1.Error.*;
- certd.conf(5) and the example etc/certd.conf hold every section and key of
  lib/config/config.cpp, and nothing else;
- certctl(1) and the bash completion hold every certctl command, and
  certctl(1) the exit status of every certd error.

Usage: check-man-pages.py SOURCE_ROOT [BUILT_PAGE...]
"""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

# certctl's commands, as its interface defines them; commands declared in
# cli/*.cpp (add_subcommand("...") or verb("...", ...)) are checked as well.
CERTCTL_COMMANDS = [
    "status", "list-cas", "show-ca", "inspect-ca", "import-ca", "export-ca",
    "delete-ca", "reload", "show-host", "generate", "acme-request", "upload", "inspect-upload", "upload-pkcs12", "create-request",
    "export-request", "cancel-request", "install-certificate", "export-host",
    "export-appliance-ca", "rotate-appliance-ca", "list-expiring", "check-expiry", "monitor",
]
# certctl's exit status for certd's error number N (lib/base/error.h order).
CERTCTL_FIRST_ERROR_STATUS = 10


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, ok, description, details=()):
        self.count += 1
        if not ok:
            self.failed += 1
        print(f"{'ok' if ok else 'not ok'} {self.count} - {description}")
        for line in details if not ok else ():
            print(f"# {line}")
        sys.stdout.flush()

    def finish(self):
        print(f"1..{self.count}")
        return 1 if self.failed else 0


def read(path):
    return Path(path).read_text(encoding="utf-8")


# --- scdoc structure -------------------------------------------------------

def literal_blocks(scd):
    """The literal (```) blocks of an scdoc text, as strings."""
    blocks, current = [], None
    for line in scd.splitlines():
        if line.strip() == "```":
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def without_literal_blocks(scd):
    lines, inside = [], False
    for line in scd.splitlines():
        if line.strip() == "```":
            inside = not inside
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def sections(scd, level="#", literal=False):
    """{header: text} for the headers of one level ("#" or "##"); a header of
    a higher level ends a section too. Literal blocks are left out unless
    literal is true."""
    result, header, body, inside = {}, None, [], False
    for line in scd.splitlines():
        if line.strip() == "```":
            inside = not inside
            if literal and header is not None:
                body.append(line)
            continue
        match = None if inside else re.match(r"(#+) (.*)$", line)
        if match and len(match.group(1)) <= len(level):
            if header is not None:
                result[header] = "\n".join(body)
            header = match.group(2).strip() if len(match.group(1)) == len(level) else None
            body = []
        elif header is not None and (literal or not inside):
            body.append(line)
    if header is not None:
        result[header] = "\n".join(body)
    return result


# --- D-Bus -----------------------------------------------------------------

def normalize(text):
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    return text.strip()


def interface_block_statements(scd, interface):
    """The statements of 'interface NAME { ... };' in the page's literal
    blocks, or None when there is no such block."""
    for block in literal_blocks(scd):
        match = re.search(r"interface\s+" + re.escape(interface) + r"\s*\{(.*?)\n\s*\};", block, re.S)
        if match:
            body = normalize(match.group(1))
            body = re.sub(r"\b(methods|signals|properties):", " ", body)
            return {normalize(s) for s in body.split(";") if s.strip()}
    return None


def expected_statements(interface):
    """What the page's block must say for one <interface> element."""
    expected = {}
    for method in interface.findall("method"):
        args = [f"{a.get('direction', 'in')} {a.get('type')} {a.get('name')}" for a in method.findall("arg")]
        expected[method.get("name")] = f"{method.get('name')}({', '.join(args)})"
    for signal in interface.findall("signal"):
        args = [f"{a.get('type')} {a.get('name')}" for a in signal.findall("arg")]
        expected[signal.get("name")] = f"{signal.get('name')}({', '.join(args)})"
    for prop in interface.findall("property"):
        access = {"read": "readonly", "write": "writeonly", "readwrite": "readwrite"}[prop.get("access")]
        statement = f"{access} {prop.get('type')} {prop.get('name')}"
        for annotation in prop.findall("annotation"):
            if annotation.get("name") == "org.freedesktop.DBus.Property.EmitsChangedSignal" and \
                    annotation.get("value") != "true":
                statement = f'@org.freedesktop.DBus.Property.EmitsChangedSignal("{annotation.get("value")}") ' + statement
        expected[prop.get("name")] = statement
    return expected


def check_dbus(tap, root):
    page_path = root / "man" / "org.certd.Certd1.5.scd"
    page = read(page_path)
    xml_files = sorted((root / "dbus").glob("*.xml"))
    tap.check(bool(xml_files), "dbus/*.xml found")
    for xml_file in xml_files:
        for interface in ElementTree.parse(xml_file).getroot().findall("interface"):
            name = interface.get("name")
            expected = expected_statements(interface)
            found = interface_block_statements(page, name)
            if found is None:
                tap.check(False, f"org.certd.Certd1(5) has an interface block for {name}")
                continue
            missing = sorted(s for s in expected.values() if s not in found)
            extra = sorted(found - set(expected.values()))
            tap.check(not missing and not extra,
                      f"org.certd.Certd1(5): the {name} block matches {xml_file.name}",
                      [f"missing or different: {s}" for s in missing] + [f"not in the XML: {s}" for s in extra])

            # The top-level section holding the block describes every member.
            section_text = next((without_literal_blocks(text) for text in sections(page, "#", literal=True).values()
                                 if f"interface {name} {{" in text), None)
            undescribed = [member for member in expected
                           if section_text is None or f"*{member}*" not in section_text]
            tap.check(not undescribed, f"org.certd.Certd1(5) describes every member of {name}",
                      [f"no *{m}* in the section of {name}" for m in undescribed])

    error_names = dbus_error_names(root)
    tap.check(bool(error_names), "error names found in lib/base/error.h")
    missing = [e for e in error_names if f"*org.certd.Certd1.Error.{e}*" not in page]
    tap.check(not missing, "org.certd.Certd1(5) describes every org.certd.Certd1.Error.*",
              [f"missing: org.certd.Certd1.Error.{e}" for e in missing])


def dbus_error_names(root):
    """ErrorCode's members in order, without those never sent on D-Bus."""
    text = read(root / "lib" / "base" / "error.h")
    match = re.search(r"enum\s+class\s+ErrorCode\s*\{(.*?)\};", text, re.S)
    names = []
    for line in (match.group(1) if match else "").splitlines():
        entry = re.match(r"\s*([A-Za-z][A-Za-z0-9]*)\s*,?\s*(//.*)?$", line)
        if entry and not (entry.group(2) and "never a D-Bus reply" in entry.group(2)):
            names.append(entry.group(1))
    return names


# --- certd.conf ------------------------------------------------------------

def config_schema(root):
    """{section: [keys]} from lib/config/config.cpp (and the service names of
    lib/host/service.h, whose sections take serviceSection()'s keys; a
    section added as all.emplace("Name", nameSection()) takes that
    function's keys)."""
    text = read(root / "lib" / "config" / "config.cpp")
    key_pattern = r'\{\s*\{?\s*"([A-Za-z][A-Za-z0-9]*)"\s*,\s*(\[|\{)'

    def section_keys(function):
        part = re.search(r"Section\s+" + function + r"\s*\(.*?\n\}\n", text, re.S)
        return [m.group(1) for m in re.finditer(key_pattern, part.group(0))] if part else []

    service_keys = section_keys("serviceSection")

    schema_part = re.search(r"schema\s*\(\s*\)\s*\{(.*?)\n\}\n", text, re.S)
    schema = {}
    current = None
    for match in re.finditer(key_pattern, schema_part.group(1) if schema_part else ""):
        if match.group(2) == "{":  # "Section", {{"Key", [...
            current = match.group(1)
            schema[current] = []
        elif current is not None:  # "Key", [](Config& ...
            schema[current].append(match.group(1))

    for name, function in re.findall(r'all\.emplace\(\s*"([A-Za-z]+)"\s*,\s*([A-Za-z]+Section)\s*\(\s*\)\s*\)', text):
        schema[name] = section_keys(function)

    services = re.search(r"serviceNames\[\]\s*=\s*\{([^}]*)\}", read(root / "lib" / "host" / "service.h"))
    for service in re.findall(r'"([^"]+)"', services.group(1) if services else ""):
        schema[service] = list(service_keys)
    return schema


def check_config(tap, root):
    schema = config_schema(root)
    tap.check(len(schema) >= 5 and all(schema.values()),
              "sections and keys found in lib/config/config.cpp", [f"{s}: {k}" for s, k in schema.items()])

    page = read(root / "man" / "certd.conf.5.scd")
    subsections = sections(page, "##")
    problems = []
    for section, keys in schema.items():
        texts = [text for header, text in subsections.items() if f"[{section}]" in header]
        if not texts:
            problems.append(f"no subsection for [{section}]")
            continue
        for key in keys:
            if not any(re.search(r"^\*" + re.escape(key) + r"=\*", t, re.M) for t in texts):
                problems.append(f"[{section}] {key}= is not described")
    documented = {h.strip("[]") for header in subsections for h in re.findall(r"\[[^\]]+\]", header)}
    problems += [f"[{s}] is documented but not in config.cpp" for s in sorted(documented - set(schema))]
    tap.check(not problems, "certd.conf(5) describes every section and key of config.cpp", problems)

    example_path = root / "etc" / "certd.conf"
    problems = []
    current = None
    seen = {}
    for number, line in enumerate(read(example_path).splitlines(), 1):
        stripped = line.strip()
        header = re.fullmatch(r"\[([^\]]+)\]", stripped)
        if header:
            current = header.group(1)
            if current not in schema:
                problems.append(f"line {number}: unknown section [{current}]")
            seen.setdefault(current, [])
            continue
        setting = re.fullmatch(r"#([A-Za-z][A-Za-z0-9]*)=(.*)", stripped)
        if setting:
            if current not in schema or setting.group(1) not in schema[current]:
                problems.append(f"line {number}: unknown key {setting.group(1)}= in [{current}]")
            seen.setdefault(current, []).append(setting.group(1))
        elif stripped and not stripped.startswith(("#", ";")):
            problems.append(f"line {number}: not commented out: {stripped}")
    for section, keys in schema.items():
        for key in keys:
            if key not in seen.get(section, []):
                problems.append(f"[{section}] {key}= is missing")
    tap.check(not problems, "etc/certd.conf holds every section and key, commented out, and nothing else",
              problems)


# --- certctl ---------------------------------------------------------------

def certctl_commands(root):
    commands = list(CERTCTL_COMMANDS)
    for source in sorted((root / "cli").glob("*.cpp")) if (root / "cli").is_dir() else []:
        for name in re.findall(r'(?:add_subcommand|\bverb)\(\s*"([a-z][a-z-]*)"', read(source)):
            if name not in commands:
                commands.append(name)
    return commands


def certctl_options(root):
    """The options declared in cli/*.cpp: ["-H", "--host", "--json", ...]."""
    options = []
    for source in sorted((root / "cli").glob("*.cpp")) if (root / "cli").is_dir() else []:
        for names in re.findall(r'(?:add_option|add_flag|set_version_flag)\(\s*"(-[^"]+)"', read(source)):
            options += [n for n in names.split(",") if n.startswith("-") and n not in options]
    return options


def check_certctl(tap, root):
    commands = certctl_commands(root)
    page = without_literal_blocks(read(root / "man" / "certctl.1.scd"))
    missing = [c for c in commands if not re.search(r"^\*" + re.escape(c) + r"\*", page, re.M)]
    tap.check(not missing, "certctl(1) describes every command", [f"missing: {c}" for c in missing])

    completion = read(root / "shell-completion" / "bash" / "certctl")
    options = certctl_options(root)
    missing = [o for o in options if not re.search(r"\*" + re.escape(o) + r"(=?\*|=)", page)]
    tap.check(not missing, "certctl(1) describes every option of cli/*.cpp", [f"missing: {o}" for o in missing])
    missing = [o for o in options if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", completion)]
    tap.check(not missing, "the bash completion offers every option of cli/*.cpp",
              [f"missing: {o}" for o in missing])
    verbs = re.search(r"local verbs='([^']*)'", completion)
    verb_list = verbs.group(1).split() if verbs else []
    missing = [c for c in commands if c not in verb_list]
    extra = [v for v in verb_list if v not in commands]
    tap.check(verbs is not None and not missing and not extra,
              "the bash completion offers exactly certctl's commands",
              [f"missing: {c}" for c in missing] + [f"not a command: {v}" for v in extra])

    rows = dict(re.findall(r"^\|\s+(\d+)\s*\n:\s+([A-Za-z][A-Za-z0-9]*)\s*$", read(root / "man" / "certctl.1.scd"), re.M))
    problems = []
    for number, name in enumerate(dbus_error_names(root)):
        status = str(CERTCTL_FIRST_ERROR_STATUS + number)
        if rows.get(status) != name:
            problems.append(f"exit status {status} should be {name}, is {rows.get(status)}")
    tap.check(not problems, "certctl(1) lists the exit status of every certd error", problems)


# --- rendering -------------------------------------------------------------

def check_rendering(tap, pages):
    for page in pages:
        name = os.path.basename(page)
        groff = subprocess.run(["groff", "-t", "-ww", "-z", "-man", "-Tutf8", page],
                               capture_output=True, text=True)
        tap.check(groff.returncode == 0 and not groff.stderr.strip(),
                  f"{name} renders with groff -ww without warnings", groff.stderr.splitlines())
        environment = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        man = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True, env=environment)
        tap.check(man.returncode == 0 and not man.stderr.strip() and "NAME" in man.stdout,
                  f"{name} renders with man --warnings -l without warnings", man.stderr.splitlines())


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1])
    pages = sys.argv[2:]
    tap = Tap()
    check_rendering(tap, pages)
    check_dbus(tap, root)
    check_config(tap, root)
    check_certctl(tap, root)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
