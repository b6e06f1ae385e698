#!/usr/bin/env python3
"""The seed's race: a VF pulled while its vf_delay runs is dropped quietly,
nothing half-built; one that stays is paired once the delay is over."""

import time

import vfb
from vfb import Pair

CONF = vfb.VF_DRIVEN + "vf_delay = 4\n"


def body(tb):
    syn = tb.syn_ifname(0)
    vfb.configure_synthetic(tb, 0)
    addrs = vfb.global_addrs(tb, syn)
    vfb.start_vfbond(tb, conf=CONF)
    tb.plug_vf(0)
    vfb.wait_state(tb, "vf-delay")
    tb.unplug_vf(0)
    st = vfb.wait_state(tb, "solo")
    time.sleep(4.5)  # past the delay the VF would have had
    st = vfb.pair_status(tb)
    assert st["state"] == "solo" and st["master"] is None, st
    assert not [n for n, (k, _) in vfb.links(tb).items() if k == "bond"]
    assert vfb.global_addrs(tb, syn) == addrs
    log = vfb.vfbond_log(tb)
    assert "building master" not in log, log

    # Plugged again and left alone: paired after the delay, not before.
    t0 = time.monotonic()
    tb.plug_vf(0)
    vfb.wait_state(tb, "vf-delay")
    vfb.wait_state(tb, "active", timeout=30)
    took = time.monotonic() - t0
    assert took >= 3.5, f"paired {took:.1f}s after the plug, before vf_delay"


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-delay-race", body, pairs=[Pair(vf_at_boot=False)]))
