#!/usr/bin/env python3
"""Prints "N passed, N failed" over the individual test cases of the last
`meson test` run: gtest cases from meson's JUnit log, plus one case per
non-gtest test. A test program that crashed before reporting its cases
counts as one failure."""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

logs = Path(sys.argv[1] if len(sys.argv) > 1 else "build/meson-logs")
passed = failed = 0
failing_suites = set()
for suite in ET.parse(logs / "testlog.junit.xml").getroot().iter("testsuite"):
    for case in suite.iter("testcase"):
        if case.find("skipped") is not None:
            continue
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failing_suites.add(suite.get("name", ""))
        else:
            passed += 1

project_failures = ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS")
for line in (logs / "testlog.json").read_text().splitlines():
    test = json.loads(line)
    if test.get("result") in project_failures:
        name = test["name"]
        if not any(s.split(".")[1:2] == [name] for s in failing_suites):
            failed += 1  # crashed or timed out without a failing case on record

print(f"{passed} passed, {failed} failed")
