#!/usr/bin/env python3
"""Writes the seed corpora of fuzz-addrmsg, fuzz-routemsg and fuzz-nlerr
from a real kernel: the RTM_NEWADDR and RTM_NEWROUTE messages of dumps
(one file each, plus truncations), and whole reply datagrams to requests
that succeed, fail, fail with an extended ack (capped or not) and dump.
Run as root in a fresh namespace; it sets up the links it dumps:
  unshare -n python3 fuzz/mkcorpus-rtmsg.py fuzz
"""
import os
import socket
import struct
import subprocess
import sys

top = sys.argv[1] if len(sys.argv) > 1 else "fuzz"
SETUP = """
link set lo up
link add eth0 type veth peer name eth1
link set eth1 up
link set eth0 up
addr add 198.18.0.2/24 brd + dev eth0 label eth0:web
addr add 198.18.1.2 peer 198.18.1.1/32 dev eth0
addr add 2001:db8::2/64 dev eth0 valid_lft 3000 preferred_lft 2000
addr add 2001:db8:1::2/64 dev eth0 nodad noprefixroute metric 50
route add default via 198.18.0.1 dev eth0 metric 100 mtu 1400
route add 203.0.113.0/24 dev eth0 proto static scope link
route add 2001:db8:5::/48 via 2001:db8::1 dev eth0 pref high expires 600
route add 198.51.100.0/24 nexthop via 198.18.0.1 dev eth0 \
    nexthop via 198.18.0.3 dev eth0
route add 192.0.2.0/24 encap mpls 100 via 198.18.0.1 dev eth0
route add table 100 default via 198.18.0.1 dev eth0 onlink
"""
for line in SETUP.strip().replace("\\\n", "").splitlines():
    subprocess.run(["ip"] + line.split(), check=False)

NETLINK_CAP_ACK, NETLINK_EXT_ACK = 10, 11
SOL_NETLINK = 270
seq = 0


def sock(cap):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                      socket.NETLINK_ROUTE)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1 if cap else 0)
    return s


def request(s, kind, flags, body):
    global seq
    seq += 1
    s.send(struct.pack("=IHHII", 16 + len(body), kind, flags, seq, 0) + body)


def write(sub, name, data):
    os.makedirs(os.path.join(top, sub), exist_ok=True)
    with open(os.path.join(top, sub, name), "wb") as f:
        f.write(data)


def dump(kind, family, sub, prefix, want):
    s = sock(False)
    hdr = bytes([family]) + bytes(11 if kind == 26 else 7)
    request(s, kind, 0x301, hdr)
    n, first = 0, True
    while True:
        buf = s.recv(65536)
        if first:
            write("corpus-nlerr", f"dump-{prefix}", buf)
            first = False
        off, done = 0, False
        while off + 16 <= len(buf):
            length, t = struct.unpack_from("=IH", buf, off)
            if t == 3:
                done = True
                break
            msg = buf[off:off + length]
            if t == want:
                for cut in (len(msg), len(msg) // 2, 20):
                    write(sub, f"{prefix}{n}-{cut}", msg[:cut])
                n += 1
            off += (length + 3) & ~3
        if done:
            break
    return n


print(dump(22, socket.AF_INET, "corpus-addrmsg", "addr4-", 20), "v4 addrs")
print(dump(22, socket.AF_INET6, "corpus-addrmsg", "addr6-", 20), "v6 addrs")
print(dump(26, socket.AF_INET, "corpus-routemsg", "route4-", 24), "v4 routes")
print(dump(26, socket.AF_INET6, "corpus-routemsg", "route6-", 24), "v6 routes")


def reply(name, cap, kind, flags, body):
    s = sock(cap)
    request(s, kind, flags | 0x5, body)  # REQUEST|ACK
    write("corpus-nlerr", name, s.recv(65536))


ifindex = socket.if_nametoindex("eth0")
ifa = struct.pack("=BBBBI", socket.AF_INET, 24, 0, 0, ifindex)
addr = struct.pack("=HH", 8, 2) + socket.inet_aton("198.18.7.7")
ifi = struct.pack("=BxHiII", 0, 0, ifindex, 0, 0)
# An ack; EEXIST; ENODEV; an extended ack, uncapped and capped.
reply("ack", False, 20, 0x400, ifa + addr)
reply("eexist", False, 20, 0x600, ifa + addr)
reply("enodev", True, 20, 0x400, ifa[:4] + struct.pack("=I", 9999) + addr)
kind = struct.pack("=HH", 9, 1) + b"nosuch\0" + bytes(1)
linkinfo = struct.pack("=HH", 4 + len(kind), 18) + kind
reply("extack-uncapped", False, 16, 0x600, ifi + linkinfo)
reply("extack-capped", True, 16, 0x600, ifi + linkinfo)
# An attribute the kernel names in its extended ack (a bad mtu).
mtu = struct.pack("=HHI", 8, 4, 1)
reply("extack-offs-uncapped", False, 16, 0, ifi + mtu)
reply("extack-offs-capped", True, 16, 0, ifi + mtu)
