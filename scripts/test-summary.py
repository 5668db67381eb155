#!/usr/bin/env python3
"""Prints "N passed, N failed" over every test case of a CI run, last.

Arguments are meson log directories or log bases (meson-logs/testlog, or
meson-logs/NAME for `meson test --logbase NAME`: the gtest cases from its JUnit
log, plus one case per non-gtest test; a test program that crashed before
reporting its cases counts as one failure) and files of result lines
("PASS name" / "FAIL name", from the fuzzing and packaging checks). With
more than one source, a line per source comes first."""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def meson_counts(base):
    passed = failed = 0
    failing_suites = set()
    for suite in ET.parse(f"{base}.junit.xml").getroot().iter("testsuite"):
        for case in suite.iter("testcase"):
            if case.find("skipped") is not None:
                continue
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failing_suites.add(suite.get("name", ""))
            else:
                passed += 1
    project_failures = ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS")
    for line in Path(f"{base}.json").read_text().splitlines():
        test = json.loads(line)
        if test.get("result") in project_failures:
            name = test["name"]
            if not any(s.split(".")[1:2] == [name] for s in failing_suites):
                failed += 1  # crashed or timed out without a failing case on record
    return passed, failed


def result_counts(path):
    lines = [line.split(maxsplit=1) for line in path.read_text().splitlines() if line.strip()]
    return sum(1 for l in lines if l[0] == "PASS"), sum(1 for l in lines if l[0] != "PASS")


sources = [Path(a) for a in sys.argv[1:]] or [Path("build/meson-logs")]
total_passed = total_failed = 0
for source in sources:
    try:
        if source.is_dir():
            passed, failed = meson_counts(source / "testlog")
        elif source.with_name(source.name + ".json").exists():
            passed, failed = meson_counts(source)
        else:
            passed, failed = result_counts(source)
    except (OSError, ET.ParseError) as error:
        passed, failed = 0, 1
        print(f"{source}: no results ({error})")
    if len(sources) > 1:
        print(f"{source}: {passed} passed, {failed} failed")
    total_passed += passed
    total_failed += failed
print(f"{total_passed} passed, {total_failed} failed")
