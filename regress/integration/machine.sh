#!/bin/sh
# A host is a machine (issue "A host is a machine"): a client namespace
# with two NICs on the server's bridge.  dhclient on one NIC and then on
# the other gets the host's fixed address each time, the older binding
# ending; a pool host gets a lease per MAC; a client from a MAC the
# inventory does not list that sends the host's SMBIOS UUID (option 97)
# is the host: its fixed address, its menus, pxelinux.cfg/<uuid>; a
# malformed option 97 is served but never trusted; pxectl shows every
# MAC and the UUID.

. regress/lib.sh
lab_init machine dhclient curl
PY=/usr/bin/python3
NS=pxedmas$$
CN=pxedmac$$

# The server's bridge, and the machine's two NICs on it (lab_cleanup
# deletes LAB_NS and LAB_CNS).
lab() {
	ip netns add "$NS" && LAB_NS=$NS && ip netns add "$CN" || return 1
	LAB_CNS=$CN
	ip -n "$NS" link set lo up
	ip -n "$CN" link set lo up
	ip -n "$NS" link add br0 type bridge || return 1
	ip -n "$NS" addr add 10.77.0.2/24 dev br0
	ip -n "$NS" link set br0 up
	for i in 0 1; do
		ip -n "$NS" link add sw$i type veth peer name nic$i || return 1
		ip -n "$NS" link set nic$i netns "$CN" || return 1
		ip -n "$NS" link set sw$i master br0
		ip -n "$NS" link set sw$i up
		ip -n "$CN" link set nic$i up
	done
	ip -n "$CN" link set nic0 address 52:54:00:00:10:01
	ip -n "$CN" link set nic1 address 52:54:00:00:10:02
}
lab || { fail machine-lab "cannot create namespaces"; exit 1; }

UUID=4C4C4544-0051-3810-8035-B8C04F443531
# The same UUID as OVMF puts it in option 97: type 0, GUID byte order.
U97=0044454c4c510010388035b8c04f443531
POOLUUID=0d8f6a2c-1e6b-4b7a-9c3d-5f2e8a1b7c40
mkdir -p "$T/tftp" "$T/http/k" "$T/templates"
echo kernel >"$T/http/k/vmlinuz"
echo '# {{name}}' >"$T/templates/a.ks"
{
	inventory_head br0 10.77.0.2 full 10.77.0.0/24 10.77.0.100-10.77.0.140
	boot_yaml local
	cat <<YAML
profiles:
  tiny:
    kernel: k/vmlinuz
    append: "ks={{kickstart}}"
    kickstart: templates/a.ks
hosts:
  node01:
    mac:
      - 52:54:00:00:10:01
      - 52:54:00:00:10:02
    uuid: $UUID
    ip: 10.77.0.11
    profile: tiny
    install: true
  pool2:
    mac: [52:54:00:00:20:01, 52:54:00:00:20:02]
    uuid: $POOLUUID
    profile: tiny
    install: true
YAML
} >"$T/pxed.yaml"

ctl() { "$PXECTL" -s "$T/sock" "$@"; }
cli() { ip netns exec "$CN" $PY regress/integration/dhcp/client.py "$@"; }
jget() { $PY -c "import json,sys; r=json.load(open('$1')); print($2)" 2>/dev/null; }
dhc() {	# dhc NIC: one dhclient exchange, its lease file in $T/NIC.leases
	rm -f "$T/$1.leases"
	timeout 20 ip netns exec "$CN" dhclient -1 -sf /bin/true \
	    -lf "$T/$1.leases" -pf "$T/$1.pid" "$1" >/dev/null 2>&1
	[ -f "$T/$1.pid" ] && kill "$(cat "$T/$1.pid")" 2>/dev/null
	rm -f "$T/$1.pid"
}
lease_of() {	# lease_of IP: "MAC HOST" of the lease on IP
	ctl -j show leases >"$T/l.json"
	jget "$T/l.json" "' '.join([(x['mac'] + ' ' + str(x['host'])) for x in r if x['ip'] == '$1'])"
}
tftp_get() {	# tftp_get ADDR NAME OUT: from ADDR on nic0, 0 if found
	ip netns exec "$CN" curl -s --max-time 10 --interface "$1" \
	    -o "$3" "tftp://10.77.0.2/$2"
}

pxed_dhcp_up machine

# pxectl shows the host's MACs and UUID.
ctl show hosts >"$T/hosts.out"
check "show hosts: every MAC and the UUID" grep -Eq '^node01 +52:54:00:00:10:01,52:54:00:00:10:02 +10\.77\.0\.11 +tiny +install +1 +4c4c4544-0051-3810-8035-b8c04f443531$' "$T/hosts.out"
ctl -j show hosts >"$T/hosts.json"
check "show hosts -j: macs and uuid" test "$(jget "$T/hosts.json" "[(x['mac'], x['macs'], x['uuid']) for x in r if x['name'] == 'node01']")" = "[('52:54:00:00:10:01', ['52:54:00:00:10:01', '52:54:00:00:10:02'], '4c4c4544-0051-3810-8035-b8c04f443531')]"

check "show stats: the inventory's MACs" sh -c "'$PXECTL' -s '$T/sock' show stats | grep -Eq '^master +[0-9]+ +host_macs +4\$'"
ip netns exec "$NS" curl -s http://10.77.0.2:8080/metrics >"$T/metrics"
check "/metrics: the inventory's MACs, a gauge" sh -c "grep -qx '# TYPE pxed_host_macs gauge' '$T/metrics' && grep -Eq '^pxed_host_macs(\\{[^}]*\\})? 4\$' '$T/metrics'"

# The fixed address goes to whichever NIC asks; the older binding ends.
dhc nic0
check "first NIC: the host's fixed address" grep -q 'fixed-address 10.77.0.11;' "$T/nic0.leases"
check "first NIC: the lease is its MAC's" test "$(lease_of 10.77.0.11)" = "52:54:00:00:10:01 node01"
dhc nic1
check "second NIC: the same fixed address" grep -q 'fixed-address 10.77.0.11;' "$T/nic1.leases"
check "second NIC: the lease moved to its MAC" test "$(lease_of 10.77.0.11)" = "52:54:00:00:10:02 node01"
check "the move is logged" grep -q 'host node01: 10.77.0.11 moves from 52:54:00:00:10:01 to 52:54:00:00:10:02' "$T/log"
check "one lease for the address, none left for the first NIC" test "$(jget "$T/l.json" "len([x for x in r if x['host'] == 'node01'])")" = 1
dhc nic0
check "first NIC again: the address comes back" test "$(lease_of 10.77.0.11)" = "52:54:00:00:10:01 node01"

# One token, one install state: the same menu from either NIC's name.
ip -n "$CN" addr add 10.77.0.11/24 dev nic0
tftp_get 10.77.0.11 pxelinux.cfg/01-52-54-00-00-10-02 "$T/m1"
tftp_get 10.77.0.11 pxelinux.cfg/01-52-54-00-00-10-01 "$T/m2"
tftp_get 10.77.0.11 pxelinux.cfg/4c4c4544-0051-3810-8035-b8c04f443531 "$T/m3"
tftp_get 10.77.0.11 pxelinux.cfg/44454c4c-5100-1038-8035-b8c04f443531 "$T/m4"
check "menus: the second MAC's name is the host's menu, with its token" grep -q 'ks=http://10.77.0.2:8080/ks/node01?t=' "$T/m1"
check "menus: the same menu by either MAC" cmp -s "$T/m1" "$T/m2"
check "menus: pxelinux.cfg/<uuid>, dmidecode's order" cmp -s "$T/m1" "$T/m3"
check "menus: pxelinux.cfg/<uuid>, option 97's order" cmp -s "$T/m1" "$T/m4"
ip -n "$CN" addr del 10.77.0.11/24 dev nic0

# A pool host: one lease per MAC.
for m in 52:54:00:00:20:01 52:54:00:00:20:02; do
	cli nic0 --mac $m >"$T/o.json"
	ip=$(jget "$T/o.json" "r['yiaddr']")
	cli nic0 --mac $m --type request --reqip "$ip" --sid 10.77.0.2 >"$T/a.json"
	echo "$ip $(jget "$T/a.json" "r['type']")" >>"$T/pool.out"
done
check "pool host: each MAC its own ACKed pool address" sh -c "[ \$(awk '\$2 == 5 { print \$1 }' '$T/pool.out' | sort -u | wc -l) -eq 2 ]"
ctl -j show leases >"$T/l.json"
check "pool host: both leases name the host" test "$(jget "$T/l.json" "len([x for x in r if x['host'] == 'pool2'])")" = 2

# A NIC the inventory does not list, sending the host's UUID: it is the
# host (pxed.yaml(5): it takes the fixed address), and the log says why.
cli nic1 --mac 02:00:00:00:99:01 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --uuid97 $U97 >"$T/u.json"
check "UUID from an unlisted MAC: offered the host's fixed address" test "$(jget "$T/u.json" "r['yiaddr']")" = 10.77.0.11
check "UUID from an unlisted MAC: the host's boot file" test "$(jget "$T/u.json" "r['file']")" = BOOTX64.EFI
check "UUID from an unlisted MAC: option 97 echoed" test "$(jget "$T/u.json" "r['opts'].get('97')")" = "$U97"
cli nic1 --mac 02:00:00:00:99:01 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --uuid97 $U97 --type request --reqip 10.77.0.11 --sid 10.77.0.2 >"$T/ua.json"
check "UUID from an unlisted MAC: ACKed" test "$(jget "$T/ua.json" "r['type']")" = 5
check "UUID from an unlisted MAC: the log names the host" grep -q 'dhcp: ACK 10.77.0.11 to 02:00:00:00:99:01 (node01 by its UUID)' "$T/log"
check "UUID from an unlisted MAC: the lease names the host" test "$(lease_of 10.77.0.11)" = "02:00:00:00:99:01 node01"
# Its installer's DHCP client sends no option 97: the lease remembers.
cli nic1 --mac 02:00:00:00:99:01 --type request --reqip 10.77.0.11 --sid 10.77.0.2 >"$T/ub.json"
check "the same NIC without option 97: still the host (its lease's UUID)" test "$(jget "$T/ub.json" "(r['type'], r['yiaddr'])")" = "(5, '10.77.0.11')"
# ... also after dhcpd restarts: the master's lease table gives it back.
old=$(worker_pid $MPID dhcpd)
kill -9 "$old"
wait_for 5 sh -c "p=\$(. regress/lib.sh; worker_pid $MPID dhcpd) && [ -n \"\$p\" ] && [ \"\$p\" != $old ]"
wait_for 5 sh -c "'$PXECTL' -s '$T/sock' show stats | grep -Eq '^dhcpd .* leases +[1-9]'"
cli nic1 --mac 02:00:00:00:99:01 --type request --reqip 10.77.0.11 --sid 10.77.0.2 >"$T/uc.json"
check "... and after dhcpd restarted" test "$(jget "$T/uc.json" "(r['type'], r['yiaddr'])")" = "(5, '10.77.0.11')"

# A pool host known by UUID from an unlisted NIC: its menus follow its
# pool address (the binding keeps the UUID), for it alone.
cli nic0 --mac 02:00:00:00:99:02 --uuid97 00$(echo $POOLUUID | tr -d -) >"$T/p.json"
PIP=$(jget "$T/p.json" "r['yiaddr']")
cli nic0 --mac 02:00:00:00:99:02 --uuid97 00$(echo $POOLUUID | tr -d -) --type request --reqip "$PIP" --sid 10.77.0.2 >"$T/pa.json"
check "pool host by UUID: ACKed a pool address" test "$(jget "$T/pa.json" "r['type']")" = 5
ip -n "$CN" addr add "$PIP/24" dev nic0
tftp_get "$PIP" "pxelinux.cfg/$POOLUUID" "$T/pm"
check "pool host by UUID: pxelinux.cfg/<uuid> is its menu" grep -q '/ks/pool2?t=' "$T/pm"
ip -n "$CN" addr del "$PIP/24" dev nic0
ip -n "$CN" addr add 10.77.0.150/24 dev nic0
check "pool host by UUID: not from another address" sh -c "! ip netns exec $CN curl -s --max-time 10 --interface 10.77.0.150 -o /dev/null tftp://10.77.0.2/pxelinux.cfg/$POOLUUID"
ip -n "$CN" addr del 10.77.0.150/24 dev nic0

# Malformed option 97: the client is served, the UUID never trusted.
cli nic1 --mac 02:00:00:00:99:03 --uuid97 0044454c4c5100 >"$T/bad1.json"
cli nic1 --mac 02:00:00:00:99:04 --uuid97 0144454c4c510010388035b8c04f443531 >"$T/bad2.json"
check "short option 97: served from the pool, not as the host, not echoed" test "$(jget "$T/bad1.json" "(r['type'], r['yiaddr'] != '10.77.0.11', r['opts'].get('97'))")" = "(2, True, None)"
check "option 97 of type 1: served from the pool, not as the host" test "$(jget "$T/bad2.json" "(r['type'], r['yiaddr'] != '10.77.0.11')")" = "(2, True)"
check "dhcpd survived it all" kill -0 "$(worker_pid $MPID dhcpd)"

kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
exit 0
