#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-linkmsg: the RTM_NEWLINK messages of a
real link dump, one file each (run as root in a namespace with a bond or
bridge, veth and tap to cover the attributes), plus truncations."""
import os
import socket
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus-linkmsg"
os.makedirs(out, exist_ok=True)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
# RTM_GETLINK (18), NLM_F_REQUEST|NLM_F_DUMP, then an ifinfomsg.
s.send(struct.pack("=IHHII", 32, 18, 0x301, 1, 0) + bytes(16))
n = 0
while True:
    buf = s.recv(65536)
    off, done = 0, False
    while off + 16 <= len(buf):
        length, kind = struct.unpack_from("=IH", buf, off)
        if kind == 3:  # NLMSG_DONE
            done = True
            break
        msg = buf[off:off + length]
        for cut in (len(msg), len(msg) // 2, 20):
            with open(os.path.join(out, f"link{n}-{cut}"), "wb") as f:
                f.write(msg[:cut])
        n += 1
        off += (length + 3) & ~3
    if done:
        break
print(f"{n} messages")
