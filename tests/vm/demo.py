#!/usr/bin/env python3
"""The README's demo: a live migration, narrated as it happens.

Boots a QEMU guest (Debian's kernel) whose vNIC is a virtio-net synthetic
NIC plus an e1000e "VF" with the same MAC, starts `vfbond run` in it, and
from a host namespace pings the guest 1000 times a second while the host
pulls the VF out (QMP device_del, as before a migration) and plugs it back
(device_add, as after). Prints vfbond's own log, the kernel's view, and
the packets lost in each phase.

usage: demo.py [path/to/vfbond]
"""

import time

import vfb

T0 = time.monotonic()


def say(msg):
    print(f"[{time.monotonic() - T0:6.2f}s] {msg}", flush=True)


class LogTail:
    """Prints vfbond's log lines in the guest that are new since last time."""

    def __init__(self, tb):
        self.tb, self.seen = tb, 0

    def show(self):
        lines = vfb.vfbond_log(self.tb).splitlines()
        for line in lines[self.seen:]:
            print(f"          guest| {line}", flush=True)
        self.seen = len(lines)


def phase(tb, title, action, done, tail):
    """Runs action under a 1000 pps flood until done() holds; → packets lost."""
    say(title)
    flood = tb.ping_flood(vfb.guest_ip4(0))
    time.sleep(0.5)
    action()
    done()
    time.sleep(0.5)
    r = flood.stop()
    tail.show()
    # Replies still in flight when the flood was stopped are not losses.
    lost = r["lost"] - r.get("in_flight", 0)
    say(f"  ping at 1000/s: {r['transmitted']} sent, {r['received']} "
        f"received, {lost} lost, {r.get('in_flight', 0)} in flight at "
        f"the stop")
    return lost


def kernel_view(tb, master):
    active = vfb.active_slave(tb, master)
    addrs = ", ".join(vfb.global_addrs(tb, master))
    say(f"  kernel: {master} active port {active}; addresses {addrs}")


def main():
    print(__doc__.split("\n\n")[1].replace("\n", " "), "\n", flush=True)
    say("booting the guest (QEMU, TCG) ...")
    tb = vfb.boot()
    try:
        run(tb)
    finally:
        tb.close()
        say("guest stopped, namespace removed")


def run(tb):
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    say(f"guest NICs: synthetic {syn} (virtio_net), VF {vf} (e1000e), "
        f"both {tb.pairs[0].mac}")
    vfb.configure_synthetic(tb, 0)
    say(f"the guest is configured on {syn}: "
        f"{', '.join(vfb.global_addrs(tb, syn))}, default route via "
        f"{tb.host_ip4}")
    tail = LogTail(tb)
    losses = {}
    state = {}

    def start():
        vfb.start_vfbond(tb)

    def paired():
        state["master"] = vfb.wait_state(tb, "active", timeout=60)["master"]
        vfb.wait_active_slave(tb, state["master"], vf, 60)

    losses["pairing and takeover"] = phase(
        tb, "starting vfbond: pairing, building the master, moving the "
        "addresses", start, paired, tail)
    master = state["master"]
    kernel_view(tb, master)

    def pulled():
        vfb.wait_state(tb, "vf-gone")

    took = {}

    def unplug():
        took["s"] = tb.unplug_vf(0)

    losses["VF pulled (migration starts)"] = phase(
        tb, "host pulls the VF out (QMP device_del)", unplug, pulled, tail)
    say(f"  the guest lost {vf} {took['s']:.1f}s after the request; traffic "
        f"is on the synthetic NIC")
    kernel_view(tb, master)
    tb.host("ping", "-c", "2", "-i", "0.2", "-W", "2", vfb.guest_ip4(0))

    def plug():
        state["vf"] = tb.plug_vf(0)

    def back():
        vfb.wait_state(tb, "active", timeout=60)
        vfb.wait_active_slave(tb, master, state["vf"], 60)

    losses["VF back (migration done)"] = phase(
        tb, "host plugs the VF back (QMP device_add)", plug, back, tail)
    kernel_view(tb, master)

    say("vfbond status:")
    for line in tb.guest_ok("vfbond status").splitlines():
        print(f"          guest| {line}")
    print("\nsummary (ping at 1000 packets/s from the host):")
    for what, lost in losses.items():
        print(f"  {what:32} {lost:5d} packets lost")
    ports = tb.guest_ok(f"cat /sys/class/net/{master}/bonding/slaves").split()
    print(f"\nmaster {master}: ports {', '.join(ports)}; primary "
          f"{vfb.bond_opt(tb, master, 'primary')}")


if __name__ == "__main__":
    main()
