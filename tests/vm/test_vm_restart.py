#!/usr/bin/env python3
"""vfbond killed with SIGKILL after the takeover and started again adopts
its master: no second master, no address moved twice; then a migration
still works. SIGTERM leaves the network working."""

import vfb
from vfb import IP


def body(tb):
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    vfb.configure_synthetic(tb, 0)
    vfb.start_vfbond(tb)
    master = vfb.wait_state(tb, "active")["master"]
    vfb.wait_active_slave(tb, master, vf)
    before = (vfb.global_addrs(tb, master), vfb.routes_via(tb, master))

    tb.guest_ok("kill -9 $(pidof vfbond)")
    # A crash leaves its control socket behind: the new daemon must see it
    # is stale (nobody answers) and take its place.
    tb.guest_ok("test -S /run/vfbond.sock")
    vfb.start_vfbond(tb)
    st = vfb.wait_state(tb, "active")
    assert st["master"] == master, st
    bonds = [n for n, (kind, _) in vfb.links(tb).items() if kind == "bond"]
    assert bonds == [master], bonds
    assert (vfb.global_addrs(tb, master), vfb.routes_via(tb, master)) == before
    log = vfb.vfbond_log(tb)
    assert "building master" not in log and "moving addresses" not in log, log

    # A migration after the restart.
    tb.unplug_vf(0)
    vfb.wait_state(tb, "vf-gone")
    vf2 = tb.plug_vf(0)
    vfb.wait_state(tb, "active")
    vfb.wait_active_slave(tb, master, vf2)

    # SIGTERM: the daemon goes, the network stays.
    tb.guest_ok("kill $(pidof vfbond)")
    tb.wait_guest("! pidof vfbond", 10)
    assert "network left as it is" in vfb.vfbond_log(tb)
    assert vfb.active_slave(tb, master) == vf2
    assert vfb.global_addrs(tb, master) == before[0]
    tb.host("ping", "-c", "3", "-i", "0.2", "-W", "2", vfb.guest_ip4(0))
    out = tb.guest_ok(f"{IP} -o link show master {master}")
    assert syn in out and vf2 in out, out


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-restart", body))
