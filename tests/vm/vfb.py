"""What the vfbond VM tests share: booting a guest with the vfbond binary,
giving its synthetic NICs the addresses a cloud image would have, starting
the daemon, and reading kernel state back out of the guest."""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testbed import Pair, Testbed, run_test  # noqa: E402,F401

IP = "/usr/sbin/ip"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG = "/tmp/vfbond.log"
# Destinations behind the host, reached through a gateway: the routes the
# takeover must move. 198.19.x is in the benchmarking range (RFC 2544).


def remote4(i):
    return f"198.19.{i}.0/24"


def remote6(i):
    return f"fd00:19:{i}::/64"


def vfbond_binary():
    path = os.environ.get("VFBOND_BIN") or (sys.argv[1] if len(sys.argv) > 1 else None)
    path = path or os.path.join(ROOT, "build", "vfbond")
    if not os.access(path, os.X_OK):
        raise SystemExit(f"no vfbond binary at {path}; build first")
    return os.path.abspath(path)


def boot(pairs=1, transparent=False, files=None, binaries=(), modules=()):
    """A started Testbed with vfbond (and binaries) in /usr/local/bin."""
    tb = Testbed(pairs=pairs, transparent=transparent,
                 binaries=[vfbond_binary()] + list(binaries), files=files,
                 modules=modules)
    tb.start()
    print(f"  boot: {tb.boot_time:.1f}s", flush=True)
    return tb


def main(name, body, **boot_args):
    """Runs body(tb) as the test `name` on a freshly booted guest (boot()'s
    arguments), closing the guest whatever happens; → exit status."""
    def test():
        tb = boot(**boot_args)
        try:
            body(tb)
        finally:
            tb.close()
    return run_test(name, test)


def guest_ip4(i):
    return f"198.18.0.{2 + i}"


def guest_ip6(i):
    return f"fd00:18::{2 + i}"


def configure_synthetic(tb, i, name=None):
    """The state a cloud image leaves behind: addresses, a default route and
    a route through a gateway, all on the synthetic NIC."""
    syn = name or tb.syn_ifname(i)
    tb.guest_ok(f"""
        {IP} link set {syn} up
        {IP} addr add {guest_ip4(i)}/24 dev {syn}
        {IP} -6 addr add {guest_ip6(i)}/64 dev {syn} nodad
        {IP} route add {remote4(i)} via {tb.host_ip4} dev {syn} metric 50
        {IP} -6 route add {remote6(i)} via {tb.host_ip6} dev {syn} metric 50
    """)
    if i == 0:
        tb.guest_ok(f"{IP} route add default via {tb.host_ip4} dev {syn} metric 100")
    return syn


def settle(tb):
    """Waits until the kernel is done with its own changes (carrier on
    every link that is up, DAD), so snapshots show only what others did.
    A net_failover master's link-local ends "dadfailed": its ports share it.
    """
    tb.wait_guest(f"! {IP} -o link show up | grep -q NO-CARRIER && "
                  f"! {IP} addr | grep tentative | grep -qv dadfailed", 30)


def snapshot(tb):
    """Links, addresses and every route table, as text."""
    return tb.guest_ok(f"{IP} -d -o link show; {IP} -o addr show; "
                       f"{IP} route show table all; {IP} -6 route show table all")


# The traces here are of a VF that comes: the master waits for it
# (test_vm_master_before_vf covers the default).
VF_DRIVEN = "[vfbond]\nmaster_before_vf = no\n"


def start_vfbond(tb, conf=None, args=""):
    """Starts `vfbond run` in the background in the guest."""
    if conf is not None:
        tb.guest_write("/etc/vfbond.conf", conf)
    tb.guest_ok(f"vfbond run {args} >{LOG} 2>&1 &")
    # The daemon itself answers: a socket file alone may be a stale one.
    tb.wait_guest("vfbond status --json 2>/dev/null | grep -q '\"source\":\"daemon\"'",
                  30, interval=0.05)


def vfbond_log(tb):
    return tb.guest(f"cat {LOG}")[1]


def status(tb):
    out = tb.guest_ok("vfbond status --json")
    return json.loads(out)


def pair_status(tb, i=0):
    syn = tb.syn_ifname(i)
    for p in status(tb)["pairs"]:
        if p["synthetic"] == syn:
            return p
    raise AssertionError(f"no pair for {syn} in status")


def wait_state(tb, state, i=0, timeout=30):
    """Waits until pair i is in `state`; returns its status."""
    t0 = time.monotonic()
    last = None
    while time.monotonic() - t0 < timeout:
        last = pair_status(tb, i)
        if last["state"] == state:
            return last
        time.sleep(0.1)
    raise AssertionError(f"pair {i} not {state} after {timeout}s: {last}\n"
                         f"{vfbond_log(tb)}")


def active_slave(tb, master):
    rc, out = tb.guest(f"cat /sys/class/net/{master}/bonding/active_slave")
    return out.strip() if rc == 0 else None


def wait_active_slave(tb, master, name, timeout=30):
    tb.wait_guest(f'[ "$(cat /sys/class/net/{master}/bonding/active_slave)" = "{name}" ]',
                  timeout, interval=0.05)


def bond_opt(tb, master, opt):
    return tb.guest_ok(f"cat /sys/class/net/{master}/bonding/{opt}").strip()


def global_addrs(tb, ifname):
    """Global IPv4/IPv6 addresses of ifname, as 'addr/len' strings."""
    out = tb.guest_ok(f"{IP} -j addr show dev {ifname}")
    info = json.loads(out)[0].get("addr_info", [])
    return sorted(f"{a['local']}/{a['prefixlen']}" for a in info
                  if a.get("scope") == "global")


def routes_via(tb, ifname):
    """Non-kernel routes through ifname (both families), as 'dst gw'."""
    got = []
    for fam in ("-4", "-6"):
        out = tb.guest_ok(f"{IP} -j {fam} route show dev {ifname}")
        for r in json.loads(out or "[]"):
            if r.get("protocol") == "kernel" or r["dst"].startswith("fe80"):
                continue
            got.append(f"{r['dst']} {r.get('gateway', '-')}")
    return sorted(got)


def links(tb):
    """ifname → (kind, master) for every guest link."""
    out = tb.guest_ok(f"{IP} -j -d link show")
    return {l["ifname"]: (l.get("linkinfo", {}).get("info_kind", ""), l.get("master"))
            for l in json.loads(out)}


def bonds(tb):
    return [n for n, (kind, _) in links(tb).items() if kind == "bond"]


def end_state(tb, want_addrs, want_routes):
    """One master, up, active-backup; the VF in it, primary and active;
    the synthetic NIC in it and up; addresses and routes on the master
    once and on neither port. → the master."""
    syn = tb.syn_ifname(0)
    st = wait_state(tb, "active")
    master, vf = st["master"], st["vf"]
    assert bonds(tb) == [master], (bonds(tb), st)
    wait_active_slave(tb, master, vf)
    mode, primary = (bond_opt(tb, master, o) for o in ("mode", "primary"))
    assert mode.startswith("active-backup") and primary == vf, (mode, primary)
    out = tb.guest_ok(f"{IP} -o link show master {master}")
    assert syn in out and vf in out, out
    for dev in (master, syn, vf):
        out = tb.guest_ok(f"{IP} -o link show {dev}")
        assert re.search(r"[<,]UP[,>]", out), out
    got = (global_addrs(tb, master), routes_via(tb, master))
    assert got == (want_addrs, want_routes), (got, want_addrs, want_routes)
    out = tb.guest_ok(f"{IP} -o addr show scope global")
    for a in want_addrs:
        assert out.count(f" {a} ") == 1, (a, out)
    for dev in (syn, vf):
        got = (global_addrs(tb, dev), routes_via(tb, dev))
        assert got == ([], []), (dev, got)
    return master


# Most packets a phase may lose at 1000 pps: a few times what was measured
# (docs/benchmarks.md: takeover 0, unplug 7-9, re-plug 0-1). Packets sent
# after the last reply of a stopped flood were in flight, not lost; a
# real outage at the end would leave far more than MAX_IN_FLIGHT of them.
# Another pair's flood loses as much across an unplug (7-9 seen) though
# nothing of its own changes: the whole TCG guest stalls while QEMU
# removes the device.
MAX_LOSS = {"takeover": 2, "unplug": 25, "replug": 3, "unaffected": 25}
MAX_IN_FLIGHT = 50


def report_loss(what, r, bound=None):
    """Prints a phase's figures; with bound (a MAX_LOSS key), asserts it."""
    limit = MAX_LOSS[bound] if bound else None
    in_flight = r.get("in_flight", 0)
    lost = r["lost"] - in_flight
    print(f"  {what}: {r['transmitted']} sent, {r['received']} received, "
          f"{lost} lost, {in_flight} in flight at the stop"
          + (f" (at most {limit} lost)" if bound else ""), flush=True)
    assert r["transmitted"] > 0, f"{what}: the flood sent nothing: {r}"
    assert in_flight <= MAX_IN_FLIGHT, \
        f"{what}: no reply to the last {in_flight} packets: {r}"
    assert limit is None or lost <= limit, \
        f"{what}: {lost} packets lost, more than {limit}: {r}"
    return lost
