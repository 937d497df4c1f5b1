#!/usr/bin/env python3
# Raw-UDP TFTP checks for regress/integration/tftp.sh, run inside the
# client namespace: every malformed request of PROTOCOLS.md, misbehaving
# peers during a transfer, strangers, the UEFI tsize probe, timeouts.
# Prints PASS/FAIL lines; the server must keep serving after each case.
# SERVER is an IPv4 or an IPv6 address; STEP runs only that part.
#
#	tftp_raw.py SERVER ROOT [STEP]	(source address: $TFTP_SRC)

import os
import socket
import struct
import sys
import time

SERVER = sys.argv[1]
ROOT = sys.argv[2]
ADDR = (SERVER, 69)
FAMILY = socket.AF_INET6 if ":" in SERVER else socket.AF_INET
ANY = "::" if FAMILY == socket.AF_INET6 else "0.0.0.0"


def ok(name, cond, why=""):
    print(("PASS: " if cond else "FAIL: ") + name + ("" if cond else ": " + why))
    sys.stdout.flush()


def sock(timeout=2.0):
    s = socket.socket(FAMILY, socket.SOCK_DGRAM)
    s.bind((os.environ.get("TFTP_SRC", ANY), 0))
    s.settimeout(timeout)
    return s


def rrq(name, mode=b"octet", opts=()):
    if isinstance(name, str):
        name = name.encode()
    p = struct.pack("!H", 1) + name + b"\0" + mode + b"\0"
    for k, v in opts:
        p += k + b"\0" + v + b"\0"
    return p


def recv(s):
    try:
        return s.recvfrom(70000)
    except socket.timeout:
        return None, None


def op(p):
    return struct.unpack("!H", p[:2])[0] if p and len(p) >= 2 else None


def parse_oack(p):
    f = p[2:].split(b"\0")[:-1]
    return dict(zip(f[0::2], f[1::2]))


def download(s, first, frm, blksize=512, expect=1):
    """Lockstep from an already received first packet; returns bytes."""
    data = b""
    p = first
    if op(p) == 6:
        s.sendto(struct.pack("!HH", 4, 0), frm)
        p, _ = recv(s)
    while p is not None and op(p) == 3:
        blk = struct.unpack("!H", p[2:4])[0]
        if blk == expect & 0xFFFF:
            data += p[4:]
            expect += 1
        s.sendto(struct.pack("!HH", 4, blk), frm)
        if len(p) - 4 < blksize:
            return data
        p, _ = recv(s)
    return None


def fetch(name, opts=(), blksize=512):
    s = sock()
    s.sendto(rrq(name, opts=opts), ADDR)
    p, frm = recv(s)
    if p is None or op(p) not in (3, 6):
        return None
    return download(s, p, frm, blksize)


def abort(s, frm):
    """End a transfer the test leaves unfinished."""
    if frm is not None:
        s.sendto(b"\0\x05\0\0test done\0", frm)


def content(name):
    with open(os.path.join(ROOT, name), "rb") as f:
        return f.read()


F1024 = content("f1024")


def serving(name):
    ok(name + ": still serving", fetch("f1024") == F1024)


def expect_error(name, pkt, code):
    s = sock()
    s.sendto(pkt, ADDR)
    p, _ = recv(s)
    got = struct.unpack("!H", p[2:4])[0] if op(p) == 5 else None
    ok(name + ": ERROR %d" % code, got == code, "got %r" % (p[:40] if p else p))
    serving(name)


def malformed():
    big = b"x" * 600
    cases = [
        ("empty datagram", b"", 4),
        ("3 bytes", b"\0\x01a", 4),
        ("opcode 0", b"\0\0f1024\0octet\0", 4),
        ("unknown opcode 9", b"\0\x09f1024\0octet\0", 4),
        ("name without NUL", b"\0\x01f1024", 4),
        ("mode without NUL", b"\0\x01f1024\0octet", 4),
        ("empty name", rrq(b""), 2),
        ("name of 300 bytes", rrq(b"a" * 300), 2),
        ("request over 512 bytes", rrq(big), 4),
        ("unknown mode", rrq("f1024", b"bogus"), 4),
        ("mail mode", rrq("f1024", b"mail"), 4),
        ("DATA to port 69", b"\0\x03\0\x01abc", 5),
        ("ACK to port 69", b"\0\x04\0\x01", 5),
        ("OACK to port 69", b"\0\x06blksize\0512\0", 5),
        ("WRQ", b"\0\x02f1024\0octet\0", 2),
        ("traversal ../", rrq("../etc/passwd"), 2),
        ("traversal /../", rrq("/../etc/passwd"), 2),
        ("traversal a/../../", rrq("boot/../../etc/passwd"), 2),
        ("traversal backslash", rrq("boot\\..\\..\\etc\\passwd"), 2),
        ("control character", rrq("f10\x0124"), 2),
        ("DEL character", rrq("f1024\x7f"), 2),
        ("missing file", rrq("nosuchfile"), 1),
        ("a directory", rrq("boot"), 2),
        ("a FIFO", rrq("fifo"), 2),
        # Chrooted, a symlink resolves inside the root: nothing there.
        ("absolute symlink to /etc/passwd", rrq("escape-abs"), 1),
        ("relative symlink climbing out", rrq("escape-rel"), 1),
        ("pxelinux hex prefix", rrq("pxelinux.cfg/0A4D000"), 1),
        ("unknown MAC", rrq("pxelinux.cfg/01-52-54-00-00-00-99"), 1),
    ]
    for name, pkt, code in cases:
        expect_error(name, pkt, code)
    s = sock(1.0)
    s.sendto(b"\0\x05\0\0oops\0", ADDR)
    p, _ = recv(s)
    ok("ERROR to port 69 gets no answer", p is None)
    serving("ERROR to port 69")


def first_packet(opts, name="f1024"):
    s = sock()
    s.sendto(rrq(name, opts=opts), ADDR)
    p, frm = recv(s)
    return s, p, frm


def options():
    s, p, frm = first_packet([])
    ok("no options: DATA 1 of 512", op(p) == 3 and len(p) == 516)
    abort(s, frm)
    # An option name at the end without its value: ignored.
    s = sock()
    s.sendto(rrq("f1024") + b"blksize\0", ADDR)
    p, frm = recv(s)
    ok("option without value is ignored", op(p) == 3 and len(p) == 516)
    abort(s, frm)
    for label, opts, want in [
        ("non-numeric blksize dropped", [(b"blksize", b"abc")], None),
        ("blksize 4 dropped", [(b"blksize", b"4")], None),
        ("negative blksize dropped", [(b"blksize", b"-1")], None),
        ("blksize over the MTU clamped", [(b"blksize", b"100000")],
         {b"blksize": b"1468"}),
        ("blksize 8192 clamped to the MTU", [(b"blksize", b"8192")],
         {b"blksize": b"1468"}),
        ("duplicate blksize: first wins",
         [(b"blksize", b"600"), (b"blksize", b"700")], {b"blksize": b"600"}),
        ("uppercase names answered lowercase",
         [(b"BLKSIZE", b"1000"), (b"TSize", b"0")],
         {b"blksize": b"1000", b"tsize": b"1024"}),
        ("timeout 0 dropped", [(b"timeout", b"0")], None),
        ("timeout 256 dropped", [(b"timeout", b"256")], None),
        ("timeout 3 echoed", [(b"timeout", b"3")], {b"timeout": b"3"}),
        ("windowsize 0 dropped", [(b"windowsize", b"0")], None),
        ("windowsize 1000 capped", [(b"windowsize", b"1000")],
         {b"windowsize": b"64"}),
        ("unknown option ignored", [(b"foo", b"1")], None),
        ("huge number dropped", [(b"blksize", b"9" * 40)], None),
    ]:
        s, p, frm = first_packet(opts)
        if want is None:
            ok(label, op(p) == 3 and len(p) == 516, "got %r" % (p[:30] if p else p))
            abort(s, frm)
        else:
            ok(label, op(p) == 6 and parse_oack(p) == want,
               "got %r" % (p[:60] if p else p))
            if op(p) == 6:
                s.sendto(b"\0\x05\0\x08bye\0", frm)
    serving("options")


def peers():
    f100k = content("f100k")
    # ACK of a future block, short packets, an ACK storm: no harm.
    s, p, frm = first_packet([], "f100k")
    s.sendto(struct.pack("!HH", 4, 7), frm)
    s.sendto(b"\0", frm)
    for _ in range(50):
        s.sendto(struct.pack("!HH", 4, 1), frm)
    s.settimeout(0.5)
    n2 = 0
    while True:
        q, _ = recv(s)
        if q is None:
            break
        if op(q) == 3 and q[2:4] == b"\0\x02":
            n2 += 1
    ok("ACK storm answered once (no Sorcerer's Apprentice)", n2 == 1, "DATA 2 x%d" % n2)
    s.settimeout(2.0)
    # A stranger gets ERROR 5, the transfer goes on.
    t = sock()
    t.sendto(struct.pack("!HH", 4, 2), frm)
    q, qfrom = recv(t)
    ok("stranger gets ERROR 5", op(q) == 5 and q[2:4] == b"\0\x05")
    ok("... from the transfer's own port", qfrom == frm,
       "%r, not %r" % (qfrom, frm))
    s.sendto(struct.pack("!HH", 4, 2), frm)
    q, _ = recv(s)
    ok("transfer goes on after a stranger", op(q) == 3 and q[2:4] == b"\0\x03")
    data = download(s, q, frm, 512, 3)
    ok("transfer with a stranger is byte-exact", data == f100k[1024:])
    # An ERROR without NUL ends the transfer; the server is fine.
    s, p, frm = first_packet([], "f100k")
    s.sendto(b"\0\x05\0\x00no nul", frm)
    s.settimeout(1.5)
    q, _ = recv(s)
    ok("ERROR without NUL ends the transfer", q is None)
    serving("ERROR without NUL")
    # A DATA from the client is an illegal operation.
    s, p, frm = first_packet([], "f100k")
    s.sendto(b"\0\x03\0\x01zz", frm)
    q, _ = recv(s)
    ok("DATA from the client gets ERROR 4", op(q) == 5 and q[2:4] == b"\0\x04")
    # The same RRQ twice from one port: one transfer.
    s = sock(1.0)
    s.sendto(rrq("f100k"), ADDR)
    s.sendto(rrq("f100k"), ADDR)
    tids = set()
    while True:
        q, frm = recv(s)
        if q is None:
            break
        tids.add(frm)
    for t in tids:
        abort(s, t)
    ok("repeated RRQ from one port: one transfer", len(tids) == 1, str(tids))
    serving("repeated RRQ")


def probe():
    f100k = content("f100k")
    s = sock()
    s.sendto(rrq("f100k", opts=[(b"tsize", b"0"), (b"blksize", b"1468")]), ADDR)
    p, frm = recv(s)
    ok("tsize probe: OACK with tsize and blksize",
       op(p) == 6 and parse_oack(p) == {b"tsize": b"100000", b"blksize": b"1468"},
       repr(p))
    s.sendto(b"\0\x05\0\x08tsize only\0", frm)
    s.settimeout(1.5)
    q, _ = recv(s)
    ok("tsize probe: nothing more after ERROR 8", q is None)
    s.settimeout(2.0)
    s.sendto(rrq("f100k", opts=[(b"blksize", b"1468")]), ADDR)
    p, frm = recv(s)
    ok("tsize probe: second RRQ gets OACK blksize only",
       op(p) == 6 and parse_oack(p) == {b"blksize": b"1468"}, repr(p))
    ok("tsize probe: then byte-exact", download(s, p, frm, 1468) == f100k)
    # Under load the real RRQ can overtake the ERROR 8 on the way in.
    p3k = content("probe3k")
    s = sock()
    s.sendto(rrq("probe3k", opts=[(b"tsize", b"0"), (b"blksize", b"1468")]), ADDR)
    p, probe_tid = recv(s)
    s.sendto(rrq("probe3k", opts=[(b"blksize", b"1468")]), ADDR)
    p, frm = recv(s)
    s.sendto(b"\0\x05\0\x08tsize only\0", probe_tid)
    ok("overtaken probe: the real RRQ gets OACK blksize only",
       op(p) == 6 and parse_oack(p) == {b"blksize": b"1468"}, repr(p))
    ok("overtaken probe: then byte-exact", download(s, p, frm, 1468) == p3k)


def generated_tsize(name):
    s = sock()
    s.sendto(rrq(name, opts=[(b"tsize", b"0")]), ADDR)
    p, frm = recv(s)
    if op(p) != 6:
        ok("tsize of generated " + name, False, repr(p))
        return
    size = int(parse_oack(p)[b"tsize"])
    data = download(s, p, frm)
    ok("tsize of generated " + name + " is exact",
       data is not None and len(data) == size, "%s vs %d" % (size, len(data or b"")))


def timers():
    # No ACK: DATA 1 again after about 1 s, then after about 2 s more.
    s, p, frm = first_packet([], "f1024")
    t0 = time.monotonic()
    s.settimeout(5)
    q1, _ = recv(s)
    t1 = time.monotonic()
    q2, _ = recv(s)
    t2 = time.monotonic()
    ok("retransmission on timeout", q1 == p and q2 == p)
    ok("retransmission backs off",
       0.7 < t1 - t0 < 1.6 and 1.6 < t2 - t1 < 3.0,
       "%.2f %.2f" % (t1 - t0, t2 - t1))
    s.sendto(b"\0\x05\0\0done\0", frm)
    # The final ACK never comes: the server gives up quietly.
    s, p, frm = first_packet([], "f1024")
    s.sendto(struct.pack("!HH", 4, 1), frm)
    q, _ = recv(s)
    s.sendto(struct.pack("!HH", 4, 2), frm)
    q, _ = recv(s)
    ok("file of 2 blocks ends with an empty DATA 3",
       op(q) == 3 and q[2:4] == b"\0\x03" and len(q) == 4)


def names():
    for name in ["/f1024", "boot\\f1024", "\\boot\\f1024", "./boot//f1024",
                 "inside-link"]:
        ok("name %r maps into the root" % name, fetch(name) == F1024)


def netascii():
    raw = content("text.txt")
    want = raw.replace(b"\r", b"\r\0").replace(b"\n", b"\r\n")
    s = sock()
    s.sendto(rrq("text.txt", b"netascii"), ADDR)
    p, frm = recv(s)
    ok("netascii: LF as CR LF, CR as CR NUL", download(s, p, frm) == want)
    s = sock()
    s.sendto(rrq("text.txt", b"NetASCII", [(b"tsize", b"0")]), ADDR)
    p, frm = recv(s)
    ok("netascii: no tsize answered (size unknown ahead)", op(p) == 3)
    abort(s, frm)


def hold():
    """A transfer that stalls after 4 blocks, for pxectl show transfers."""
    s = sock()
    s.sendto(rrq("f100k", opts=[(b"blksize", b"1024"), (b"windowsize", b"4")]),
             ADDR)
    p, frm = recv(s)
    s.sendto(struct.pack("!HH", 4, 0), frm)
    for _ in range(4):
        recv(s)
    s.sendto(struct.pack("!HH", 4, 4), frm)
    time.sleep(4)
    abort(s, frm)


def main():
    what = sys.argv[3] if len(sys.argv) > 3 else "all"
    if what == "hold":
        hold()
        return
    if what == "peers":
        peers()
        return
    if what == "tsize":
        for n in sys.argv[4:]:
            generated_tsize(n)
        return
    malformed()
    names()
    netascii()
    options()
    peers()
    probe()
    timers()


main()
