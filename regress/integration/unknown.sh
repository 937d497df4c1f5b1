#!/bin/sh
# pxectl show unknown: scripted PXE DISCOVERs from MACs the inventory
# does not list reach the master's table through dhcpd; the table, its
# JSON, the ready-to-paste entry (which must load with pxed -n), the
# per-MAC rate limit, the MACs of one machine (option 97 UUID) grouped,
# a random-MAC flood, and a reload that lists one.

. regress/lib.sh
lab_init unknown
PY=/usr/bin/python3
NS=pxedunks$$
CN=pxedunkc$$

lab_pair "$NS" 10.77.0.2/24 "$CN" || { fail unknown-lab "cannot create namespaces"; exit 1; }

mkdir -p "$T/tftp" "$T/http" "$T/templates"
echo '# {{name}}' >"$T/templates/a.ks"
inventory() {	# inventory [EXTRA-HOST-YAML-FILE]
	inventory_head pxe0 10.77.0.2 full 10.77.0.0/24 10.77.0.100-10.77.0.140
	boot_yaml local
	cat <<YAML
profiles:
  alpha:
    kernel: a/vmlinuz
    initrd: a/initrd
    kickstart: templates/a.ks
  beta:
    kernel: b/vmlinuz
    initrd: b/initrd
    kickstart: templates/a.ks
YAML
	if [ -n "$1" ]; then
		cat "$1"
	else
		printf 'hosts:\n  node01:\n    mac: 52:54:00:00:00:01\n'
	fi
}
inventory >"$T/pxed.yaml"

ctl() { "$PXECTL" -s "$T/sock" "$@"; }
cli() { ip netns exec "$CN" $PY regress/integration/dhcp/client.py peer0 "$@"; }
stat_of() { ctl show stats | awk -v n="$1" '$1 == "dhcpd" && $3 == n { print $4 }'; }

pxed_dhcp_up unknown

ctl show unknown >"$T/empty.out"
check "unknown: empty table has only its header" sh -c "[ \$(wc -l <'$T/empty.out') -eq 1 ] && grep -q '^MAC  *ARCH  *VENDOR  *FIRST-SEEN  *LAST-SEEN  *COUNT  *UUID\$' '$T/empty.out'"

# A known host, a plain DHCP client and two PXE clients.
cli --mac 52:54:00:00:00:01 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 >/dev/null
cli --mac 02:00:00:00:aa:01 >/dev/null
cli --mac 52:54:00:aa:bb:cc --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 >/dev/null
cli --mac 02:00:00:00:aa:02 --vc PXEClient:Arch:00000:UNDI:002001 --ipxe raw --arch 0 >/dev/null
wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show unknown | grep -q '^02:00:00:00:aa:02 '"
ctl show unknown >"$T/t.out"
check "unknown: the UEFI PXE client is listed with its arch and vendor" grep -Eq '^52:54:00:aa:bb:cc +uefi-x64 +PXEClient:Arch:00007:UNDI:003016 +20[0-9-]+T[0-9:]+Z +20[0-9-]+T[0-9:]+Z +1 +-$' "$T/t.out"
check "unknown: the iPXE client is listed as bios" grep -Eq '^02:00:00:00:aa:02 +bios ' "$T/t.out"
check "unknown: the inventory host is not listed" sh -c "! grep -q '^52:54:00:00:00:01' '$T/t.out'"
check "unknown: a non-PXE client is not listed" sh -c "! grep -q '^02:00:00:00:aa:01' '$T/t.out'"
check "unknown: the columns line up" sh -c "awk '{ print index(\$0, \$2) }' '$T/t.out' | sort -u | wc -l | grep -qx 1"

ctl -j show unknown >"$T/t.json"
check "unknown -j: JSON with arch, archname, vendor, times, count" $PY -c "
import json, sys
l = json.load(open('$T/t.json'))
e = [x for x in l if x['mac'] == '52:54:00:aa:bb:cc']
assert len(l) == 2 and len(e) == 1, l
e = e[0]
assert e['arch'] == 7 and e['archname'] == 'uefi-x64', e
assert e['vendor'] == 'PXEClient:Arch:00007:UNDI:003016', e
assert e['count'] == 1 and e['first_seen'] <= e['last_seen'], e
"

# Within a minute a MAC is reported once, however often it asks.
before=$(stat_of unknown_reported)
cli --mac 52:54:00:aa:bb:cc --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --count 5 --timeout 0.3 >/dev/null
after=$(stat_of unknown_reported)
check "unknown: a MAC is reported at most once a minute" test "$before" = "$after"
check "unknown: its count did not grow" sh -c "'$PXECTL' -s '$T/sock' show unknown | grep -Eq '^52:54:00:aa:bb:cc .* 1 +-\$'"

# The entry to paste, and the inventory with it loads.
ctl show unknown 52:54:00:AA:BB:CC >"$T/entry.out"
check "unknown MAC: a hosts: entry named node-525400aabbcc" sh -c "grep -qx 'hosts:' '$T/entry.out' && grep -qx '  node-525400aabbcc:' '$T/entry.out' && grep -Eq '^    mac: 52:54:00:aa:bb:cc ' '$T/entry.out'"
check "unknown MAC: the profiles to choose from" grep -Eq '^    # profile: alpha +# one of: alpha, beta$' "$T/entry.out"
inventory "$T/entry.out" >"$T/new.yaml"
check "unknown MAC: pasted into the inventory, pxed -n accepts it" "$PXED" -n -f "$T/new.yaml"
sed 's/^    # profile: \(alpha\).*/    profile: \1/' "$T/entry.out" >"$T/entry2.out"
inventory "$T/entry2.out" >"$T/new2.yaml"
check "unknown MAC: with its profile line uncommented, pxed -n accepts it" sh -c "grep -q '^    profile: alpha' '$T/new2.yaml' && '$PXED' -n -f '$T/new2.yaml'"
ctl -j show unknown 52:54:00:aa:bb:cc >"$T/one.json"
check "unknown MAC -j: its row as JSON" $PY -c "
import json; e = json.load(open('$T/one.json')); assert e['mac'] == '52:54:00:aa:bb:cc' and e['arch'] == 7, e"
check "unknown MAC never seen: an error" sh -c "! '$PXECTL' -s '$T/sock' show unknown 02:00:00:00:ff:ff 2>'$T/err' && grep -q 'not seen' '$T/err'"
check "unknown: a bad MAC is refused by pxectl" sh -c "! '$PXECTL' -s '$T/sock' show unknown zz:00 2>'$T/err' && grep -q 'not a MAC address or a UUID' '$T/err'"

# One machine booting from three NICs, each sending its UUID (option 97,
# GUID order as OVMF sends it): one row with the three MACs.
U=4c4c4544-0051-3810-8035-b8c04f443531
U97=0044454c4c510010388035b8c04f443531
for m in 02:00:00:00:bb:01 02:00:00:00:bb:02 02:00:00:00:bb:03; do
	cli --mac $m --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --uuid97 $U97 >/dev/null
done
# ... and a malformed option 97 (short, type 1): never trusted, each MAC its own row.
cli --mac 02:00:00:00:cc:01 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --uuid97 0044454c4c5100 >/dev/null
cli --mac 02:00:00:00:cc:02 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --uuid97 0144454c4c510010388035b8c04f443531 >/dev/null
wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show unknown | grep -q '02:00:00:00:cc:02'"
ctl show unknown >"$T/g.out"
check "unknown by UUID: three MACs of one machine are one row" grep -Eq '^02:00:00:00:bb:01,02:00:00:00:bb:02,02:00:00:00:bb:03 +uefi-x64 .* 3 +44454c4c-5100-1038-8035-b8c04f443531$' "$T/g.out"
check "unknown by UUID: a malformed option 97 is no UUID" sh -c "grep -Eq '^02:00:00:00:cc:01 .* -\$' '$T/g.out' && grep -Eq '^02:00:00:00:cc:02 .* -\$' '$T/g.out'"
ctl -j show unknown >"$T/g.json"
check "unknown by UUID -j: one machine, all its MACs" $PY -c "
import json
l = json.load(open('$T/g.json'))
e = [x for x in l if x['uuid'] == '44454c4c-5100-1038-8035-b8c04f443531']
assert len(e) == 1, l
assert e[0]['macs'] == ['02:00:00:00:bb:01', '02:00:00:00:bb:02', '02:00:00:00:bb:03'], e
assert e[0]['count'] == 3 and e[0]['mac'] == '02:00:00:00:bb:01', e
assert all(x['uuid'] is None for x in l if x['mac'].startswith('02:00:00:00:cc')), l
"
ctl show unknown 44454C4C-5100-1038-8035-B8C04F443531 >"$T/u.out"
check "unknown UUID: one entry with uuid: and the list of MACs" sh -c "grep -qx '    uuid: 44454c4c-5100-1038-8035-b8c04f443531' '$T/u.out' && grep -Eq '^    mac: +# uefi-x64' '$T/u.out' && [ \$(grep -c '^      - 02:00:00:00:bb:0[123]\$' '$T/u.out') -eq 3 ]"
ctl show unknown 02:00:00:00:bb:02 >"$T/u2.out"
check "unknown MAC of a machine: the same entry" cmp -s "$T/u.out" "$T/u2.out"
inventory "$T/u.out" >"$T/u.yaml"
check "unknown UUID: pasted into the inventory, pxed -n accepts it" "$PXED" -n -f "$T/u.yaml"

# A random-MAC flood: dhcpd reports a bounded trickle, the table stays
# bounded, and the master keeps answering.
cli --random-macs --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --count 300 --timeout 0.5 >/dev/null
n=$(stat_of unknown_reported)
check "unknown flood: dhcpd reported fewer than the 300 MACs" test "$n" -lt 300
check "unknown flood: the table stays within 1024" test "$(ctl show unknown | wc -l)" -le 1025
check "unknown flood: dhcpd survived" kill -0 "$(worker_pid $MPID dhcpd)"
check "unknown flood: no worker was killed" sh -c "! grep -q 'bad IMSG_UNKNOWN_SEEN' '$T/log'"

# After the MAC is added and pxed reloads, it is no longer unknown.
inventory "$T/entry.out" >"$T/pxed.yaml"
ctl reload >/dev/null
check "unknown: after a reload that lists it, it is gone" sh -c "! '$PXECTL' -s '$T/sock' show unknown | grep -q '^52:54:00:aa:bb:cc'"
# Listed by its UUID only (in dmidecode's order, one MAC of another NIC):
# all three MACs of the machine are known after a reload.
{ cat "$T/entry.out"; printf '  twonic:\n    mac: 02:00:00:00:dd:01\n    uuid: %s\n' "$U"; } >"$T/e3.out"
inventory "$T/e3.out" >"$T/pxed.yaml"
ctl reload >/dev/null
check "unknown: a reload that lists the machine's UUID drops all its MACs" sh -c "! '$PXECTL' -s '$T/sock' show unknown | grep -q '02:00:00:00:bb:0'"
check "unknown: the other one stays" sh -c "'$PXECTL' -s '$T/sock' show unknown | grep -q '^02:00:00:00:aa:02'"

kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
exit 0
