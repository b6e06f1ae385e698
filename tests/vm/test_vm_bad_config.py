#!/usr/bin/env python3
"""A bad config file in the guest: one line naming file and line, exit 78,
and the network exactly as it was."""

import vfb
from vfb import IP


def test():
    tb = vfb.boot()
    try:
        body(tb)
    finally:
        tb.close()


def body(tb):
    syn = vfb.configure_synthetic(tb, 0)
    # Let the kernel settle (carrier, link-local, DAD): its own changes
    # would show in the snapshot.
    tb.wait_guest(f'[ "$(cat /sys/class/net/{syn}/operstate)" = up ] && '
                  f"{IP} -6 addr show dev {syn} scope link | grep -q fe80 && "
                  f"! {IP} addr | grep -q tentative", 30)
    snap = f"{IP} -d -o link show; {IP} -o addr show; {IP} route show table all"
    before = tb.guest_ok(snap)
    tb.guest_write("/etc/vfbond.conf", "[vfbond]\nvf_delay = 1\nmaster_name = x%q\n")
    rc, out = tb.guest("vfbond run")
    assert rc == 78, (rc, out)
    want = ("vfbond: /etc/vfbond.conf:3: master_name: 'x%q' does not make an "
            "interface name (1-15 characters; %m, %n, %%)")
    assert out.strip() == want, out
    rc, out = tb.guest("vfbond up " + tb.syn_ifname(0))
    assert rc == 78 and out.count("\n") == 1, (rc, out)
    after = tb.guest_ok(snap)
    assert after == before, f"network changed:\n{before}\n---\n{after}"
    assert tb.guest("test -e /run/vfbond.sock")[0] != 0, "socket created"


if __name__ == "__main__":
    raise SystemExit(vfb.run_test("vm-bad-config", test))
