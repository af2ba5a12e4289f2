#!/usr/bin/env python3
"""Prints one closing line over every test report the build left behind:
JUnit XML from Maven Surefire/Failsafe and from the VS Code extension's vitest runs
(vscode-extension/test-results/*.xml)."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else "."
patterns = [
    "**/target/surefire-reports/TEST-*.xml",
    "**/target/failsafe-reports/TEST-*.xml",
    "vscode-extension/test-results/*.xml",
]
passed = failed = skipped = 0
for pattern in patterns:
    for path in glob.glob(os.path.join(root, pattern), recursive=True):
        if "node_modules" in path:
            continue
        try:
            tree = ET.parse(path)
        except ET.ParseError:
            failed += 1
            continue
        for case in tree.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
