#!/usr/bin/env python3
"""A full Debian 12 guest for vfbond: what users run.

The base system (tests/distro/base.sh: mmdebstrap, systemd, udev, Debian's
kernel, networkd, NetworkManager, ifupdown) is cached; each boot copies
it, installs the vfbond .deb under test with dpkg (its maintainer scripts
enable the unit), enables the chosen network manager with the given
files, and boots it from an ext4 image with its own kernel and initramfs.
dnsmasq in the test's namespace is the DHCP server (2-minute leases) and
sends router advertisements for SLAAC with DHCPv6 beside it.
The guest is driven over the same virtio-serial channel as the initramfs
testbed, by a small agent started as a systemd service.
"""

import glob
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "vm"))
import testbed  # noqa: E402
from testbed import Qmp, Testbed, TestbedError, log  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
DHCP_RANGE = ("198.18.0.50", "198.18.0.99")
DHCP6_RANGE = ("fd00:18::100", "fd00:18::1ff")

AGENT = r"""#!/bin/sh
# The test's command agent (tests/vm/testbed.py: @@CMD / @@BEGIN / @@END).
port=/dev/virtio-ports/vfbtb.ctl
while [ ! -e $port ]; do sleep 0.2; done
""" + testbed.AGENT_LOOP

AGENT_UNIT = """[Unit]
Description=vfbond test agent
DefaultDependencies=no
After=systemd-udevd.service

[Service]
ExecStart=/usr/local/sbin/vfbtb-agent

[Install]
WantedBy=sysinit.target
"""

MANAGERS = {"networkd": ["systemd-networkd.service"],
            "networkmanager": ["NetworkManager.service"],
            "ifupdown": ["networking.service"]}


def base_root():
    out = subprocess.run(["sh", os.path.join(HERE, "base.sh")], check=True,
                         stdout=subprocess.PIPE, text=True)
    return out.stdout.strip().splitlines()[-1]


def build_deb(out_dir):
    """The package from this tree, as `make deb` builds it (no unit tests)."""
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck")
    subprocess.run(["sh", os.path.join(SRC, "scripts", "build-deb.sh"),
                    out_dir], check=True, env=env, stdout=subprocess.DEVNULL)
    debs = glob.glob(os.path.join(out_dir, "vfbond_*.deb"))
    if not debs:
        raise TestbedError(f"no .deb in {out_dir}")
    return debs[0]


def _write(root, path, text, mode=0o644):
    dst = root + path
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w") as f:
        f.write(text)
    os.chmod(dst, mode)


class DistroBed(Testbed):
    """manager: a key of MANAGERS; files: {guest path: text} of its
    configuration; deb: the package (built from this tree if None)."""

    def __init__(self, manager="networkd", files=None, deb=None, mem=1024,
                 boot_timeout=400, **kw):
        super().__init__(mem=mem, boot_timeout=boot_timeout, **kw)
        self.manager, self.mfiles, self.deb = manager, files or {}, deb
        self.dnsmasq = None

    def _image(self):
        base = base_root()
        root = self._p("root")
        subprocess.run(["cp", "-a", base, root], check=True)
        deb = self.deb or build_deb(self._p("deb"))
        shutil.copy(deb, root + "/tmp/vfbond.deb")
        subprocess.run(["chroot", root, "dpkg", "-i", "/tmp/vfbond.deb"],
                       check=True, stdout=subprocess.DEVNULL)
        os.unlink(root + "/tmp/vfbond.deb")
        _write(root, "/usr/local/sbin/vfbtb-agent", AGENT, 0o755)
        _write(root, "/etc/systemd/system/vfbtb-agent.service", AGENT_UNIT)
        _write(root, "/etc/fstab", "/dev/vda / ext4 rw 0 1\n")
        for path, text in self.mfiles.items():
            # NM reads no keyfile that others may read.
            _write(root, path, text,
                   0o600 if path.endswith(".nmconnection") else 0o644)
        units = ["vfbtb-agent.service"] + MANAGERS[self.manager]
        subprocess.run(["chroot", root, "systemctl", "enable", "--quiet"]
                       + units, check=True)
        kernel = sorted(glob.glob(root + "/boot/vmlinuz-*"))[-1]
        initrd = sorted(glob.glob(root + "/boot/initrd.img-*"))[-1]
        shutil.copy(kernel, self._p("vmlinuz"))
        shutil.copy(initrd, self._p("initrd"))
        subprocess.run(["mke2fs", "-q", "-t", "ext4", "-d", root, "-L",
                        "root", self._p("disk.img"), "3G"], check=True)
        shutil.rmtree(root)

    def _dhcp_up(self):
        argv = ["ip", "netns", "exec", self.ns, "dnsmasq", "-k", "-u", "root",
                "--port=0", "--interface=br0", "--bind-interfaces",
                f"--dhcp-range={DHCP_RANGE[0]},{DHCP_RANGE[1]},2m",
                f"--dhcp-leasefile={self._p('leases')}",
                "--log-dhcp", f"--log-facility={self._p('dnsmasq.log')}",
                "--dhcp-option=option:router,198.18.0.1",
                "--enable-ra",
                f"--dhcp-range={DHCP6_RANGE[0]},{DHCP6_RANGE[1]},slaac,64,2m"]
        self.dnsmasq = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT,
                                        preexec_fn=testbed._pdeathsig)

    def _qemu_argv(self, kroot, initrd):
        a = super()._qemu_argv(kroot, initrd)
        i = a.index("-kernel")
        a[i + 1] = self._p("vmlinuz")
        a[a.index("-initrd") + 1] = self._p("initrd")
        a[a.index("-append") + 1] = ("console=ttyS0 root=/dev/vda rw "
                                     "net.ifnames=1 systemd.show_status=0 "
                                     "panic=-1")
        # A reboot is a scenario here: QEMU resets, hot-plugged VF and all.
        a.remove("-no-reboot")
        return a + ["-drive", f"file={self._p('disk.img')},format=raw,"
                    "if=virtio,cache=unsafe"]

    def _start(self):
        import tempfile
        t0 = time.monotonic()
        self.dir = tempfile.mkdtemp(prefix=self.name + "-",
                                    dir="/var/lib/vfbond-tests"
                                    if os.path.isdir("/var/lib/vfbond-tests")
                                    else None)
        self._image()
        self._net_up()
        self._dhcp_up()
        argv = self._qemu_argv(("", ""), "")
        qlog = open(self._p("qemu.log"), "wb")
        t1 = time.monotonic()
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns] + argv, stdin=subprocess.DEVNULL,
            stdout=qlog, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=testbed._pdeathsig)
        qlog.close()
        deadline = t1 + self.boot_timeout
        self.qmp_ = Qmp(self._p("qmp.sock"), deadline, self.alive)
        self.chan = self._connect(self._p("ctl.sock"), deadline)
        self._wait_ready(deadline)
        self.boot_time = time.monotonic() - t1
        log(f"{self.name}: {self.manager} guest's agent up in "
            f"{self.boot_time:.1f}s (image {t1 - t0:.1f}s), dir {self.dir}")

    def _close(self):
        if self.dnsmasq and self.dnsmasq.poll() is None:
            self.dnsmasq.kill()
            self.dnsmasq.wait()
        super()._close()

    def wait_booted(self, timeout=300):
        """Until systemd says the boot is over (running or degraded)."""
        out = self.wait_guest("s=$(systemctl is-system-running); echo $s; "
                              "[ $s = running ] || [ $s = degraded ]",
                              timeout=timeout, interval=1)
        return out.strip()

    def reboot(self, timeout=400):
        """systemctl reboot, and back when the agent is up again."""
        t0 = time.monotonic()
        self.guest_ok("systemd-run --quiet --on-active=1 systemctl reboot")
        with self._chan_lock:
            self._wait_ready(t0 + timeout)
        log(f"{self.name}: rebooted in {time.monotonic() - t0:.1f}s")

    def dnsmasq_log(self):
        return self._tail("dnsmasq.log", 1 << 24)
