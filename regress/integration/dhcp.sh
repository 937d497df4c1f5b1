#!/bin/sh
# The DHCP worker for real, in namespaces of its own: dhclient and
# udhcpc in a client namespace, scripted PXE requests for every loader
# kind, a relayed request, every malformed datagram of PROTOCOLS.md,
# floods, leases across kill -9 of the master, a full disk, and
# ProxyDHCP beside a real dnsmasq that hands out the addresses.

. regress/lib.sh
lab_init dhcp dhclient udhcpc dnsmasq
PY=/usr/bin/python3

# Installing dnsmasq or kea may start their services in the root
# namespace; ours run in namespaces of their own, but stop them anyway.
for svc in dnsmasq kea-dhcp4-server; do
	service "$svc" stop >/dev/null 2>&1
done

NS=pxeddhs$$
CN=pxeddhc$$
test_cleanup() { mountpoint -q "$T/small" && umount "$T/small"; }

lab_pair "$NS" 10.77.0.2/24 "$CN" || { fail dhcp-lab "cannot create namespaces"; exit 1; }
# The relay lives in the client namespace: 10.77.0.60 toward the server,
# 10.78.0.1 as the giaddr of the far subnet.
ip -n "$NS" route add 10.78.0.0/24 via 10.77.0.60

mkdir -p "$T/tftp" "$T/http"
inventory() {	# inventory MODE UNKNOWN STATE
	cat <<YAML
server:
  interfaces: [pxe0]
  address: 10.77.0.2
  user: _pxed
  state: $3
  tftp: { root: $T/tftp }
  http: { root: $T/http, port: 8080 }
dhcp:
  mode: $1
  lease: 1h
  subnets:
    - network: 10.77.0.0/24
      range: 10.77.0.100-10.77.0.140
      router: 10.77.0.1
      dns: [10.77.0.1, 10.77.0.3]
      domain: lab.example
    - network: 10.78.0.0/24
      range: 10.78.0.100-10.78.0.110
      router: 10.78.0.1
boot:
  bios: pxelinux.0
  uefi: BOOTX64.EFI
  arm64: grubaa64.efi
  http: "{{http}}/BOOTX64.EFI"
  ipxe: "{{http}}/ipxe/{{mac}}"
  unknown: $2
hosts:
  node01:
    mac: 52:54:00:00:00:01
    ip: 10.77.0.11
  node02:
    mac: 52:54:00:00:00:02
  node03:
    mac: 52:54:00:00:00:03
    ip: 10.77.0.20
YAML
}
inventory full local "$T/state" >"$T/pxed.yaml"

start_pxed() {
	ip netns exec "$NS" "$PXED" -d -v -f "$T/pxed.yaml" -s "$T/sock" \
	    2>>"$T/log" &
	MPID=$!
	# show stats reaches dhcpd while its configuration may still be
	# arriving: it must not mind
	wait_for 5 "$PXECTL" -s "$T/sock" show stats &&
	    wait_for 5 "$PXECTL" -s "$T/sock" show leases &&
	    wait_for 5 listens u 67
}
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
cli() { ip netns exec "$CN" $PY regress/integration/dhcp/client.py peer0 "$@"; }
# jq-like: jget FILE PYTHON-EXPR over r (the reply)
jget() { $PY -c "import json,sys; r=json.load(open('$1')); print($2)" 2>/dev/null; }
jcheck() {	# jcheck NAME FILE PYTHON-EXPR: PASS if the expression holds
	if [ "$(jget "$2" "bool($3)")" = True ]; then pass "$1"; else
		fail "$1" "$3 in $(head -c 600 "$2")"; fi
}
stat_of() { ctl show stats | awk -v n="$1" '$1 == "dhcpd" && $3 == n { print $4 }'; }

if ! start_pxed; then
	fail "pxed starts in full mode" "$(tail -5 "$T/log")"
	exit 1
fi
pass "pxed starts in full mode"

# dhclient, the fixed address of node01 (replies unicast through the
# packet socket: dhclient does not ask for broadcast).
ip -n "$CN" link set peer0 address 52:54:00:00:00:01
timeout 20 ip netns exec "$CN" dhclient -1 -v -sf /bin/true -lf "$T/dhc.leases" \
    -pf "$T/dhc.pid" peer0 >"$T/dhc.out" 2>&1
[ -f "$T/dhc.pid" ] && kill "$(cat "$T/dhc.pid")" 2>/dev/null
check "dhclient: node01 gets its fixed address" grep -q 'fixed-address 10.77.0.11;' "$T/dhc.leases"
check "dhclient: option 1" grep -q 'subnet-mask 255.255.255.0;' "$T/dhc.leases"
check "dhclient: option 3" grep -q 'routers 10.77.0.1;' "$T/dhc.leases"
check "dhclient: option 6" grep -q 'domain-name-servers 10.77.0.1,10.77.0.3;' "$T/dhc.leases"
check "dhclient: option 15" grep -q 'domain-name "lab.example";' "$T/dhc.leases"
check "dhclient: option 28" grep -q 'broadcast-address 10.77.0.255;' "$T/dhc.leases"
check "dhclient: option 51" grep -q 'dhcp-lease-time 3600;' "$T/dhc.leases"
check "dhclient: option 54" grep -q 'dhcp-server-identifier 10.77.0.2;' "$T/dhc.leases"
check "dhclient: option 58" grep -q 'dhcp-renewal-time 1800;' "$T/dhc.leases"
check "dhclient: option 59" grep -q 'dhcp-rebinding-time 3150;' "$T/dhc.leases"
check "dhclient: option 12 asked in 55" grep -q 'host-name "node01";' "$T/dhc.leases"
check "dhclient: the replies went unicast through the packet socket" test "$(stat_of sent_raw)" -ge 2
check "the ACK is logged as in SPEC" grep -q 'dhcp: ACK 10.77.0.11 to 52:54:00:00:00:01 (node01)$' "$T/log"

# udhcpc, a pool address for an unknown MAC and for node02.
cat >"$T/udhcpc.sh" <<EOS
#!/bin/sh
[ "\$1" = bound ] && env | grep -E '^(ip|subnet|router|dns|domain|lease|serverid)=' | sort >"$T/udhcpc.\$(cat /sys/class/net/peer0/address)"
exit 0
EOS
chmod +x "$T/udhcpc.sh"
for mac in 02:00:00:00:01:01 52:54:00:00:00:02; do
	ip -n "$CN" link set peer0 address $mac
	timeout 20 ip netns exec "$CN" udhcpc -f -q -n -i peer0 -s "$T/udhcpc.sh" >/dev/null 2>&1
	check "udhcpc $mac: a pool address" grep -Eq '^ip=10\.77\.0\.(10[0-9]|1[1-3][0-9]|140)$' "$T/udhcpc.$mac"
	check "udhcpc $mac: netmask, router, dns, domain, lease" sh -c "grep -q '^subnet=255.255.255.0' $T/udhcpc.$mac && grep -q '^router=10.77.0.1' $T/udhcpc.$mac && grep -q '^dns=10.77.0.1 10.77.0.3' $T/udhcpc.$mac && grep -q '^domain=lab.example' $T/udhcpc.$mac && grep -q '^lease=3600' $T/udhcpc.$mac"
done
ip1=$(sed -n 's/^ip=//p' "$T/udhcpc.02:00:00:00:01:01")
ip -n "$CN" link set peer0 address 02:00:00:00:01:01
timeout 20 ip netns exec "$CN" udhcpc -f -q -n -i peer0 -s "$T/udhcpc.sh" >/dev/null 2>&1
check "udhcpc: a returning client gets its old address" grep -q "^ip=$ip1\$" "$T/udhcpc.02:00:00:00:01:01"
ctl show leases >"$T/leases.out"
check "show leases lists node01 active" grep -Eq '^10\.77\.0\.11 +52:54:00:00:00:01 +node01 +active +20[0-9-]+T' "$T/leases.out"
check "show leases lists the pool client" grep -Eq "^$ip1 +02:00:00:00:01:01 +- +active" "$T/leases.out"
check "show leases -j is JSON" sh -c "'$PXECTL' -j -s '$T/sock' show leases | $PY -c 'import json,sys; l=json.load(sys.stdin); assert any(x[\"host\"]==\"node01\" and x[\"state\"]==\"active\" for x in l)'"

# PXE: the loader by option 93, iPXE, UEFI HTTP, 97 echoed, 66/67.
pxe() {	# pxe NAME FILE-EXPECTED ARGS...
	n=$1 f=$2; shift 2
	cli "$@" >"$T/r.json"
	jcheck "pxe $n: OFFER" "$T/r.json" "r.get('type') == 2"
	jcheck "pxe $n: file $f" "$T/r.json" "r['file'] == '$f' and bytes.fromhex(r['opts']['67']).decode() == '$f'"
	jcheck "pxe $n: siaddr is the server" "$T/r.json" "r['siaddr'] == '10.77.0.2'"
}
pxe "arch 0" pxelinux.0 --mac 52:54:00:00:00:01 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 --uuid
jcheck "pxe arch 0: option 97 echoed" "$T/r.json" "r['opts']['97'] == '00' + bytes(range(16)).hex()"
jcheck "pxe arch 0: option 66 when asked" "$T/r.json" "bytes.fromhex(r['opts']['66']) == b'10.77.0.2'"
jcheck "pxe arch 0: node01 keeps its fixed address" "$T/r.json" "r['yiaddr'] == '10.77.0.11'"
pxe "arch 7" BOOTX64.EFI --mac 52:54:00:00:00:02 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7
pxe "arch 9" BOOTX64.EFI --mac 02:00:00:00:02:09 --vc PXEClient:Arch:00009:UNDI:003016 --arch 9
pxe "arch 11" grubaa64.efi --mac 02:00:00:00:02:0b --vc PXEClient:Arch:00011:UNDI:003016 --arch 11
pxe "arch 16" http://10.77.0.2:8080/BOOTX64.EFI --mac 02:00:00:00:02:10 --vc HTTPClient:Arch:00016:UNDI:003001 --arch 16
jcheck "pxe arch 16: vendor class HTTPClient" "$T/r.json" "bytes.fromhex(r['opts']['60']) == b'HTTPClient'"
pxe "iPXE 77 raw" http://10.77.0.2:8080/ipxe/02:00:00:00:02:20 --mac 02:00:00:00:02:20 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 --ipxe raw
pxe "iPXE 77 RFC 3004" http://10.77.0.2:8080/ipxe/02:00:00:00:02:21 --mac 02:00:00:00:02:21 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 --ipxe 3004
pxe "iPXE 175" http://10.77.0.2:8080/ipxe/02:00:00:00:02:22 --mac 02:00:00:00:02:22 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --ipxe 175
cli --mac 02:00:00:00:02:30 >"$T/r.json"
jcheck "a non-PXE client gets no boot file" "$T/r.json" "r.get('type') == 2 and r['file'] == '' and '67' not in r['opts']"
check "the PXE OFFER is logged with arch and file" grep -q 'dhcp: OFFER 10.77.0.11 to 52:54:00:00:00:01 (node01) arch bios file pxelinux.0' "$T/log"

# DORA by script, REQUEST states, NAK, RELEASE, DECLINE, INFORM.
cli --mac 02:00:00:00:03:01 >"$T/o.json"
oip=$(jget "$T/o.json" "r['yiaddr']")
cli --mac 02:00:00:00:03:01 --type request --reqip "$oip" --sid 10.77.0.2 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 >"$T/r.json"
jcheck "REQUEST (selecting): ACK of the offered address" "$T/r.json" "r.get('type') == 5 and r['yiaddr'] == '$oip' and r['file'] == 'BOOTX64.EFI'"
check "the lease is in the journal before the ACK" grep -q "^$oip 02:00:00:00:03:01 active " "$T/state/leases.journal"
cli --mac 02:00:00:00:03:01 --type request --reqip "$oip" --sid 10.77.0.99 --timeout 0.5 >"$T/r.json"
jcheck "REQUEST for another server: no answer" "$T/r.json" "r == {}"
cli --mac 02:00:00:00:03:01 --type request --reqip "$oip" >"$T/r.json"
jcheck "REQUEST (init-reboot): ACK" "$T/r.json" "r.get('type') == 5 and r['yiaddr'] == '$oip'"
cli --mac 02:00:00:00:03:01 --type request --reqip 10.77.9.9 >"$T/r.json"
jcheck "REQUEST (init-reboot) off the subnet: NAK" "$T/r.json" "r.get('type') == 6 and r['yiaddr'] == '0.0.0.0'"
# RFC 2131 4.3.2: no record of the client, no answer; another address
# than its record, a NAK; an inventory host's own fixed address, an ACK.
free=$(echo "$oip" | awk -F. '{ printf "%s.%s.%s.%d", $1, $2, $3, $4 == 139 ? 138 : 139 }')
cli --mac 02:00:00:00:03:09 --type request --reqip "$free" --timeout 0.5 >"$T/r.json"
jcheck "REQUEST (init-reboot) from a client without a record: no answer" "$T/r.json" "r == {}"
check "... logged at debug" grep -q "INIT-REBOOT REQUEST for $free from 02:00:00:00:03:09, of whom there is no record: no answer" "$T/log"
cli --mac 02:00:00:00:03:01 --type request --reqip "$free" >"$T/r.json"
jcheck "REQUEST (init-reboot) for another address than its lease: NAK" "$T/r.json" "r.get('type') == 6"
cli --mac 52:54:00:00:00:01 --type request --reqip 10.77.0.11 >"$T/r.json"
jcheck "REQUEST (init-reboot) of node01 for its fixed address: ACK" "$T/r.json" "r.get('type') == 5 and r['yiaddr'] == '10.77.0.11'"
cli --mac 02:00:00:00:03:01 --type request --reqip 10.77.0.11 >"$T/r.json"
jcheck "REQUEST for node01's fixed address: NAK" "$T/r.json" "r.get('type') == 6"
cli --mac 02:00:00:00:03:02 --type request --reqip "$oip" --sid 10.77.0.2 >"$T/r.json"
jcheck "REQUEST for another MAC's lease: NAK" "$T/r.json" "r.get('type') == 6"
ip -n "$CN" addr add "$oip/24" dev peer0
cli --mac 02:00:00:00:03:01 --type request --ciaddr "$oip" --src "$oip:68" --to 10.77.0.2:67 >"$T/r.json"
jcheck "REQUEST (renewing, unicast): ACK to ciaddr" "$T/r.json" "r.get('type') == 5 and r['yiaddr'] == '$oip' and r['from'] == '10.77.0.2:67'"
cli --mac 02:00:00:00:03:01 --type inform --ciaddr "$oip" --src "$oip:68" --to 10.77.0.2:67 >"$T/r.json"
jcheck "INFORM: ACK without a lease time" "$T/r.json" "r.get('type') == 5 and '51' not in r['opts'] and r['yiaddr'] == '0.0.0.0' and r['opts']['1'] == 'ffffff00'"
cli --mac 02:00:00:00:03:01 --type release --ciaddr "$oip" --src "$oip:68" --to 10.77.0.2:67 --timeout 0.3 >/dev/null
ip -n "$CN" addr del "$oip/24" dev peer0
wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$oip .* released '"
check "RELEASE: the lease is released" sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$oip .* released '"
cli --mac 02:00:00:00:03:03 >"$T/o.json"
dip=$(jget "$T/o.json" "r['yiaddr']")
cli --mac 02:00:00:00:03:03 --type request --reqip "$dip" --sid 10.77.0.2 >/dev/null
cli --mac 02:00:00:00:03:03 --type decline --reqip "$dip" --sid 10.77.0.2 --timeout 0.3 >/dev/null
wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$dip .* declined '"
check "DECLINE: the address is quarantined" sh -c "'$PXECTL' -s '$T/sock' show leases | grep -Eq '^$dip .* declined '"
cli --mac 02:00:00:00:03:03 >"$T/o.json"
jcheck "DECLINE: the client gets another address" "$T/o.json" "r.get('type') == 2 and r['yiaddr'] != '$dip'"

# A MAC holds one lease per subnet: REQUESTing address after address
# releases the one before, so one client cannot drain the pool.
for a in 135 136 137 138 139; do
	cli --mac 02:00:00:00:03:05 --type request --reqip 10.77.0.$a --sid 10.77.0.2 >"$T/r.json"
done
jcheck "one MAC REQUESTing a fifth pool address gets it" "$T/r.json" "r.get('type') == 5 and r['yiaddr'] == '10.77.0.139'"
wait_for 3 sh -c "[ \$('$PXECTL' -s '$T/sock' show leases | grep -Ec '^10\.77\.0\.13[5-8] +02:00:00:00:03:05 .* released ') = 4 ]"
check "... and holds one lease: the four before are released" test \
    "$(ctl show leases | grep -Ec '^10\.77\.0\.13[5-8] +02:00:00:00:03:05 .* released ')" = 4
check "... one active lease for that MAC" test "$(ctl show leases | grep -c ' 02:00:00:00:03:05 .* active ')" = 1
check "... counted as released_other" test "$(stat_of released_other)" = 4

# INFORM: no ACK for a ciaddr outside the served subnets (no reflection),
# at most 16 a second for one that is inside.
ip -n "$NS" route add 10.99.0.0/24 dev pxe0
ip -n "$CN" addr add 10.99.0.7/24 dev peer0
cli --mac 02:00:00:00:03:06 --type inform --ciaddr 10.99.0.7 --src 10.99.0.7:68 --to 10.77.0.2:67 --timeout 1 >"$T/r.json"
jcheck "INFORM for an off-subnet ciaddr: no answer" "$T/r.json" "r == {}"
ip -n "$CN" addr del 10.99.0.7/24 dev peer0
ip -n "$NS" route del 10.99.0.0/24 dev pxe0
ip -n "$CN" addr add 10.77.0.139/24 dev peer0
f0=$(stat_of dropped_flood)
cli --mac 02:00:00:00:03:05 --type inform --ciaddr 10.77.0.139 --src 10.77.0.139:68 --to 10.77.0.2:67 --count 40 --timeout 0.5 >/dev/null
f1=$(stat_of dropped_flood)
check "40 INFORMs at once from one ciaddr: at least 20 dropped ($f0 -> $f1)" test $((f1 - f0)) -ge 20
ip -n "$CN" addr del 10.77.0.139/24 dev peer0

# A relayed request: answered to giaddr:67, option 82 echoed last.
ip -n "$CN" addr add 10.77.0.60/24 dev peer0
ip -n "$CN" addr add 10.78.0.1/24 dev peer0
cli --mac 02:00:00:00:04:01 --giaddr 10.78.0.1 --opt82 --src 10.78.0.1:67 --to 10.77.0.2:67 >"$T/r.json"
jcheck "relay: OFFER from the giaddr's subnet" "$T/r.json" "r.get('type') == 2 and r['yiaddr'].startswith('10.78.0.1') and r['giaddr'] == '10.78.0.1'"
jcheck "relay: option 82 echoed whole and last" "$T/r.json" "r['opts']['82'] == (b'\x01\x04port\x02\x06relay1').hex() and r['order'][-1] == 82"
jcheck "relay: router of the far subnet" "$T/r.json" "r['opts']['3'] == '0a4e0001'"
ip -n "$CN" addr flush dev peer0

# Every malformed case: dropped with a debug line; the server goes on.
before=$(stat_of dropped_malformed)
nbad=0
for c in short truncated op2 hlen17 cookie code-at-last-byte overrun \
    zero-len-53 zero-len-54 zero-len-57 zero-len-61 zero-len-93 zero-len-97 \
    odd93 overload-in-file overload-repeated sname-without-nul \
    file-without-nul huge55 relay-overrun bcast-chaddr zero-chaddr; do
	cli --mac 02:00:00:00:05:01 --bad $c --timeout 0.3 >"$T/r.json"
	jcheck "malformed $c: no reply" "$T/r.json" "r == {}"
	nbad=$((nbad + 1))
done
after=$(stat_of dropped_malformed)
check "malformed: every case counted as dropped ($nbad)" test "$((after - before))" -eq "$nbad"
for w in 'short datagram' 'truncated datagram' 'op is not BOOTREQUEST' 'hlen over 16' \
    'bad magic cookie' 'option code at the last byte' 'option runs past the end' \
    'zero-length option' 'odd-length option 93' 'option 52 inside file or sname' \
    'option 52 repeated' 'sname field without NUL' 'file field without NUL' \
    'huge option 55' 'option 82 sub-option overruns' 'zero or broadcast chaddr'; do
	check "malformed: debug log '$w'" grep -q "dhcp: dropped from .*: $w" "$T/log"
done
cli --mac 02:00:00:00:05:02 --hostname "$(printf 'ev\033il\001"x')" >"$T/r.json"
jcheck "non-printable hostname: still answered" "$T/r.json" "r.get('type') == 2"
check "non-printable hostname: sanitized in the log" grep -q '(ev?il??x)' "$T/log"
cli --mac 02:00:00:00:05:03 >"$T/r.json"
jcheck "after the malformed cases the server still answers" "$T/r.json" "r.get('type') == 2"

# unknown: ignore, after a reload: unknown PXE clients get no loader.
inventory full ignore "$T/state" >"$T/pxed.yaml"
kill -HUP $MPID
sleep 1
cli --mac 02:00:00:00:07:01 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 >"$T/r.json"
jcheck "unknown: ignore: an unknown PXE client gets no loader" "$T/r.json" "r.get('type') == 2 and r['file'] == ''"
cli --mac 52:54:00:00:00:02 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 >"$T/r.json"
jcheck "unknown: ignore: node02 still gets its loader" "$T/r.json" "r['file'] == 'pxelinux.0'"

# Floods: one MAC is rate limited; random MACs cannot take fixed addresses.
cli --mac 02:00:00:00:06:01 --count 200 --timeout 0.3 >/dev/null
check "flood from one MAC is limited" test "$(stat_of dropped_flood)" -gt 0
cli --random-macs --count 500 --timeout 0.5 >/dev/null
cli --mac 52:54:00:00:00:03 >"$T/r.json"
jcheck "after a random-MAC flood node03 gets its fixed address" "$T/r.json" "r.get('type') == 2 and r['yiaddr'] == '10.77.0.20'"
cli --mac 52:54:00:00:00:01 >"$T/r.json"
jcheck "after a random-MAC flood node01 gets its fixed address" "$T/r.json" "r.get('type') == 2 and r['yiaddr'] == '10.77.0.11'"
check "dhcpd survived everything" kill -0 "$(worker_pid $MPID dhcpd)"
check "no worker restart" sh -c "! grep -q 'dhcpd exited' $T/log"

# kill -9 of the master: every lease is still there after a restart.
ctl show leases | grep -v ' offered ' >"$T/before-kill"
kill -9 $MPID $(pgrep -P $MPID)
wait $MPID 2>/dev/null
MPID=
rm -f "$T/sock"
if start_pxed; then pass "pxed restarts after kill -9"; else fail "pxed restarts after kill -9"; fi
ctl show leases | grep -v ' offered ' >"$T/after-kill"
check "leases survive kill -9 of the master" cmp "$T/before-kill" "$T/after-kill"
check "the leases table is not empty" test "$(wc -l <"$T/after-kill")" -gt 5
ip -n "$CN" link set peer0 address 02:00:00:00:01:01
rm -f "$T/udhcpc.02:00:00:00:01:01"
timeout 20 ip netns exec "$CN" udhcpc -f -q -n -i peer0 -s "$T/udhcpc.sh" >/dev/null 2>&1
check "after kill -9 a returning client gets its old address" grep -q "^ip=$ip1\$" "$T/udhcpc.02:00:00:00:01:01"
check "dhcpd never died on a signal" sh -c "! grep -q 'dhcpd exited on signal' $T/log"
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=

. regress/integration/dhcp/disk.sh
. regress/integration/dhcp/proxy.sh
exit 0
