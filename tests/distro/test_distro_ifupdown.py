#!/usr/bin/env python3
"""vfbond installed from its package in a full Debian 12 guest whose
network is ifupdown with isc-dhcp-client, configured as cloud-init
writes it (`allow-hotplug` + `inet dhcp` in /etc/network/interfaces.d),
DHCP from dnsmasq with 2-minute leases: after boot the master holds the
lease and its dhclient is the only one, and IPv6 (SLAAC, `inet6 auto`)
is on the master only; the VM stays reachable with one address through a
migration, a lease renewal, a restart and a reboot; `vfbond release`
gives the NIC its own dhclient back, with the same address; and enabling
vfbond again converts the running system live."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distro import DistroBed  # noqa: E402
import testbed  # noqa: E402
import vfb  # noqa: E402
from common import (acks, sandbox, migrate, MASTER, ipv4, ipv6,  # noqa: E402
                    journal, live_conversion, reachable, wait_ipv4,
                    wait_ipv6, wait_only)

SYN = "ens4"   # the name Debian gives the virtio NIC of this machine
STANZA = f"""allow-hotplug {SYN}
iface {SYN} inet dhcp
iface {SYN} inet6 auto
"""


def dhclients(tb):
    return tb.guest("pgrep -a dhclient")[1]


def only_master_dhclient(tb, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        procs = dhclients(tb)
        on_master = [l for l in procs.splitlines() if l.endswith(MASTER)]
        others = [l for l in procs.splitlines() if not l.endswith(MASTER)]
        if len(on_master) == 1 and not others:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"dhclients: {procs!r}\n" + journal(tb))
        time.sleep(0.5)


def ports_bare(tb):
    for port in filter(None, (tb.syn_ifname(0), tb.vf_ifname(0))):
        assert ipv4(tb, port) == [] and ipv6(tb, port) == [], \
            f"{port} has an address:\n" + tb.guest("ip addr")[1]


def valid_lft(tb, ifname):
    out = tb.guest_ok(f"ip -4 addr show dev {ifname}")
    for word in ("valid_lft", ):
        i = out.find(word)
        if i >= 0:
            v = out[i:].split()[1]
            return None if v == "forever" else int(v.rstrip("sec"))
    return None


def body(tb):
    print(f"  boot: {tb.wait_booted()}", flush=True)
    sandbox(tb)
    assert tb.syn_ifname(0) == SYN, tb.syn_ifname(0)
    vfb.wait_state(tb, "active", timeout=120)
    (addr,) = wait_ipv4(tb, MASTER)
    print(f"  after boot: {MASTER} has {addr} from DHCP", flush=True)
    only_master_dhclient(tb)
    print(f"  IPv6 on {MASTER}: {wait_ipv6(tb, MASTER)}", flush=True)
    ports_bare(tb)
    reachable(tb, addr, "after boot")

    migrate(tb, addr)
    ports_bare(tb)
    only_master_dhclient(tb)

    # A 2-minute lease is renewed after 1 minute, by the master's client.
    before = acks(tb, addr)
    time.sleep(65)
    left = valid_lft(tb, MASTER)
    print(f"  after a renewal: valid_lft {left}, the server acked {addr} "
          f"{acks(tb, addr) - before} more time(s)", flush=True)
    assert left is not None and left > 70, \
        f"lease not renewed on {MASTER}: {left}\n" + tb.dnsmasq_log()[-2000:]
    assert acks(tb, addr) > before, tb.dnsmasq_log()[-2000:]
    wait_only(tb, MASTER, addr)
    reachable(tb, addr, "after a renewal")

    tb.guest_ok("systemctl restart vfbond")
    vfb.wait_state(tb, "active", timeout=60)
    wait_only(tb, MASTER, addr)
    only_master_dhclient(tb)
    reachable(tb, addr, "after a restart")

    duid = f"grep -h default-duid /var/lib/dhcp/*.{MASTER}.leases | sort -u"
    before = tb.guest_ok(duid)
    tb.reboot()
    print(f"  reboot: {tb.wait_booted()}", flush=True)
    vfb.wait_state(tb, "active", timeout=120)
    # ifdown -a at shutdown ran no dhclient -r for the NIC (it would
    # release the master's lease and write a DUID), and the master's
    # DHCP identity is the one it had.
    assert tb.guest(f"ls /var/lib/dhcp/dhclient.{SYN}.leases")[0] != 0, \
        tb.guest("ls -l /var/lib/dhcp")[1]
    assert tb.guest_ok(duid) == before, (before, tb.guest_ok(duid))
    wait_only(tb, MASTER, addr, timeout=90)
    only_master_dhclient(tb)
    wait_ipv6(tb, MASTER)
    ports_bare(tb)
    reachable(tb, addr, "after a reboot")

    out = tb.guest_ok("systemctl disable --now vfbond && vfbond release",
                      timeout=60)
    print("  " + out.strip().replace("\n", "\n  "), flush=True)
    assert tb.master_of(SYN) is None, "still a port after release"
    assert tb.guest(f"ip link show {MASTER}")[0] != 0, "master left"
    got = wait_ipv4(tb, SYN)
    print(f"  released: {SYN} has {got} from its own dhclient", flush=True)
    assert got == [addr], f"{SYN} got {got}, not {addr}"
    reachable(tb, addr, "after release")

    live_conversion(tb, addr)
    ports_bare(tb)
    only_master_dhclient(tb)
    reachable(tb, addr, "after the live conversion")


def test():
    with DistroBed(manager="ifupdown",
                   files={"/etc/network/interfaces.d/50-cloud-init": STANZA},
                   deb=os.environ.get("VFBOND_DEB")) as tb:
        try:
            body(tb)
        except BaseException:
            print(journal(tb))
            print(tb.guest("cat /run/network/ifstate; ls /run/vfbond/*; "
                           "pgrep -a dhclient; ip -4 addr; "
                           "tail -n 30 /var/lib/dhcp/*.leases")[1])
            print(tb.dnsmasq_log()[-6000:])
            raise


if __name__ == "__main__":
    raise SystemExit(testbed.run_test("distro-ifupdown", test))
