#!/usr/bin/env python3
"""vfbond installed from its package in a full Debian 12 guest whose
network is ifupdown with a static address (`auto` + `inet static`, as
made by hand): after boot the master holds the address and the default
route, the NIC nothing; the VM stays reachable through a migration, a
restart and a reboot; `vfbond release` gives the NIC its address back,
and enabling vfbond again converts the running system live."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distro import DistroBed  # noqa: E402
import testbed  # noqa: E402
from common import journal, static_scenario  # noqa: E402

SYN = "ens4"
ADDR = "198.18.0.2"
STANZA = f"""auto {SYN}
iface {SYN} inet static
    address {ADDR}/24
    gateway 198.18.0.1
"""


def body(tb):
    static_scenario(tb, SYN, ADDR)


def test():
    with DistroBed(manager="ifupdown",
                   files={"/etc/network/interfaces.d/50-static": STANZA},
                   deb=os.environ.get("VFBOND_DEB")) as tb:
        try:
            body(tb)
        except BaseException:
            print(journal(tb))
            print(tb.guest("cat /run/network/ifstate; ls /run/vfbond/*; "
                           "ip -4 addr; ip -4 route")[1])
            raise


if __name__ == "__main__":
    raise SystemExit(testbed.run_test("distro-ifupdown-static", test))
