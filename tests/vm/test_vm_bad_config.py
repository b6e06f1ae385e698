#!/usr/bin/env python3
"""A bad config file in the guest: one line naming file and line, exit 78,
and the network exactly as it was."""

import vfb


def body(tb):
    vfb.configure_synthetic(tb, 0)
    vfb.settle(tb)
    before = vfb.snapshot(tb)
    tb.guest_write("/etc/vfbond.conf", "[vfbond]\nvf_delay = 1\nmaster_name = x%q\n")
    rc, out = tb.guest("vfbond run")
    assert rc == 78, (rc, out)
    want = ("vfbond: /etc/vfbond.conf:3: master_name: 'x%q' does not make an "
            "interface name (1-15 characters; %m, %n, %u, %%)")
    assert out.strip() == want, out
    rc, out = tb.guest("vfbond up " + tb.syn_ifname(0))
    assert rc == 78 and out.count("\n") == 1, (rc, out)
    after = vfb.snapshot(tb)
    assert after == before, f"network changed:\n{before}\n---\n{after}"
    assert tb.guest("test -e /run/vfbond.sock")[0] != 0, "socket created"


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-bad-config", body))
