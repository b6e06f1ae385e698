#!/usr/bin/env python3
"""vfbond installed from its package in a full Debian 12 guest whose
network is systemd-networkd with a netplan-style file (matched by MAC,
so it selects the master and both ports alike) and DHCP from dnsmasq:
after boot the master holds the lease and the ports nothing; the VM
stays reachable with one address through a migration, a renewal, a
restart and a reboot; IPv6 (SLAAC and DHCPv6) is on the master only;
`vfbond release` gives the NIC its own configuration back and the
master's address (the master presented the NIC's DHCP identity, derived
on this first boot where the NIC never had a lease), and enabling vfbond
again on the running system converts it live."""

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
# What netplan writes for `dhcp4: true`, `dhcp6: true`, matched by MAC.
NETWORK = f"""[Match]
MACAddress={MAC}

[Network]
DHCP=yes
"""


def ports_bare(tb):
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    for port in filter(None, (syn, vf)):
        assert ipv4(tb, port) == [] and ipv6(tb, port) == [], \
            f"{port} has an address:\n" + tb.guest("ip addr")[1]
        state = tb.guest(f"networkctl list --no-legend {port}")[1]
        assert "unmanaged" in state, f"networkd manages {port}: {state}"


def body(tb):
    print(f"  boot: {tb.wait_booted()}", flush=True)
    sandbox(tb)
    vfb.wait_state(tb, "active", timeout=120)
    (addr,) = wait_ipv4(tb, MASTER)
    print(f"  after boot: {MASTER} has {addr} from DHCP", flush=True)
    # A first boot: the NIC never had a lease, its identity is derived.
    iaid = tb.guest_ok("sed -n 's/^IAID=//p' "
                       f"/run/systemd/network/00-vfbond-{MASTER}.network")
    iaid = iaid.strip()
    assert iaid.isdigit(), f"no IAID in {MASTER}'s .network: {iaid!r}"
    assert tb.guest("ls /var/lib/vfbond/networkd-*.iaid")[0] != 0, \
        "an IAID kept from a lease on a first boot"
    syn = tb.syn_ifname(0)
    names = tb.guest(f"grep -h ^E:ID_NET_NAME_ /run/udev/data/n$(cat "
                     f"/sys/class/net/{syn}/ifindex)")[1].split()
    print(f"  {MASTER} presents the NIC's IAID {iaid} ({int(iaid):08x}); "
          f"udev: {' '.join(n[2:] for n in names)}", flush=True)
    # The boot order: networkd never configured the NIC itself.
    early = tb.guest(f"journalctl -b -u systemd-networkd --no-pager | "
                     f"grep -E '{syn}: (Configuring with /etc|DHCPv4)'")[1]
    assert early.strip() == "", f"networkd configured {syn} first:\n{early}"
    print(f"  IPv6 on {MASTER}: {wait_ipv6(tb, MASTER)}", flush=True)
    ports_bare(tb)
    reachable(tb, addr, "after boot")

    migrate(tb, addr)
    ports_bare(tb)

    before = acks(tb, addr)
    tb.guest_ok(f"networkctl renew {MASTER}")
    time.sleep(3)
    wait_only(tb, MASTER, addr)
    assert acks(tb, addr) > before, "no renewal in the server's log:\n" + \
        tb.dnsmasq_log()[-2000:]
    print(f"  renewal: the server acked {addr} again", flush=True)
    reachable(tb, addr, "after a renewal")

    tb.guest_ok("systemctl restart vfbond")
    vfb.wait_state(tb, "active", timeout=60)
    wait_only(tb, MASTER, addr)
    reachable(tb, addr, "after a restart")

    tb.reboot()
    print(f"  reboot: {tb.wait_booted()}", flush=True)
    vfb.wait_state(tb, "active", timeout=120)
    wait_only(tb, MASTER, addr, timeout=90)
    wait_ipv6(tb, MASTER)
    ports_bare(tb)
    reachable(tb, addr, "after a reboot")

    out = tb.guest_ok("systemctl disable --now vfbond && vfbond release",
                      timeout=60)
    print("  " + out.strip().replace("\n", "\n  "), flush=True)
    syn = tb.syn_ifname(0)
    assert tb.master_of(syn) is None, "still a port after release"
    assert tb.guest(f"ip link show {MASTER}")[0] != 0, "master left"
    assert tb.guest("ls /run/systemd/network/ 2>/dev/null")[1].strip() == ""
    # The master presented the NIC's identity, derived on a boot where
    # the NIC never had a lease: the NIC's own client gets the address.
    wait_only(tb, syn, addr, timeout=90)
    lease = tb.guest_ok(f"f=/run/systemd/netif/leases/$(cat "
                        f"/sys/class/net/{syn}/ifindex); for i in $(seq 20); "
                        f"do grep ^CLIENTID= $f && break; sleep 0.5; done"
                        ).strip()
    print(f"  released: {syn} has {addr} from its own DHCP client, "
          f"{lease}", flush=True)
    assert lease.lower().startswith(f"clientid=ff{int(iaid):08x}"), \
        f"{syn}'s IAID is not {int(iaid):08x}: {lease}"
    reachable(tb, addr, "after release")

    # The NIC's lease identity goes over: the same address.
    live_conversion(tb, addr)
    ports_bare(tb)
    reachable(tb, addr, "after the live conversion")


def test():
    with DistroBed(manager="networkd",
                   files={"/etc/systemd/network/10-netplan-eth0.network":
                          NETWORK},
                   deb=os.environ.get("VFBOND_DEB")) as tb:
        try:
            body(tb)
        except BaseException:
            print(journal(tb))
            raise


if __name__ == "__main__":
    raise SystemExit(testbed.run_test("distro-networkd", test))
