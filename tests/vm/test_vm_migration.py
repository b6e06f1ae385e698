#!/usr/bin/env python3
"""A VF hot-added after boot is paired; then a live migration under a ping
flood: the VF is pulled (traffic moves to the synthetic NIC), plugged back
(traffic moves back to the VF), with the losses printed."""

import time

import vfb
from vfb import Pair


def body(tb):
    syn = tb.syn_ifname(0)
    vfb.configure_synthetic(tb, 0)
    vfb.start_vfbond(tb, conf=vfb.VF_DRIVEN)
    st = vfb.wait_state(tb, "solo")
    assert st["vf"] is None and st["master"] is None, st
    assert "vfb" not in tb.guest_ok("ls /sys/class/net")

    # VF hot-added after boot.
    vf = tb.plug_vf(0)
    st = vfb.wait_state(tb, "active", timeout=30)
    master = st["master"]
    vfb.wait_active_slave(tb, master, vf)
    assert vfb.global_addrs(tb, syn) == []

    flood = tb.ping_flood(vfb.guest_ip4(0))
    time.sleep(1)
    took = tb.unplug_vf(0)
    st = vfb.wait_state(tb, "vf-gone")
    assert vfb.active_slave(tb, master) == syn
    time.sleep(1)
    r = flood.stop()
    vfb.report_loss(f"VF unplug (guest saw it after {took:.1f}s)", r, "unplug")
    assert st["vf_losses"] == 1, st

    flood = tb.ping_flood(vfb.guest_ip4(0))
    time.sleep(0.5)
    vf2 = tb.plug_vf(0)
    st = vfb.wait_state(tb, "active", timeout=30)
    vfb.wait_active_slave(tb, master, vf2)
    time.sleep(0.5)
    r = flood.stop()
    vfb.report_loss("VF re-plug", r, "replug")
    st = vfb.pair_status(tb)
    assert st["vf"] == vf2 and st["active"] == vf2, st
    assert st["vf_arrivals"] == 2 and st["failovers"] >= 2, st
    assert vfb.bond_opt(tb, master, "primary") == vf2
    log = vfb.vfbond_log(tb)
    assert f"VF {vf2} is back: joining it to {master}" in log, log


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-migration", body, pairs=[Pair(vf_at_boot=False)]))
