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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distro import DistroBed  # noqa: E402
import testbed  # noqa: E402
from common import journal, static_scenario  # noqa: E402

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


def own_profile(tb):
    prof = tb.guest_ok(f"nmcli -g GENERAL.CONNECTION device show {SYN}")
    assert prof.strip() == f"static-{SYN}", prof
    print(f"  {SYN} runs its own profile again", flush=True)


def body(tb):
    static_scenario(tb, SYN, ADDR, released=own_profile)


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
