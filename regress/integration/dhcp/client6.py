#!/usr/bin/python3
# A scripted DHCPv6 client for the integration tests: builds one message
# (SOLICIT as OVMF sends it, HTTP boot, iPXE, REQUEST, RENEW, ...), or one
# of the malformed datagrams of PROTOCOLS.md, optionally inside relay
# layers, sends it and prints the first reply as JSON ({} when none came
# in time).  Plain sockets, run inside the test's client namespace.

import argparse
import json
import os
import random
import socket
import struct
import sys
import time

TYPES = {"solicit": 1, "request": 3, "confirm": 4, "renew": 5, "rebind": 6,
         "release": 8, "decline": 9, "inforeq": 11}
NAMES = {2: "advertise", 7: "reply", 13: "relay-repl"}


def opt(code, data):
    return struct.pack("!HH", code, len(data)) + data


def duid(a):
    if a.duid:
        return bytes.fromhex(a.duid)
    mac = bytes.fromhex(a.mac.replace(":", ""))
    return struct.pack("!HHI", 1, 1, 0x2f000000) + mac   # DUID-LLT


def ia_na(a, addr=None):
    sub = b""
    if addr:
        sub = opt(5, socket.inet_pton(socket.AF_INET6, addr) +
                  struct.pack("!II", 0, 0))
    return opt(3, struct.pack("!III", a.iaid, 0, 0) + sub)


def message(a):
    o = opt(1, duid(a)) + opt(8, b"\0\0")
    if a.serverid:
        o += opt(2, bytes.fromhex(a.serverid))
    if a.type != "inforeq":
        o += ia_na(a, a.addr)
    o += opt(6, struct.pack("!HHHH", 59, 60, 23, 16))
    if a.rapid:
        o += opt(14, b"")
    if a.vc:
        cls = {"PXE": "PXEClient:Arch:%05d:UNDI:003000",
               "HTTP": "HTTPClient:Arch:%05d:UNDI:003000"}[a.vc]
        data = (cls % (a.arch or 0)).encode()
        o += opt(16, struct.pack("!IH", 343, len(data)) + data)
    if a.arch is not None:
        o += opt(61, struct.pack("!H", a.arch)) + opt(62, b"\x01\x03\x00")
    if a.ipxe:
        o += opt(15, struct.pack("!H", 4) + b"iPXE")
    return struct.pack("!B", TYPES[a.type]) + a.xid.to_bytes(3, "big") + o


def relay(msg, a, depth):
    for hop in range(depth):
        link = socket.inet_pton(socket.AF_INET6, a.link if hop == 0
                                else "::")
        peer = socket.inet_pton(socket.AF_INET6, "fe80::5054:ff:fe00:1")
        o = opt(18, b"ifid-%d" % hop)
        if hop == 0 and a.llmac:
            o += opt(79, b"\0\1" + bytes.fromhex(a.llmac.replace(":", "")))
        msg = bytes([12, hop]) + link + peer + o + opt(9, msg)
    return msg


def malformed(a):
    m = message(a)
    hdr = m[:4]
    cid = opt(1, duid(a))
    bad = {
        "short": b"\x01\x00",
        "past-end": hdr + struct.pack("!HH", 1, 200) + b"\0" * 10,
        "zero-duid": hdr + opt(1, b"") + ia_na(a),
        "long-duid": hdr + opt(1, b"\0\1" + b"x" * 200) + ia_na(a),
        "ia-in-ia": hdr + cid + opt(3, struct.pack("!III", 1, 0, 0) +
                                    ia_na(a)),
        "short-ia": hdr + cid + opt(3, b"\0\0\0\1"),
        "short-iaaddr": hdr + cid + opt(3, struct.pack("!III", 1, 0, 0) +
                                        opt(5, b"\0" * 8)),
        "deep-relay": relay(m, a, 40),
        "relay-no-msg": bytes([12, 0]) + b"\0" * 32 + opt(18, b"x"),
        "huge-oro": hdr + cid + ia_na(a) + opt(6, b"\0\x17" * 600),
        "odd-oro": hdr + cid + ia_na(a) + opt(6, b"\0\x17\0"),
        "odd-arch": hdr + cid + ia_na(a) + opt(61, b"\0\x07\0"),
        "advertise": bytes([2]) + m[1:],
        "relay-repl": bytes([13, 0]) + b"\0" * 32 + opt(9, m),
        "unknown-type": bytes([200]) + m[1:],
        "two-clientids": hdr + cid + cid + ia_na(a),
    }
    return bad[a.malformed]


def parse_opts(b):
    out = []
    i = 0
    while i + 4 <= len(b):
        code, n = struct.unpack("!HH", b[i:i + 4])
        out.append((code, b[i + 4:i + 4 + n]))
        i += 4 + n
    return out


def decode(b, out):
    t = b[0]
    if t == 13:
        hop = b[1]
        opts = parse_opts(b[34:])
        out.setdefault("relays", []).append(
            {"hop": hop, "link": socket.inet_ntop(socket.AF_INET6, b[2:18]),
             "ifid": next((v.decode() for c, v in opts if c == 18), None)})
        inner = next((v for c, v in opts if c == 9), b"")
        return decode(inner, out) if inner else out
    out["type"] = NAMES.get(t, t)
    out["xid"] = int.from_bytes(b[1:4], "big")
    out["codes"] = []
    for code, v in parse_opts(b[4:]):
        out["codes"].append(code)
        if code == 1:
            out["clientid"] = v.hex()
        elif code == 2:
            out["serverid"] = v.hex()
        elif code == 3:
            out["iaid"] = struct.unpack("!I", v[:4])[0]
            out["t1"], out["t2"] = struct.unpack("!II", v[4:12])
            for c2, v2 in parse_opts(v[12:]):
                if c2 == 5:
                    a6 = socket.inet_ntop(socket.AF_INET6, v2[:16])
                    life = struct.unpack("!I", v2[20:24])[0]
                    out.setdefault("addrs", []).append([a6, life])
                    if life or "addr" not in out:
                        out["addr"], out["valid"] = a6, life
                elif c2 == 13:
                    out["ia_status"] = struct.unpack("!H", v2[:2])[0]
        elif code == 7:
            out["pref"] = v[0]
        elif code == 13:
            out["status"] = struct.unpack("!H", v[:2])[0]
        elif code == 14:
            out["rapid"] = True
        elif code == 16:
            out["vendor"] = v[6:].decode(errors="replace")
            out["enterprise"] = struct.unpack("!I", v[:4])[0]
        elif code == 23:
            out["dns"] = [socket.inet_ntop(socket.AF_INET6, v[k:k + 16])
                          for k in range(0, len(v), 16)]
        elif code == 59:
            out["url"] = v.decode(errors="replace")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("iface")
    p.add_argument("--type", default="solicit", choices=TYPES)
    p.add_argument("--mac", default="02:00:00:00:06:01")
    p.add_argument("--duid")
    p.add_argument("--iaid", type=int, default=7)
    p.add_argument("--addr")
    p.add_argument("--serverid")
    p.add_argument("--vc", choices=["PXE", "HTTP"])
    p.add_argument("--arch", type=int)
    p.add_argument("--rapid", action="store_true")
    p.add_argument("--ipxe", action="store_true")
    p.add_argument("--relay", type=int, default=0)
    p.add_argument("--link", default="::")
    p.add_argument("--llmac")
    p.add_argument("--dst", default="ff02::1:2")
    p.add_argument("--malformed")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--burst", type=int, default=0,
                   help="send the message N times at once, count replies")
    p.add_argument("--timeout", type=float, default=2.0)
    a = p.parse_args()
    a.xid = random.randrange(1 << 24)

    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    s.bind(("::", 547 if a.relay else 546))
    idx = socket.if_nametoindex(a.iface)
    if a.count > 1:     # a flood of SOLICITs, each from its own DUID
        t_end = time.time() + 30
        for k in range(a.count):
            if time.time() > t_end:
                break
            a.duid = "0004" + os.urandom(16).hex()
            a.xid = k & 0xffffff
            s.sendto(message(a), (a.dst, 547, 0, idx))
        print("{}")
        return
    if a.burst:         # one client's burst: how many are answered
        sent = set()
        for _ in range(a.burst):
            a.xid = (a.xid + 1) & 0xffffff
            sent.add(a.xid)
            s.sendto(message(a), (a.dst, 547, 0, idx))
        n, end = 0, time.time() + a.timeout
        s.settimeout(0.2)
        while time.time() < end:
            try:
                b, _ = s.recvfrom(4096)
            except socket.timeout:
                continue
            n += decode(b, {}).get("xid") in sent
        print(json.dumps({"sent": a.burst, "answers": n}))
        return
    msg = malformed(a) if a.malformed else message(a)
    if a.relay:
        msg = relay(msg, a, a.relay)
    s.sendto(msg, (a.dst, 547, 0, idx))
    s.settimeout(a.timeout)
    end = time.time() + a.timeout
    while time.time() < end:
        try:
            b, _ = s.recvfrom(4096)
        except socket.timeout:
            break
        out = decode(b, {})
        if a.relay or out.get("xid") == a.xid:
            print(json.dumps(out))
            return
    print("{}")


if __name__ == "__main__":
    sys.exit(main())
