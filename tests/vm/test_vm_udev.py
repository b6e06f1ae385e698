#!/usr/bin/env python3
"""vfbond and a real systemd-udevd in the guest.

In the initial network namespace udev names interfaces: a VF is acted on
only once udev is done with it, so a rule that renames it (slowly) is
never raced and the master is built over the final name. In another
network namespace udev sees none of the links (and its database is keyed
by the initial namespace's ifindexes): there links are ready at once."""

import time

import vfb
from testbed import require
from vfb import IP, Pair

RULE = ('SUBSYSTEM=="net", ACTION=="add", DRIVERS=="e1000e", '
        'PROGRAM="/bin/sleep 2", NAME="vfudev0"\n')
NS_CONF = """[vfbond]
synthetic_names = syn*
vf_exclude_kinds = bond bridge vlan
"""


def start_udevd(tb):
    tb.guest_ok("mkdir -p /etc/udev/rules.d && "
                "ln -sf /usr/local/bin/udevadm /usr/local/bin/systemd-udevd")
    tb.guest_write("/etc/udev/rules.d/70-vfbond-test.rules", RULE)
    tb.guest_ok("systemd-udevd --daemon")
    tb.wait_guest("test -S /run/udev/control", 10)
    # What a boot does (systemd-udev-trigger): udev takes in what exists.
    tb.guest_ok("udevadm trigger --action=add --subsystem-match=net && "
                "udevadm settle -t 20")
    syn = tb.syn_ifname(0)
    tb.guest_ok(f"test -e /run/udev/data/n$(cat /sys/class/net/{syn}/ifindex)")


def renamed_vf_is_waited_for(tb):
    vfb.configure_synthetic(tb, 0)
    vfb.start_vfbond(tb, conf=vfb.VF_DRIVEN)
    vfb.wait_state(tb, "solo")
    t0 = time.monotonic()
    tb.plug_vf(0)
    st = vfb.wait_state(tb, "active", timeout=40)
    print(f"  active {time.monotonic() - t0:.1f}s after the plug", flush=True)
    assert st["vf"] == "vfudev0", st
    log = vfb.vfbond_log(tb)
    assert "over VF vfudev0" in log, log
    assert "over VF eth" not in log, log
    vfb.wait_active_slave(tb, st["master"], "vfudev0")
    tb.host("ping", "-c", "3", "-i", "0.2", "-W", "2", vfb.guest_ip4(0))


def namespace_links_are_ready(tb):
    # High ifindexes: nothing in udev's database can match them by chance.
    tb.guest_write("/tmp/ns.conf", NS_CONF)
    tb.guest_ok(f"set -e; {IP} netns add t; "
                f"{IP} -n t link add syn0 index 900 address 52:54:00:00:60:00 "
                f"type veth peer name p-syn0 index 901; "
                f"{IP} -n t link add vf0 index 902 address 52:54:00:00:60:00 "
                f"type veth peer name p-vf0 index 903; "
                f"test ! -e /run/udev/data/n900 && test ! -e /run/udev/data/n902")
    tb.guest_ok(f"{IP} netns exec t vfbond run --dry-run -c /tmp/ns.conf "
                f"-S /tmp/ns.sock >/tmp/ns.log 2>&1 &")
    try:
        tb.wait_guest("grep -q 'syn0: would be building master' /tmp/ns.log", 15)
    except Exception:
        print(tb.guest("cat /tmp/ns.log")[1])
        raise


def body(tb):
    start_udevd(tb)
    renamed_vf_is_waited_for(tb)
    namespace_links_are_ready(tb)


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-udev", body, pairs=[Pair(vf_at_boot=False)],
                              binaries=[require("udevadm")], modules=["veth"]))
