#!/bin/sh
# The TFTP worker, started for real as root: a server namespace (pxe0)
# and a client namespace (peer0) joined by a veth pair.  Real clients
# (curl, atftp, tftp-hpa) download byte-exact; a raw-UDP script sends
# every malformed case; generated menus are checked to the byte.

. regress/lib.sh
lab_init tftp
NS=pxedtftp$$
CNS=pxedtftpc$$
SRV=10.77.0.2

# Installing tftpd-hpa may have started its service on udp/69 of the
# root namespace; the tests use namespaces of their own, but stop it.
[ -x /etc/init.d/tftpd-hpa ] && /etc/init.d/tftpd-hpa stop >/dev/null 2>&1
R=$T/tftp
mkdir -p "$R/boot" "$T/http"
head -c 1024 /dev/urandom >"$R/f1024"
head -c 100000 /dev/urandom >"$R/f100k"
head -c 3000 /dev/urandom >"$R/probe3k"
head -c 1048576 /dev/urandom >"$R/f1m"
head -c 67108864 /dev/urandom >"$R/big64"
printf 'line one\nline two\r\nbare\rcr\n' >"$R/text.txt"
cp "$R/f1024" "$R/boot/f1024"
mkfifo "$R/fifo"
ln -s /etc/passwd "$R/escape-abs"
ln -s ../../../../../../../../etc/passwd "$R/escape-rel"
ln -s f1024 "$R/inside-link"
chmod -R a+rX "$R"

inventory() {	# inventory UNKNOWN_POLICY
	INV_TFTP=$R inventory_head pxe0 $SRV off
	cat <<YAML
boot:
  unknown: $1
profiles:
  rocky9:
    kernel: vmlinuz
    initrd: initrd.img
    append: "console=ttyS0 ip={{ip}} host={{name}} mac={{mac}}"
YAML
	inventory_nodes 52:54:00:00:00: 10.77.0.11
}
inventory local >"$T/pxed.yaml"

lab_pair "$NS" $SRV/24 "$CNS" 10.77.0.50/24 ||
    { fail tftp-lab "cannot create namespaces"; exit 1; }

pxed_start "$NS"
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
if ! wait_for 5 ctl show hosts || ! wait_for 5 worker_pid $MPID tftpd; then
	fail "pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
TPID=$(worker_pid $MPID tftpd)
wait_for 5 listens u 69
C() { ip netns exec "$CNS" "$@"; }
get() {	# get NAME OUT [curl options]: download with curl
	_n=$1 _o=$2; shift 2
	rm -f "$_o"
	C curl -s --max-time 60 "$@" -o "$_o" "tftp://$SRV/$_n"
}
same() { cmp -s "$1" "$2"; }

# A transfer with no progress is dropped after 60 s, whatever timeout
# it negotiated (255 s here); the check is at the end.
head -c 3000 /dev/urandom >"$R/stall.bin"
chmod a+r "$R/stall.bin"
C python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\0\1stall.bin\0octet\0timeout\0255\0", ("10.77.0.2", 69))
time.sleep(75)' &
STALL=$!

# curl at three block sizes; 8192 is answered with the MTU's 1468.
for b in 512 1468 8192; do
	get f1m "$T/out" --tftp-blksize $b
	check "curl blksize $b byte-exact" same "$T/out" "$R/f1m"
done
check "blksize 8192 clamped to the interface MTU" \
    grep -Eq "RRQ from 10.77.0.50 file f1m blksize 1468( tsize)?\$" "$T/log"

# atftp with windows (RFC 7440).
if command -v atftp >/dev/null; then
	for w in 1 4 16 64; do
		rm -f "$T/out"
		C timeout 60 atftp --option "windowsize $w" \
		    --option "blksize 1468" -g -r f1m -l "$T/out" $SRV \
		    >/dev/null 2>&1
		check "atftp windowsize $w byte-exact" same "$T/out" "$R/f1m"
	done
	check "windowsize logged" grep -q "file f1m blksize 1468 windowsize 64" "$T/log"
else
	skip "atftp" "atftp is not installed"
fi

# The tftp-hpa client, octet and netascii.
if command -v tftp >/dev/null; then
	rm -f "$T/out"
	C timeout 60 tftp $SRV -m binary -c get f100k "$T/out"
	check "tftp-hpa octet byte-exact" same "$T/out" "$R/f100k"
	rm -f "$T/out"
	C timeout 60 tftp $SRV -m ascii -c get text.txt "$T/out"
	check "tftp-hpa netascii round trip" same "$T/out" "$R/text.txt"
	C timeout 10 tftp $SRV -m binary -c put "$R/f1024" upload \
	    >"$T/put.out" 2>&1
	check "WRQ refused with ERROR 2" grep -q "Error code 2" "$T/put.out"
	check "nothing was written" test ! -e "$R/upload"
else
	skip "tftp-hpa" "tftp is not installed"
fi

# 64 MiB at blksize 512: 131072 blocks, the block number wraps twice.
get big64 "$T/out" --tftp-blksize 512
check "64 MiB at blksize 512 (block wrap) byte-exact" same "$T/out" "$R/big64"
rm -f "$T/out"

# 200 concurrent transfers, each byte-exact, bounded in time, from 200
# addresses (10.77.9.0/24 is local to the client namespace): one address
# runs at most 16.
ip -n "$CNS" route add local 10.77.9.0/24 dev lo
ip -n "$NS" route add 10.77.9.0/24 dev pxe0
mkdir "$T/par"
C sh -c "i=0; while [ \$i -lt 200 ]; do i=\$((i + 1)); curl -s \
    --interface 10.77.9.\$i --max-time 120 --tftp-blksize 1468 \
    -o $T/par/\$i tftp://$SRV/f1m & done; wait"
ok=0
for f in "$T"/par/*; do same "$f" "$R/f1m" && ok=$((ok + 1)); done
check "200 concurrent transfers byte-exact ($ok of 200)" test "$ok" -eq 200
rm -rf "$T/par"

# Raw UDP: malformed requests, misbehaving peers, strangers, the probe.
C python3 regress/integration/tftp_raw.py $SRV "$R"
check "the tsize probe is logged at info" grep -q "refused the options for f100k (tsize probe)" "$T/log"
check "a probe overtaken by the real RRQ is the probe" \
    grep -q "refused the options for probe3k (tsize probe)" "$T/log"
check "... and not a failed transfer" sh -c "! grep -q 'probe3k to .* failed' '$T/log'"
check "a failed transfer is logged with why, bytes, time" grep -Eq \
    'tftp: f100k to 10\.77\.0\.50:[0-9]+ failed: client error 0 "no nul", 0 bytes in [0-9]+\.[0-9]{3} s, blksize 512 windowsize 1$' "$T/log"
check "a missing final ACK is not a failure" wait_for 10 grep -Eq \
    'tftp: sent f1024 to 10\.77\.0\.50:[0-9]+: 1024 bytes in [0-9.]+ s, blksize 512 windowsize 1, final ACK missing$' "$T/log"
check "tftpd survived every case" test "$(worker_pid $MPID tftpd)" = "$TPID"

# Generated menus, to the byte.  The client namespace also holds
# node01's fixed address and a stranger's; node02 (a pool host) becomes
# known at 10.77.0.50 by the DHCPREQUEST it broadcasts to another
# server, which pxed watches in dhcp mode off.
ip -n "$CNS" addr add 10.77.0.11/24 dev peer0
ip -n "$CNS" addr add 10.77.0.60/24 dev peer0
C python3 regress/integration/dhcp/client.py peer0 --type request \
    --mac 52:54:00:00:00:02 --reqip 10.77.0.50 --sid 10.77.0.1 \
    --timeout 0.2 >/dev/null
check "off mode: a DHCPREQUEST to another server names node02's address" \
    wait_for 5 grep -q "host node02: 52:54:00:00:00:02 asked for 10.77.0.50" "$T/log"
menu() {	# menu NAME [SOURCE]: the served bytes on stdout
	get "$1" "$T/menu" ${2:+--interface "$2"} && cat "$T/menu"
}
PX1='# pxed: node01 (install)
DEFAULT install
LABEL install
KERNEL vmlinuz
APPEND initrd=initrd.img console=ttyS0 ip=10.77.0.11 host=node01 mac=52:54:00:00:00:01
IPAPPEND 2'
GR1="# pxed: node01 (install)
set timeout=0
menuentry 'install node01' {
	linux /vmlinuz console=ttyS0 ip=10.77.0.11 host=node01 mac=52:54:00:00:00:01
	initrd /initrd.img
}"
PXL='# pxed: node02 (local)
DEFAULT local
LABEL local
LOCALBOOT 0'
GRL="# pxed: node02 (local)
set timeout=0
menuentry 'local' {
	exit
}"
PXD='# pxed: unknown client
DEFAULT local
LABEL local
LOCALBOOT 0'
GRD="# pxed: unknown client
set timeout=0
menuentry 'local' {
	exit
}"
eq() {	# eq NAME FILE SOURCE EXPECTED: exact bytes, with the final newline
	printf '%s\n' "$4" >"$T/want"
	if menu "$2" "$3" >"$T/got" && cmp -s "$T/got" "$T/want"; then
		pass "$1"
	else
		fail "$1" "got: $(od -c "$T/got" | head -3)"
	fi
}
absent() {	# absent NAME FILE SOURCE: not found for that requester
	if menu "$2" "$3" >"$T/got"; then
		fail "$1" "served: $(head -c 200 "$T/got")"
	else
		pass "$1"
	fi
}
N1=10.77.0.11 N2=10.77.0.50 X=10.77.0.60
eq "pxelinux install menu by MAC" pxelinux.cfg/01-52-54-00-00-00-01 $N1 "$PX1"
eq "pxelinux install menu by hex IP at a prefix" boot/pxelinux.cfg/0A4D000B $N1 "$PX1"
eq "grub install menu by MAC" grub.cfg-01-52-54-00-00-00-01 $N1 "$GR1"
eq "grub install menu by MAC with colons (\$net_default_mac)" \
    grub/grub.cfg-01-52:54:00:00:00:01 $N1 "$GR1"
eq "grub install menu by hex IP at a prefix" /grub/grub.cfg-0A4D000B $N1 "$GR1"
eq "pxelinux local menu" pxelinux.cfg/01-52-54-00-00-00-02 $N2 "$PXL"
eq "grub local menu" EFI/boot/grub.cfg-01-52-54-00-00-00-02 $N2 "$GRL"
# The bare names: the requester's own menu (Debian's signed GRUB reads
# only $prefix/grub.cfg), the unknown menu for a stranger.
eq "grub.cfg from node01's address: its install menu" grub.cfg $N1 "$GR1"
eq "grub/grub.cfg from node01's address: its install menu" grub/grub.cfg $N1 "$GR1"
eq "grub/x86_64-efi/grub.cfg from node01's address" grub/x86_64-efi/grub.cfg $N1 "$GR1"
eq "pxelinux.cfg/default from node01's address: its install menu" \
    pxelinux.cfg/default $N1 "$PX1"
eq "grub.cfg from node02's leased address: its local menu" grub.cfg $N2 "$GRL"
eq "pxelinux default for a stranger: local boot" pxelinux.cfg/default $X "$PXD"
eq "grub.cfg for a stranger: local boot" grub.cfg $X "$GRD"
# Tokens reach only their host: another address finds no menu of node01.
absent "node01's MAC menu from node02's address: not found" \
    pxelinux.cfg/01-52-54-00-00-00-01 $N2
absent "node01's grub MAC menu from a stranger: not found" \
    grub/grub.cfg-01-52-54-00-00-00-01 $X
absent "node01's hex-IP menu from a stranger: not found" pxelinux.cfg/0A4D000B $X
absent "node01's grub hex-IP menu from node02: not found" grub.cfg-0A4D000B $N2
check "a foreign request is logged" grep -q \
    "tftp: grub/grub.cfg-01-52-54-00-00-00-01 asked from 10.77.0.60: not node01's address, not found (0 more since)" "$T/log"
check "... once a source a while: not the second one from that address" \
    sh -c "! grep -q 'tftp: pxelinux.cfg/0A4D000B asked from 10.77.0.60' '$T/log'"
check "generated RRQ logged as in SPEC" grep -Eq \
    "tftp: RRQ from 10.77.0.11 file pxelinux.cfg/01-52-54-00-00-00-01 \\(generated\\) blksize 512( tsize)?\$" "$T/log"
check "finished transfers logged with bytes and time" grep -Eq \
    "tftp: sent grub.cfg \\(generated, unknown client\\) to 10.77.0.60:[0-9]+: 65 bytes in [0-9]+\\.[0-9]{3} s, blksize 512 windowsize 1" "$T/log"
C env TFTP_SRC=$N1 python3 regress/integration/tftp_raw.py $SRV "$R" tsize \
    pxelinux.cfg/01-52-54-00-00-00-01 grub.cfg-0A4D000B grub.cfg

# One client's share: 20 held RRQs from one address get 16 transfers
# and 4 errors; another address still downloads byte-exact meanwhile.
cat >"$T/share.py" <<'EOF'
import os, socket, sys, time
srv, flag = ("10.77.0.2", 69), sys.argv[1]
held, data, err = [], 0, 0
for i in range(20):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.77.0.60", 0))
    s.settimeout(3)
    s.sendto(b"\0\1f100k\0octet\0", srv)
    p, frm = s.recvfrom(600)
    if p[:2] == b"\0\3":
        data += 1
        held.append((s, frm))
    elif p[:2] == b"\0\5" and b"from this address" in p:
        err += 1
print(data, err, flush=True)
t0 = time.time()
while not os.path.exists(flag) and time.time() - t0 < 30:
    time.sleep(0.1)
for s, frm in held:
    s.sendto(b"\0\5\0\0done\0", frm)
sys.exit(0 if (data, err) == (16, 4) else 1)
EOF
C python3 "$T/share.py" "$T/share.flag" >"$T/share.out" 2>&1 &
SHARE=$!
wait_for 10 test -s "$T/share.out"
get f1m "$T/out" --interface 10.77.0.50 --tftp-blksize 1468
check "a second address downloads while the first holds its share" same "$T/out" "$R/f1m"
touch "$T/share.flag"
if wait "$SHARE"; then pass "20 RRQs from one address: 16 transfers, 4 refused"
else fail "20 RRQs from one address: 16 transfers, 4 refused" "$(cat "$T/share.out")"; fi
check "refusals for the share are counted" sh -c "'$PXECTL' -s '$T/sock' show stats | grep -Eq '^tftpd +[0-9]+ +busy_client +4\$'"
check "the refusal is logged" grep -q "RRQ from 10.77.0.60 file f100k refused: too many transfers from this address" "$T/log"

# pxectl show transfers: a stalled transfer, in the table and in JSON.
C python3 regress/integration/tftp_raw.py $SRV "$R" hold &
HOLD=$!
sleep 1.5
ctl show transfers >"$T/xfers" 2>&1
ctl -j show transfers >"$T/xfers.json" 2>&1
check "show transfers lists the transfer" grep -Eq \
    '^tftpd +10\.77\.0\.50:[0-9]+ +f100k +4096 +100000 +1024 +4 +[0-9]+\.[0-9]s$' "$T/xfers"
check "show transfers has its header" grep -Eq \
    '^PROC +PEER +FILE +BYTES +SIZE +BLKSIZE +WINDOW +AGE$' "$T/xfers"
check "show transfers -j is JSON" python3 -c "import json,sys; t=json.load(open(sys.argv[1])); assert any(x[\"file\"]==\"f100k\" and x[\"bytes\"]==4096 and x[\"windowsize\"]==4 for x in t)" "$T/xfers.json"
wait $HOLD

# State changes apply at once.
ctl host node01 local >/dev/null
eq "host node01 local: the menu flips at once" pxelinux.cfg/01-52-54-00-00-00-01 $N1 \
    "$(printf '%s' "$PXL" | sed 's/node02/node01/')"
ctl host node01 install >/dev/null
eq "host node01 install: and back" pxelinux.cfg/01-52-54-00-00-00-01 $N1 "$PX1"
ctl host node02 install >/dev/null
eq "a pool host's menu has the client's address" pxelinux.cfg/01-52-54-00-00-00-02 $N2 \
    "$(printf '%s' "$PX1" | sed 's/node01/node02/g; s/10.77.0.11/10.77.0.50/; s/00:01$/00:02/')"

# unknown: menu, through a reload: every profile.
inventory menu >"$T/pxed.yaml"
kill -HUP $MPID
PXM='# pxed: unknown client
PROMPT 1
TIMEOUT 300
DEFAULT local
LABEL local
LOCALBOOT 0
LABEL rocky9
KERNEL vmlinuz
APPEND initrd=initrd.img console=ttyS0 ip= host= mac=
IPAPPEND 2'
wait_for 5 sh -c "grep -q 'configuration reloaded\|reloaded' '$T/log'"
sleep 0.5
eq "unknown: menu lists every profile" pxelinux.cfg/default $X "$PXM"
eq "bindings outlive a reload" pxelinux.cfg/default $N2 \
    "$(printf '%s' "$PX1" | sed 's/node01/node02/g; s/10.77.0.11/10.77.0.50/; s/00:01$/00:02/')"

# A real file wins over a generated name.
mkdir -p "$R/pxelinux.cfg"
echo "DEFAULT real" >"$R/pxelinux.cfg/default"
chmod -R a+rX "$R/pxelinux.cfg"
eq "a real file wins" pxelinux.cfg/default $N1 "DEFAULT real"

check "a stalled transfer with timeout 255 is dropped after 60 s" wait_for 70 \
    grep -Eq 'tftp: stall.bin to 10\.77\.0\.50:[0-9]+ failed: timed out, 0 bytes in 6[0-2]\.[0-9]{3} s' "$T/log"
kill "$STALL" 2>/dev/null
active0() { ctl show stats | grep -Eq '^tftpd +[0-9]+ +active +0$'; }
check "no transfer left active" wait_for 10 active0
ctl show stats >"$T/stats" 2>&1
check "counters: transfers_done" grep -Eq '^tftpd +[0-9]+ +transfers_done +[1-9]' "$T/stats"
check "counters: tsize_probes" grep -Eq '^tftpd +[0-9]+ +tsize_probes +[1-9]' "$T/stats"
check "tftpd never restarted" test "$(worker_pid $MPID tftpd)" = "$TPID"
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
exit 0
