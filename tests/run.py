#!/usr/bin/env python3
"""Runs every test through meson and ends with 'N passed, N failed'.

A cmocka program counts as the test cases it ran; any other test (a
namespace or VM script) counts as one. Exit status 1 if anything failed.
"""
import json
import os
import re
import subprocess
import sys


def counts(entry):
    """(passed, failed) for one meson test entry."""
    out = entry.get("stdout") or ""
    ok = entry.get("result") in ("OK", "EXPECTEDFAIL")
    ran = re.search(r"^\[=+\] (\d+) test\(s\) run\.", out, re.M)
    if ran:
        failed = re.search(r"^\[  FAILED  \] (\d+) test\(s\)", out, re.M)
        nfail = int(failed.group(1)) if failed else 0
        if not ok and nfail == 0:
            nfail = 1  # crashed or leaked after its cases passed
        return int(ran.group(1)) - nfail, nfail
    return (1, 0) if ok else (0, 1)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    extra = sys.argv[2:]
    log = os.path.join(build, "meson-logs", "testlog.json")
    if os.path.exists(log):
        os.unlink(log)
    rc = subprocess.call(["meson", "test", "-C", build, "--print-errorlogs"]
                         + extra)
    passed = failed = 0
    if os.path.exists(log):
        with open(log) as f:
            for line in f:
                p, n = counts(json.loads(line))
                passed += p
                failed += n
    if rc != 0 and failed == 0:
        failed = 1  # meson itself failed before running anything
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
