# Sourced by dhcp.sh: the state directory on a tiny tmpfs that fills
# up.  A lease that cannot be stored gets no ACK and a log line; once
# there is room again the ACKs come back.

mkdir -p "$T/small"
mount -t tmpfs -o size=64k tmpfs "$T/small"
inventory full local "$T/small/state" >"$T/pxed.yaml"
rm -f "$T/sock"
if start_pxed; then pass "disk: pxed starts on a small state disk"; else fail "disk: pxed starts on a small state disk" "$(tail -3 "$T/log")"; fi
cli --mac 02:00:00:00:08:01 >"$T/o.json"
fip=$(jget "$T/o.json" "r['yiaddr']")
cli --mac 02:00:00:00:08:01 --type request --reqip "$fip" >"$T/r.json"
jcheck "disk: ACK while there is room" "$T/r.json" "r.get('type') == 5"
dd if=/dev/zero of="$T/small/fill" bs=1k count=200 2>/dev/null
cli --mac 02:00:00:00:08:01 --type request --reqip "$fip" --repeat 150 --timeout 0.3 >"$T/r.json"
jcheck "disk: a full disk means no ACK" "$T/r.json" "r['unanswered'] > 0"
check "disk: the failure is logged" grep -q 'leases: cannot store 1 leases: No space left on device; no ACK' "$T/log"
check "disk: dhcpd counts it" test "$(stat_of commit_failed)" -gt 0
check "disk: the journal holds whole records only" sh -c "tail -c 1 $T/small/state/leases.journal | od -c | grep -q '\\\\n'"
rm -f "$T/small/fill"
cli --mac 02:00:00:00:08:01 --type request --reqip "$fip" >"$T/r.json"
jcheck "disk: ACKs come back with room" "$T/r.json" "r.get('type') == 5"
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
umount "$T/small"
