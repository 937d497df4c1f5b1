#!/bin/sh
# Floods, pxed started for real in namespaces of its own: 100,000
# DHCPDISCOVERs from random MACs (regress/integration/dhcpflood.c) while
# an inventory host still gets its fixed address, the RSS of the master
# and dhcpd before and after; then the TFTP transfer cap under a small
# descriptor limit; 200 slowloris connections while others download
# over HTTP.  The HTTP connection cap and one slow client are in http.sh.

. regress/lib.sh
lab_init floods curl python3 prlimit
FLOOD=$PWD/${BUILD:-build}/regress/dhcpflood
[ -x "$FLOOD" ] || { fail floods "$FLOOD is not built"; exit 1; }
NS=pxedls$$
CN=pxedlc$$
SRV=10.77.0.2
FPID=
test_cleanup() { [ -n "$FPID" ] && kill "$FPID" 2>/dev/null; }

lab_pair "$NS" $SRV/16 "$CN" 10.77.0.50/16 ||
    { fail floods-lab "cannot create namespaces"; exit 1; }

mkdir -p "$T/tftp" "$T/http"
head -c 1048576 /dev/urandom >"$T/tftp/f1m"
cp "$T/tftp/f1m" "$T/http/f1m"
chmod -R a+rX "$T/tftp" "$T/http"
inventory_node01 10.77.1.1-10.77.255.250 >"$T/pxed.yaml"

ctl() { "$PXECTL" -s "$T/sock" "$@"; }
C() { ip netns exec "$CN" "$@"; }
start_pxed() {	# start_pxed [prlimit options]
	rm -f "$T/sock"
	ip netns exec "$NS" prlimit "$@" "$PXED" -d -f "$T/pxed.yaml" \
	    -s "$T/sock" 2>>"$T/log" &
	MPID=$!
	wait_for 10 ctl show stats && wait_for 10 worker_pid $MPID dhcpd &&
	    wait_for 10 worker_pid $MPID tftpd &&
	    wait_for 5 listens u 67 && wait_for 5 listens u 69
}
fixed() {	# node01 gets 10.77.0.11 within TRIES one-second tries
	for _i in $(seq "$1"); do
		C python3 regress/integration/dhcp/client.py peer0 \
		    --mac 52:54:00:00:00:01 --timeout 1 >"$T/offer.json"
		grep -q '"yiaddr": "10.77.0.11"' "$T/offer.json" && return 0
	done
	return 1
}
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }	# kB
stat_of() { ctl show stats | awk -v w="$1" -v n="$2" '$1 == w && $3 == n { print $4 }'; }

if ! start_pxed; then
	fail "pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
pass "pxed starts"
DPID=$(worker_pid $MPID dhcpd)
check "node01 gets its fixed address before the flood" fixed 3
m0=$(rss $MPID) d0=$(rss $DPID)

# 20,000 a second: the flood lasts long enough to ask during it.
C "$FLOOD" peer0 100000 60 20000 >"$T/flood.out" 2>&1 &
FPID=$!
sleep 1
check "node01 gets its fixed address during the flood" fixed 10
frunning=$(kill -0 $FPID 2>/dev/null && echo yes || echo no)
wait $FPID
frc=$?
FPID=
check "the flood sent 100000 DISCOVERs in time: $(cat "$T/flood.out")" test "$frc" -eq 0
check "the flood was still running when node01 was answered" test "$frunning" = yes
sleep 1
m1=$(rss $MPID) d1=$(rss $DPID)
echo "# RSS kB: master $m0 -> $m1, dhcpd $d0 -> $d1"
disc=$(stat_of dhcpd discover)
check "dhcpd saw the flood (discover counter $disc)" test "${disc:-0}" -ge 90000
check "node01 gets its fixed address after the flood" fixed 3
check "dhcpd survived the flood" test "$(worker_pid $MPID dhcpd)" = "$DPID"
check "no worker died" sh -c "! grep -q 'exited' '$T/log'"
# An ASan build carries shadow memory and a quarantine of freed blocks:
# its bounds are four times the plain ones (seen: 18 MB and 31 MB).
lim=1
case ${BUILD:-build} in *asan*) lim=4 ;; esac
check "master RSS after the flood under $((16 * lim)) MB ($m1 kB)" test "$m1" -lt $((16384 * lim))
check "dhcpd RSS after the flood under $((32 * lim)) MB ($d1 kB)" test "$d1" -lt $((32768 * lim))
# A reload with the flood's offers in the table, far more than at start:
# dhcpd sorts it again, never with qsort(3), whose first large sort asks
# the kernel (sysinfo) and so was killed by dhcpd's seccomp filter.
check "reload after the flood" ctl reload
sleep 1
check "dhcpd survived sorting its grown table on reload" test "$(worker_pid $MPID dhcpd)" = "$DPID"
check "... and took the new configuration ($(stat_of dhcpd reconfigurations))" test "$(stat_of dhcpd reconfigurations)" = 2
# Slowloris: 200 connections dribble a head that never ends, a byte
# every half second; others download meanwhile, and each slow one gets
# 408 and is closed once its head timeout (10 s) has passed.  The slow
# ones come from 200 addresses (10.77.200.0/24 is local to the client
# namespace), as one address holds at most 64 connections.
ip -n "$CN" route add local 10.77.200.0/24 dev lo
cat >"$T/loris.py" <<'PY'
import socket, sys, time
conns = []
for i in range(200):
    s = socket.create_connection((sys.argv[1], 8080), timeout=5,
                                 source_address=("10.77.200.%d" % (i + 1), 0))
    s.setblocking(False)
    s.sendall(b"GET /f1m HTTP/1.1\r\nHost: x\r\n")
    conns.append(s)
open(sys.argv[2], "w").write("up\n")
closed, got408, t0 = set(), 0, time.time()
while len(closed) < len(conns) and time.time() - t0 < 20:
    for i, s in enumerate(conns):
        if i in closed:
            continue
        try:
            d = s.recv(4096)
            if d.startswith(b"HTTP/1.1 408"):
                got408 += 1
            closed.add(i)
            continue
        except BlockingIOError:
            pass
        except OSError:
            closed.add(i)
            continue
        try:
            s.send(b"X")
        except OSError:
            pass
    time.sleep(0.5)
dt = time.time() - t0
print(got408, len(closed), round(dt, 1))
sys.exit(0 if got408 == 200 and 9 < dt < 16 else 1)
PY
C python3 "$T/loris.py" $SRV "$T/loris.up" >"$T/loris.out" 2>&1 &
LPID=$!
wait_for 10 test -s "$T/loris.up"
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	C curl -s --max-time 2 -o "$T/h.out" "http://$SRV:8080/f1m" &&
	    cmp -s "$T/h.out" "$T/http/f1m" && ok=$((ok + 1))
done
check "slowloris: 10 downloads byte-exact while 200 slow heads are held ($ok)" test "$ok" -eq 10
if wait $LPID; then pass "slowloris: every slow connection gets 408 and is closed ($(cat "$T/loris.out"))"
else fail "slowloris: every slow connection gets 408 and is closed" "$(cat "$T/loris.out")"; fi
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=

# The TFTP transfer cap: 80 descriptors leave room for (80 - 64) / 2 = 8
# transfers; the ninth and later get an ERROR, those held are served,
# and once they end a new transfer is served byte-exact.
if ! start_pxed --nofile=80:80; then
	fail "pxed starts with 80 descriptors" "$(tail -5 "$T/log")"
	exit 1
fi
check "tftpd reports max_transfers 8" test "$(stat_of tftpd max_transfers)" = 8
cat >"$T/cap.py" <<'PY'
import socket, struct, sys
socks, first = [], []
for i in range(12):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(b"\0\1f1m\0octet\0", (sys.argv[1], 69))
    socks.append(s)
for s in socks:
    try:
        p, peer = s.recvfrom(1024)
    except socket.timeout:
        p, peer = b"", None
    first.append((p, peer))
data = sum(p[:4] == b"\0\3\0\1" for p, _ in first)
busy = sum(p[:4] == b"\0\5\0\0" and b"too many transfers" in p
           for p, _ in first)
# end the held transfers: an ERROR to each transfer's port
for s, (p, peer) in zip(socks, first):
    if p[:2] == b"\0\3":
        s.sendto(b"\0\5\0\0client gone\0", peer)
print(data, busy)
sys.exit(0 if (data, busy) == (8, 4) else 1)
PY
check "8 transfers held, 4 refused with 'too many transfers'" C python3 "$T/cap.py" $SRV
check "tftpd counts the refusals (busy)" test "$(stat_of tftpd busy)" -ge 4
check "after the cap a new transfer is served byte-exact" wait_for 10 sh -c \
    "ip netns exec $CN curl -s --max-time 5 -o '$T/f1m.out' tftp://$SRV/f1m && cmp -s '$T/f1m.out' '$T/tftp/f1m'"

kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
exit 0
