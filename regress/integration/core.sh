#!/bin/sh
# The appliance core, started for real as root in a namespace of its own:
# four titled processes, sandboxed workers, restarts, reloads, pxectl,
# the state directory, a clean shutdown.

. regress/lib.sh
lab_init core
NS=pxedcore$$

mkdir -p "$T/tftp" "$T/http" "$T/templates"
echo 'url --url={{http}}/rocky9' >"$T/templates/ks.cfg"
inventory() {	# inventory EXTRA_HOST_LINES
	inventory_head pxe0 10.77.0.2 full 10.77.0.0/24 10.77.0.100-10.77.0.150 10.77.0.1
	printf 'boot:\n  bios: pxelinux.0\n'
	inventory_rocky9
	inventory_nodes 52:54:00:00:00: 10.77.0.11
	printf '%s\n' "$1"
}
inventory >"$T/pxed.yaml"

lab_up "$NS" 10.77.0.2/24 || { fail core-lab "cannot create namespace"; exit 1; }
check "pxed -n accepts the test inventory" "$PXED" -n -f "$T/pxed.yaml"

pxed_start "$NS"
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
if ! wait_for 5 ctl show hosts; then
	fail "pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
pass "pxed starts and answers pxectl"
wait_for 5 sh -c "[ \$(pgrep -c -P $MPID) -ge 3 ]"

# Four processes with their titles.
check "master title" test "$(proc_title $MPID)" = "pxed: master"
# The scheduling policy: field 41 of stat, after the command in parens.
sched_policy() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f39; }
check "master runs SCHED_BATCH (3)" test "$(sched_policy $MPID)" = 3
PXUID=$(id -u _pxed); PXGID=$(id -g _pxed)
for w in dhcpd tftpd httpd; do
	pid=$(worker_pid $MPID $w)
	if [ -z "$pid" ]; then fail "$w runs with its title"; continue; fi
	pass "$w runs with its title"
	st=/proc/$pid/status
	check "$w uid is _pxed" sh -c "grep -Eq '^Uid:\s+$PXUID\s+$PXUID\s+$PXUID\s+$PXUID\$' $st"
	check "$w gid is _pxed" sh -c "grep -Eq '^Gid:\s+$PXGID\s+$PXGID\s+$PXGID\s+$PXGID\$' $st"
	check "$w groups are only _pxed's" sh -c "grep -Eq '^Groups:\s+$PXGID\s*\$' $st"
	check "$w NoNewPrivs is 1" grep -Eq '^NoNewPrivs:\s+1$' "$st"
	check "$w runs under a seccomp filter" grep -Eq '^Seccomp:\s+2$' "$st"
	check "$w cannot regain capabilities" grep -Eq '^CapEff:\s+0+$' "$st"
	check "$w runs SCHED_BATCH (3)" test "$(sched_policy $pid)" = 3
	case $w in
	dhcpd) root=$T/state/empty ;;
	tftpd) root=$T/tftp ;;
	httpd) root=$T/http ;;
	esac
	check "$w is chrooted into $root" test "$(readlink /proc/$pid/root)" = "$root"
done
check "dhcpd holds udp/67" ns_holds $NS u 67 "$(worker_pid $MPID dhcpd)"
check "tftpd holds udp/69" ns_holds $NS u 69 "$(worker_pid $MPID tftpd)"
check "httpd holds tcp/8080" ns_holds $NS t 8080 "$(worker_pid $MPID httpd)"

# The state directory.
check "state dir is 0700" test "$(stat -c %a "$T/state")" = 700
check "secret key is 0600" test "$(stat -c %a "$T/state/secret.key")" = 600
check "secret key is 32 bytes" test "$(stat -c %s "$T/state/secret.key")" = 32
check "host states are recorded" grep -q '^node01 install 1 1$' "$T/state/hosts"

# pxectl.
ctl show hosts >"$T/hosts.out" 2>&1
check "show hosts lists node01 install" grep -Eq '^node01 +52:54:00:00:00:01 +10.77.0.11 +rocky9 +install +1' "$T/hosts.out"
check "show hosts lists node02 local from the pool" grep -Eq '^node02 +52:54:00:00:00:02 +- +rocky9 +local +1' "$T/hosts.out"
check "show hosts -j is JSON" sh -c "'$PXECTL' -j -s '$T/sock' show hosts | python3 -c 'import json,sys; h=json.load(sys.stdin); assert h[0][\"name\"]==\"node01\" and h[1][\"ip\"] is None'"
ctl show stats >"$T/stats.out" 2>&1
for w in master dhcpd tftpd httpd; do
	check "show stats has $w" grep -q "^$w " "$T/stats.out"
done
check "show stats -j is JSON" sh -c "'$PXECTL' -j -s '$T/sock' show stats | python3 -c 'import json,sys; s=json.load(sys.stdin); assert s[\"dhcpd\"][\"counters\"][\"sockets\"]==1'"
check "host node02 install" ctl host node02 install
check "node02 is armed with a new generation" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -Eq '^node02 .* install +2'"
check "the state journal follows" grep -q '^node02 install 2 0$' "$T/state/hosts.journal"
check "host with an unknown name fails" sh -c "! '$PXECTL' -s '$T/sock' host nosuch local"
check "log verbose" ctl log verbose
check "log brief" ctl log brief

# kill -9 of each worker: a new one within 2 s, the others untouched.
for w in dhcpd tftpd httpd; do
	old=$(worker_pid $MPID $w)
	others=$(for o in dhcpd tftpd httpd; do [ $o = $w ] || worker_pid $MPID $o; done | sort)
	kill -9 "$old"
	if wait_for 2 sh -c "p=\$(. regress/lib.sh; worker_pid $MPID $w) && [ \"\$p\" != $old ]"; then
		pass "kill -9 $w: restarted within 2 s"
	else
		fail "kill -9 $w: restarted within 2 s"
	fi
	now=$(for o in dhcpd tftpd httpd; do [ $o = $w ] || worker_pid $MPID $o; done | sort)
	check "kill -9 $w: the other workers kept running" test "$others" = "$now"
done
check "the master logged the restarts" grep -q 'exited on signal 9; restarting' "$T/log"
wait_for 2 sh -c "[ -n \"\$(. regress/lib.sh; worker_pid $MPID httpd)\" ]"
check "a restarted worker is sandboxed" grep -Eq '^NoNewPrivs:\s+1$' "/proc/$(worker_pid $MPID httpd)/status"
check "a restarted worker runs SCHED_BATCH" test "$(sched_policy "$(worker_pid $MPID httpd)")" = 3

# SIGHUP with a broken inventory: refused, logged, the old one serves on.
pids_before=$(pgrep -P $MPID | sort)
cp "$T/pxed.yaml" "$T/good.yaml"
inventory "  node03:
    mac: 52:54:00:00:00:zz" >"$T/pxed.yaml"
kill -HUP $MPID
if wait_for 3 grep -q 'reload refused' "$T/log"; then
	pass "SIGHUP with a broken inventory is refused"
else
	fail "SIGHUP with a broken inventory is refused"
fi
check "the refusal names file:line:column" grep -Eq "reload refused: $T/pxed.yaml:[0-9]+:[0-9]+: " "$T/log"
check "the old inventory keeps serving" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -q '^node02 '"
check "no worker was restarted by the refused reload" test "$pids_before" = "$(pgrep -P $MPID | sort)"
check "pxectl reload reports the errors and fails" sh -c "! '$PXECTL' -s '$T/sock' reload 2>&1 | grep -q pxed.yaml && false || ! '$PXECTL' -s '$T/sock' reload 2>/dev/null"
inventory "  node03:
    mac: 52:54:00:00:00:zz
  node04:
    mac: 52:54:00:00:00:04
    ip: 10.99.0.4" >"$T/pxed.yaml"
ctl reload 2>"$T/reload.err"
check "pxectl reload prints file:line:column" grep -Eq "pxed.yaml:[0-9]+:[0-9]+: " "$T/reload.err"
check "pxectl reload prints every error" test "$(grep -c 'pxed.yaml:[0-9]*:[0-9]*: ' "$T/reload.err")" -ge 2
# A server.user that does not exist, or root: refused, nothing restarts.
for u in no-such-user-here root; do
	inventory | sed "s/^  user: _pxed\$/  user: $u/" >"$T/pxed.yaml"
	if ctl reload 2>"$T/reload.err"; then
		fail "reload with server.user $u is refused" "it was accepted"
	else
		check "reload with server.user $u is refused with file:line:column" \
		    grep -Eq "pxed.yaml:[0-9]+:[0-9]+: server.user $u" "$T/reload.err"
	fi
done
check "... and no worker was restarted" test "$pids_before" = "$(pgrep -P $MPID | sort)"

# SIGHUP with a changed inventory: visible in show hosts.
inventory "  node03:
    mac: 52:54:00:00:00:03
    ip: 10.77.0.13" >"$T/pxed.yaml"
kill -HUP $MPID
if wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -q '^node03 '"; then
	pass "SIGHUP with a changed inventory shows node03"
else
	fail "SIGHUP with a changed inventory shows node03"
fi
check "node02 kept its state over the reload" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -Eq '^node02 .* install +2'"
check "the workers were reconfigured, not restarted" test "$pids_before" = "$(pgrep -P $MPID | sort)"
check "workers count the new configuration" sh -c "'$PXECTL' -s '$T/sock' show stats | grep -Eq '^tftpd +[0-9]+ +hosts +3'"

# A big inventory is read by a child while the master answers: 50,000
# hosts take the parser about a second; pxectl is answered meanwhile,
# a second pxectl reload is told one is running, and the reload lands.
cp "$T/pxed.yaml" "$T/small.yaml"
python3 - "$T/pxed.yaml" >"$T/big.yaml" <<'EOF'
import sys
sys.stdout.write(open(sys.argv[1]).read())
for i in range(50000):
    print('  b%d: { mac: "02:01:%02x:%02x:%02x:%02x", profile: rocky9 }'
          % (i, i >> 24 & 255, i >> 16 & 255, i >> 8 & 255, i & 255))
EOF
cp "$T/big.yaml" "$T/pxed.yaml"
parser() { pgrep -f "inventory parser" -P $MPID >/dev/null; }
kill -HUP $MPID
if wait_for 5 parser; then
	ctl show leases >/dev/null 2>&1; a=$?
	ctl reload 2>"$T/busy.err"; b=$?
	parser; c=$?
	check "pxectl is answered while the parser child reads ($a $c)" test "$a$c" = 00
	check "a second reload meanwhile: 'a reload is already running'" sh -c \
	    "[ $b -ne 0 ] && grep -q 'a reload is already running' '$T/busy.err'"
else
	fail "the inventory is read by a child process" "no 'inventory parser' seen"
fi
check "the big reload lands" wait_for 30 grep -q "reloaded $T/pxed.yaml: 50003 hosts" "$T/log"
check "the master logs how long reading and putting in place took" \
    grep -Eq 'reload: read in [0-9]+ ms by the parser, put in place in [0-9]+ ms' "$T/log"
check "no parser child is left" sh -c "! pgrep -f 'inventory parser' -P $MPID"
cp "$T/small.yaml" "$T/pxed.yaml"
check "and back to the small inventory" ctl reload

# A reload that moves a chroot restarts the workers, and the master stays.
mkdir -p "$T/tftp2"
sed "s|root: $T/tftp }|root: $T/tftp2 }|" "$T/pxed.yaml" >"$T/moved.yaml"
mv "$T/moved.yaml" "$T/pxed.yaml"
check "pxectl reload with a new TFTP root" ctl reload
if wait_for 3 sh -c "p=\$(. regress/lib.sh; worker_pid $MPID tftpd) && [ \"\$(readlink /proc/\$p/root)\" = '$T/tftp2' ]"; then
	pass "tftpd restarted into the new root"
else
	fail "tftpd restarted into the new root"
fi
check "the master survived the restarting reload" kill -0 $MPID
check "httpd holds tcp/8080 again" wait_for 3 sh -c ". regress/lib.sh; ns_holds $NS t 8080 \$(worker_pid $MPID httpd)"
sed -i 's/interfaces: \[pxe0\]/interfaces: [nosuch0]/' "$T/pxed.yaml"
check "a reload naming a missing interface is refused" sh -c "! '$PXECTL' -s '$T/sock' reload 2>/dev/null"
check "the master survived the refused reload" kill -0 $MPID
check "tftpd still holds udp/69" ns_holds $NS u 69 "$(worker_pid $MPID tftpd)"
sed -i 's/interfaces: \[nosuch0\]/interfaces: [pxe0]/' "$T/pxed.yaml"

# SIGTERM: nothing left behind.
kids=$(pgrep -P $MPID)
kill -TERM $MPID
if wait_for 5 sh -c "! kill -0 $MPID"; then
	pass "SIGTERM stops the master"
else
	fail "SIGTERM stops the master"
fi
wait $MPID 2>/dev/null
left=
for k in $kids; do kill -0 "$k" 2>/dev/null && left="$left $k"; done
check "SIGTERM leaves no worker behind" test -z "$left"
check "the control socket is removed" test ! -e "$T/sock"
MPID=

# Host states survive a restart.
ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" 2>>"$T/log" &
MPID=$!
wait_for 5 ctl show hosts
check "host states survive a restart" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -Eq '^node02 .* install +2'"
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
check "pxectl without a daemon fails clearly" sh -c "'$PXECTL' -s '$T/sock' show hosts 2>&1 | grep -q 'pxed running'"

# -s never removes what is not a socket.
echo "precious" >"$T/notasock"
ip netns exec "$NS" timeout 10 "$PXED" -d -f "$T/pxed.yaml" -s "$T/notasock" 2>"$T/log.s"
check "pxed -s on a regular file refuses to start" test $? -ne 0
check "... says why" grep -q "notasock: exists and is not a socket; not removing it" "$T/log.s"
check "... and leaves the file as it was" grep -qx precious "$T/notasock"
exit 0
