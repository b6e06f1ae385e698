#!/usr/bin/env python3
"""Runs every test through meson and ends with
'N passed, N failed, N skipped'.

A cmocka program counts as the test cases it ran; any other test (a
namespace or VM script) counts as one. A test that exits 77 is skipped
and says why on its output. A line per suite comes before the total.
Exit status 1 if anything failed.
"""
import json
import os
import re
import subprocess
import sys

SUITE_NAMES = {"unit": "unit tests", "freebsd": "FreeBSD checks",
               "netns": "namespace tests", "pkg": "package tests",
               "testbed": "testbed checks", "vm": "VM tests",
               "distro": "full-distribution tests"}


def counts(entry):
    """(passed, failed, skipped) for one meson test entry."""
    out = entry.get("stdout") or ""
    result = entry.get("result")
    if result == "SKIP":
        return 0, 0, 1
    ok = result in ("OK", "EXPECTEDFAIL")
    ran = re.search(r"^\[=+\] (\d+) test\(s\) run\.", out, re.M)
    if ran:
        failed = re.search(r"^\[  FAILED  \] (\d+) test\(s\)", out, re.M)
        nfail = int(failed.group(1)) if failed else 0
        if not ok and nfail == 0:
            nfail = 1  # crashed or leaked after its cases passed
        return int(ran.group(1)) - nfail, nfail, 0
    return (1, 0, 0) if ok else (0, 1, 0)


def skip_reason(entry):
    out = (entry.get("stdout") or "") + (entry.get("stderr") or "")
    m = re.search(r"^SKIP:? *(.*)$", out, re.M)
    return m.group(1) if m else "no reason given"


def suite_of(entry):
    """'vfbond:unit / core' → 'unit' (meson's name: project:suite / test)."""
    m = re.match(r"[^:]*:(\S+) / ", entry.get("name", ""))
    return m.group(1) if m else "other"


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    extra = sys.argv[2:]
    log = os.path.join(build, "meson-logs", "testlog.json")
    if os.path.exists(log):
        os.unlink(log)
    rc = subprocess.call(["meson", "test", "-C", build, "--print-errorlogs"]
                         + extra)
    per_suite = {}
    skips = []
    if os.path.exists(log):
        with open(log) as f:
            for line in f:
                entry = json.loads(line)
                c = counts(entry)
                s = per_suite.setdefault(suite_of(entry), [0, 0, 0])
                for i in range(3):
                    s[i] += c[i]
                if c[2]:
                    skips.append(f"{entry['name']}: {skip_reason(entry)}")
    total = [sum(s[i] for s in per_suite.values()) for i in range(3)]
    if rc != 0 and total[1] == 0:
        total[1] = 1  # meson itself failed before running anything
    print()
    for name, s in per_suite.items():
        print(f"  {SUITE_NAMES.get(name, name):24} {s[0]} passed, "
              f"{s[1]} failed, {s[2]} skipped")
    for s in skips:
        print(f"  skipped {s}")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] else 0


if __name__ == "__main__":
    sys.exit(main())
