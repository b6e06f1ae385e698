#!/usr/bin/env python3
"""Live-migration benchmark: vfbond against the two usual ways of managing a
synthetic NIC + VF pair, on the QEMU test bed (tests/vm), each repetition on
a freshly booted guest, one guest at a time.

Managers:
  vfbond  `vfbond run`, no configuration (defaults: miimon 50, ...);
  static  a hand-made bond as Linux's old bondvf.sh and libvirt's guidance
          make it (active-backup, miimon 100, primary = VF; nothing else),
          addresses and routes moved to it, and a hotplug hook that
          re-enslaves a returning VF;
  seed    the same, but the hook and the first bring-up wait 2 s first, the
          minimum hyperv_vf_delay of FreeBSD's hyperv_vfattach.

Per boot: packets lost at 1000 pps (host `ping -i 0.001`) across the initial
takeover, the VF hot-unplug and the re-plug; guest-side timings of the
re-plug from `ip -ts -d monitor link`; then, in a separate phase, an iperf3
TCP stream across a second unplug/re-plug.  Prints a markdown table (median
[min-max]) and the targets; writes bench/results/migration.{json,md,png}.

usage: bench/migration.py [--reps N] [--bin build-rel/vfbond] [--managers ...]
Needs root, gnuplot (gnuplot-nox), and the test bed's packages (installed
by tests/vm/setup.sh on first boot).  Build the binary first:
  meson setup build-rel --buildtype=release -Dwerror=true && ninja -C build-rel
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "vm"))
import vfb  # noqa: E402
from testbed import Testbed, TestbedError  # noqa: E402

IP = "/usr/sbin/ip"
MANAGERS = ("vfbond", "static", "seed")
SEED_DELAY = 2          # s: FreeBSD's hyperv_vf_delay, at least 2
IPERF_S = 20            # long enough for unplug + re-plug + carrier (~10 s)
POLL = 0.05             # s between guest polls (each one costs guest CPU)
GUEST = vfb.guest_ip4(0)

# The hand-made bond, built live: only mode/miimon/primary, as the usual
# guidance writes it.  The synthetic NIC's addresses and routes are saved,
# the slaves set down (bonding will not enslave an up device) and enslaved,
# and the addresses and routes put back on bond0.
BUILD_BOND = r"""
IP=/usr/sbin/ip SYN={syn} VF={vf}
sleep {delay}
a4=$($IP -o -4 addr show dev $SYN scope global | awk '{{print $4}}')
a6=$($IP -o -6 addr show dev $SYN scope global | awk '{{print $4}}')
r4=$($IP -4 route show dev $SYN | grep -v 'proto kernel')
r6=$($IP -6 route show dev $SYN | grep -v 'proto kernel')
$IP link add bond0 type bond mode active-backup miimon 100 primary $VF
for s in $VF $SYN; do
    $IP addr flush dev $s scope global
    $IP link set $s down
    $IP link set $s master bond0
done
$IP link set bond0 up
for a in $a4; do $IP addr add $a dev bond0; done
for a in $a6; do $IP -6 addr add $a dev bond0; done
echo "$r4" | while read -r r; do [ -z "$r" ] || $IP route add $r dev bond0; done
echo "$r6" | while read -r r; do [ -z "$r" ] || $IP -6 route add $r dev bond0; done
# The hotplug hook.  Debian's kernel is built without CONFIG_UEVENT_HELPER
# (no /proc/sys/kernel/hotplug), so busybox's uevent applet feeds the same
# script the same kernel uevents (environment and all) over netlink, the
# way udev receives them.
if [ -e /proc/sys/kernel/hotplug ]; then
    echo /sbin/vf-hook > /proc/sys/kernel/hotplug; echo "hook: hotplug"
else
    uevent /sbin/vf-hook >/tmp/hook.log 2>&1 & echo "hook: uevent"
fi
"""
HOOK = r"""#!/bin/sh
[ "$SUBSYSTEM" = net ] && [ "$ACTION" = add ] || exit 0
d=/sys/class/net/$INTERFACE
[ "$(cat $d/address)" = {mac} ] || exit 0
[ "$(basename "$(readlink $d/device/driver)")" = e1000e ] || exit 0
sleep {delay}
/usr/sbin/ip link set $INTERFACE down
/usr/sbin/ip link set $INTERFACE master bond0
"""


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr,
          flush=True)


# --------------------------------------------------- one VM at a time ---

def _ancestors():
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return pids


def others(own=None):
    """PIDs of VMs or test-suite runs that are not ours (our own shell's
    command line may name them, hence the ancestors)."""
    mine = _ancestors() | {own}
    pids = []
    for pat in ("qemu-system", "tests/run.py"):
        out = subprocess.run(["pgrep", "-f", pat], text=True,
                             stdout=subprocess.PIPE).stdout
        pids += [int(p) for p in out.split() if int(p) not in mine]
    return pids


def wait_idle():
    said = False
    while others():
        if not said:
            log("waiting: another VM or the test suite is running")
            said = True
        time.sleep(3)


# ------------------------------------------------------------ parsing ---

MON = re.compile(r"^\[(\S+)\] (Deleted )?(\d+): ([^:@]+)\S*: <([^>]*)>")


def parse_monitor(text):
    """`ip -ts -d monitor link` → messages (t, deleted, index, name, flags,
    body).  -ts stamps each message with the guest's wall clock (UTC in the
    guest) when ip printed it; -d adds the bond/bond_slave details on the
    following lines."""
    msgs = []
    for line in text.splitlines():
        m = MON.match(line)
        if m:
            t = datetime.datetime.strptime(m[1], "%Y-%m-%dT%H:%M:%S.%f")
            msgs.append(dict(
                t=t.replace(tzinfo=datetime.timezone.utc).timestamp(),
                deleted=bool(m[2]), index=int(m[3]), name=m[4],
                flags=set(m[5].split(",")), body=line))
        elif msgs:
            msgs[-1]["body"] += "\n" + line
    return msgs


def _first(msgs, pred):
    return next((m["t"] for m in msgs if pred(m)), None)


def replug_events(msgs, old_vf, new_vf, syn):
    """Guest times of the unplug and re-plug.  "Active" is the first
    `bond_slave state ACTIVE` for the new VF or the bond's `active_slave
    <VF>`, whichever comes first: on 6.1 both are printed within a few us
    of each other (with `event BONDING FAILOVER` on the bond's message).
    Neither is used before the VF's appearance: the leaving VF still shows
    ACTIVE while it goes down."""
    old = next(m["index"] for m in msgs if m["name"] == old_vf)
    gone = next(i for i, m in enumerate(msgs)
                if m["deleted"] and m["index"] == old)
    # The unplug: the VF's first message without UP after its last one
    # with UP (the unregister sets it down before deleting it).
    last_up = max(i for i in range(gone) if msgs[i]["index"] == old
                  and "UP" in msgs[i]["flags"])
    down = _first(msgs[last_up + 1:], lambda m: m["index"] == old)
    after = msgs[gone + 1:]
    new = next(m["index"] for m in after
               if m["name"] == new_vf and not m["deleted"])
    appear = _first(after, lambda m: m["index"] == new)
    later = [m for m in after if m["t"] >= appear]
    return {
        "vf_down": down,
        "syn_active": _first(msgs, lambda m: m["t"] >= down
                             and m["name"] == syn
                             and "bond_slave state ACTIVE" in m["body"]),
        "vf_gone": msgs[gone]["t"],
        "appear": appear,
        "up": _first(later, lambda m: m["index"] == new and "UP" in m["flags"]),
        "carrier": _first(later, lambda m: m["index"] == new
                          and "LOWER_UP" in m["flags"]),
        "active": _first(later, lambda m: (
            m["index"] == new and "bond_slave state ACTIVE" in m["body"])
            or f" active_slave {new_vf} " in m["body"]),
    }


def vfbond_joined(log_text, vf, day_of):
    """Guest time of vfbond's "VF <vf> is back: joining it" line.  vfbond
    logs the time of day truncated to ms: take the middle of that ms.
    vfbond and `ip monitor` get the same kernel message and each stamps it
    when it gets to run, so a reaction a little below 0 is possible."""
    m = re.search(r"^(\d\d):(\d\d):(\d\d\.\d{3}) vfbond: .*VF " + re.escape(vf)
                  + " is back: joining it", log_text, re.M)
    if not m:
        return None
    day = datetime.datetime.fromtimestamp(day_of, datetime.timezone.utc)
    midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
    t = (midnight.timestamp() + int(m[1]) * 3600 + int(m[2]) * 60
         + float(m[3]) + 0.0005)
    return t + 86400 if t < day_of - 43200 else t    # past midnight


def ping_replies(path):
    """Host receive times of the replies in a `ping -D -O` log."""
    with open(path, errors="replace") as f:
        return [float(m[1]) for m in re.finditer(
            r"^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=\d+.*ms$", f.read(),
            re.M)]


def lost_packets(path, t0):
    """The packets ping counted as lost: how many were sent after the last
    answered one (mostly still in flight when the flood was stopped, which
    ping counts as lost), and when each was sent, in s after t0 (ping -O
    reports an unanswered packet when it sends the next, 1 ms later).  Kept
    beside the loss, which stays as ping reports it."""
    with open(path, errors="replace") as f:
        text = f.read()
    tx = int(re.search(r"(\d+) packets transmitted", text)[1])
    got = set(map(int, re.findall(r"bytes from .*icmp_seq=(\d+)", text)))
    sent = {int(m[2]): float(m[1]) - 0.001 for m in re.finditer(
        r"^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)", text, re.M)}
    lost = [q for q in range(1, tx + 1) if q not in got][:50]
    return {"after_last_reply": tx - max(got, default=0),
            "sent_at_s": [round(sent[q] - t0, 3) if q in sent else None
                          for q in lost]}


def iperf_figures(data, seq_s):
    """Survival, retransmits and the longest run of 0-byte intervals."""
    stall = run = 0.0
    for iv in data.get("intervals", []):
        run = run + iv["sum"]["seconds"] if iv["sum"]["bytes"] == 0 else 0.0
        stall = max(stall, run)
    sent = data.get("end", {}).get("sum_sent", {})
    return {"survived": not data.get("error") and bool(sent),
            "error": data.get("error"),
            "retransmits": sent.get("retransmits"),
            "longest_stall_ms": round(stall * 1000),
            "mbit_s": round(sent.get("bits_per_second", 0) / 1e6, 1),
            "covered": seq_s < IPERF_S}   # the whole sequence was in the stream


# -------------------------------------------------------------- guest ---

def clock_offset(tb, samples=10):
    """Guest wall clock minus host wall clock, from the fastest of a few
    round trips (error ≤ half of it); only the plot needs it."""
    best = None
    for _ in range(samples):
        t0 = time.time()
        out = tb.guest_ok("adjtimex")
        t1 = time.time()
        g = (int(re.search(r"tv_sec:\s*(\d+)", out)[1])
             + int(re.search(r"tv_usec:\s*(\d+)", out)[1]) / 1e6)
        if best is None or t1 - t0 < best[1]:
            best = (g - (t0 + t1) / 2, t1 - t0)
    return {"offset_s": best[0], "rtt_s": best[1]}


def active_cmd(vf):
    """Guest test: `vf` is the active slave of its bond."""
    return (f'm=$(readlink /sys/class/net/{vf}/master) && '
            f'[ "$(cat /sys/class/net/${{m##*/}}/bonding/active_slave)" = {vf} ]')


def start_manager(tb, kind, syn, vf):
    if kind == "vfbond":
        vfb.start_vfbond(tb)
        return
    delay = SEED_DELAY if kind == "seed" else 0
    tb.guest_write("/sbin/vf-hook", HOOK.format(mac=tb.pairs[0].mac,
                                                delay=delay), 0o755)
    tb.guest_write("/tmp/build.sh", BUILD_BOND.format(syn=syn, vf=vf,
                                                      delay=delay))
    tb.guest_ok("sh /tmp/build.sh >/tmp/build.log 2>&1 &")


def one_boot(kind, binary, work, tag):
    """Boot, run the four phases, return the raw figures of this boot."""
    logs = {p: os.path.join(work, f"{tag}-{p}.ping")
            for p in ("takeover", "unplug", "replug")}
    r = {"manager": kind, "ping_logs": logs}
    wait_idle()
    tb = Testbed(pairs=1, binaries=[binary], verbose=False)
    try:
        tb.start()
        r["boot_s"] = round(tb.boot_time, 2)
        r["guest_kernel"] = tb.guest_ok("uname -r").strip()
        syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
        vfb.configure_synthetic(tb, 0)
        tb.guest_ok(f"{IP} -ts -d monitor link >/tmp/mon.log 2>&1 &")

        # (a) initial takeover: until the VF is active, the synthetic NIC
        # enslaved and the address on the bond.
        done = (active_cmd(vf) + f' && [ -n "$(readlink /sys/class/net/{syn}'
                f'/master)" ] && {IP} -4 addr show dev ${{m##*/}} | grep -q " {GUEST}/"')
        fl = tb.ping_flood(GUEST, log_path=logs["takeover"])
        time.sleep(0.5)
        t, r["t_manager_start"] = time.monotonic(), time.time()
        start_manager(tb, kind, syn, vf)
        tb.wait_guest(done, 90, POLL)
        r["takeover_s"] = round(time.monotonic() - t, 3)
        time.sleep(0.5)
        r["loss_takeover"] = fl.stop()["lost"]
        time.sleep(1)
        r["clock"] = clock_offset(tb)

        # (b) unplug: 0.5 s before, until the guest saw it + 1 s.
        fl = tb.ping_flood(GUEST, log_path=logs["unplug"])
        time.sleep(0.5)
        r["t_device_del"] = time.time()
        tb.unplug_vf(0)
        r["unplug_seen_s"] = round(time.time() - r["t_device_del"], 3)
        time.sleep(1)
        r["loss_unplug"] = fl.stop()["lost"]
        r["t_unplug_end"] = time.time()
        time.sleep(1)

        # (c) re-plug: 0.5 s before, until the VF is active + 0.5 s.
        fl = tb.ping_flood(GUEST, log_path=logs["replug"])
        time.sleep(0.5)
        r["t_device_add"] = time.time()
        vf2 = tb.plug_vf(0)
        tb.wait_guest(active_cmd(vf2), 60, POLL)
        r["replug_active_host_s"] = round(time.time() - r["t_device_add"], 3)
        time.sleep(0.5)
        r["loss_replug"] = fl.stop()["lost"]
        r["t_replug_end"] = time.time()
        for p, t in (("takeover", r["t_manager_start"]),
                     ("unplug", r["t_device_del"]),
                     ("replug", r["t_device_add"])):
            r["lost_" + p] = lost_packets(logs[p], t)

        mon = tb.guest_ok("cat /tmp/mon.log")
        ev = replug_events(parse_monitor(mon), vf, vf2, syn)
        r["guest_events"] = ev
        r["vf_names"] = [vf, vf2]
        ms = lambda a, b: None if a is None or b is None else round((b - a) * 1000, 1)  # noqa: E731
        r["ms_appear_to_up"] = ms(ev["appear"], ev["up"])
        r["ms_appear_to_carrier"] = ms(ev["appear"], ev["carrier"])
        r["ms_appear_to_active"] = ms(ev["appear"], ev["active"])
        r["ms_carrier_to_active"] = ms(ev["carrier"], ev["active"])
        if kind == "vfbond":
            r["vfbond_log"] = vfb.vfbond_log(tb)
            joined = vfbond_joined(r["vfbond_log"], vf2, ev["appear"])
            r["ms_vfbond_reaction"] = ms(ev["appear"], joined)
        else:
            r["build_log"] = tb.guest("cat /tmp/build.log /tmp/hook.log")[1]

        # (d) iperf3 across a second unplug and re-plug.
        job = tb.iperf3(GUEST, duration_s=IPERF_S, args=["-i", "0.1"],
                        background=True)
        t = time.monotonic()
        time.sleep(2)
        tb.unplug_vf(0)
        time.sleep(2)
        tb.wait_guest(active_cmd(tb.plug_vf(0)), 60, POLL)
        seq = time.monotonic() - t
        try:
            job.wait(IPERF_S + 60)
        except TestbedError:
            pass                      # an iperf3 error: its JSON says which
        with open(job.out_path, errors="replace") as f:
            text = f.read()
        try:
            data = json.loads(text)
        except ValueError:
            data = {"error": text[-500:] or "no output"}
        r["iperf3"] = iperf_figures(data, seq)
        r["iperf3"]["sequence_s"] = round(seq, 2)

        foreign = others(own=tb.proc.pid)
        if foreign:
            raise TestbedError(f"disturbed: other VMs/test runs {foreign}")
        return r
    finally:
        tb.close()


# ------------------------------------------------------------- report ---

METRICS = [   # key, label, decimals
    ("loss_takeover", "packets lost: initial takeover", 0),
    ("loss_unplug", "packets lost: VF unplug", 0),
    ("loss_replug", "packets lost: VF re-plug", 0),
    ("lost_takeover.after_last_reply", "… takeover: of those, sent after the last reply", 0),
    ("lost_replug.after_last_reply", "… re-plug: of those, sent after the last reply", 0),
    ("ms_appear_to_up", "re-plug: VF appears → admin UP (ms)", 1),
    ("ms_appear_to_carrier", "re-plug: VF appears → carrier (ms)", 0),
    ("ms_appear_to_active", "re-plug: VF appears → active slave (ms)", 0),
    ("ms_carrier_to_active", "re-plug: carrier → active slave (ms)", 1),
    ("ms_vfbond_reaction", "re-plug: VF appears → vfbond \"is back\" (ms)", 1),
    ("takeover_s", "initial takeover: start → VF active (s, host)", 2),
    ("unplug_seen_s", "unplug: device_del → guest has no VF (s, host)", 2),
    ("iperf3.retransmits", "iperf3: retransmits", 0),
    ("iperf3.longest_stall_ms", "iperf3: longest stall (ms, 0.1 s intervals)", 0),
    ("iperf3.mbit_s", "iperf3: mean throughput (Mbit/s)", 0),
]


def values(runs, key):
    out = []
    for r in runs:
        v = r
        for k in key.split("."):
            v = v.get(k) if isinstance(v, dict) else None
        if v is not None:
            out.append(v)
    return out


def stat(vals):
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "n": len(vals)}


def fmt(s, d):
    if s is None:
        return "n/a"
    f = lambda v: f"{v:.{d}f}"  # noqa: E731
    return f"{f(s['median'])} [{f(s['min'])}–{f(s['max'])}]"


def targets(summ, runs):
    """(text, met) for each target, judged on vfbond's median."""
    v = summ["vfbond"]
    out = []
    c = v.get("ms_carrier_to_active")
    if c:
        out.append((f"VF active ≤ 100 ms after carrier: median "
                    f"{c['median']:.1f} ms (max {c['max']:.1f})",
                    c["median"] <= 100))
    c = v.get("ms_vfbond_reaction")
    if c:
        out.append((f"vfbond reaction to a new VF ≤ 50 ms: median "
                    f"{c['median']:.1f} ms (max {c['max']:.1f})",
                    c["median"] <= 50))
    c, s = v.get("loss_unplug"), summ.get("static", {}).get("loss_unplug")
    if c and s:
        out.append((f"unplug loss ≤ the static bond's: vfbond median "
                    f"{c['median']:g}, static {s['median']:g}",
                    c["median"] <= s["median"]))
    c = values(runs.get("vfbond", []), "loss_replug")
    if c:
        tail = values(runs["vfbond"], "lost_replug.after_last_reply")
        out.append((f"re-plug loss 0: vfbond lost {c} (per repetition; of "
                    f"those sent after the last reply, i.e. likely in flight "
                    f"at the flood's stop: {tail})", max(c) == 0))
    return out


def environment(binary):
    mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal"))

    def run(*argv):
        return subprocess.run(argv, text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, cwd=ROOT).stdout.strip()
    with open(binary, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:16]
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem.split()[1]) / 2**20, 1),
        "host_kernel": os.uname().release,
        "qemu": run("qemu-system-x86_64", "--version").splitlines()[0],
        "iperf3": run("iperf3", "--version").splitlines()[0],
        "vfbond_commit": run("git", "rev-parse", "--short", "HEAD"),
        "vfbond_binary": f"{binary} (sha256 {sha})",
    }


def markdown(env, summ, runs, tgts, managers):
    n = {m: len(runs[m]) for m in managers}
    lines = [
        "# vfbond live-migration benchmark", "",
        f"{env['date']}; {env['nproc']} CPUs, {env['memory_gib']} GiB; host "
        f"kernel {env['host_kernel']}; guest kernel {env.get('guest_kernel')}; "
        f"{env['qemu']} (TCG); vfbond {env['vfbond_commit']}; "
        f"repetitions (fresh guest each): "
        + ", ".join(f"{m} {n[m]}" for m in managers), "",
        "median [min–max]; ping at 1000 packets/s from the host; guest "
        "timings from `ip -ts -d monitor link` in the guest. \"Sent after "
        "the last reply\": lost packets most likely still in flight when the "
        "flood was stopped (ping counts them as lost).", "",
        "| metric | " + " | ".join(managers) + " |",
        "| --- |" + " --- |" * len(managers)]
    for key, label, d in METRICS:
        if not any(summ[m].get(key) for m in managers):
            continue
        lines.append(f"| {label} | " + " | ".join(
            fmt(summ[m].get(key), d) for m in managers) + " |")
    lines.append("| iperf3: connection survived | " + " | ".join(
        f"{sum(values(runs[m], 'iperf3.survived'))}/{n[m]}"
        for m in managers) + " |")
    lines += ["", "Targets (vfbond):", ""]
    lines += [f"- {'met' if ok else 'NOT met'}: {t}" for t, ok in tgts]
    notes = []
    for m in managers:
        for i, r in enumerate(runs[m]):
            if not r["loss_replug"]:
                continue
            ev, c, t0 = r["guest_events"], r["clock"], r["t_device_add"]
            notes.append(
                f"- {m} #{i + 1}: sent at {r['lost_replug']['sent_at_s']} s "
                f"after device_add; VF carrier at {ev['carrier'] - c['offset_s'] - t0:.3f} s, "
                f"active at {ev['active'] - c['offset_s'] - t0:.3f} s (guest "
                f"clock mapped to the host's, ± {c['rtt_s'] * 500:.0f} ms)")
    if notes:
        lines += ["", "Packets lost across the re-plug, when:", ""] + notes
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------- plot ---

def plot(runs, managers, work, out_png):
    """Replies per 10 ms around the unplug and the re-plug of each
    manager's first boot, with the guest's events as vertical markers (guest
    clock mapped to the host's by clock_offset).  The data and the gnuplot
    script stay in `work` (redraw: gnuplot migration.gp)."""
    gp = ["set terminal pngcairo noenhanced size 1400,1050 font ',9'",
          f"set output '{out_png}'",
          "set multiplot layout %d,2 title 'Ping replies per 10 ms at 1000 "
          "packets/s (one migration per manager; markers: QMP command and "
          "guest events)'" % len(managers),
          "set ylabel 'replies / 10 ms'", "set grid ytics",
          "set yrange [0:40]"]   # 10 at most: the upper part for labels
    for m in managers:
        if not runs[m]:
            continue
        r = runs[m][0]
        off = r["clock"]["offset_s"]
        ev = {k: (v - off if v else None) for k, v in r["guest_events"].items()}
        panels = [("unplug", r["t_device_del"], r["t_unplug_end"],
                   [("device_del", r["t_device_del"], "black"),
                    ("VF down", ev["vf_down"], "red"),
                    ("syn active", ev["syn_active"], "dark-green"),
                    ("VF gone", ev["vf_gone"], "gray40")]),
                  ("replug", r["t_device_add"], r["t_replug_end"],
                   [("device_add", r["t_device_add"], "black"),
                    ("VF appears", ev["appear"], "blue"),
                    ("carrier", ev["carrier"], "orange"),
                    ("VF active", ev["active"], "dark-green")])]
        for name, t0, t1, marks in panels:
            dat = os.path.join(work, f"{m}-{name}.dat")
            bins = {}
            for t in ping_replies(r["ping_logs"][name]):
                b = int((t - t0) // 0.01)
                bins[b] = bins.get(b, 0) + 1
            lo, hi = int(-0.5 / 0.01), int((t1 - t0) / 0.01) + 1
            with open(dat, "w") as f:
                for b in range(lo, hi):
                    f.write(f"{b * 0.01:.2f} {bins.get(b, 0)}\n")
            gp += ["unset arrow", "unset label",
                   f"set title '{m}: VF {'unplug' if name == 'unplug' else 're-plug'}"
                   f" ({r['loss_' + name]} lost)'",
                   f"set xlabel 's since {'device_del' if name == 'unplug' else 'device_add'}'",
                   f"set xrange [-0.5:{(t1 - t0):.2f}]"]
            for i, (label, t, color) in enumerate(marks):
                if t is None:
                    continue
                x = t - t0
                gp += [f"set arrow from {x:.4f}, graph 0 to {x:.4f}, graph 1 "
                       f"nohead lw 1.5 lc rgb '{color}'",
                       f"set label '{label}' at {x:.4f}, graph "
                       f"{0.98 - 0.22 * (i % 3):.2f} rotate by 90 right "
                       f"offset -0.6,0 tc rgb '{color}' front"]
            gp.append(f"plot '{dat}' using 1:2 with steps lc rgb '#3060c0' notitle")
    gp.append("unset multiplot")
    script = os.path.join(work, "migration.gp")
    with open(script, "w") as f:
        f.write("\n".join(gp) + "\n")
    subprocess.run(["gnuplot", script], check=True)


# --------------------------------------------------------------- main ---

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=5,
                    help="boots per manager (default 5)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build-rel", "vfbond"),
                    help="vfbond binary (a release build)")
    ap.add_argument("--managers", default=",".join(MANAGERS))
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--attempts", type=int, default=3,
                    help="tries per repetition (a boot that fails or that "
                    "another VM disturbed is redone)")
    a = ap.parse_args()
    managers = a.managers.split(",")
    if os.geteuid() != 0:
        raise SystemExit("needs root (namespaces, taps, QEMU)")
    if not shutil.which("gnuplot"):
        raise SystemExit("needs gnuplot: apt-get install gnuplot-nox")
    t_start = time.monotonic()
    os.makedirs(a.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="vfbench-migration-")
    # A private copy: others may rebuild build-rel while this runs.
    binary = os.path.join(work, "vfbond")
    shutil.copy2(a.bin, binary)
    if "libasan" in subprocess.run(["ldd", binary], text=True,
                                   stdout=subprocess.PIPE).stdout:
        log("warning: an ASan build; use a release build for figures")
    env = environment(a.bin)

    runs = {m: [] for m in managers}
    failures = []
    # Interleaved, so a slow spell of the machine hits every manager alike.
    for rep in range(a.reps):
        for m in managers:
            for attempt in range(1, a.attempts + 1):
                tag = f"{m}-{rep}-{attempt}"
                log(f"{m}: repetition {rep + 1}/{a.reps}"
                    + (f" (attempt {attempt})" if attempt > 1 else ""))
                try:
                    r = one_boot(m, binary, work, tag)
                except (TestbedError, AssertionError, StopIteration) as e:
                    log(f"{m}: failed: {type(e).__name__}: {e}")
                    failures.append({"manager": m, "rep": rep,
                                     "attempt": attempt, "error": str(e)})
                    continue
                env.setdefault("guest_kernel", r["guest_kernel"])
                runs[m].append(r)
                log(f"{m}: lost {r['loss_takeover']}/{r['loss_unplug']}/"
                    f"{r['loss_replug']} (takeover/unplug/re-plug); "
                    f"carrier→active {r['ms_carrier_to_active']} ms; "
                    f"iperf3 {r['iperf3']}")
                break

    summ = {m: {k: stat(values(runs[m], k)) for k, _, _ in METRICS}
            for m in managers}
    tgts = targets(summ, runs) if "vfbond" in managers else []
    md = markdown(env, summ, runs, tgts, managers)
    png = os.path.join(a.out, "migration.png")
    plot_dir = os.path.join(a.out, "migration-plot")
    os.makedirs(plot_dir, exist_ok=True)
    plot(runs, managers, plot_dir, png)
    for r in sum(runs.values(), []):
        r.pop("ping_logs")                # temporary files, gone below
    env["total_s"] = round(time.monotonic() - t_start)
    md += f"\nTotal run time: {env['total_s']} s.\n"
    with open(os.path.join(a.out, "migration.md"), "w") as f:
        f.write(md)
    with open(os.path.join(a.out, "migration.json"), "w") as f:
        json.dump({"environment": env, "reps": a.reps,
                   "parameters": {"pps": 1000, "seed_delay_s": SEED_DELAY,
                                  "iperf3_s": IPERF_S, "poll_s": POLL},
                   "runs": runs, "failures": failures, "summary": summ,
                   "targets": [{"target": t, "met": ok} for t, ok in tgts],
                   "markdown": md}, f, indent=1)
    shutil.rmtree(work, ignore_errors=True)
    print(md)
    print(f"wrote {a.out}/migration.{{md,json,png}} and migration-plot/")
    return 0 if all(runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
