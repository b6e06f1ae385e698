#!/usr/bin/env python3
"""Both NICs at boot: vfbond builds the master with the right options, moves
every address and route onto it, leaves nothing on the synthetic NIC, and
the takeover happens under a ping flood."""

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

    # An address put on a port (a misconfigured manager) is a fault that
    # status and the log tell, and that goes when the address goes.
    tb.guest_ok(f"{IP} addr add 198.18.9.9/24 dev {syn}")
    tb.wait_guest("vfbond status --json | grep -q "
                  f"'\"degraded\":\"{syn} has an address, as a port\"'", 10)
    assert f"degraded: {syn} has an address, as a port" in \
        tb.guest_ok("vfbond status"), tb.guest_ok("vfbond status")
    tb.guest_ok(f"{IP} addr del 198.18.9.9/24 dev {syn}")
    tb.wait_guest("vfbond status --json | grep -q '\"degraded\":null'", 10)
    assert f"; degraded: {syn} has an address" in vfb.vfbond_log(tb)


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-boot-pair", body))
