#!/bin/sh
# DHCPv6 for real, in namespaces of its own: dhclient -6 and WIDE's
# dhcp6c get fixed and pool addresses, release them; scripted SOLICITs
# as OVMF (PXE, HTTP boot) and iPXE send them, rapid commit, RENEW,
# REBIND, CONFIRM, DECLINE, INFORMATION-REQUEST, relayed messages (by
# script, and through ISC's dhcrelay -6 in a third namespace), every
# malformed datagram of PROTOCOLS.md, a flood of SOLICITs from random
# DUIDs, and the leases across kill -9 of the master.

. regress/lib.sh
lab_init dhcp6 dhclient dhcp6c dhcrelay rdisc6
PY=/usr/bin/python3

NS=pxed6s$$
CN=pxed6c$$
RN=pxed6r$$
SRV=fd00:77::2
test_cleanup() {
	ip netns pids "$RN" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$RN" 2>/dev/null
}

lab_pair "$NS" 10.79.0.2/24 "$CN" || { fail dhcp6-lab "cannot create namespaces"; exit 1; }
# The client changes its MAC (so its link-local address) as it plays
# several machines: no duplicate address detection to wait for.
for k in all default peer0; do
	ip netns exec "$CN" sysctl -qw net.ipv6.conf.$k.accept_dad=0
done
ip -n "$NS" addr add $SRV/64 dev pxe0 nodad
# A second global address, in no dhcp6 subnet, listed first (the newest
# is): the link, and server.address6, are still fd00:77::/64's.
ip -n "$NS" addr add fd00:99::2/64 dev pxe0 nodad
# The scripted relay speaks from the client side's fd00:77::60.
ip -n "$CN" addr add fd00:77::60/64 dev peer0 nodad
# pxed's second interface, rly0, faces a relay (namespace $RN) whose
# down0 is the link fd00:78::/64 of the client's cl0.
ip netns add "$RN"
ip -n "$RN" link set lo up
ip -n "$NS" link add rly0 type veth peer name up0 netns "$RN"
ip -n "$CN" link add cl0 type veth peer name down0 netns "$RN"
ip -n "$NS" addr add fd00:79::2/64 dev rly0 nodad
ip -n "$RN" addr add fd00:79::3/64 dev up0 nodad
ip -n "$RN" addr add fd00:78::1/64 dev down0 nodad
for l in "$NS rly0" "$RN up0" "$RN down0" "$CN cl0"; do ip -n ${l% *} link set ${l#* } up; done
mkdir -p "$T/tftp" "$T/http"
cat >"$T/pxed.yaml" <<YAML
server:
  interfaces: [pxe0, rly0]
  user: _pxed
  state: $T/state
  tftp: { root: $T/tftp }
  http: { root: $T/http, port: 8080 }
dhcp: { mode: off }
dhcp6:
  mode: full
  lease: 1h
  ra: true
  subnets:
    - network: fd00:77::/64
      range: fd00:77::1000-fd00:77::10ff
      dns: [fd00:77::1]
      router6: fd00:77::1
    - network: fd00:78::/64
      range: fd00:78::100-fd00:78::1ff
boot:
  uefi: grub/x86_64-efi/core.efi
  http: "{{http}}/EFI/BOOT/BOOTX64.EFI"
  ipxe: "{{http}}/ipxe/{{mac}}"
hosts:
  node01: { mac: "52:54:00:00:00:01", ip6: "fd00:77::11" }
  node02: { mac: "52:54:00:00:00:02" }
YAML

start6() {
	pxed_start "$NS" -v
	wait_for 5 "$PXECTL" -s "$T/sock" show leases && wait_for 5 listens u 547
}
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
# The client plays another machine: its link-local address stays, so the
# server's neighbour entry for it must go with the old MAC.
client_mac() {
	ip -n "$CN" link set "${2:-peer0}" address "$1"
	ip -n "$NS" neigh flush all
}
cli() { ip netns exec "$CN" $PY regress/integration/dhcp/client6.py peer0 "$@"; }
# jq-less JSON checks: field KEY of the reply equals VALUE
is() { $PY -c 'import json,sys; d=json.loads(sys.argv[1]); v=d.get(sys.argv[2]); sys.exit(0 if str(v)==sys.argv[3] else 1)' "$1" "$2" "$3"; }
stat() { ctl -j show stats | $PY -c 'import json,sys; print(json.load(sys.stdin)["dhcpd"]["counters"][sys.argv[1]])' "$1"; }

if ! start6; then
	fail "dhcp6: pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
pass "dhcp6: pxed listens on udp/547 (an IPv6-only inventory)"

# Router advertisements: unsolicited ones counted on the relay's link
# (nothing there solicits) while the rest of the test runs, at most 12 s.
ip netns exec "$RN" $PY -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"up0")
n, end = 0, time.time() + 12
while n < 2 and time.time() < end:
    s.settimeout(max(0.1, end - time.time()))
    try:
        b = s.recv(1500)
    except socket.timeout:
        break
    n += b[0] == 134
open(sys.argv[1], "w").write("%d\n" % n)' "$T/ra.count" &
RAL=$!
ip netns exec "$CN" rdisc6 -1 -w 3000 peer0 >"$T/rdisc6.out" 2>&1
check "RA: M and O set" sh -c "grep -Eq 'Stateful address conf.*Yes' '$T/rdisc6.out' && grep -Eq 'Stateful other conf.*Yes' '$T/rdisc6.out'"
check "RA: the link's prefix, on-link, not autonomous" sh -c "grep -q 'Prefix *: fd00:77::/64' '$T/rdisc6.out' && grep -Eq 'On-link *: *Yes' '$T/rdisc6.out' && grep -Eq 'Autonomous address conf.: *No' '$T/rdisc6.out'"
check "RA: a router lifetime with router6" grep -Eq 'Router lifetime *: *1800 ' "$T/rdisc6.out"
# A solicitation must come with hop limit 255 (RFC 4861 6.1.1): one with
# 64, as if routed, is dropped; one with 255 is counted as received.
rs0=$(stat rs6_received) bad0=$(stat dropped6_malformed)
ip netns exec "$CN" $PY -c '
import socket
for hops in (64, 255):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, hops)
    s.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ("ff02::2", 0, 0, socket.if_nametoindex("peer0")))'
rs_counted() { [ "$(stat rs6_received)" -gt "$rs0" ] && [ "$(stat dropped6_malformed)" -gt "$bad0" ]; }
wait_for 3 rs_counted
rs1=$(stat rs6_received) bad1=$(stat dropped6_malformed)
# (The client's kernel may solicit too: received grows by one or more.)
if [ "$bad1" -eq $((bad0 + 1)) ] && [ "$rs1" -gt "$rs0" ]; then
	pass "RA: a solicitation with hop limit 64 is dropped, one with 255 taken"
else
	fail "RA: a solicitation with hop limit 64 is dropped, one with 255 taken" \
	    "received $rs0 -> $rs1, dropped $bad0 -> $bad1"
fi
wait_for 5 sh -c "! ip -n '$CN' addr show dev peer0 | grep -q tentative"

# dhclient -6 with a DUID-LL of node01's MAC: node01's fixed ip6.
client_mac 52:54:00:00:00:01
# dhclient goes to the background once bound: stopped by its pid file.
dh6() {	# dh6 NAME ARGS...: lease file $T/NAME.leases, pid file $T/NAME.pid
	_n=$1; shift
	ip netns exec "$CN" timeout 20 dhclient -6 -1 -lf "$T/$_n.leases" \
	    -pf "$T/$_n.pid" -sf /bin/true "$@" >>"$T/dh.log" 2>&1
}
dh6_stop() { [ -f "$T/$1.pid" ] && kill "$(cat "$T/$1.pid")" 2>/dev/null; }
dh6 n1 -D LL peer0
dh6_stop n1
check "dhclient -6: node01 gets its fixed ip6" grep -q 'iaaddr fd00:77::11 ' "$T/n1.leases"
check "dhclient -6: the DNS server of the subnet" grep -q 'dhcp6.name-servers fd00:77::1;' "$T/n1.leases"
ctl show leases >"$T/leases.out"
check "show leases lists node01's IPv6 lease" grep -Eq '^fd00:77::11 +52:54:00:00:00:01 +node01 +active ' "$T/leases.out"
check "show leases -j: family, duid, iaid" sh -c "'$PXECTL' -j -s '$T/sock' show leases | $PY -c 'import json,sys; l=json.load(sys.stdin); assert any(x[\"family\"]==\"ipv6\" and x[\"ip\"]==\"fd00:77::11\" and x[\"duid\"]==\"00030001525400000001\" and x[\"host\"]==\"node01\" and isinstance(x[\"iaid\"], int) for x in l)'"
check "the lease is in the journal before the REPLY" grep -q '^fd00:77::11 52:54:00:00:00:01 active [0-9]* - 00030001525400000001 ' "$T/state/leases.journal"

# A stranger (DUID-LLT, a MAC the inventory does not list): the pool.
client_mac 02:00:00:00:06:09
dh6 p -D LLT peer0
pool=$(sed -n 's/.*iaaddr \(fd00:77::10[0-9a-f][0-9a-f]\) .*/\1/p' "$T/p.leases" | head -n 1)
check "dhclient -6: a stranger gets a pool address" test -n "$pool"
# ... and lets it go.
ip netns exec "$CN" timeout 10 dhclient -6 -r -lf "$T/p.leases" -pf "$T/p.pid" -sf /bin/true peer0 >>"$T/dh.log" 2>&1
wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$pool .* released '"
check "dhclient -6 -r: the lease is released" sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$pool .* released '"

# WIDE dhcp6c, another Debian client (DUID-LLT of its own making).
cat >"$T/dhcp6c.conf" <<CONF
interface peer0 { send ia-na 1; };
id-assoc na 1 { };
CONF
client_mac 02:00:00:00:06:0a
ip netns exec "$CN" dhcp6c -f -c "$T/dhcp6c.conf" -p "$T/dhcp6c.pid" peer0 >>"$T/dh.log" 2>&1 &
D6C=$!
wait_for 10 sh -c "ip -n '$CN' -6 addr show dev peer0 | grep -q 'fd00:77::10'"
check "dhcp6c: gets a pool address and puts it on its link" sh -c "ip -n '$CN' -6 addr show dev peer0 | grep -q 'inet6 fd00:77::10'"
kill "$D6C" 2>/dev/null; wait "$D6C" 2>/dev/null
ip -n "$CN" -6 addr flush dev peer0 scope global
ip -n "$CN" addr add fd00:77::60/64 dev peer0 nodad

# OVMF's PXE SOLICIT: ADVERTISE with preference 255 and a TFTP URL.
r=$(cli --mac 52:54:00:00:00:02 --vc PXE --arch 7)
check "PXE SOLICIT: ADVERTISE" is "$r" type advertise
check "PXE SOLICIT: preference 255" is "$r" pref 255
check "PXE SOLICIT: option 59 is tftp://[server]/file" is "$r" url "tftp://[$SRV]/grub/x86_64-efi/core.efi"
check "PXE SOLICIT: an address of the pool" sh -c "echo '$r' | grep -q '\"addr\": \"fd00:77::10'"
sid=$(echo "$r" | $PY -c 'import json,sys; print(json.load(sys.stdin)["serverid"])')
a2=$(echo "$r" | $PY -c 'import json,sys; print(json.load(sys.stdin)["addr"])')
r=$(cli --type request --mac 52:54:00:00:00:02 --serverid "$sid" --addr "$a2" --vc PXE --arch 7)
check "REQUEST: REPLY with the advertised address" is "$r" addr "$a2"
check "REQUEST: the boot URL again" is "$r" url "tftp://[$SRV]/grub/x86_64-efi/core.efi"
r=$(cli --type request --mac 52:54:00:00:00:02 --serverid 000100010000000000000000 --addr "$a2")
check "REQUEST for another server: no answer" is "$r" type None
r=$(cli --type renew --mac 52:54:00:00:00:02 --serverid "$sid" --addr "$a2")
check "RENEW: the same address, T1 half the lease" sh -c "is() { $PY -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d.get(\"addr\")==sys.argv[2] and d.get(\"t1\")==1800 and d.get(\"valid\")==3600 else 1)' \"\$@\"; }; is '$r' '$a2'"
r=$(cli --type renew --mac 52:54:00:00:00:02 --serverid "$sid" --addr fd00:77::10fe)
check "RENEW naming another address: ours, and that one with lifetime 0" sh -c "echo '$r' | $PY -c 'import json,sys; d=json.load(sys.stdin); assert d[\"addrs\"]==[[\"$a2\",3600],[\"fd00:77::10fe\",0]]'"
r=$(cli --type rebind --mac 52:54:00:00:00:02 --addr "$a2")
check "REBIND: the same address" is "$r" addr "$a2"
r=$(cli --type confirm --mac 52:54:00:00:00:02 --addr "$a2")
check "CONFIRM on link: Success" is "$r" status 0
r=$(cli --type confirm --mac 52:54:00:00:00:02 --addr fd00:99::1)
check "CONFIRM off link: NotOnLink" is "$r" status 4
r=$(cli --type inforeq --mac 52:54:00:00:00:02 --vc PXE --arch 7)
check "INFORMATION-REQUEST: REPLY with DNS and the boot URL, no IA" sh -c "echo '$r' | $PY -c 'import json,sys; d=json.load(sys.stdin); assert d[\"type\"]==\"reply\" and d[\"dns\"]==[\"fd00:77::1\"] and \"url\" in d and 3 not in d[\"codes\"]'"

# UEFI HTTP boot: the http URL, and option 16 "HTTPClient" back.
r=$(cli --mac 52:54:00:00:00:02 --vc HTTP --arch 16)
check "HTTP SOLICIT: option 59 is the http URL over IPv6" is "$r" url "http://[$SRV]:8080/EFI/BOOT/BOOTX64.EFI"
check "HTTP SOLICIT: option 16 HTTPClient, enterprise 343" sh -c "is() { $PY -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d.get(\"vendor\")==\"HTTPClient\" and d.get(\"enterprise\")==343 else 1)' \"\$@\"; }; is '$r'"
r=$(cli --mac 52:54:00:00:00:02 --ipxe)
check "iPXE SOLICIT: the iPXE URL, rendered for IPv6" is "$r" url "http://[$SRV]:8080/ipxe/52:54:00:00:00:02"

# Rapid commit: a REPLY at once, stored.
r=$(cli --mac 02:00:00:00:06:0b --rapid)
check "rapid commit: REPLY with rapid commit" sh -c "echo '$r' | grep -q '\"rapid\": true' && echo '$r' | grep -q '\"type\": \"reply\"'"
ra=$(echo "$r" | $PY -c 'import json,sys; print(json.load(sys.stdin).get("addr"))')
check "rapid commit: the lease is stored" sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$ra +02:00:00:00:06:0b .* active '"

# DECLINE: the address is quarantined, another is handed out next.
r=$(cli --type decline --mac 02:00:00:00:06:0b --serverid "$sid" --addr "$ra")
check "DECLINE: REPLY Success" is "$r" status 0
wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$ra .* declined '"
check "DECLINE: the lease is declined" sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$ra .* declined '"
r=$(cli --mac 02:00:00:00:06:0b)
check "... and the client is offered another address" sh -c "! is '$r' addr '$ra' && echo '$r' | grep -q '\"addr\"'"

# Relayed: two layers, interface-ids echoed; the link address picks the
# subnet; the MAC from option 79 finds the host.
r=$(cli --relay 2 --dst $SRV --link fd00:78::1 --duid 000400112233445566778899aabbccddeeff --llmac 52:54:00:00:00:02 --vc PXE --arch 7)
check "relayed SOLICIT: two RELAY-REPL layers, interface-ids echoed" sh -c "echo '$r' | $PY -c 'import json,sys; d=json.load(sys.stdin); assert [x[\"ifid\"] for x in d[\"relays\"]]==[\"ifid-1\",\"ifid-0\"] and d[\"type\"]==\"advertise\"'"
check "relayed SOLICIT: an address of the relay's link" sh -c "echo '$r' | grep -q '\"addr\": \"fd00:78::1'"
wait_for 3 sh -c "grep -q 'ADVERTISE fd00:78::1.* 52:54:00:00:00:02 (node02)' '$T/log'"
check "relayed SOLICIT: option 79 names the host" grep -q 'ADVERTISE fd00:78::1.* 52:54:00:00:00:02 (node02)' "$T/log"

# ISC dhcrelay -6 in a third namespace, between the client and pxed.
wait_for 5 sh -c "! ip -n '$CN' addr show dev cl0 | grep -q tentative"
ip netns exec "$RN" dhcrelay -6 -d -q -l down0 -u "fd00:79::2%up0" >"$T/relay.log" 2>&1 &
RPID=$!
sleep 1
client_mac 02:00:00:00:06:0c cl0
dh6 r -D LL cl0
dh6_stop r
check "dhcrelay -6: dhclient behind it gets an address of the relay's link" grep -q 'iaaddr fd00:78::1[0-9a-f][0-9a-f] ' "$T/r.leases"
kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null

# Every malformed datagram: dropped, counted, nothing else lost.
before=$(stat dropped6_malformed)
for m in short past-end zero-duid long-duid ia-in-ia short-ia short-iaaddr deep-relay relay-no-msg odd-oro odd-arch advertise relay-repl unknown-type two-clientids; do
	r=$(cli --malformed $m --timeout 0.3)
	[ "$r" = "{}" ] || fail "malformed $m: answered" "$r"
done
r=$(cli --malformed huge-oro --mac 02:00:00:00:06:0d)
check "a huge ORO is only big: answered" is "$r" type advertise
after=$(stat dropped6_malformed)
check "15 malformed datagrams dropped and counted" test "$((after - before))" -eq 15
check "dhcpd survived them" worker_pid "$MPID" dhcpd

# One client's burst: 40 SOLICITs from node01's DUID at once; as DHCP
# per MAC, at most 16 a second are answered, the rest counted.
fl0=$(stat dropped6_flood)
r=$(cli --mac 52:54:00:00:00:01 --burst 40 --timeout 2)
n=$(echo "$r" | $PY -c 'import json,sys; print(json.load(sys.stdin)["answers"])')
fl1=$(stat dropped6_flood)
if [ "$n" -ge 1 ] && [ "$n" -le 17 ] && [ "$((fl1 - fl0))" -ge 23 ]; then
	pass "a burst of 40 from one DUID: $n answered, $((fl1 - fl0)) dropped"
else
	fail "a burst of 40 from one DUID: at most 17 answered" "$r, dropped $fl0 -> $fl1"
fi
sleep 1

# A flood of SOLICITs from 3,000 random DUIDs, then node01 is served.
cli --count 3000 >/dev/null
r=$(cli --mac 52:54:00:00:00:01 --timeout 3)
check "after a flood of random DUIDs node01 gets its fixed ip6" is "$r" addr fd00:77::11
# ... and node02, a host without ip6, still finds room in the 256-address
# range: strangers hold at most three quarters of it.
r=$(cli --mac 52:54:00:00:00:02 --duid 00030001525400000002 --timeout 3)
check "after the flood node02 still gets a pool address" sh -c "echo '$r' | grep -q '\"addr\": \"fd00:77::10'"
check "strangers hold at most three quarters of the range" test "$(stat leases6)" -le $((192 + 8))

wait "$RAL"
check "RA: unsolicited advertisements every few seconds" test "$(cat "$T/ra.count" 2>/dev/null)" = 2
ip netns exec "$RN" rdisc6 -1 -w 3000 up0 >"$T/rdisc6-r.out" 2>&1
check "RA: router lifetime 0 on a link without router6" grep -Eq 'Router lifetime *: *0 ' "$T/rdisc6-r.out"

# kill -9 of the master: no REPLYed lease is lost.
ctl show leases | grep -v ' offered ' >"$T/before-kill"
# shellcheck disable=SC2046	# one pid a word
kill -9 "$MPID" $(pgrep -P "$MPID")
wait "$MPID" 2>/dev/null
if start6; then
	ctl show leases | grep -v ' offered ' >"$T/after-kill"
	check "kill -9: every REPLYed IPv6 lease is back" cmp -s "$T/before-kill" "$T/after-kill"
	check "kill -9: the server DUID is kept" sh -c "r=\$(ip netns exec '$CN' $PY regress/integration/dhcp/client6.py peer0 --mac 52:54:00:00:00:01); echo \"\$r\" | grep -q '\"serverid\": \"$sid\"'"
else
	fail "kill -9: pxed starts again" "$(tail -5 "$T/log")"
fi

# slaac: true on a subnet sets its prefix's A flag, after a reload.
sed -i 's|^      router6: fd00:77::1$|&\n      slaac: true|' "$T/pxed.yaml"
check "reload with slaac: true" ctl reload
ip netns exec "$CN" rdisc6 -1 -w 3000 peer0 >"$T/rdisc6-s.out" 2>&1
check "RA: slaac: true makes the prefix autonomous" sh -c "grep -q 'Prefix *: fd00:77::/64' '$T/rdisc6-s.out' && grep -Eq 'Autonomous address conf.: *Yes' '$T/rdisc6-s.out'"
