#!/usr/bin/env python3
"""Both NICs at boot: vfbond builds the master with the right options, moves
every address and route onto it, leaves nothing on the synthetic NIC, and
the takeover happens under a ping flood."""

import time

import vfb
from vfb import IP


def body(tb):
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    vfb.configure_synthetic(tb, 0)
    addrs = vfb.global_addrs(tb, syn)
    routes = vfb.routes_via(tb, syn)
    mtu = tb.guest_ok(f"cat /sys/class/net/{syn}/mtu").strip()
    assert len(addrs) == 2 and len(routes) == 3, (addrs, routes)

    flood = tb.ping_flood(vfb.guest_ip4(0))
    vfb.start_vfbond(tb)
    st = vfb.wait_state(tb, "active", timeout=30)
    master = st["master"]
    vfb.wait_active_slave(tb, master, vf)
    r = flood.stop()
    vfb.report_loss("takeover under 1000 pps", r, "takeover")

    # The master: name from the MAC, marked as ours, the options we promise.
    assert master == "vfb001000", master
    alias = tb.guest_ok(f"cat /sys/class/net/{master}/ifalias").strip()
    assert alias == "vfbond:52:54:00:00:10:00", alias
    assert vfb.bond_opt(tb, master, "mode") == "active-backup 1"
    assert vfb.bond_opt(tb, master, "primary") == vf
    assert vfb.bond_opt(tb, master, "all_slaves_active") == "1"
    assert vfb.bond_opt(tb, master, "fail_over_mac").startswith("none")
    assert vfb.bond_opt(tb, master, "miimon") == "50"
    assert vfb.bond_opt(tb, master, "num_grat_arp") == "1"
    assert sorted(vfb.bond_opt(tb, master, "slaves").split()) == sorted([syn, vf])
    assert tb.guest_ok(f"cat /sys/class/net/{master}/mtu").strip() == mtu

    # Every address and route moved; nothing stays on the synthetic NIC.
    assert vfb.global_addrs(tb, master) == addrs, vfb.global_addrs(tb, master)
    assert vfb.routes_via(tb, master) == routes, vfb.routes_via(tb, master)
    assert vfb.global_addrs(tb, syn) == [], vfb.global_addrs(tb, syn)
    assert vfb.routes_via(tb, syn) == [], vfb.routes_via(tb, syn)
    default = tb.guest_ok(f"{IP} route show default")
    assert f"dev {master}" in default and "metric 100" in default, default

    # Traffic flows through the VF, both families.
    tb.host("ping", "-c", "3", "-i", "0.2", "-W", "2", vfb.guest_ip4(0))
    tb.host("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", vfb.guest_ip6(0))
    st = vfb.pair_status(tb)
    assert st["active"] == vf and st["vf"] == vf and st["synthetic"] == syn, st
    log = vfb.vfbond_log(tb)
    assert "building master vfb001000 over VF" in log, log
    assert "moving addresses and routes to vfb001000" in log, log

    # An address put on a port (a misconfigured manager), and a route
    # through it, are a fault that vfbond repairs, and the log says so:
    # both come off the port. Put back at once, the address stays until
    # the next clear, 10 s later (never a loop with a manager), and the
    # pair is degraded meanwhile.
    tb.guest_ok(f"{IP} route add 198.19.9.0/24 via 198.18.9.1 dev {syn} "
                f"onlink && {IP} addr add 198.18.9.9/24 dev {syn}")
    tb.wait_guest(f"! {IP} -4 addr show dev {syn} | grep -q 198.18.9.9", 10)
    assert vfb.routes_via(tb, syn) == [], vfb.routes_via(tb, syn)
    log = vfb.vfbond_log(tb)
    assert f"taking addresses and routes off {syn}, a port of" in log, log
    tb.wait_guest("vfbond status --json | grep -q '\"degraded\":null'", 10)
    assert vfb.global_addrs(tb, master) == addrs, vfb.global_addrs(tb, master)
    t0 = time.monotonic()
    tb.guest_ok(f"{IP} addr add 198.18.9.9/24 dev {syn}")
    tb.wait_guest("vfbond status --json | grep -q "
                  f"'\"degraded\":\"{syn} has an address, as a port\"'", 5)
    tb.wait_guest(f"! {IP} -4 addr show dev {syn} | grep -q 198.18.9.9", 20)
    took = time.monotonic() - t0
    log = vfb.vfbond_log(tb)
    assert f"degraded: {syn} has an address, as a port" in log, log
    print(f"  an address put back on {syn} at once came off after "
          f"{took:.1f}s", flush=True)
    assert took > 3, f"cleared again after {took:.1f}s: a loop"

if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-boot-pair", body))
