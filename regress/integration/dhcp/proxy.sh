# Sourced by dhcp.sh: ProxyDHCP beside a real dnsmasq that hands out
# the addresses.  pxed answers PXE clients only, on 67 and 4011, and
# never assigns an address.

inventory proxy local "$T/pstate" >"$T/pxed.yaml"
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --port=0 --interface=pxe0 --bind-interfaces \
    --dhcp-range=10.77.0.200,10.77.0.220,1h \
    --dhcp-leasefile="$T/dnsmasq.leases" --pid-file="$T/dnsmasq.pid" \
    2>"$T/dnsmasq.log" &
DPID=$!
rm -f "$T/sock"
if start_pxed; then pass "proxy: pxed starts beside dnsmasq"; else fail "proxy: pxed starts beside dnsmasq" "$(tail -3 "$T/log")"; fi
check "proxy: pxed holds udp/4011" sh -c "ip netns exec $NS ss -lun | grep -q ':4011 '"
ip -n "$CN" link set peer0 address 02:00:00:00:09:01
timeout 20 ip netns exec "$CN" udhcpc -f -q -n -i peer0 -s "$T/udhcpc.sh" >/dev/null 2>&1
check "proxy: the client's address comes from dnsmasq" grep -Eq '^ip=10\.77\.0\.2[0-2][0-9]$' "$T/udhcpc.02:00:00:00:09:01"
cli --mac 02:00:00:00:09:01 --vc PXEClient:Arch:00000:UNDI:002001 --arch 0 --uuid --proxy >"$T/r.json"
jcheck "proxy: BIOS gets an OFFER without an address" "$T/r.json" "r.get('type') == 2 and r['yiaddr'] == '0.0.0.0'"
jcheck "proxy: file, siaddr, 54, 60 PXEClient, 43 discovery control, 97" "$T/r.json" "r['file'] == 'pxelinux.0' and r['siaddr'] == '10.77.0.2' and r['opts']['54'] == '0a4d0002' and bytes.fromhex(r['opts']['60']) == b'PXEClient' and r['opts']['43'] == '060108ff' and r['opts']['97'] == '00' + bytes(range(16)).hex()"
jcheck "proxy: no lease options" "$T/r.json" "'51' not in r['opts'] and '1' not in r['opts']"
cli --mac 02:00:00:00:09:02 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --proxy >"$T/r.json"
jcheck "proxy: UEFI gets an OFFER without option 43" "$T/r.json" "r.get('type') == 2 and '43' not in r['opts'] and r['file'] == 'BOOTX64.EFI'"
cli --mac 02:00:00:00:09:03 --proxy --timeout 0.5 >"$T/r.json"
jcheck "proxy: a client that is not PXE gets nothing from pxed" "$T/r.json" "r == {}"
ip -n "$CN" addr add 10.77.0.55/24 dev peer0
cli --mac 02:00:00:00:09:02 --type request --ciaddr 10.77.0.55 --vc PXEClient:Arch:00007:UNDI:003016 --arch 7 --uuid --src 10.77.0.55:68 --to 10.77.0.2:4011 >"$T/r.json"
jcheck "proxy 4011: ACK from port 4011 with the file" "$T/r.json" "r.get('type') == 5 and r['from'] == '10.77.0.2:4011' and r['file'] == 'BOOTX64.EFI' and r['opts']['97'] == '00' + bytes(range(16)).hex()"
ip -n "$CN" addr flush dev peer0
check "proxy: pxed assigned no address" test "$(ctl show leases | wc -l)" -eq 1
check "proxy: the reply is logged" grep -q 'dhcp: proxy OFFER - to 02:00:00:00:09:01 (unknown) arch bios file pxelinux.0' "$T/log"
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
