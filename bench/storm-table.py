#!/usr/bin/env python3
"""Turns storm.py's JSON into the markdown table of docs/benchmarks.md,
with the targets of issue 4 marked met or not."""
import datetime
import json
import os
import platform
import sys

r = json.load(open(sys.argv[1]))
v, s = r["vfbond"], r["seed"]


def mark(ok):
    return "met" if ok else "**NOT met**"


mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
print(f"# vfbond event storm and footprint\n\n"
      f"{datetime.datetime.now().astimezone().isoformat(timespec='seconds')}; "
      f"{os.cpu_count()} CPUs, {mem:.1f} GiB; kernel {platform.release()}; "
      f"release build\n\n"
      f"{v['pairs']} synthetic/VF stand-in pairs of veth interfaces appear at "
      f"once in a namespace (one `ip -batch`).\n")
print("| | vfbond | seed-style (a shell per event) |")
print("| --- | --- | --- |")
seed_done = (f"{s['all_acted_s']:.2f} s" if s["all_acted_s"] is not None
             else f"never: {s['acted_on']} of {s['pairs']}")
print(f"| time until every pair was acted on | {v['all_acted_s']:.2f} s | {seed_done} |")
print(f"| kernel events handled | {v['events']} | {s['events']} |")
print(f"| CPU time | {v['cpu_s'] * 1000:.1f} ms | {s['cpu_s'] * 1000:.0f} ms |")
print(f"| CPU per event | {v['cpu_us_per_event']:.1f} µs | {s['cpu_us_per_event']:.0f} µs |")
print(f"\n| footprint of `vfbond run` | |\n| --- | --- |")
print(f"| resident memory, idle | {v['rss_idle_kib'] / 1024:.2f} MiB |")
print(f"| resident memory, after the storm | {v['rss_after_kib'] / 1024:.2f} MiB |")
print(f"| wake-ups per second, idle (before / after the storm) | "
      f"{v['idle_wakeups_per_s']} / {v['idle_wakeups_per_s_after']} |")
print(f"| binary size, stripped | {r['binary_bytes_stripped'] / 1024:.0f} KiB |")
ratio = r["cpu_per_event_ratio"]
print(f"\nTargets:\n\n"
      f"- {mark(ratio >= 100)}: ≥ 100× less CPU per event than fork-per-event: {ratio}×\n"
      f"- {mark(v['idle_wakeups_per_s'] == 0 and v['idle_wakeups_per_s_after'] == 0)}: "
      f"0 wake-ups/s idle\n"
      f"- {mark(v['rss_idle_kib'] < 2048)}: RSS under 2 MiB idle: "
      f"{v['rss_idle_kib'] / 1024:.2f} MiB\n"
      f"- {mark(v['rss_after_kib'] < 2048)}: RSS under 2 MiB after the storm: "
      f"{v['rss_after_kib'] / 1024:.2f} MiB")
