#!/usr/bin/python3
# Full DORA exchanges from MACs 02:00:00:PP:xx:xx, one after the other,
# for regress/integration/faults.sh: appends "IP MAC" to OUT for every
# ACK, ignores a missing answer (the server may be down), stops after
# COUNT exchanges or SECONDS.
#
#	dora.py IFACE PREFIX COUNT SECONDS OUT

import os
import socket
import struct
import sys
import time

IFACE, PREFIX, COUNT, SECS, OUT = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]


def packet(mac, xid, typ, extra=b""):
    return (struct.pack("!BBBBIHH", 1, 1, 6, 0, xid, 0, 0x8000) +
            b"\0" * 16 + mac + b"\0" * 10 + b"\0" * 192 +
            b"\x63\x82\x53\x63" + bytes([53, 1, typ]) + extra + b"\xff")


def ask(s, pkt, xid, want):
    s.sendto(pkt, ("255.255.255.255", 67))
    end = time.time() + 0.5
    while time.time() < end:
        try:
            p = s.recv(2048)
        except socket.timeout:
            return None
        if len(p) >= 243 and p[0] == 2 and p[4:8] == struct.pack("!I", xid) \
                and p[240:242] == b"\x35\x01" and p[242] == want:
            return p
    return None


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, IFACE.encode())
    s.bind(("0.0.0.0", 68))
    s.settimeout(0.5)
    out = open(OUT, "a")
    end = time.time() + SECS
    for i in range(COUNT):
        if time.time() > end:
            break
        mac = bytes([2, 0, 0, PREFIX, i >> 8, i & 255])
        xid = struct.unpack("!I", os.urandom(4))[0]
        o = ask(s, packet(mac, xid, 1), xid, 2)
        if o is None:
            continue
        ip, sid = o[16:20], None
        j = 240
        while j + 1 < len(o) and o[j] != 255:
            if o[j] == 0:
                j += 1
                continue
            if o[j] == 54:
                sid = o[j + 2:j + 6]
            j += 2 + o[j + 1]
        if sid is None:
            continue
        a = ask(s, packet(mac, xid, 3, bytes([50, 4]) + ip +
                          bytes([54, 4]) + sid), xid, 5)
        if a is not None and a[16:20] == ip:
            out.write("%s %s\n" % (socket.inet_ntoa(ip),
                                   ":".join("%02x" % b for b in mac)))
            out.flush()


main()
