#!/bin/sh
# The boot storm's load client against pxed with a few machines: every
# one must get through DHCP, TFTP and HTTP to done, and every host must
# be local afterwards.  Keeps build/storm honest; the numbers come from
# regress/bench/storm.sh.

. regress/lib.sh
. regress/bench/storm.lab
lab_init storm	# KEEP=1 keeps $T, with the load client's out and pxed's log
STORM=${STORM:-$PWD/${BUILD:-build}/storm}
[ -x "$STORM" ] || { fail storm "no $STORM (make storm)"; exit 0; }
N=${STORM_N:-48}
NS=pxedst$$
CNS=pxedstc$$

STORM_EFI_KB=256 STORM_KERNEL_KB=512 STORM_INITRD_KB=1024 storm_files
storm_inventory "$N"
storm_lab "$NS" "$CNS" || { fail storm-lab "cannot create namespaces"; exit 1; }
pxed_start "$NS"
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
if ! wait_for 10 ctl show hosts; then
	fail "pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
check "all $N hosts armed before the storm" test "$(ctl show hosts | grep -c ' install ')" = "$N"

ip netns exec "$CNS" timeout 120 "$STORM" -q -n "$N" -r 500 -t 60 -i peer0 \
    -s "$STORM_SRV" -u "$STORM_HTTP" >"$T/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then pass "storm of $N machines: no failure"
else fail "storm of $N machines: no failure" "$(grep -E '^(failure|machines)' "$T/out" | head -5)"; fi
check "storm: every machine counted ok" grep -q "^machines $N ok $N failed 0 " "$T/out"
for s in dhcp loader menu kernel initrd kickstart done total; do
	check "storm: $s timed for all $N" grep -Eq "^$s +$N " "$T/out"
done
ctl show hosts >"$T/hosts"
check "every host is local after the storm" test "$(grep -Ec '^s[0-9]+ .* local +2' "$T/hosts")" = "$N"
check "no host still armed" sh -c "! grep -q ' install ' '$T/hosts'"
check "tsize probes were ended with ERROR 8" grep -q 'refused the options for .* (tsize probe)' "$T/log"
check "no TFTP transfer logged as failed" sh -c "! grep -q '^tftp: .* failed: ' '$T/log'"
check "loaders went with windowsize 4" grep -q 'sent BOOTX64.EFI to .* blksize 1468 windowsize 4' "$T/log"
check "no worker died in the storm" sh -c "! grep -Eq '(dhcpd|tftpd|httpd) exited' '$T/log'"
exit 0
