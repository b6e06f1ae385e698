#!/usr/bin/env python3
"""vfbond installed from its package in a full Debian 12 guest whose
network is NetworkManager with an explicit profile for the NIC (a
static address, IPv6 off, as made with nmcli): NM builds the master
from the profiles vfbond writes, with the explicit profile's addressing.
After boot the master holds the address and the default route, the
ports nothing; the VM stays reachable through a migration, a restart
and a reboot; `vfbond release` gives the NIC its own profile back, and
enabling vfbond again converts the running system live."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distro import DistroBed  # noqa: E402
import testbed  # noqa: E402
import vfb  # noqa: E402
from common import (migrate, MASTER, journal, reachable,  # noqa: E402
                    static_on_master, wait_only)

SYN = "ens4"
ADDR = "198.18.0.3"
PROFILE = f"""[connection]
id=static-{SYN}
uuid=7d1c1a52-1b0e-4c7e-9a51-3d5f0e1b2c3d
type=ethernet
interface-name={SYN}

[ipv4]
method=manual
address1={ADDR}/24,198.18.0.1

[ipv6]
method=disabled
"""


def on_master_only(tb):
    static_on_master(tb, SYN, ADDR)


def body(tb):
    print(f"  boot: {tb.wait_booted()}", flush=True)
    assert tb.syn_ifname(0) == SYN, tb.syn_ifname(0)
    vfb.wait_state(tb, "active", timeout=120)
    on_master_only(tb)
    print(f"  after boot: {MASTER} has {ADDR} and the default route",
          flush=True)
    reachable(tb, ADDR, "after boot")

    migrate(tb, ADDR)
    on_master_only(tb)

    tb.guest_ok("systemctl restart vfbond")
    vfb.wait_state(tb, "active", timeout=60)
    on_master_only(tb)
    reachable(tb, ADDR, "after a restart")

    tb.reboot()
    print(f"  reboot: {tb.wait_booted()}", flush=True)
    vfb.wait_state(tb, "active", timeout=120)
    on_master_only(tb)
    reachable(tb, ADDR, "after a reboot")

    tb.guest_ok("systemctl disable --now vfbond && vfbond release",
                timeout=60)
    assert tb.master_of(SYN) is None, "still a port after release"
    wait_only(tb, SYN, ADDR, timeout=60)
    prof = tb.guest_ok(f"nmcli -g GENERAL.CONNECTION device show {SYN}")
    assert prof.strip() == f"static-{SYN}", prof
    print(f"  released: {SYN} has {ADDR} again, from its profile",
          flush=True)
    reachable(tb, ADDR, "after release")

    flood = tb.ping_flood(dst=ADDR, interval=0.002)
    tb.guest_ok("systemctl enable --now vfbond", timeout=60)
    vfb.wait_state(tb, "active", timeout=60)
    time.sleep(3)
    r = flood.stop()
    on_master_only(tb)
    print(f"  live conversion at 500 pps: {r['lost']} of {r['transmitted']} "
          "lost", flush=True)
    reachable(tb, ADDR, "after the live conversion")


def test():
    path = f"/etc/NetworkManager/system-connections/static-{SYN}.nmconnection"
    with DistroBed(manager="networkmanager", files={path: PROFILE},
                   deb=os.environ.get("VFBOND_DEB")) as tb:
        try:
            body(tb)
        except BaseException:
            print(journal(tb))
            print(tb.guest("nmcli device; ip -4 addr; ip -4 route")[1])
            raise


if __name__ == "__main__":
    raise SystemExit(testbed.run_test("distro-networkmanager-static", test))
