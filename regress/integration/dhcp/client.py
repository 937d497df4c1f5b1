#!/usr/bin/python3
# A scripted DHCP/PXE client for the integration tests: builds one
# request (or one of the malformed datagrams of PROTOCOLS.md), sends it,
# and prints the first reply as JSON ({} when none came in time).
# Plain sockets, run inside the test's client namespace.

import argparse
import json
import os
import random
import socket
import struct
import sys
import time

COOKIE = b"\x63\x82\x53\x63"
TYPES = {"discover": 1, "request": 3, "decline": 4, "release": 7,
         "inform": 8}


def opt(code, data):
    return bytes([code, len(data)]) + data


def header(a, mac, flags=0x8000):
    ciaddr = socket.inet_aton(a.ciaddr or "0.0.0.0")
    giaddr = socket.inet_aton(a.giaddr or "0.0.0.0")
    return (struct.pack("!BBBBIHH", 1, 1, 6, 1 if a.giaddr else 0,
                        a.xid, 0, flags) + ciaddr + b"\0" * 8 + giaddr +
            mac + b"\0" * 10 + b"\0" * 64 + b"\0" * 128 + COOKIE)


def options(a):
    o = opt(53, bytes([TYPES[a.type]]))
    if a.vc:
        o += opt(60, a.vc.encode())
    if a.arch is not None:
        o += opt(93, struct.pack("!H", a.arch))
        o += opt(94, b"\x01\x02\x01")
    if a.uuid:
        o += opt(97, b"\0" + bytes(range(16)))
    if a.uuid97 is not None:
        o += opt(97, bytes.fromhex(a.uuid97.replace("-", "")))
    if a.ipxe == "raw":
        o += opt(77, b"iPXE")
    elif a.ipxe == "3004":
        o += opt(77, b"\x04iPXE")
    elif a.ipxe == "175":
        o += opt(175, b"\x13\x01\x01")
    if a.reqip:
        o += opt(50, socket.inet_aton(a.reqip))
    if a.sid:
        o += opt(54, socket.inet_aton(a.sid))
    if a.hostname:
        o += opt(12, a.hostname.encode("latin-1"))
    o += opt(55, bytes([1, 3, 6, 12, 15, 28, 43, 51, 54, 58, 59, 60, 66,
                        67, 97]))
    if a.opt82:
        o += opt(82, b"\x01\x04port\x02\x06relay1")
    return o


def malformed(a, mac):
    """Each case breaks one rule of the parser; all must be dropped."""
    h = bytearray(header(a, mac))
    base = opt(53, b"\x01")
    c = a.bad
    if c == "short":
        return bytes(h[:200])
    if c == "truncated":
        return bytes(h) + base + b"\0" * 1600
    if c == "op2":
        h[0] = 2
    elif c == "hlen17":
        h[2] = 17
    elif c == "cookie":
        h[236] = 0
    elif c == "code-at-last-byte":
        return bytes(h) + base + b"\x0c"
    elif c == "overrun":
        return bytes(h) + base + b"\x0c\x20abc"
    elif c.startswith("zero-len-"):
        code = int(c[9:])
        return bytes(h) + (base if code != 53 else b"") + bytes([code, 0])
    elif c == "odd93":
        return bytes(h) + base + opt(93, b"\0\0\0")
    elif c == "overload-in-file":
        h[108:112] = b"\x34\x01\x03\xff"
        return bytes(h) + base + opt(52, b"\x01") + b"\xff"
    elif c == "overload-repeated":
        return bytes(h) + base + opt(52, b"\x01") + opt(52, b"\x02")
    elif c == "sname-without-nul":
        h[44:108] = b"A" * 64
    elif c == "file-without-nul":
        h[108:236] = b"B" * 128
    elif c == "huge55":
        return bytes(h) + base + opt(55, bytes(range(1, 256))) + \
            opt(55, bytes(range(1, 100))) + b"\xff"
    elif c == "relay-overrun":
        return bytes(h) + base + opt(82, b"\x01\x10abc") + b"\xff"
    elif c == "bcast-chaddr":
        h[28:34] = b"\xff" * 6
    elif c == "zero-chaddr":
        h[28:34] = b"\0" * 6
    else:
        sys.exit("unknown case " + c)
    return bytes(h) + base + b"\xff"


def parse(p):
    r = {"op": p[0], "yiaddr": socket.inet_ntoa(p[16:20]),
         "ciaddr": socket.inet_ntoa(p[12:16]),
         "siaddr": socket.inet_ntoa(p[20:24]),
         "giaddr": socket.inet_ntoa(p[24:28]),
         "flags": struct.unpack("!H", p[10:12])[0],
         "xid": struct.unpack("!I", p[4:8])[0],
         "chaddr": p[28:34].hex(":"),
         "file": p[108:236].split(b"\0")[0].decode("latin-1"),
         "opts": {}, "order": []}
    i = 240
    while i < len(p) and p[i] != 255:
        if p[i] == 0:
            i += 1
            continue
        code, ln = p[i], p[i + 1]
        r["opts"][str(code)] = p[i + 2:i + 2 + ln].hex()
        r["order"].append(code)
        i += 2 + ln
    r["type"] = int(r["opts"].get("53", "00"), 16)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("--mac", default="02:00:00:00:00:01")
    ap.add_argument("--type", default="discover", choices=TYPES)
    ap.add_argument("--vc")
    ap.add_argument("--arch", type=int)
    ap.add_argument("--uuid", action="store_true")
    ap.add_argument("--uuid97", help="option 97's bytes in hex, as sent")
    ap.add_argument("--ipxe", choices=["raw", "3004", "175"])
    ap.add_argument("--reqip")
    ap.add_argument("--sid")
    ap.add_argument("--ciaddr")
    ap.add_argument("--giaddr")
    ap.add_argument("--hostname")
    ap.add_argument("--opt82", action="store_true")
    ap.add_argument("--to", default="255.255.255.255:67")
    ap.add_argument("--src", default="0.0.0.0:68")
    ap.add_argument("--bad")
    ap.add_argument("--proxy", action="store_true",
                    help="wait for a ProxyDHCP reply (yiaddr 0)")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=0,
                    help="send one request at a time, count the answers")
    ap.add_argument("--random-macs", action="store_true")
    ap.add_argument("--timeout", type=float, default=2.0)
    a = ap.parse_args()
    a.xid = random.getrandbits(32)
    mac = bytes.fromhex(a.mac.replace(":", ""))

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    host, port = a.src.split(":")
    s.bind((host, int(port)))
    thost, tport = a.to.split(":")
    if a.repeat:
        s.settimeout(a.timeout)
        got = 0
        for n in range(a.repeat):
            a.xid = random.getrandbits(32)
            s.sendto(header(a, mac) + options(a) + b"\xff",
                     (thost, int(tport)))
            try:
                while True:
                    p = s.recv(2048)
                    if p[4:8] == struct.pack("!I", a.xid):
                        got += p[242] == 5
                        break
            except socket.timeout:
                pass
        print(json.dumps({"answered": got, "unanswered": a.repeat - got}))
        return
    for n in range(a.count):
        m = os.urandom(6) if a.random_macs else mac
        if a.random_macs:
            m = bytes([m[0] & 0xfe | 0x02]) + m[1:]
        pkt = malformed(a, m) if a.bad else header(a, m) + options(a) + \
            b"\xff"
        s.sendto(pkt, (thost, int(tport)))
    s.settimeout(a.timeout)
    end = time.time() + a.timeout
    while time.time() < end:
        try:
            p, src = s.recvfrom(2048)
        except socket.timeout:
            break
        if len(p) >= 240 and p[0] == 2 and struct.unpack(
                "!I", p[4:8])[0] == a.xid and p[28:34] == mac and \
                (not a.proxy or p[16:20] == b"\0\0\0\0"):
            r = parse(p)
            r["from"] = "%s:%d" % src
            print(json.dumps(r))
            return
    print("{}")


main()
