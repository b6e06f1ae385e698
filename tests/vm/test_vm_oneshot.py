#!/usr/bin/env python3
"""The one-shot commands, as udev/devd rules would call them without a
daemon: `vfbond attach VF DELAY` pairs a VF after the delay and exits once
settled; `vfbond up SYNTHETIC` re-joins a returning VF."""

import time

import vfb


def kernel_state(tb):
    st = vfb.status(tb)
    assert st["source"] == "kernel", st
    return st["pairs"][0]


def body(tb):
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    vfb.configure_synthetic(tb, 0)
    out = tb.guest_ok(f"vfbond attach {syn}")
    assert "not the VF of a synthetic NIC" in out, out

    t0 = time.monotonic()
    out = tb.guest_ok(f"vfbond attach {vf} 1", timeout=60)
    took = time.monotonic() - t0
    assert took >= 1.0, f"attach did not wait its delay ({took:.2f}s)"
    st = kernel_state(tb)
    assert st["state"] == "active" and st["vf"] == vf, (st, out)
    master = st["master"]
    vfb.wait_active_slave(tb, master, vf)
    assert vfb.global_addrs(tb, syn) == []
    assert not tb.guest("pidof vfbond")[0] == 0, "one-shot left a process"

    tb.unplug_vf(0)
    out = tb.guest_ok(f"vfbond up {syn}")
    assert kernel_state(tb)["state"] == "vf-gone", out
    vf2 = tb.plug_vf(0)
    out = tb.guest_ok(f"vfbond up {syn}", timeout=60)
    assert f"VF {vf2} is back: joining it to {master}" in out, out
    st = kernel_state(tb)
    assert st["state"] == "active" and st["vf"] == vf2, st
    vfb.wait_active_slave(tb, master, vf2)


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-oneshot", body))
