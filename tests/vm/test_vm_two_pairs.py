#!/usr/bin/env python3
"""Two pairs on one guest are handled independently: two masters, and a
migration of one VF does not touch the other pair."""

import vfb


def body(tb):
    for i in (0, 1):
        vfb.configure_synthetic(tb, i)
    vfb.start_vfbond(tb)
    m0 = vfb.wait_state(tb, "active", 0)["master"]
    m1 = vfb.wait_state(tb, "active", 1)["master"]
    assert {m0, m1} == {"vfb001000", "vfb001001"}, (m0, m1)
    vfb.wait_active_slave(tb, m0, tb.vf_ifname(0))
    vfb.wait_active_slave(tb, m1, tb.vf_ifname(1))
    assert vfb.global_addrs(tb, m1) == sorted(
        [f"{vfb.guest_ip4(1)}/24", f"{vfb.guest_ip6(1)}/64"])

    vf1 = tb.vf_ifname(1)
    flood = tb.ping_flood(vfb.guest_ip4(1))
    tb.unplug_vf(0)
    vfb.wait_state(tb, "vf-gone", 0)
    r = flood.stop()
    vfb.report_loss("pair 1 while pair 0 migrates", r, "unaffected")
    st1 = vfb.pair_status(tb, 1)
    assert st1["state"] == "active" and st1["active"] == vf1, st1
    assert st1["failovers"] == 0, st1
    tb.plug_vf(0)
    vfb.wait_state(tb, "active", 0)


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-two-pairs", body, pairs=2))
