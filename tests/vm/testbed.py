#!/usr/bin/env python3
"""Real-kernel test bed for vfbond: a QEMU (TCG) guest running Debian's stock
kernel, with NIC pairs (virtio-net "synthetic" NIC + e1000e "VF" stand-in, same
MAC), whose taps sit in a bridge inside a network namespace of ours.

Usage as a module (see the tests next to this file):

    with Testbed(pairs=1, binaries=["build/vfbond"]) as tb:
        rc, out = tb.guest("cat /proc/net/dev")
        tb.unplug_vf(0); tb.plug_vf(0)

Usage as a CLI (debugging):

    testbed.py run [--pairs N] [--transparent] [--bin PATH]... CMD...
    testbed.py shell [--pairs N] [--transparent] [--bin PATH]...
    testbed.py initramfs [--bin PATH]...     # build it, print its path
    testbed.py cleanup [--force]             # remove stale leftovers

Guest side: busybox userland; call iproute2 as /usr/sbin/ip (busybox sh runs
its own `ip` applet first).  Extra binaries land in /usr/local/bin.
Python 3 stdlib only.  Needs root.
"""

import atexit
import base64
import ctypes
import dataclasses
import gzip
import hashlib
import itertools
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get("VFBOND_VM_CACHE", "/var/cache/vfbond-vm")
PREFIX = "vfbtb-"          # namespaces, temp dirs and qemu -name all start so
HOST_IP4, GUEST_IP4, PREFIX4 = "198.18.0.1", "198.18.0.2", 24
HOST_IP6, GUEST_IP6, PREFIX6 = "fd00:18::1", "fd00:18::2", 64
MODULES = ["virtio_pci", "virtio_net", "e1000e", "failover", "net_failover",
           "tls", "bonding", "virtio_console"]
GUEST_BIN_DIR = "/usr/local/bin"


class TestbedError(Exception):
    pass


# The host commands the testbed runs, and the package that brings each
# (tests/vm/setup.sh installs them all).
HOST_TOOLS = {"qemu-system-x86_64": "qemu-system-x86", "ping": "iputils-ping",
              "iperf3": "iperf3", "ip": "iproute2", "modprobe": "kmod",
              "ldd": "libc-bin", "socat": "socat", "udevadm": "udev"}


def require(cmd):
    """The path of a host command, or a clear error naming its package."""
    path = shutil.which(cmd, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if path is None:
        pkg = HOST_TOOLS.get(cmd, cmd)
        raise TestbedError(f"{cmd} not found: install the Debian package "
                           f"{pkg} (sh tests/vm/setup.sh does)")
    return path


class GuestError(TestbedError):
    def __init__(self, cmd, rc, out):
        super().__init__(f"guest command failed (rc={rc}): {cmd}\n{out}")
        self.cmd, self.rc, self.out = cmd, rc, out


def log(msg):
    print(f"[testbed {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr,
          flush=True)


# ---------------------------------------------------------------- kernel --

_kernel_root = None


def kernel_root():
    """Run setup.sh (installs packages, fetches the kernel; cheap when done)
    once per process and return (root, version)."""
    global _kernel_root
    if _kernel_root is None:
        root = os.environ.get("VFBOND_VM_KERNEL_ROOT")
        if not root:
            out = subprocess.run(["sh", os.path.join(HERE, "setup.sh")],
                                 check=True, stdout=subprocess.PIPE, text=True)
            root = out.stdout.strip().splitlines()[-1]
        _kernel_root = (root, os.path.basename(root.rstrip("/")))
    return _kernel_root


# ------------------------------------------------------------- initramfs --

# The command agent's loop, on descriptor 3 (its port): see below.
AGENT_LOOP = r"""exec 3<>$port
mkdir -p /run/agent
echo "@@READY" >&3
while :; do
    read -r tag id tmo b64 <&3 || { sleep 1; continue; }
    [ "$tag" = "@@CMD" ] || continue
    f=/run/agent/$id
    echo "$b64" | base64 -d >$f.sh
    timeout -s KILL "$tmo" sh $f.sh </dev/null >$f.out 2>&1 3>&-
    rc=$?
    { echo "@@BEGIN $id"; base64 $f.out; echo "@@END $id $rc"; } >&3
    rm -f $f.sh $f.out
done
"""

# Guest /init.  It is PID 1 for the whole run: if it exits the kernel panics
# and (panic=-1, -no-reboot) qemu exits, which the host notices.
INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
exec </dev/console >/dev/console 2>&1
dmesg -n 1                      # keep kernel chatter off the slow serial console
hostname vfbond-guest
for m in @MODULES@; do modprobe $m || echo "init: modprobe $m failed"; done
ip link set lo up
echo "init: ready, modules: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"

# Command agent on a virtio-serial port (a second 16550 serial port was
# tried first: under TCG it stalled for good now and then once the NICs
# carried traffic).  Request, one line:
#   @@CMD <id> <timeout_s> <base64 of the shell command>
# Reply: "@@BEGIN <id>", the output (stdout+stderr) base64-encoded over
# several lines, "@@END <id> <exit status>".  '@' is not in base64's alphabet,
# so markers are unambiguous whatever the command prints.  The command gets
# stdin from /dev/null and output into a file, so background processes it
# starts never hold the channel.
for p in /sys/class/virtio-ports/*; do
    [ "$(cat $p/name)" = vfbtb.ctl ] && port=/dev/${p##*/}
done
@AGENT_LOOP@"""


def _ldd(path):
    """Host paths of the shared libraries (and loader) that `path` needs."""
    out = subprocess.run(["ldd", path], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True).stdout
    if "not a dynamic executable" in out or "statically linked" in out:
        return []
    libs = []
    for line in out.splitlines():
        if "not found" in line:
            raise TestbedError(f"ldd {path}: {line.strip()}")
        m = re.search(r"(/\S+)\s+\(0x", line)
        if m:
            libs.append(m.group(1))
    return libs


class _Cpio:
    """Minimal newc cpio writer (what the kernel unpacks as initramfs)."""

    def __init__(self):
        self.buf, self.ino, self.seen = bytearray(), 1, set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.lstrip("/")
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(name) + 1, 0]
        self.ino += 1
        hdr = b"070701" + b"".join(b"%08x" % f for f in fields)
        self.buf += hdr + name.encode() + b"\0"
        self.buf += b"\0" * (-len(self.buf) % 4) + data
        self.buf += b"\0" * (-len(self.buf) % 4)

    def dir(self, path):
        path = path.rstrip("/")
        if path in ("", "/") or path in self.seen:
            return
        self.dir(os.path.dirname(path))     # parents first: no implicit mkdir
        self.seen.add(path)
        self._entry(path, 0o40755)

    def file(self, path, data, perm=0o644):
        if path in self.seen:
            return
        self.dir(os.path.dirname(path))
        self.seen.add(path)
        self._entry(path, 0o100000 | perm, data)

    def host_file(self, path, host_path=None):
        host_path = host_path or path
        with open(host_path, "rb") as f:        # follows symlinks on purpose
            self.file(path, f.read(), os.stat(host_path).st_mode & 0o7777)

    def chardev(self, path, major, minor):
        self.dir(os.path.dirname(path))
        self._entry(path, 0o20600, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0)
        return bytes(self.buf)


def build_initramfs(binaries=(), files=None, modules=(), kroot=None):
    """Build (or reuse, keyed by content hash) the guest initramfs.

    binaries: host paths of extra programs, put in /usr/local/bin with every
      library ldd lists (libasan/libubsan included) and the loader.
    files: {host_path: guest_path} extra files (modes kept).
    modules: extra kernel module names, loaded at boot after the default ones.
    Returns the path of the .cpio.gz.
    """
    root, kver = kroot or kernel_root()
    moddir = f"{root}/lib/modules/{kver}"
    c = _Cpio()
    for d in ["/bin", "/sbin", "/usr/bin", "/usr/sbin", GUEST_BIN_DIR, "/etc",
              "/proc", "/sys", "/dev", "/run", "/tmp", "/root", "/var", "/mnt"]:
        c.dir(d)
    c.chardev("/dev/console", 5, 1)     # the kernel opens it before /init runs
    c.chardev("/dev/null", 1, 3)
    bb = shutil.which("busybox", path="/bin:/usr/bin") or "/bin/busybox"
    if _ldd(bb):
        raise TestbedError(f"{bb} is not static: install busybox-static")
    c.host_file("/bin/busybox", bb)
    mods = list(MODULES) + [m for m in modules if m not in MODULES]
    init = INIT.replace("@MODULES@", " ".join(mods))
    c.file("/init", init.replace("@AGENT_LOOP@", AGENT_LOOP).encode(), 0o755)
    # Like Debian (systemd's modprobe.d): no bond0 created at module load.
    c.file("/etc/modprobe.d/bonding.conf", b"options bonding max_bonds=0\n")
    c.file("/etc/hosts", b"127.0.0.1 localhost vfbond-guest\n")
    c.file("/etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    c.file("/etc/group", b"root:x:0:\n")

    for m in mods:
        out = subprocess.run(["modprobe", "-d", root, "-S", kver,
                              "--show-depends", m], check=True, text=True,
                             stdout=subprocess.PIPE).stdout
        for line in out.splitlines():
            if line.startswith("insmod "):
                ko = line.split()[1]
                c.host_file("/lib/modules/" + kver + ko[len(moddir):], ko)
    for name in sorted(os.listdir(moddir)):
        if name.startswith("modules."):
            c.host_file(f"/lib/modules/{kver}/{name}", f"{moddir}/{name}")

    progs = [("/usr/sbin/ip", "/usr/sbin/ip"),
             ("/usr/bin/iperf3", "/usr/bin/iperf3")]
    for b in binaries:
        if b is None:
            raise TestbedError("build_initramfs: a binary is None (not found?)")
        b = os.path.abspath(b)
        progs.append((b, f"{GUEST_BIN_DIR}/{os.path.basename(b)}"))
    for host, guest in progs:
        if not os.access(host, os.X_OK):
            raise TestbedError(f"not an executable: {host}")
        c.host_file(guest, host)
        for lib in _ldd(host):
            c.host_file(lib)
    for host, guest in (files or {}).items():
        c.host_file(guest, host)

    data = c.finish()
    digest = hashlib.sha256(data).hexdigest()[:16]
    cdir = os.path.join(CACHE, "initramfs")
    os.makedirs(cdir, exist_ok=True)
    path = os.path.join(cdir, f"{kver}-{digest}.cpio.gz")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            f.write(gzip.compress(data, 6, mtime=0))
        os.replace(tmp, path)
        # Keep the cache small: only the 8 most recently built images.
        imgs = sorted((os.path.join(cdir, n) for n in os.listdir(cdir)
                       if n.endswith(".cpio.gz")), key=os.path.getmtime)
        for old in imgs[:-8]:
            os.unlink(old)
    else:
        os.utime(path)
    return path


# ------------------------------------------------------------------ QMP ---

class Qmp:
    """Tiny QMP client: execute() returns "return", events are kept."""

    def __init__(self, path, deadline, alive):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline or not alive():
                    raise TestbedError("cannot connect to QMP")
                time.sleep(0.05)
        self.file = self.sock.makefile("rb")
        self.events, self.lock = [], threading.Lock()
        self._read()                                  # greeting
        self.execute("qmp_capabilities")

    def _read(self, timeout=30):
        self.sock.settimeout(timeout)
        line = self.file.readline()
        if not line:
            raise TestbedError("QMP connection closed")
        return json.loads(line)

    def execute(self, cmd, **args):
        with self.lock:
            msg = {"execute": cmd}
            if args:
                msg["arguments"] = args
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
            while True:
                r = self._read()
                if "event" in r:
                    self.events.append(r)
                elif "error" in r:
                    raise TestbedError(f"QMP {cmd} {args}: {r['error']}")
                elif "return" in r:
                    return r["return"]

    def wait_event(self, name, timeout=30, **data):
        """Wait for (and consume) an event whose data contains `data`."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for e in self.events:
                    if e["event"] == name and all(
                            e.get("data", {}).get(k) == v
                            for k, v in data.items()):
                        self.events.remove(e)
                        return e
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TestbedError(f"no QMP event {name} {data}")
                try:
                    self.events.append(self._read(left))
                except socket.timeout:
                    pass

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ------------------------------------------------------------ host jobs ---

class HostJob:
    """A background process in the test namespace; wait()/stop() parse it."""

    def __init__(self, argv, parse, out_path, owner=None):
        self.argv, self.parse, self.out_path = argv, parse, out_path
        self.out = open(out_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        _live_jobs.add(self)
        if owner is not None:
            owner._jobs.add(self)
        self.result = None

    def wait(self, timeout=None):
        """Wait for the natural end; return the parsed result."""
        self.proc.wait(timeout)
        return self._finish()

    def stop(self, sig=signal.SIGINT, timeout=10):
        """End it now (ping prints its summary on SIGINT); parsed result."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self._finish()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        _live_jobs.discard(self)

    def _finish(self):
        if self.result is None:
            self.out.close()
            _live_jobs.discard(self)
            with open(self.out_path, "rb") as f:
                text = f.read().decode(errors="replace")
            self.result = self.parse(text, self.proc.returncode)
        return self.result


def parse_ping(text, rc):
    """iputils ping summary → dict(transmitted, received, lost, ...)."""
    m = re.search(r"(\d+) packets transmitted, (\d+) received"
                  r"(?:, \+(\d+) duplicates)?(?:, \+(\d+) errors)?", text)
    if not m:
        raise TestbedError(f"no ping summary (rc={rc}):\n{text[-2000:]}")
    tx, rx = int(m.group(1)), int(m.group(2))
    r = {"transmitted": tx, "received": rx, "lost": tx - rx,
         "duplicates": int(m.group(3) or 0), "errors": int(m.group(4) or 0),
         "rc": rc}
    # Per-packet output (-D -O): packets sent after the last reply were
    # most likely still in flight when the flood was stopped.
    seqs = [int(x) for x in re.findall(r"bytes from .*icmp_seq=(\d+)", text)]
    if seqs:
        r["in_flight"] = min(r["lost"], max(0, tx - max(seqs)))
    m = re.search(r"= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms", text)
    if m:
        r.update(zip(("rtt_min", "rtt_avg", "rtt_max", "rtt_mdev"),
                     map(float, m.groups())))
    return r


def parse_iperf3(text, rc):
    try:
        r = json.loads(text)
    except ValueError:
        raise TestbedError(f"iperf3 output is not JSON (rc={rc}):\n{text}")
    if r.get("error"):
        raise TestbedError(f"iperf3: {r['error']}")
    return r


# -------------------------------------------------------------- testbed ---

@dataclasses.dataclass
class Pair:
    """One vNIC: virtio-net syn<i> + e1000e vf<i> sharing `mac`."""
    vf_at_boot: bool = True
    mac: str = None


_live = set()          # Testbeds to close at exit / on signal
_live_jobs = set()     # host jobs to kill at exit
_counter = itertools.count()


def _close_all():
    for j in list(_live_jobs):
        j.kill()
    for tb in list(_live):
        tb.close()


def _on_signal(signum, frame):
    # Turn SIGTERM/SIGHUP into an exception so `with`/finally blocks run;
    # atexit closes whatever is left.
    raise SystemExit(128 + signum)


atexit.register(_close_all)
if threading.current_thread() is threading.main_thread():
    for _s in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(_s) in (signal.SIG_DFL, None):
            signal.signal(_s, _on_signal)


def _pdeathsig():
    # qemu dies with us even if we are SIGKILLed (runs in the child before
    # exec; survives `ip netns exec`'s exec of qemu).  Note: tied to the
    # creating *thread*.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Testbed:
    def __init__(self, pairs=1, transparent=False, binaries=(), files=None,
                 modules=(), mem=512, smp=2, boot_timeout=120,
                 append="", verbose=True):
        """pairs: a count or a list of Pair (or dicts of Pair's fields).
        transparent: q35 + virtio failover=on + e1000e failover_pair_id
        (the guest kernel's net_failover pairs them itself).
        binaries / files / modules: see build_initramfs()."""
        if isinstance(pairs, int):
            pairs = [Pair() for _ in range(pairs)]
        self.pairs = [p if isinstance(p, Pair) else Pair(**p) for p in pairs]
        for i, p in enumerate(self.pairs):
            p.mac = p.mac or f"52:54:00:00:10:{i:02x}"
        self.transparent, self.binaries, self.files = transparent, binaries, files
        self.modules, self.mem, self.smp = modules, mem, smp
        self.boot_timeout, self.append, self.verbose = boot_timeout, append, verbose
        self.name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        self.ns = self.name                 # host-side network namespace
        self.host_ip4, self.host_ip6 = HOST_IP4, HOST_IP6
        self.guest_ip4, self.guest_ip6 = GUEST_IP4, GUEST_IP6
        self.dir = self.proc = self.qmp_ = self.chan = None
        self.boot_time = None
        self._ns_made = False
        self._ids = itertools.count(1)
        self._chan_lock = threading.Lock()
        self._rbuf = b""
        self._jobs = set()

    # -- life cycle --

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        kernel_root()                        # setup.sh installs the tools
        for cmd in ("qemu-system-x86_64", "ip", "ping", "iperf3", "modprobe", "ldd"):
            require(cmd)
        cleanup(quiet=True)                  # leftovers of dead earlier runs
        _live.add(self)
        try:
            self._start()
        except BaseException:
            if os.path.exists(self.dir or "/nonexistent"):
                log(f"qemu log:\n{self._tail('qemu.log')}\n"
                    f"console:\n{self._tail('console.log')}")
            self.close()
            raise
        return self

    def _start(self):
        kroot = kernel_root()
        t0 = time.monotonic()
        initrd = build_initramfs(self.binaries, self.files, self.modules, kroot)
        self.dir = tempfile.mkdtemp(prefix=self.name + "-")
        self._net_up()
        argv = self._qemu_argv(kroot, initrd)
        with open(os.path.join(self.dir, "cmdline"), "w") as f:
            f.write(" ".join(argv) + "\n")
        qlog = open(os.path.join(self.dir, "qemu.log"), "wb")
        t1 = time.monotonic()
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns] + argv, stdin=subprocess.DEVNULL,
            stdout=qlog, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_pdeathsig)
        qlog.close()
        deadline = t1 + self.boot_timeout
        self.qmp_ = Qmp(self._p("qmp.sock"), deadline, self.alive)
        self.chan = self._connect(self._p("ctl.sock"), deadline)
        self._wait_ready(deadline)
        self.boot_time = time.monotonic() - t1
        if self.verbose:
            log(f"{self.name}: guest up in {self.boot_time:.1f}s "
                f"(initramfs+net {t1 - t0:.1f}s), dir {self.dir}")
        for i, p in enumerate(self.pairs):
            if p.vf_at_boot:      # transparent: QEMU plugs it after the guest
                self.wait_guest(  # driver acks STANDBY, so wait for both
                    self._has_if_cmd(p.mac, "e1000e"), timeout=60)

    def close(self):
        """Kill host jobs and qemu, delete the namespace (with its taps and
        bridge), remove the temp dir.  Idempotent."""
        # A second Ctrl-C / SIGTERM must not cut the cleanup short: hold
        # them until it is done (they are delivered afterwards).
        old = signal.pthread_sigmask(signal.SIG_BLOCK,
                                     {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        try:
            self._close()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def _close(self):
        for j in list(self._jobs):
            j.kill()
        for what in (self.qmp_, self.chan):
            try:
                what and what.close()
            except OSError:
                pass
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
        if self.proc:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if self._ns_made:
            subprocess.run(["ip", "netns", "del", self.ns],
                           stderr=subprocess.DEVNULL)
            self._ns_made = False
        if self.dir and os.environ.get("VFBOND_VM_KEEP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)
        _live.discard(self)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _p(self, name):
        return os.path.join(self.dir, name)

    def _tail(self, name, n=4000):
        try:
            with open(self._p(name), "rb") as f:
                return f.read()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def console_log(self):
        """The guest's serial console (ttyS0) so far."""
        return self._tail("console.log", 1 << 20)

    # -- host network --

    def host(self, *argv, check=True, timeout=60):
        """Run argv in the test namespace; returns CompletedProcess (text)."""
        return subprocess.run(["ip", "netns", "exec", self.ns] + list(argv),
                              check=check, timeout=timeout, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def _net_up(self):
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self._ns_made = True
        cmds = ["link set lo up",
                "link add br0 type bridge",
                f"addr add {HOST_IP4}/{PREFIX4} dev br0",
                f"addr add {HOST_IP6}/{PREFIX6} dev br0 nodad",
                "link set br0 up"]
        for i in range(len(self.pairs)):
            for tap in (f"syn{i}", f"vf{i}"):
                cmds += [f"tuntap add dev {tap} mode tap",
                         f"link set {tap} master br0",
                         f"link set {tap} up"]
        r = subprocess.run(["ip", "-n", self.ns, "-batch", "-"], text=True,
                           input="\n".join(cmds) + "\n",
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode:
            raise TestbedError(f"namespace setup failed:\n{r.stdout}")

    def _qemu_argv(self, kroot, initrd):
        root, kver = kroot
        a = ["qemu-system-x86_64", "-name", self.name,
             "-accel", "tcg,thread=multi", "-cpu", "max",
             "-smp", str(self.smp), "-m", str(self.mem),
             "-nographic", "-no-reboot", "-monitor", "none",
             "-kernel", f"{root}/boot/vmlinuz-{kver}", "-initrd", initrd,
             "-append", f"console=ttyS0 quiet panic=-1 {self.append}".strip(),
             "-serial", f"file:{self._p('console.log')}",
             "-device", "virtio-serial-pci,id=vser",
             "-chardev", f"socket,id=ctl,path={self._p('ctl.sock')},"
                         "server=on,wait=off",
             "-device", "virtserialport,bus=vser.0,chardev=ctl,name=vfbtb.ctl",
             "-qmp", f"unix:{self._p('qmp.sock')},server=on,wait=off"]
        if self.transparent:
            a += ["-machine", "q35"]
        for i, p in enumerate(self.pairs):
            a += ["-netdev", f"tap,id=nsyn{i},ifname=syn{i},script=no,downscript=no",
                  "-netdev", f"tap,id=nvf{i},ifname=vf{i},script=no,downscript=no"]
            syn = f"virtio-net-pci,netdev=nsyn{i},mac={p.mac},id=syn{i},romfile="
            if self.transparent:
                a += ["-device", f"pcie-root-port,id=rp{i},chassis={i + 1}"]
                syn += ",failover=on"
            a += ["-device", syn]
            if p.vf_at_boot:
                # JSON form: a key=value -device of a failover primary, kept
                # hidden until the guest driver acks STANDBY, leaves its id
                # behind in QEMU 7.2, so device_add id=vf<i> would fail
                # later with "Duplicate ID".
                a += ["-device", json.dumps(self._vf_props(i))]
        return a

    def _vf_props(self, i):
        p = {"driver": "e1000e", "netdev": f"nvf{i}", "mac": self.pairs[i].mac,
             "id": f"vf{i}", "romfile": ""}
        if self.transparent:
            p.update(bus=f"rp{i}", failover_pair_id=f"syn{i}")
        return p

    # -- command channel --

    def _connect(self, path, deadline):
        while True:
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(path)
                return s
            except OSError:
                s.close()
                if time.monotonic() > deadline or not self.alive():
                    raise TestbedError("cannot connect to the guest channel")
                time.sleep(0.05)

    def _readline(self, deadline):
        while b"\n" not in self._rbuf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout()
            self.chan.settimeout(min(left, 1.0))
            try:
                chunk = self.chan.recv(65536)
            except socket.timeout:
                if not self.alive():
                    raise TestbedError("qemu exited:\n" + self._tail("console.log"))
                continue
            if not chunk:
                raise TestbedError("guest channel closed")
            self._rbuf += chunk
        line, self._rbuf = self._rbuf.split(b"\n", 1)
        return line.strip().decode(errors="replace")

    def _wait_ready(self, deadline):
        try:
            while self._readline(deadline) != "@@READY":
                pass
        except socket.timeout:
            raise TestbedError(f"guest not ready after {self.boot_timeout}s; "
                               f"console:\n{self._tail('console.log')}")

    def guest(self, cmd, timeout=30, check=False):
        """Run `cmd` with sh in the guest; return (rc, stdout+stderr).
        rc 137 = killed by the guest-side timeout."""
        with self._chan_lock:
            cid = next(self._ids)
            b64 = base64.b64encode(cmd.encode()).decode()
            tmo = max(1, math.ceil(timeout))
            self.chan.sendall(f"@@CMD {cid} {tmo} {b64}\n".encode())
            deadline = time.monotonic() + timeout + 15
            body, inside = [], False
            try:
                while True:
                    line = self._readline(deadline)
                    if line == f"@@BEGIN {cid}":
                        body, inside = [], True
                    elif inside and line.startswith(f"@@END {cid} "):
                        rc = int(line.split()[2])
                        break
                    elif inside:
                        body.append(line)
                    # anything else: stale replies of timed-out commands
            except socket.timeout:
                raise TestbedError(f"no answer from the guest in {timeout}s "
                                   f"to: {cmd}")
        out = base64.b64decode("".join(body)).decode(errors="replace")
        if check and rc != 0:
            raise GuestError(cmd, rc, out)
        return rc, out

    def guest_ok(self, cmd, timeout=30):
        """Like guest(), but raise GuestError on non-zero status; → output."""
        return self.guest(cmd, timeout, check=True)[1]

    def guest_write(self, path, data, mode=0o644):
        """Write bytes/str to a guest file."""
        if isinstance(data, str):
            data = data.encode()
        b64 = base64.b64encode(data).decode()
        self.guest_ok(f"echo {b64} | base64 -d > {path} && chmod {mode:o} {path}")

    def wait_guest(self, cmd, timeout=30, interval=0.1):
        """Poll until `cmd` succeeds in the guest; return its output."""
        deadline = time.monotonic() + timeout
        while True:
            rc, out = self.guest(cmd, timeout=max(5, timeout))
            if rc == 0:
                return out
            if time.monotonic() > deadline:
                raise TestbedError(f"timed out ({timeout}s) waiting for: {cmd}"
                                   f"\nlast output: {out}")
            time.sleep(interval)

    # -- guest interfaces --

    @staticmethod
    def _find_if_cmd(mac, driver):
        # Names of interfaces with this MAC whose device is bound to `driver`,
        # leaving out upper devices (net_failover's master has the virtio
        # device as parent too, but has lower_* links).
        return ("for d in /sys/class/net/*/; do d=${d%/}; "
                f"[ \"$(cat $d/address)\" = {mac.lower()} ] && "
                f"[ \"$(basename \"$(readlink $d/device/driver)\")\" = {driver} ]"
                " && [ -z \"$(ls -d $d/lower_* 2>/dev/null)\" ]"
                " && echo ${d##*/}; done; true")

    def _has_if_cmd(self, mac, driver):
        return f"[ -n \"$({self._find_if_cmd(mac, driver)})\" ]"

    def guest_ifname(self, mac, driver):
        """Guest interface name of the NIC with `mac` (or pair index) driven
        by `driver` ("virtio_net" or "e1000e"); None if absent."""
        if isinstance(mac, int):
            mac = self.pairs[mac].mac
        out = self.guest_ok(self._find_if_cmd(mac, driver)).split()
        return out[0] if out else None

    def master_of(self, ifname):
        """Name of the guest interface's master (bond, failover), or None."""
        out = self.guest_ok(f"readlink /sys/class/net/{ifname}/master; true")
        return os.path.basename(out.strip()) or None

    def syn_ifname(self, i):
        """Guest name of pair i's synthetic (virtio_net) NIC."""
        return self.guest_ifname(i, "virtio_net")

    def vf_ifname(self, i):
        """Guest name of pair i's VF (e1000e) NIC, None when unplugged."""
        return self.guest_ifname(i, "e1000e")

    # -- hotplug --

    def qmp(self, cmd, **args):
        """Raw QMP command; returns its "return"."""
        return self.qmp_.execute(cmd, **args)

    def unplug_vf(self, i, timeout=60):
        """Hot-unplug pair i's VF; return once QEMU reported DEVICE_DELETED
        and the guest has no e1000e interface with that MAC any more.
        Returns seconds taken."""
        t0 = time.monotonic()
        self.qmp("device_del", id=f"vf{i}")
        self.qmp_.wait_event("DEVICE_DELETED", timeout, device=f"vf{i}")
        self.wait_guest(f"! {self._has_if_cmd(self.pairs[i].mac, 'e1000e')}",
                        timeout, interval=0.02)
        return time.monotonic() - t0

    def plug_vf(self, i, timeout=60):
        """Hot-plug pair i's VF back (same netdev, MAC); return its guest
        interface name once the guest has it."""
        self.qmp("device_add", **self._vf_props(i))
        self.wait_guest(self._has_if_cmd(self.pairs[i].mac, "e1000e"),
                        timeout, interval=0.02)
        return self.vf_ifname(i)

    # -- traffic from the host namespace --

    def ping_flood(self, dst=GUEST_IP4, duration_s=None, interval=0.001,
                   log_path=None, size=None, extra=()):
        """Start iputils ping in the namespace; → HostJob whose wait()/stop()
        give {transmitted, received, lost, duplicates, errors, rtt_*}.
        duration_s: send duration_s/interval packets, then wait up to 1 s
          for the last replies (use .wait()); None: run until .stop()
          (replies in flight at stop count as lost, and as in_flight).
        log_path: keep per-packet output there (ping -D -O: timestamped
          replies and "no answer yet for icmp_seq=N") instead of -q."""
        argv = ["ip", "netns", "exec", self.ns, "ping", "-n", "-i", str(interval),
                "-W", "1"]
        # Stopped floods log each packet, to tell in-flight ones apart.
        argv += ["-D", "-O"] if log_path or duration_s is None else ["-q"]
        if duration_s is not None:
            argv += ["-c", str(max(1, round(duration_s / interval)))]
        if size is not None:
            argv += ["-s", str(size)]
        argv += list(extra) + [dst]
        out = log_path or self._p(f"ping-{next(self._ids)}.out")
        return HostJob(argv, parse_ping, out, self)

    def iperf3_server(self):
        """Start `iperf3 -s -D` in the guest (idempotent)."""
        self.guest_ok("pidof iperf3 >/dev/null || iperf3 -s -D")
        time.sleep(0.2)

    def iperf3(self, dst=GUEST_IP4, duration_s=5, args=(), background=False):
        """iperf3 client in the namespace against the guest server (started
        if needed); → parsed -J dict, or a HostJob if background."""
        self.iperf3_server()
        argv = ["ip", "netns", "exec", self.ns, "iperf3", "-c", dst, "-J",
                "-t", str(duration_s)] + list(args)
        job = HostJob(argv, parse_iperf3,
                      self._p(f"iperf3-{next(self._ids)}.json"), self)
        return job if background else job.wait(duration_s + 60)


# -------------------------------------------------------------- cleanup ---

def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def cleanup(force=False, quiet=False):
    """Remove leftovers of testbed runs whose owning process is gone (all of
    them with force): qemu processes, namespaces, temp dirs."""
    def stale(name):
        m = re.match(re.escape(PREFIX) + r"(\d+)-", name)
        return m and (force or not _pid_alive(int(m.group(1))))
    done = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if not os.path.basename(argv[0]).startswith("qemu-system"):
            continue
        for a, b in zip(argv, argv[1:]):
            if a == "-name" and stale(b):
                try:
                    os.kill(int(pid), signal.SIGKILL)
                    done.append(f"killed qemu {pid} ({b})")
                except OSError:
                    pass
    if done:
        time.sleep(0.5)
    out = subprocess.run(["ip", "netns", "list"], text=True,
                         stdout=subprocess.PIPE).stdout
    for ns in (l.split()[0] for l in out.splitlines() if l.strip()):
        if stale(ns):
            subprocess.run(["ip", "netns", "del", ns])
            done.append(f"deleted namespace {ns}")
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        if stale(name):
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)
            done.append(f"removed {tmp}/{name}")
    if not quiet or done:
        for d in done:
            log(d)
        if not quiet:
            log(f"cleanup: {len(done)} leftover(s) removed")
    return done


# ---------------------------------------------------------- test runner ---

def run_test(name, fn):
    """Run fn() as one test: print PASS/FAIL, the time taken and a closing
    "name: N passed, N failed" line; return the exit status (0 = pass)."""
    t0 = time.monotonic()
    try:
        fn()
        ok, why = True, ""
    except Exception as e:
        if not isinstance(e, (AssertionError, TestbedError)):
            import traceback
            traceback.print_exc()
        ok, why = False, f"{type(e).__name__}: {e}"
    dt = time.monotonic() - t0
    print(f"{'PASS' if ok else 'FAIL'} {name} ({dt:.1f}s){' - ' + why if why else ''}")
    print(f"{name}: {int(ok)} passed, {int(not ok)} failed", flush=True)
    return 0 if ok else 1


# ------------------------------------------------------------------ CLI ---

def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "shell", "initramfs"):
        p = sub.add_parser(name)
        p.add_argument("--bin", action="append", default=[],
                       help="extra host binary for /usr/local/bin")
        if name != "initramfs":
            p.add_argument("--pairs", type=int, default=1)
            p.add_argument("--transparent", action="store_true")
            p.add_argument("--no-vf", action="store_true",
                           help="VFs not plugged at boot")
        if name == "run":
            p.add_argument("command", nargs="+", help="guest shell commands")
    p = sub.add_parser("cleanup")
    p.add_argument("--force", action="store_true",
                   help="also leftovers of runs whose owner is still alive")
    a = ap.parse_args(argv)

    if a.cmd == "cleanup":
        cleanup(force=a.force)
        return 0
    if a.cmd == "initramfs":
        print(build_initramfs(a.bin))
        return 0
    pairs = [Pair(vf_at_boot=not a.no_vf) for _ in range(a.pairs)]
    with Testbed(pairs, transparent=a.transparent, binaries=a.bin) as tb:
        if a.cmd == "run":
            rc = 0
            for c in a.command:
                rc, out = tb.guest(c, timeout=120)
                sys.stdout.write(out)
                if rc:
                    print(f"[rc={rc}]")
            return rc
        print(f"guest shell ({tb.ns}; host side: ip netns exec {tb.ns} ...)."
              " Extra commands: :unplug I, :plug I, :quit")
        while True:
            try:
                line = input("guest# ")
            except EOFError:
                return 0
            try:
                if line.startswith(":unplug"):
                    print(f"{tb.unplug_vf(int(line.split()[1])):.2f}s")
                elif line.startswith(":plug"):
                    print(tb.plug_vf(int(line.split()[1])))
                elif line.startswith(":q"):
                    return 0
                elif line.strip():
                    rc, out = tb.guest(line, timeout=300)
                    sys.stdout.write(out + ("" if rc == 0 else f"[rc={rc}]\n"))
            except (TestbedError, ValueError, IndexError) as e:
                print(f"error: {e}")


if __name__ == "__main__":
    sys.exit(main())
