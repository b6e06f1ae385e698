#!/usr/bin/env python3
"""Test of the testbed itself (not of vfbond): one NIC pair, an
active-backup bond built by hand in the guest, a ping flood from the host
across a VF hot-unplug and re-plug.  Exit status 0 = pass."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testbed import Testbed, require, run_test  # noqa: E402

IP = "/usr/sbin/ip"          # iproute2; plain `ip` is busybox's applet
BOND = "/sys/class/net/bond0/bonding"
# Most packets the hand-made bond may lose at 1000 pps, a few times what was
# measured here (unplug 7-9, re-plug 0-1; docs/benchmarks.md).
MAX_LOSS = {"unplug": 25, "re-plug": 3}


def asan_hello(tmp):
    """A tiny ASan+UBSan program, to prove the ldd copying of extra
    binaries (vfbond may be built so).  None when no compiler."""
    if not shutil.which("gcc"):
        return None
    with open(os.path.join(tmp, "hello.c"), "w") as f:
        f.write('#include <stdio.h>\nint main(void){puts("asan ok");return 0;}\n')
    # Relative names, so the binary (and the cached initramfs) is the same
    # from run to run.
    r = subprocess.run(["gcc", "-O1", "-fsanitize=address,undefined", "-o",
                        "asan-hello", "hello.c"], cwd=tmp,
                       stderr=subprocess.STDOUT, stdout=subprocess.PIPE)
    return os.path.join(tmp, "asan-hello") if r.returncode == 0 else None


def active_slave_is(tb, name, timeout):
    t0 = time.monotonic()
    tb.wait_guest(f'[ "$(cat {BOND}/active_slave)" = {name} ]', timeout,
                  interval=0.05)
    return time.monotonic() - t0


def report(what, r, phase):
    limit = MAX_LOSS[phase]
    print(f"  {what}: {r['transmitted']} sent, {r['received']} received, "
          f"{r['lost']} lost (at most {limit})", flush=True)
    assert r["transmitted"] > 0, f"{what}: the flood sent nothing"
    assert r["lost"] <= limit, \
        f"{what}: {r['lost']} of {r['transmitted']} packets lost, more than {limit}"


def test():
    tmp = tempfile.mkdtemp(prefix="vfbtb-test-")
    try:
        bins = [require("socat")] + list(filter(None, [asan_hello(tmp)]))
        with Testbed(pairs=1, binaries=bins) as tb:
            print(f"  boot: {tb.boot_time:.1f}s", flush=True)
            body(tb, bins)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def body(tb, bins):
    # Extra binaries run (their ldd libraries were copied).
    assert "socat" in tb.guest_ok("socat -V | head -n 2")
    if len(bins) > 1:
        assert "asan ok" in tb.guest_ok("asan-hello")

    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    assert syn and vf, f"pair 0 not found in the guest: syn={syn} vf={vf}"
    print(f"  guest NICs: synthetic {syn}, VF {vf}", flush=True)

    # The guest starts configured on its synthetic NIC...
    tb.guest_ok(f"{IP} link set {syn} up && "
                f"{IP} addr add {tb.guest_ip4}/24 dev {syn}")
    tb.host("ping", "-c", "3", "-i", "0.2", "-w", "10", tb.guest_ip4)

    # ... then a hand-made active-backup bond takes its address, the VF
    # primary.  Slaves must be down to be enslaved.
    tb.guest_ok(f"""
        {IP} link add bond0 type bond mode active-backup miimon 100 \
            all_slaves_active 1
        {IP} addr flush dev {syn}
        {IP} link set {syn} down
        {IP} link set {vf} down
        {IP} link set {syn} master bond0
        {IP} link set {vf} master bond0
        {IP} link set bond0 type bond primary {vf}
        {IP} link set bond0 up
        {IP} addr add {tb.guest_ip4}/24 dev bond0
        {IP} addr add {tb.guest_ip6}/64 dev bond0 nodad
    """)
    dt = active_slave_is(tb, vf, 20)
    print(f"  bond0 up, VF active after {dt:.1f}s", flush=True)
    tb.host("ping", "-c", "3", "-i", "0.2", "-w", "10", tb.guest_ip4)
    tb.host("ping", "-c", "3", "-i", "0.2", "-w", "10", tb.guest_ip6)

    r = tb.iperf3(duration_s=2)
    mbps = r["end"]["sum_received"]["bits_per_second"] / 1e6
    print(f"  iperf3 over the VF: {mbps:.0f} Mbit/s", flush=True)

    # Hot-unplug the VF under a 1000 pps flood: the bond fails over.
    flood = tb.ping_flood(duration_s=6)
    time.sleep(1.5)
    dt = tb.unplug_vf(0)
    print(f"  VF unplugged in {dt:.2f}s", flush=True)
    assert flood.proc.poll() is None, "flood ended before the unplug did"
    active_slave_is(tb, syn, 5)
    report("flood across unplug", flood.wait(30), "unplug")

    # Re-plug it: same MAC, e1000e again; re-enslave, it becomes active
    # once it has carrier.  Also under a flood.
    flood = tb.ping_flood(duration_s=9)
    time.sleep(1)
    t0 = time.monotonic()
    vf2 = tb.plug_vf(0)
    print(f"  VF back as {vf2} in {time.monotonic() - t0:.2f}s", flush=True)
    assert vf2, "no e1000e interface with the pair's MAC after plug_vf"
    drv = tb.guest_ok(f"basename $(readlink /sys/class/net/{vf2}/device/driver)")
    mac = tb.guest_ok(f"cat /sys/class/net/{vf2}/address")
    assert drv.strip() == "e1000e" and mac.strip() == tb.pairs[0].mac, \
        f"re-plugged VF: driver {drv.strip()}, MAC {mac.strip()}"
    tb.guest_ok(f"{IP} link set {vf2} down && {IP} link set {vf2} master bond0"
                f" && {IP} link set bond0 type bond primary {vf2}")
    dt = active_slave_is(tb, vf2, 20)
    print(f"  re-plugged VF active {time.monotonic() - t0:.1f}s after plug "
          f"({dt:.1f}s after enslaving)", flush=True)
    assert flood.proc.poll() is None, "flood ended before the VF was active"
    report("flood across re-plug", flood.wait(30), "re-plug")
    tb.host("ping", "-c", "3", "-i", "0.2", "-w", "10", tb.guest_ip6)


if __name__ == "__main__":
    sys.exit(run_test("test_testbed", test))
