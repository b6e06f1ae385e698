#!/usr/bin/env python3
"""master_before_vf (the default): with no VF yet, vfbond builds the master
over the synthetic NIC alone and moves its addresses and routes there,
under a ping flood; the VF, plugged later, joins it and takes the traffic.
A restart adopts the VF-less master."""

import time

import vfb
from vfb import IP, Pair


def body(tb):
    syn = vfb.configure_synthetic(tb, 0)
    addrs = vfb.global_addrs(tb, syn)
    routes = vfb.routes_via(tb, syn)
    flood = tb.ping_flood(vfb.guest_ip4(0))
    vfb.start_vfbond(tb)
    st = vfb.wait_state(tb, "vf-gone", timeout=30)
    # Replies still on their way when the state changed are not lost.
    time.sleep(1)
    r = flood.stop()
    vfb.report_loss("live conversion, no VF, under 1000 pps", r, "takeover")
    master = st["master"]
    assert master == "vfb001000" and st["vf"] is None, st
    assert st["active"] == syn, st
    assert vfb.global_addrs(tb, master) == addrs, vfb.global_addrs(tb, master)
    assert vfb.routes_via(tb, master) == routes, vfb.routes_via(tb, master)
    assert vfb.global_addrs(tb, syn) == [] and vfb.routes_via(tb, syn) == []
    tb.host("ping", "-c", "3", "-i", "0.2", "-W", "2", vfb.guest_ip4(0))
    log = vfb.vfbond_log(tb)
    assert "building master vfb001000 over" in log, log

    # A restart adopts it as it is: nothing rebuilt.
    tb.guest_ok("kill $(pidof vfbond); sleep 0.5")
    vfb.start_vfbond(tb)
    assert vfb.wait_state(tb, "vf-gone")["master"] == master

    # The VF comes: it joins and takes the traffic.
    flood = tb.ping_flood(vfb.guest_ip4(0))
    vf = tb.plug_vf(0)
    vfb.wait_state(tb, "active", timeout=30)
    vfb.wait_active_slave(tb, master, vf)
    r = flood.stop()
    vfb.report_loss("VF joins under 1000 pps", r, "replug")
    assert vfb.bond_opt(tb, master, "primary") == vf
    default = tb.guest_ok(f"{IP} route show default")
    assert f"dev {master}" in default, default


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-master-before-vf", body,
                              pairs=[Pair(vf_at_boot=False)]))
