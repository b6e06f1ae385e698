#!/usr/bin/env python3
"""vfbond killed (SIGKILL, by its own fault switch: VFBOND_FAULT=kill:N)
at every state-changing request of its bring-up (build-master,
takeover), and of a returning VF's enslave-vf, then started again: each
time the restart ends in the one right state and the guest answers
ping. One boot: after each N of the bring-up the master is deleted and
the synthetic NIC configured again; for enslave-vf the VF is pulled
before the faulty daemon starts and plugged back under it. Needs a
build with -Dfault_injection=true (make build).
"""

import os
import re
import time

import vfb
from vfb import IP

REQUEST = re.compile(r"fault injection: request (\d+) \((\w+)\)")


def run_faulty(tb, spec, plug=False):
    """Starts the daemon with VFBOND_FAULT=spec (with plug: once it sees
    the VF gone, plugs it back); → its log once it is gone (kill:N) or
    settled (count)."""
    tb.guest_ok(f"VFBOND_FAULT={spec} vfbond run >{vfb.LOG} 2>&1 &")
    if plug:
        vfb.wait_state(tb, "vf-gone")
        tb.plug_vf(0)
    if spec == "count":
        vfb.wait_state(tb, "active")
        stop(tb)
    else:
        tb.wait_guest("! pidof vfbond", 60, interval=0.05)
    log = vfb.vfbond_log(tb)
    assert "VFBOND_FAULT ignored" not in log, \
        ("vfbond built without -Dfault_injection=true: make build sets it "
         "in a new build directory; an older one needs "
         "'meson configure build -Dfault_injection=true'")
    return log


def stop(tb):
    tb.guest_ok("kill $(pidof vfbond)")
    tb.wait_guest("! pidof vfbond", 10, interval=0.05)


def reset(tb):
    """Back to the cloud image's state: no master, all on the synthetic
    NIC, whatever the kill left."""
    syn, vf = tb.syn_ifname(0), tb.vf_ifname(0)
    cmds = [f"{IP} link del {b}" for b in vfb.bonds(tb)]
    cmds += [f"{IP} addr flush dev {d} scope global" for d in (syn, vf)]
    cmds += [f"{IP} route del {vfb.remote4(0)} 2>/dev/null",
             f"{IP} -6 route del {vfb.remote6(0)} 2>/dev/null",
             f"{IP} route del default 2>/dev/null"]
    tb.guest("; ".join(cmds))
    vfb.configure_synthetic(tb, 0)


def requests_of(log):
    requests = REQUEST.findall(log)
    assert requests and [int(n) for n, _ in requests] == \
        list(range(1, len(requests) + 1)), log
    return requests


def restart_converges(tb, want, what, t0):
    vfb.start_vfbond(tb)
    vfb.end_state(tb, *want)
    tb.host("ping", "-c", "3", "-i", "0.2", "-W", "2", vfb.guest_ip4(0))
    stop(tb)
    print(f"  {what}: converged, ping ok ({time.monotonic() - t0:.1f}s)",
          flush=True)


def returning_vf(tb, want):
    """enslave-vf: counted once, then killed at each of its requests."""
    tb.unplug_vf(0)
    log = run_faulty(tb, "count", plug=True)
    requests = requests_of(log)
    # The daemon found the VF gone and did nothing until it came back.
    assert log.index(" is back") < log.index("fault injection: request 1 "), log
    vfb.end_state(tb, *want)
    print(f"  enslave-vf, {len(requests)} requests: "
          + " ".join(f"{n}:{w}" for n, w in requests), flush=True)
    for n, what in requests:
        t0 = time.monotonic()
        tb.unplug_vf(0)
        log = run_faulty(tb, f"kill:{n}", plug=True)
        assert f"request {n} ({what}): SIGKILL" in log, log
        restart_converges(tb, want, f"enslave-vf kill:{n} ({what})", t0)


def body(tb):
    vfb.configure_synthetic(tb, 0)
    requests = requests_of(run_faulty(tb, "count"))
    master = vfb.pair_status(tb)["master"]
    want = (vfb.global_addrs(tb, master), vfb.routes_via(tb, master))
    assert len(want[0]) == 2 and len(want[1]) == 3, want
    vfb.end_state(tb, *want)
    print(f"  {len(requests)} requests: "
          + " ".join(f"{n}:{w}" for n, w in requests), flush=True)

    only = os.environ.get("VFBOND_FAULTS_ONLY")  # to debug one N
    for n, what in requests:
        if only and n != only:
            continue
        t0 = time.monotonic()
        reset(tb)
        log = run_faulty(tb, f"kill:{n}")
        assert f"request {n} ({what}): SIGKILL" in log, log
        restart_converges(tb, want, f"kill:{n} ({what})", t0)
    if not only:
        returning_vf(tb, want)


if __name__ == "__main__":
    raise SystemExit(vfb.main("vm-faults", body))
