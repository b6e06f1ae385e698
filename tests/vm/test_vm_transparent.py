#!/usr/bin/env python3
"""Transparent mode: the guest kernel's net_failover pairs the NICs itself.
vfbond says so in status and touches nothing, across a migration too."""

import vfb
from vfb import IP


def body(tb):
    standby = tb.syn_ifname(0)
    failover = tb.master_of(standby)
    assert failover, "no net_failover master in the guest"
    tb.guest_ok(f"{IP} link set {failover} up && "
                f"{IP} addr add {vfb.guest_ip4(0)}/24 dev {failover}")
    vfb.settle(tb)
    before = vfb.snapshot(tb)
    vfb.start_vfbond(tb)
    st = vfb.wait_state(tb, "transparent")
    assert st["master"] is None, st
    after = vfb.snapshot(tb)
    assert after == before, f"vfbond changed the network:\n{before}\n---\n{after}"

    tb.unplug_vf(0)
    vf2 = tb.plug_vf(0)
    tb.wait_guest(f'[ "$(basename $(readlink /sys/class/net/{vf2}/master))" = {failover} ]', 30)
    st = vfb.wait_state(tb, "transparent")
    log = vfb.vfbond_log(tb)
    assert "building master" not in log, log
    assert not [n for n, (k, _) in vfb.links(tb).items() if k == "bond"], \
        "a bond was built"


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-transparent", body, transparent=True))
