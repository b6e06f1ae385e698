#!/usr/bin/env python3
"""vfbond installed from its package in a full Debian 12 guest whose
network is NetworkManager as shipped (a default auto-connect profile on
every Ethernet NIC, DHCP from dnsmasq). NetworkManager cannot be made to
configure a master vfbond built (src/netconf/networkmanager.c says why),
so vfbond stands aside: no master, the NIC keeps the address NM gave
it, the VM stays reachable, and status and the log say why. A VF that
comes and goes changes nothing of that, nor does a restart."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distro import DistroBed  # noqa: E402
import testbed  # noqa: E402
import vfb  # noqa: E402
from common import MASTER, journal, reachable, wait_ipv4  # noqa: E402

REASON = "NetworkManager configures {} and cannot be made to configure a master"


def stands_aside(tb, syn):
    st = vfb.wait_state(tb, "failed", timeout=120)
    assert REASON.format(syn) in st.get("last_error_detail", ""), st
    assert tb.guest(f"ip link show {MASTER}")[0] != 0, "a master was built"
    assert tb.master_of(syn) is None, f"{syn} is a port"


def body(tb):
    print(f"  boot: {tb.wait_booted()}", flush=True)
    syn = tb.syn_ifname(0)
    stands_aside(tb, syn)
    (addr,) = wait_ipv4(tb, syn)
    print(f"  after boot: no master; {syn} has {addr} from NM's DHCP",
          flush=True)
    print("  status: " + vfb.pair_status(tb)["last_error_detail"], flush=True)
    line = tb.guest_ok("journalctl -b -u vfbond --no-pager | "
                       f"grep -m1 'NetworkManager configures {syn}'")
    print("  log: " + line.strip()[-100:], flush=True)
    reachable(tb, addr, "after boot")

    tb.unplug_vf(0)
    time.sleep(3)
    tb.plug_vf(0)
    time.sleep(5)
    stands_aside(tb, syn)
    reachable(tb, addr, "after a migration")

    tb.guest_ok("systemctl restart vfbond")
    time.sleep(2)
    stands_aside(tb, syn)
    reachable(tb, addr, "after a restart")


def test():
    with DistroBed(manager="networkmanager",
                   deb=os.environ.get("VFBOND_DEB")) as tb:
        try:
            body(tb)
        except BaseException:
            print(journal(tb))
            print(tb.guest("nmcli device; ip -4 addr")[1])
            raise


if __name__ == "__main__":
    raise SystemExit(testbed.run_test("distro-networkmanager", test))
