"""What the full-distribution tests share: addresses, reachability, logs."""

import os
import re
import time

import vfb

MAC = "52:54:00:00:10:00"
MASTER = "vfb001000"


def ipv4(tb, ifname):
    out = tb.guest(f"ip -4 -o addr show dev {ifname} 2>/dev/null")[1]
    return re.findall(r"inet (198\.18\.0\.\d+)/", out)


def wait_ipv4(tb, ifname, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = ipv4(tb, ifname)
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError(f"no DHCP address on {ifname} after {timeout}s:\n"
                         + journal(tb))


def wait_only(tb, ifname, addr, timeout=20):
    """Until addr is ifname's one DHCP-range address (a copy and the
    manager's own may overlap for a moment)."""
    deadline = time.monotonic() + timeout
    while (got := ipv4(tb, ifname)) != [addr]:
        if time.monotonic() > deadline:
            raise AssertionError(f"{ifname} has {got}, not only {addr}:\n"
                                 + tb.guest("ip -4 addr")[1] + journal(tb))
        time.sleep(0.5)


def default_via(tb):
    """The interface of the default IPv4 route, or None."""
    out = tb.guest_ok("ip -4 route show default")
    return out.split(" dev ")[1].split()[0] if " dev " in out else None


def static_on_master(tb, syn, addr):
    """A static address, and the default route, on the master alone."""
    wait_only(tb, MASTER, addr, timeout=60)
    assert ipv4(tb, syn) == [], tb.guest("ip -4 addr")[1]
    assert default_via(tb) == MASTER, tb.guest("ip -4 route")[1]


def ipv6(tb, ifname):
    """ifname's addresses in the test prefix (SLAAC or DHCPv6)."""
    out = tb.guest(f"ip -6 -o addr show dev {ifname} scope global "
                   "2>/dev/null")[1]
    return re.findall(r"inet6 (fd00:18::[0-9a-f:]+)/", out)


def wait_ipv6(tb, ifname, timeout=60):
    deadline = time.monotonic() + timeout
    while not (got := ipv6(tb, ifname)):
        if time.monotonic() > deadline:
            raise AssertionError(f"no IPv6 address on {ifname}:\n"
                                 + tb.guest("ip -6 addr")[1] + journal(tb))
        time.sleep(0.5)
    return got


def sandbox(tb):
    """The unit runs in its sandbox, as shipped: say how exposed."""
    got = tb.guest_ok("systemctl show -P ProtectSystem vfbond").strip()
    assert got == "strict", f"ProtectSystem={got}"
    score = tb.guest("systemd-analyze security --no-pager vfbond | tail -1")[1]
    print(f"  sandbox: {score.strip()}", flush=True)


def acks(tb, addr):
    """How many times the DHCP server has acked addr: a renewal adds one."""
    return tb.dnsmasq_log().count(f"DHCPACK(br0) {addr} ")


def journal(tb):
    lines = os.environ.get("VFBOND_JOURNAL_LINES", "80")
    return tb.guest("journalctl -b -o short-monotonic --no-pager "
                    "-u vfbond -u systemd-networkd -u networking -u NetworkManager "
                    f"-u 'vfbond-ifup-*' -u 'ifup@*' | tail -{lines}")[1]


def reachable(tb, addr, what):
    r = tb.ping_flood(dst=addr, duration_s=2, interval=0.01).wait(30)
    print(f"  {what}: {r['received']}/{r['transmitted']} answered", flush=True)
    assert r["received"] >= r["transmitted"] * 0.9, f"{what}: {r}\n" + journal(tb)


def migrate(tb, addr):
    """The VF pulled and plugged back under a 500 pps ping; the master
    keeps addr alone. Prints the loss."""
    flood = tb.ping_flood(dst=addr, interval=0.002)
    tb.unplug_vf(0)
    vfb.wait_state(tb, "vf-gone", timeout=60)
    tb.plug_vf(0)
    vfb.wait_state(tb, "active", timeout=60)
    time.sleep(3)
    r = flood.stop()
    wait_only(tb, MASTER, addr)
    print(f"  migration at 500 pps: {r['lost']} of {r['transmitted']} lost",
          flush=True)
    return r


def live_conversion(tb, addr):
    """`systemctl enable --now vfbond` on the configured system under a
    500 pps ping: the master ends with addr alone. Prints the loss."""
    flood = tb.ping_flood(dst=addr, interval=0.002)
    tb.guest_ok("systemctl enable --now vfbond", timeout=60)
    vfb.wait_state(tb, "active", timeout=60)
    wait_only(tb, MASTER, addr, timeout=60)
    time.sleep(3)
    r = flood.stop()
    print(f"  live conversion at 500 pps: {r['lost']} of {r['transmitted']} "
          "lost", flush=True)
    return r


def static_scenario(tb, syn, addr, released=None):
    """A static address through boot, a migration, a restart, a reboot,
    release (then released(tb), if given) and a live conversion: on
    the master alone, with the default route, whenever vfbond runs."""
    print(f"  boot: {tb.wait_booted()}", flush=True)
    assert tb.syn_ifname(0) == syn, tb.syn_ifname(0)
    vfb.wait_state(tb, "active", timeout=120)
    static_on_master(tb, syn, addr)
    print(f"  after boot: {MASTER} has {addr} and the default route",
          flush=True)
    reachable(tb, addr, "after boot")

    migrate(tb, addr)
    static_on_master(tb, syn, addr)

    tb.guest_ok("systemctl restart vfbond")
    vfb.wait_state(tb, "active", timeout=60)
    static_on_master(tb, syn, addr)
    reachable(tb, addr, "after a restart")

    tb.reboot()
    print(f"  reboot: {tb.wait_booted()}", flush=True)
    vfb.wait_state(tb, "active", timeout=120)
    static_on_master(tb, syn, addr)
    reachable(tb, addr, "after a reboot")

    tb.guest_ok("systemctl disable --now vfbond && vfbond release",
                timeout=60)
    assert tb.master_of(syn) is None, "still a port after release"
    wait_only(tb, syn, addr, timeout=60)
    print(f"  released: {syn} has {addr} again", flush=True)
    if released is not None:
        released(tb)
    reachable(tb, addr, "after release")

    live_conversion(tb, addr)
    static_on_master(tb, syn, addr)
    reachable(tb, addr, "after the live conversion")
