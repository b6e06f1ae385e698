#!/usr/bin/env python3
"""Event storm and footprint on the host kernel (no VM).

In a network namespace of its own, N synthetic/VF stand-in pairs of veth
interfaces appear at once (one `ip -batch`). Measured:
  - vfbond (`run --dry-run`: it records the action it would take, since
    this kernel has no bonding): time until every pair has been discovered,
    paired and acted on; its CPU time per kernel event;
  - a seed-style handler, as devd runs hyperv_vfattach: `ip monitor link`
    feeding a shell that forks a shell per event to decide whether the
    interface is a VF; CPU time per event, whole process tree;
  - vfbond's resident memory idle and after the storm, its wake-ups per
    second when idle, and the size of a stripped release binary.
Prints one JSON object on stdout.

usage: storm.py VFBOND [--pairs N] [--idle SECONDS]
(VFBOND: a release build; sanitizers would distort memory and CPU.)
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time

def sh(*argv, **kw):
    return subprocess.run(argv, check=True, text=True, stdout=subprocess.PIPE,
                          **kw).stdout


class Namespace:
    def __init__(self, tag):
        self.name = f"vfbench-{tag}-{os.getpid()}"
        sh("ip", "netns", "add", self.name)
        sh("ip", "-n", self.name, "link", "set", "lo", "up")

    def close(self):
        subprocess.run(["ip", "netns", "del", self.name])

    def argv(self, *argv):
        return ["ip", "netns", "exec", self.name] + list(argv)


def mac(i):
    return f"52:54:01:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"


def batch_file(tmp, pairs):
    """All the pairs in one ip -batch file: syn<i> and vf<i>, one MAC."""
    path = os.path.join(tmp, "storm.batch")
    with open(path, "w") as f:
        for i in range(pairs):
            f.write(f"link add syn{i} address {mac(i)} type veth peer name ps{i}\n")
            f.write(f"link add vf{i} address {mac(i)} type veth peer name pv{i}\n")
    return path


def proc_cpu_s(pid):
    """CPU time of a process in seconds, to the nanosecond (schedstat):
    /proc/PID/stat counts in 10 ms ticks, too coarse for a short storm."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def wakeups(pid):
    return (proc_status(pid, "voluntary_ctxt_switches")
            + proc_status(pid, "nonvoluntary_ctxt_switches"))


def vfbond_status(ns, vfbond, sock):
    out = subprocess.run(ns.argv(vfbond, "status", "--json", "-S", sock),
                         text=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout) if out.returncode == 0 else None


def bench_vfbond(vfbond, pairs, idle_s, tmp):
    ns = Namespace("vfbond")
    conf = os.path.join(tmp, "vfbond.conf")
    sock = os.path.join(tmp, "vfbond.sock")
    with open(conf, "w") as f:
        f.write("[vfbond]\nsynthetic_names = syn*\n"
                "vf_exclude_kinds = bond bridge\n")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    log = open(os.path.join(tmp, "vfbond.log"), "w")
    proc = subprocess.Popen(ns.argv(vfbond, "run", "--dry-run", "-c", conf,
                                    "-S", sock), stderr=log, env=env)
    try:
        while not os.path.exists(sock):
            time.sleep(0.01)
        time.sleep(0.5)
        rss_idle = proc_status(proc.pid, "VmRSS")
        w0 = wakeups(proc.pid)
        time.sleep(idle_s)
        idle_wakeups = (wakeups(proc.pid) - w0) / idle_s
        cpu0 = proc_cpu_s(proc.pid)
        path = batch_file(tmp, pairs)
        t0 = time.monotonic()
        sh(*ns.argv("ip", "-batch", path))
        t_created = time.monotonic() - t0
        # Watch its log, not its socket: status queries would cost it CPU.
        while True:
            with open(log.name) as f:
                acted = f.read().count("would be building master")
            if acted >= pairs:
                break
            if time.monotonic() - t0 > 120:
                raise SystemExit(f"vfbond acted on {acted} of {pairs}")
            time.sleep(0.005)
        t_done = time.monotonic() - t0
        cpu = proc_cpu_s(proc.pid) - cpu0
        time.sleep(0.2)  # the last log lines are written after the actions
        rss_after = proc_status(proc.pid, "VmRSS")  # before status's JSON
        st = vfbond_status(ns, vfbond, sock)
        events = st["events"]
        w0 = wakeups(proc.pid)
        time.sleep(idle_s)
        idle_after = (wakeups(proc.pid) - w0) / idle_s
    finally:
        proc.terminate()
        proc.wait()
        ns.close()
    return {"pairs": pairs, "create_s": round(t_created, 3),
            "all_acted_s": round(t_done, 3), "events": events,
            "cpu_s": round(cpu, 4), "resyncs": st["resyncs"],
            "cpu_us_per_event": round(1e6 * cpu / max(1, events), 1),
            "rss_idle_kib": rss_idle, "rss_after_kib": rss_after,
            "idle_wakeups_per_s": round(idle_wakeups, 2),
            "idle_wakeups_per_s_after": round(idle_after, 2)}


# What devd + hyperv_vfattach do per event, in shell: one shell forked per
# event, which asks the kernel two things (the seed's `sysctl -n
# hw.hn.vf_transparent` and `sysctl -n hw.hn.vflist`; here two files
# standing for them, one fork each) and looks for the interface in the list.
SEED_HANDLER = r"""
iface=$1
transparent=$(cat "$SEEDDIR/vf_transparent")
[ "$transparent" -ne 0 ] && exit 0
vf_list=$(cat "$SEEDDIR/vflist")
for vf in $vf_list; do
	if [ "$vf" = "$iface" ]; then
		echo "attach $iface"
		exit 0
	fi
done
"""

SEED_LOOP = r"""
ip -rcvbuf 67108864 -o monitor link | while read -r idx name rest; do
	case $idx in Deleted) continue ;; esac
	name=${name%:}
	name=${name%@*}
	echo event
	sh "$HANDLER" "$name"
done
"""


def bench_seed(pairs, tmp):
    ns = Namespace("seed")
    acted = 0
    handler = os.path.join(tmp, "handler.sh")
    with open(handler, "w") as f:
        f.write(SEED_HANDLER)
    with open(os.path.join(tmp, "vf_transparent"), "w") as f:
        f.write("0\n")
    with open(os.path.join(tmp, "vflist"), "w") as f:
        f.write(" ".join(f"vf{i}" for i in range(pairs)) + "\n")
    out_path = os.path.join(tmp, "seed.out")
    out = open(out_path, "w")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(ns.argv("sh", "-c", SEED_LOOP), stdout=out,
                            env=dict(os.environ, HANDLER=handler, SEEDDIR=tmp),
                            start_new_session=True)
    try:
        time.sleep(0.5)
        path = batch_file(tmp, pairs)
        t0 = time.monotonic()
        sh(*ns.argv("ip", "-batch", path))
        # Done when every VF was attached, or nothing moved for 10 s.
        last, last_t = -1, time.monotonic()
        while True:
            with open(out_path) as f:
                text = f.read()
            acted = text.count("attach vf")
            if acted >= pairs:
                break
            if len(text) != last:
                last, last_t = len(text), time.monotonic()
            elif time.monotonic() - last_t > 10:
                break
            time.sleep(0.05)
        t_done = time.monotonic() - t0
        time.sleep(1)  # let the events still queued run their handler
    finally:
        # Ending only ip monitor ends the loop and every shell exits after
        # reaping its children, so RUSAGE_CHILDREN holds the whole tree's
        # CPU time (killing them all would orphan it away).
        subprocess.run(["pkill", "-TERM", "-s", str(proc.pid), "-x", "ip"])
        proc.wait()
        ns.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out_path) as f:
        events = f.read().count("event")
    return {"pairs": pairs, "acted_on": acted,
            "all_acted_s": round(t_done, 3) if acted >= pairs else None,
            "events": events,
            "cpu_s": round(cpu, 3),
            "cpu_us_per_event": round(1e6 * cpu / max(1, events), 1)}


def binary_size(path):
    tmp = tempfile.mktemp()
    shutil.copy(path, tmp)
    sh("strip", tmp)
    size = os.path.getsize(tmp)
    os.unlink(tmp)
    return size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vfbond")
    ap.add_argument("--pairs", type=int, default=500)
    ap.add_argument("--idle", type=float, default=10.0)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="vfbench-")
    try:
        res = {"vfbond": bench_vfbond(os.path.abspath(a.vfbond), a.pairs,
                                      a.idle, tmp),
               "seed": bench_seed(a.pairs, tmp),
               "binary_bytes_stripped": binary_size(a.vfbond)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    v, s = res["vfbond"], res["seed"]
    res["cpu_per_event_ratio"] = round(s["cpu_us_per_event"] /
                                       max(0.01, v["cpu_us_per_event"]), 1)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
