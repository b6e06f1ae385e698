#!/usr/bin/env python3
"""vfbond installed from its package in a full Debian 12 guest whose
network is NetworkManager as shipped (a default auto-connect profile for
every Ethernet NIC, DHCP from dnsmasq). NM cannot configure a master
vfbond built, so NM builds it: vfbond writes the profiles under /run,
NM builds the bond over the NIC and the VF with the NIC's MAC and runs
DHCP there, and vfbond makes the VF primary. After boot the master
holds the lease and the ports nothing; the VM stays reachable with one
address through a migration, a renewal, a restart and a reboot;
`vfbond release` gives the NIC back to NM with the same address; and
on NM's own setup (a boot without vfbond: NM runs DHCP on the NIC and
on the VF alike), enabling vfbond converts the running system live."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distro import DistroBed  # noqa: E402
import testbed  # noqa: E402
import vfb  # noqa: E402
from common import (acks, sandbox, migrate, MAC, MASTER, ipv4, ipv6,  # noqa: E402
                    journal, live_conversion, reachable, wait_ipv4,
                    wait_ipv6, wait_only)

RUN = "/run/NetworkManager/system-connections"


def ports_bare(tb):
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    for port in filter(None, (syn, vf)):
        assert ipv4(tb, port) == [] and ipv6(tb, port) == [], \
            f"{port} has an address:\n" + tb.guest("ip addr")[1]
        prof = tb.guest(f"nmcli -g GENERAL.CONNECTION device show {port}")[1]
        assert prof.strip() == f"vfbond-{MASTER}-ports", \
            f"NM runs {prof.strip()!r} on {port}"


def bond_right(tb):
    """NM's bond: the pair's MAC, the VF primary and active."""
    vf = tb.vf_ifname(0)
    mac = tb.guest_ok(f"cat /sys/class/net/{MASTER}/address").strip()
    assert mac == MAC, f"{MASTER} has MAC {mac}"
    bonding = f"/sys/class/net/{MASTER}/bonding"
    deadline = time.monotonic() + 30
    while True:
        got = tb.guest(f"cat {bonding}/primary {bonding}/active_slave")[1]
        if got.split() == [vf, vf]:
            return
        assert time.monotonic() < deadline, \
            f"primary, active: {got.split()}, not {vf}\n" + journal(tb)
        time.sleep(0.5)


def boot(tb, what):
    vfb.wait_state(tb, "active", timeout=120)
    (addr,) = wait_ipv4(tb, MASTER)
    bond_right(tb)
    ports_bare(tb)
    print(f"  {what}: NM built {MASTER} (MAC {MAC}, VF primary); it has "
          f"{addr} from DHCP, IPv6 {wait_ipv6(tb, MASTER)}", flush=True)
    return addr


def body(tb):
    print(f"  boot: {tb.wait_booted()}", flush=True)
    sandbox(tb)
    addr = boot(tb, "after boot")
    syn = tb.syn_ifname(0)
    # The boot order: NM never configured the NIC itself.
    early = tb.guest("journalctl -b -u NetworkManager --no-pager | "
                     f"grep -E 'dhcp4 \\({syn}\\)'")[1]
    assert early.strip() == "", f"NM ran DHCP on {syn}:\n{early}"
    reachable(tb, addr, "after boot")

    migrate(tb, addr)
    bond_right(tb)
    ports_bare(tb)

    # NM's DHCP client renews at half the 2-minute lease.
    before = acks(tb, addr)
    deadline = time.monotonic() + 90
    while acks(tb, addr) == before:
        assert time.monotonic() < deadline, \
            "no renewal in the server's log:\n" + tb.dnsmasq_log()[-2000:]
        time.sleep(2)
    wait_only(tb, MASTER, addr)
    print(f"  renewal: the server acked {addr} again", flush=True)
    reachable(tb, addr, "after a renewal")

    tb.guest_ok("systemctl restart vfbond")
    vfb.wait_state(tb, "active", timeout=60)
    wait_only(tb, MASTER, addr)
    reachable(tb, addr, "after a restart")

    tb.reboot()
    print(f"  reboot: {tb.wait_booted()}", flush=True)
    assert boot(tb, "after a reboot") == addr, "another address"
    reachable(tb, addr, "after a reboot")

    out = tb.guest_ok("systemctl disable --now vfbond && vfbond release",
                      timeout=60)
    print("  " + out.strip().replace("\n", "\n  "), flush=True)
    assert tb.master_of(syn) is None, "still a port after release"
    assert tb.guest(f"ip link show {MASTER}")[0] != 0, "master left"
    left = tb.guest(f"ls {RUN}/vfbond-* /run/NetworkManager/conf.d/vfbond-*"
                    " 2>/dev/null")[1]
    assert left.strip() == "", f"files left: {left}"
    # The bond presented the NIC's identity (the MAC): the same address.
    wait_only(tb, syn, addr, timeout=90)
    prof = tb.guest_ok(f"nmcli -g GENERAL.CONNECTION device show {syn}")
    print(f"  released: {syn} has {addr} again, NM's profile "
          f"{prof.strip()!r}", flush=True)
    reachable(tb, addr, "after release")

    # What installing the package meets: NM's own setup, a default
    # profile with DHCP on the NIC and another on the VF.
    tb.reboot()
    print(f"  reboot without vfbond: {tb.wait_booted()}", flush=True)
    vf = tb.vf_ifname(0)
    for port in (syn, vf):
        wait_only(tb, port, addr, timeout=90)
    print(f"  NM's own setup: {addr} on {syn} and on {vf}", flush=True)

    live_conversion(tb, addr)
    ports_bare(tb)
    reachable(tb, addr, "after the live conversion")


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
