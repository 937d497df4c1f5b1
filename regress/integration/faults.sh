#!/bin/sh
# Faults under load, pxed started for real in namespaces of its own:
# kill -9 of each worker while the other workers' transfers run, SIGHUP
# with a good and with a broken inventory during transfers, and kill -9
# of the master during DHCP exchanges (no address held by two MACs, no
# ACKed lease lost).  Every load loop is bounded in count and time.

. regress/lib.sh
lab_init faults curl python3
NS=pxedfs$$
CN=pxedfc$$
SRV=10.77.0.2
LOADPIDS=
# shellcheck disable=SC2086	# one pid a word
test_cleanup() { [ -n "$LOADPIDS" ] && kill $LOADPIDS 2>/dev/null; }

lab_pair "$NS" $SRV/16 "$CN" 10.77.0.50/16 ||
    { fail faults-lab "cannot create namespaces"; exit 1; }

mkdir -p "$T/tftp" "$T/http" "$T/dl"
head -c 4194304 /dev/urandom >"$T/tftp/f4m"
head -c 8388608 /dev/urandom >"$T/http/f8m"
chmod -R a+rX "$T/tftp" "$T/http"
inventory() { inventory_node01 10.77.1.1-10.77.3.250 "$1"; }	# EXTRA
inventory >"$T/pxed.yaml"

ctl() { "$PXECTL" -s "$T/sock" "$@"; }
C() { ip netns exec "$CN" "$@"; }
start_pxed() {
	rm -f "$T/sock"
	ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" \
	    2>>"$T/log" &
	MPID=$!
	wait_for 10 ctl show stats && serving
}
# Every worker is up and holds its socket.
serving() {
	for w in dhcpd tftpd httpd; do
		wait_for 10 worker_pid $MPID $w || return 1
	done
	wait_for 5 listens u 67 && wait_for 5 listens u 69 &&
	    wait_for 5 listens t 8080
}
# node01 is offered its fixed address (a few tries: a worker may be
# coming back).
dhcp_answers() {
	for _i in 1 2 3 4 5; do
		C python3 regress/integration/dhcp/client.py peer0 \
		    --mac 52:54:00:00:00:01 --timeout 1 >"$T/offer.json"
		grep -q '"yiaddr": "10.77.0.11"' "$T/offer.json" && return 0
	done
	return 1
}
tftp_get() {	# tftp_get OUT [curl options]
	_o=$1; shift
	C curl -s --max-time 30 --tftp-blksize 1468 "$@" -o "$_o" \
	    "tftp://$SRV/f4m" && cmp -s "$_o" "$T/tftp/f4m"
}
http_get() {	# http_get OUT [curl options]
	_o=$1; shift
	C curl -s --max-time 30 "$@" -o "$_o" "http://$SRV:8080/f8m" &&
	    cmp -s "$_o" "$T/http/f8m"
}
# load KIND N ROUNDS TAG: N parallel loops of ROUNDS downloads each, rate
# limited so that they are in flight when the fault comes; one line per
# download in $T/dl/TAG.
load() {
	_k=$1 _n=$2 _r=$3 _tag=$4
	: >"$T/dl/$_tag"
	for _i in $(seq "$_n"); do
		(
			for _j in $(seq "$_r"); do
				_o=$T/dl/$_tag.$_i.$_j
				if ${_k}_get "$_o" --limit-rate 3M; then
					echo ok >>"$T/dl/$_tag"
				else
					echo "bad $_i.$_j" >>"$T/dl/$_tag"
				fi
				rm -f "$_o"
			done
		) &
		LOADPIDS="$LOADPIDS $!"
	done
}
load_wait() { wait $LOADPIDS; LOADPIDS=; }
# loaded TAG COUNT: every download of the load was complete and exact.
loaded() {
	check "$1: all $2 transfers complete byte-exact ($(grep -c '^ok$' "$T/dl/$1") ok)" \
	    sh -c "[ \$(grep -c '^ok\$' '$T/dl/$1') -eq $2 ] && ! grep -q bad '$T/dl/$1'"
}
in_flight() { pgrep -f "curl .*$1://$SRV" >/dev/null; }

if ! start_pxed; then
	fail "pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
pass "pxed starts"
check "dhcp answers before the faults" dhcp_answers
check "tftp answers before the faults" tftp_get "$T/dl/pre.t"
check "http answers before the faults" http_get "$T/dl/pre.h"

# kill -9 of a worker: WORKER, the load kinds beside it, and how the
# restarted one is seen to answer.
kill_worker() {	# kill_worker WORKER KINDS...
	_w=$1; shift
	_old=$(worker_pid $MPID "$_w")
	for _k in "$@"; do
		load "$_k" 3 2 "kill-$_w-$_k"
	done
	wait_for 5 in_flight "$1"
	check "kill -9 $_w: $* transfers in flight at the kill" in_flight "$1"
	kill -9 "$_old"
	load_wait
	for _k in "$@"; do
		loaded "kill-$_w-$_k" 6
	done
	check "kill -9 $_w: the master restarts it" wait_for 10 sh -c \
	    "_p=\$(. regress/lib.sh; worker_pid $MPID $_w) && [ \"\$_p\" != $_old ]"
	check "kill -9 $_w: the death is logged" grep -q "$_w exited on signal 9" "$T/log"
}
kill_worker dhcpd tftp http
check "kill -9 dhcpd: the new dhcpd answers" dhcp_answers
kill_worker tftpd http
check "kill -9 tftpd: the new tftpd serves byte-exact" wait_for 5 tftp_get "$T/dl/post.t"
kill_worker httpd tftp
check "kill -9 httpd: the new httpd serves byte-exact" wait_for 5 http_get "$T/dl/post.h"
check "the master survived the worker kills" kill -0 $MPID

# SIGHUP during load: a good inventory is taken, a broken one refused;
# transfers in flight complete either way and every worker keeps its pid.
hup() {	# hup TAG LOGLINE
	_pids=$(for w in dhcpd tftpd httpd; do worker_pid $MPID $w; done)
	load tftp 3 2 "$1-tftp"
	load http 3 2 "$1-http"
	wait_for 5 in_flight tftp
	kill -HUP $MPID
	check "$1: the reload is logged" wait_for 5 grep -q "$2" "$T/log"
	load_wait
	loaded "$1-tftp" 6
	loaded "$1-http" 6
	check "$1: no worker restarted" test "$_pids" = \
	    "$(for w in dhcpd tftpd httpd; do worker_pid $MPID $w; done)"
	check "$1: dhcp still answers" dhcp_answers
	check "$1: tftp still answers" tftp_get "$T/dl/$1.t"
	check "$1: http still answers" http_get "$T/dl/$1.h"
}
inventory '  node09:
    mac: 52:54:00:00:00:09' >"$T/pxed.yaml"
hup "SIGHUP good inventory" "reloaded $T/pxed.yaml: 2 hosts"
check "SIGHUP good inventory: the new host is known" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -q '^node09 '"
inventory '  node10:
    mac: not-a-mac
  node11: [' >"$T/pxed.yaml"
hup "SIGHUP broken inventory" "reload refused"
check "SIGHUP broken inventory: the old hosts stay" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -q '^node09 '"
check "the master survived the reloads" kill -0 $MPID
inventory >"$T/pxed.yaml"

# kill -9 of the master (and its workers: a crash of the whole) during
# DHCP exchanges; restarted, it loses no ACKed lease and never gives one
# address to two MACs.
: >"$T/acks"
C python3 regress/integration/faults/dora.py peer0 1 400 15 "$T/acks" &
DORA=$!
LOADPIDS=$DORA
wait_for 10 sh -c "[ \$(wc -l <'$T/acks') -ge 50 ]"
kill -9 $MPID $(pgrep -P $MPID)
wait $MPID 2>/dev/null
MPID=
n1=$(wc -l <"$T/acks")
if start_pxed; then pass "kill -9 master during DHCP load: pxed restarts"
else fail "kill -9 master during DHCP load: pxed restarts" "$(tail -3 "$T/log")"; fi
wait $DORA
LOADPIDS=
n2=$(wc -l <"$T/acks")
C python3 regress/integration/faults/dora.py peer0 2 100 10 "$T/acks"
n3=$(wc -l <"$T/acks")
check "kill -9 master: ACKs before the kill ($n1), with the kill ($n2), after ($n3)" \
    test "$n1" -ge 50 -a "$n3" -ge $((n2 + 90))
ctl show leases >"$T/leases"
check "kill -9 master: every ACKed lease is active" sh -c \
    "while read ip mac; do grep -Eq \"^\$ip +\$mac +.* active \" '$T/leases' || exit 1; done <'$T/acks'"
check "kill -9 master: no address was ACKed to two MACs" test \
    "$(cut -d' ' -f1 "$T/acks" | sort | uniq -d | wc -l)" -eq 0
check "kill -9 master: no address held by two MACs" test \
    "$(awk '$4 == "active" || $4 == "offered" { print $1 }' "$T/leases" | sort | uniq -d | wc -l)" -eq 0
check "kill -9 master: node01 still gets its fixed address" dhcp_answers
kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
exit 0
