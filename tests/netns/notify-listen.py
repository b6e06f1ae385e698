#!/usr/bin/env python3
"""A stand-in for systemd's notification socket (sd_notify(3)).

Usage: notify-listen.py SOCKET OUT

Binds a Unix datagram socket at SOCKET and appends one line per message
to OUT: the CLOCK_MONOTONIC time in ms, then the message's assignments
joined by spaces. Runs until killed.
"""
import os
import socket
import sys
import time


def main():
    path, out = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(path):
        os.unlink(path)
    sock.bind(path)
    while True:
        data = sock.recv(4096).decode(errors="replace")
        fields = " ".join(line for line in data.split("\n") if line)
        with open(out, "a") as f:
            f.write(f"{int(1000 * time.monotonic())} {fields}\n")


if __name__ == "__main__":
    main()
