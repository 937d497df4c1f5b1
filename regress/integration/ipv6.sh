#!/bin/sh
# TFTP and HTTP over IPv6, for real: pxed in one namespace, first with
# an IPv4-only inventory (no IPv6 socket at all), then reloaded with a
# dual-stack one (dhcp6, node01 at a fixed ip6): the IPv4 sockets are
# kept, not bound again.  From the client namespace, over IPv6: curl -g
# downloads with options and ranges, raw TFTP (strangers, ERROR
# packets), caps per address, GRUB's menus by IPv6 address, the
# kickstart in IPv6 from the host's address only, /done, pxectl show
# transfers, and a pool host known by its IPv6 lease, which stays its
# own after the firmware's RELEASE.

. regress/lib.sh
lab_init ipv6 curl python3
NS=pxed6t$$
CNS=pxed6tc$$
SRV=10.78.0.2 SRV6=fd00:78::2
N1=fd00:78::11 X=fd00:78::60
U=http://[$SRV6]:8080
UR='http://\[fd00:78::2\]:8080'	# $U as a regular expression
printf 'max-time = 20\n' >"$T/.curlrc"
export CURL_HOME="$T"

R=$T/tftp H=$T/http
mkdir -p "$R" "$H" "$T/templates"
head -c 1024 /dev/urandom >"$R/f1024"
head -c 100000 /dev/urandom >"$R/f100k"
head -c 1048576 /dev/urandom >"$R/f1m"
head -c 300000 /dev/urandom >"$H/big.bin"
printf 'kernel\n' >"$H/vmlinuz"
chmod -R a+rX "$R" "$H"
cat >"$T/templates/ks.cfg" <<'EOF'
server={{server}} http={{http}} ip6={{ip6}}
ks={{kickstart}}
done={{done}}
EOF

inventory() {	# inventory 4|6: IPv4 only, or dual stack
	INV_TFTP=$R INV_HTTP=$H inventory_head pxe0 $SRV off
	[ "$1" = 4 ] || cat <<YAML
dhcp6:
  mode: full
  lease: 1h
  subnets:
    - network: fd00:78::/64
      range: fd00:78::1000-fd00:78::10ff
YAML
	printf 'boot:\n  uefi: BOOTX64.EFI\n'
	inventory_rocky9
	inventory_nodes 52:54:00:00:00: 10.78.0.11 |
	    awk -v v="$1" -v ip6="    ip6: $N1" \
	    '{ print } v == 6 && /^    ip: / { print ip6 }'
}
inventory 4 >"$T/pxed.yaml"

lab_pair "$NS" $SRV/24 "$CNS" 10.78.0.50/24 ||
    { fail ipv6-lab "cannot create namespaces"; exit 1; }
for k in all default peer0; do
	ip netns exec "$CNS" sysctl -qw net.ipv6.conf.$k.accept_dad=0
done
ip -n "$CNS" addr add 10.78.0.11/24 dev peer0
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
C() { ip netns exec "$CNS" "$@"; }
# ino t|u 4|6 PORT: the inode of the listening socket
ino() {
	nsexec ss -H -"$1"ln"$2"e "sport = :$3" 2>/dev/null |
	    sed -n 's/.* ino:\([0-9]*\) .*/\1/p'
}
same_ino() { [ -n "$4" ] && [ "$(ino "$1" "$2" "$3")" = "$4" ]; }
# holds6 t|u PORT PID: PID holds the IPv6 listening socket
holds6() { nsexec ss -H -6 -lnp"$1" "sport = :$2" | grep -q "pid=$3,"; }
listens6() { nsexec ss -H -6 -ln"$1" "sport = :$2" | grep -q .; }
# tget SOURCE NAME [OPTION...]: a TFTP download over IPv6, on stdout
tget() {
	_s=$1 _n=$2
	shift 2
	C curl -gs --interface "$_s" "$@" "tftp://[$SRV6]/$_n"
}
notfound() { ! tget "$@" >/dev/null; }
code() { C curl -gs -o /dev/null -w '%{http_code}' "$@"; }
raw() {	# raw SOURCE STEP [NAME...]: tftp_raw.py over IPv6
	_s=$1
	shift
	C env TFTP_SRC="$_s" python3 regress/integration/tftp_raw.py \
	    $SRV6 "$R" "$@"
}
cli6() { C python3 regress/integration/dhcp/client6.py peer0 \
    --mac 52:54:00:00:00:02 "$@"; }
field() {	# field KEY: of the JSON on stdin
	python3 -c 'import json, sys
print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"
}

pxed_start "$NS"
if ! wait_for 5 ctl show hosts || ! wait_for 5 listens u 69; then
	fail "ipv6: pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
check "an IPv4-only inventory: no IPv6 socket" sh -c \
    "! ip netns exec $NS ss -H -6 -lnptu | grep -q pxed"
t4=$(ino u 4 69) h4=$(ino t 4 8080)

# The dual-stack inventory, through a reload: the server has an IPv6
# address now, so TFTP and HTTP listen on IPv6 too.
ip -n "$NS" addr add $SRV6/64 dev pxe0 nodad
ip -n "$CNS" addr add $N1/64 dev peer0 nodad
ip -n "$CNS" addr add $X/64 dev peer0 nodad
inventory 6 >"$T/pxed.yaml"
ctl reload >/dev/null
both6() { listens6 u 69 && listens6 t 8080; }
check "the reload opens udp6/69 and tcp6/8080" wait_for 5 both6
wait_for 5 worker_pid $MPID tftpd
TPID=$(worker_pid $MPID tftpd) HPID=$(worker_pid $MPID httpd)
check "tftpd holds udp6/69" holds6 u 69 "$TPID"
check "httpd holds tcp6/8080" holds6 t 8080 "$HPID"
same4() { same_ino u 4 69 "$t4" && same_ino t 4 8080 "$h4"; }
check "the IPv4 sockets are the same, not bound again" same4
t6=$(ino u 6 69) h6=$(ino t 6 8080)

# Files over IPv6: TFTP with blksize (over the MTU: 1500 - 52) and tsize,
# HTTP whole and by range.
tget $N1 f1m --tftp-blksize 1468 >"$T/out"
check "TFTP over IPv6: 1 MiB byte-exact" cmp "$T/out" "$R/f1m"
check "TFTP over IPv6: blksize clamped to the MTU less IPv6's headers" \
    grep -Eq "tftp: RRQ from $N1 file f1m blksize 1448( tsize)?\$" "$T/log"
check "TFTP over IPv6: the transfer logged with its peer" grep -Eq \
    "tftp: sent f1m to \\[$N1\\]:[0-9]+: 1048576 bytes in [0-9.]+ s" \
    "$T/log"
if command -v atftp >/dev/null; then
	rm -f "$T/out"
	C timeout 30 atftp --option "windowsize 16" --option "blksize 1400" \
	    -g -r f1m -l "$T/out" $SRV6 >/dev/null 2>&1
	check "TFTP over IPv6: atftp windowsize 16 byte-exact" \
	    cmp "$T/out" "$R/f1m"
fi
raw $N1 tsize f100k
raw $X peers
C curl -gs --interface $N1 -o "$T/out" "$U/big.bin"
check "HTTP over IPv6: the file" cmp "$T/out" "$H/big.bin"
C curl -gs --interface $N1 -r 1000-1999 -D "$T/h" -o "$T/out" "$U/big.bin"
head -c 2000 "$H/big.bin" | tail -c 1000 >"$T/want"
check "HTTP over IPv6: a range, 206" sh -c \
    "grep -q '^HTTP/1.1 206' '$T/h' && cmp -s '$T/want' '$T/out'"
check "HTTP over IPv6: logged with the address" \
    grep -q "http: $N1 \"GET /big.bin\" 206 1000 bytes" "$T/log"

# GRUB over IPv6 asks grub.cfg-<8 groups>, then grub.cfg.
G6=grub.cfg-fd00-78-0-0-0-0-0-11
tget $N1 grub/$G6 >"$T/m1"
check "grub.cfg-<8 groups> of node01's ip6: its install menu" grep -q \
    "^	linux /vmlinuz inst.ks=$UR/ks/node01?t=[0-9a-f]\{32\}\$" "$T/m1"
check "... not for another address" notfound $X $G6
check "... nor in another spelling" notfound $N1 ${G6%11}011
tget $N1 grub.cfg >"$T/m2"
check "grub.cfg from node01's IPv6 address: its menu" cmp "$T/m1" "$T/m2"
tget $X grub.cfg >"$T/m3"
check "grub.cfg for an IPv6 stranger: the unknown menu" \
    grep -q 'unknown client' "$T/m3"
C curl -s --interface 10.78.0.11 -o "$T/m4" "tftp://$SRV/grub.cfg"
check "the same host over IPv4: its menu in IPv4" grep -q \
    "inst.ks=http://$SRV:8080/ks/node01?t=" "$T/m4"

# The kickstart over IPv6: IPv6 URLs, for the host's address only.
ks=$(sed -n 's/.*inst.ks=\([^ ]*\).*/\1/p' "$T/m1")
C curl -gs --interface $N1 -o "$T/ks" "$ks"
check "the kickstart from node01's ip6: rendered in IPv6" grep -qxF \
    "server=$SRV6 http=$U ip6=$N1" "$T/ks"
check "... its URLs too" grep -q "^ks=$UR/ks/node01?t=" "$T/ks"
check "... and the done URL" grep -q "^done=$UR/done/node01?t=" "$T/ks"
check "the kickstart from another IPv6 address: 403" \
    test "$(code --interface $X "$ks")" = 403
check "a foreign token logged with the IPv6 address" grep -q \
    "http: kickstart token from $X refused: not node01's address" "$T/log"
C curl -gs --interface $N1 "$U/ipxe/52:54:00:00:00:01" >"$T/ipxe"
check "the iPXE script over IPv6: the kernel over IPv6" grep -q \
    "^kernel $UR/vmlinuz inst.ks=$UR/ks/node01?t=" "$T/ipxe"
check "... the initrd (TFTP root only) over TFTP/IPv6" grep -qxF \
    "initrd tftp://[$SRV6]/initrd.img" "$T/ipxe"

# pxectl show transfers: an IPv6 peer, during a stalled download.
raw $N1 hold &
HOLD=$!
sleep 1.5
ctl show transfers >"$T/xfers" 2>&1
check "show transfers: the IPv6 peer as [addr]:port" grep -Eq \
    "^tftpd +\\[$N1\\]:[0-9]+ +f100k +4096 +100000 +1024 +4 " "$T/xfers"
wait $HOLD

# Caps per IPv6 address: of 17 RRQs from one address, 16 transfers; of
# 65 connections, 64 are served.
cat >"$T/caps.py" <<EOF
import socket, sys
held, data, err = [], 0, 0
for i in range(17):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("$X", 0))
    s.settimeout(3)
    s.sendto(b"\0\1f100k\0octet\0", ("$SRV6", 69))
    p, frm = s.recvfrom(600)
    data += p[:2] == b"\0\3"
    err += p[:2] == b"\0\5" and b"from this address" in p
    held.append((s, frm))
for s, frm in held:
    s.sendto(b"\0\5\0\0done\0", frm)
conns = []
for i in range(65):
    c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    c.bind(("$X", 0))
    c.connect(("$SRV6", 8080))
    conns.append(c)
conns[-1].settimeout(3)
busy = conns[-1].recv(100).startswith(b"HTTP/1.1 503")
print(data, err, busy)
sys.exit(0 if (data, err, busy) == (16, 1, True) else 1)
EOF
check "caps per IPv6 address: 16 transfers, 64 connections" \
    C python3 "$T/caps.py"
check "the refusal logged with the IPv6 address" grep -q "tftp: RRQ from \
$X file f100k refused: too many transfers from this address" "$T/log"

# A pool host known by its IPv6 lease; the firmware's RELEASE keeps it.
wait_for 5 sh -c "! ip -n $CNS addr show dev peer0 | grep -q tentative"
r=$(cli6 --rapid --vc PXE --arch 7)
a2=$(echo "$r" | field addr) sid=$(echo "$r" | field serverid)
ip -n "$CNS" addr add "$a2/64" dev peer0 nodad
tget "$a2" grub.cfg >"$T/m5"
check "grub.cfg from node02's leased IPv6 address: its menu" \
    grep -q '^# pxed: node02 (local)' "$T/m5"
cli6 --type release --serverid "$sid" --addr "$a2" >/dev/null
released() { ctl show leases | grep -q "^$a2 .* released"; }
wait_for 3 released
tget "$a2" grub.cfg >"$T/m6"
check "... and after the firmware's RELEASE" cmp "$T/m5" "$T/m6"

# /done over IPv6: only from the host's address, then local.
done=$(sed -n 's/^done=//p' "$T/ks")
check "/done from another IPv6 address: 403" \
    test "$(code --interface $X "$done")" = 403
check "/done from node01's ip6: 200" \
    test "$(code --interface $N1 "$done")" = 200
check "the master logged the done from the IPv6 address" grep -q \
    "host node01: installer reported done from $N1" "$T/log"
local1() { ctl show hosts | grep -Eq '^node01 .* local '; }
check "node01 is local now" local1

# A reload that changes nothing binds nothing again.
ctl reload >/dev/null
same6() { same_ino u 6 69 "$t6" && same_ino t 6 8080 "$h6"; }
check "a reload keeps the IPv6 sockets" same6
check "tftpd and httpd never restarted" test \
    "$(worker_pid $MPID tftpd) $(worker_pid $MPID httpd)" = "$TPID $HPID"
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
exit 0
