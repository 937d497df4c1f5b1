#!/bin/sh
# TFTP side by side: pxed, tftp-hpa (in.tftpd) and atftpd in the same
# run, serving the same 8 MiB file from the same root to the same client
# (atftp) across a veth pair between two namespaces.  Prints the times
# and the ratios that BENCHMARKS.md records.
#
#	sh regress/bench/tftp.sh	(as root, after make)

cd "$(dirname "$0")/../.." || exit 1
. regress/lib.sh
. regress/bench/lib.sh
if [ "$(id -u)" -ne 0 ]; then
	echo "tftp bench: needs root"; exit 1
fi
ensure_user _pxed
REPS=${REPS:-5}
# One download is bound by the round-trip time, which swings with where
# the scheduler puts the server and the client: ONE of them per round.
ONE=${ONE:-3}
PAR=${PAR:-200}

T=$(mktemp -d /tmp/pxed-bench-tftp.XXXXXX)
O=$(mktemp -d /dev/shm/pxed-bench-tftp.XXXXXX)
chmod 755 "$T"
NS=pxedbt$$
CNS=pxedbtc$$
SRV=10.78.0.2
MPID= HPID= APID=
cleanup() {
	for p in $MPID $HPID $APID; do kill "$p" 2>/dev/null; done
	[ -n "$MPID" ] && kill -9 $(pgrep -P "$MPID") 2>/dev/null
	ip netns del "$CNS" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T" "$O"
}
trap cleanup EXIT INT TERM

# The reference servers: Debian's tftpd-hpa and atftpd conflict, so
# atftpd is unpacked from its package beside the build.
sh regress/deps.sh >/dev/null
ATFTPD=$(command -v atftpd || echo build/atftpd/usr/sbin/atftpd)
if [ ! -x "$ATFTPD" ]; then
	(cd "$T" && apt-get download atftpd >/dev/null 2>&1) &&
	    dpkg-deb -x "$T"/atftpd_*.deb build/atftpd ||
	    { echo "tftp bench: cannot get atftpd"; exit 1; }
fi
TFTPLOAD=${BUILD:-build}/tftpload
for b in atftp /usr/sbin/in.tftpd "$ATFTPD" "$TFTPLOAD"; do
	command -v "$b" >/dev/null || { echo "tftp bench: no $b"; exit 1; }
done

# Installing tftpd-hpa may have started its service on udp/69 of the
# root namespace; the tests use namespaces of their own, but stop it.
[ -x /etc/init.d/tftpd-hpa ] && /etc/init.d/tftpd-hpa stop >/dev/null 2>&1
R=$T/tftp
mkdir -p "$R" "$T/http"
head -c 8388608 /dev/urandom >"$R/f8m"
chmod -R a+rX "$R"
cat >"$T/pxed.yaml" <<YAML
server:
  interfaces: [pxe0]
  address: $SRV
  user: _pxed
  state: $T/state
  # All the load comes from one address; real clients each have theirs.
  tftp: { root: $R, per_client: 1000 }
  http: { root: $T/http, port: 8080 }
dhcp:
  mode: off
YAML

lab_pair "$NS" $SRV/24 "$CNS" 10.78.0.50/24 ||
    { echo "tftp bench: no namespaces"; exit 1; }

$ON_SERVER ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" \
    2>"$T/pxed.log" &
MPID=$!
$ON_SERVER ip netns exec "$NS" /usr/sbin/in.tftpd -L -a $SRV:1069 -s -u nobody "$R" &
HPID=$!
$ON_SERVER ip netns exec "$NS" "$ATFTPD" --daemon --no-fork --port 2069 \
    --bind-address $SRV --maxthread 1000 --user nobody --group nogroup \
    --logfile /dev/null "$R" &
APID=$!
sleep 1
for p in 69 1069 2069; do
	wait_for 5 sh -c "ip netns exec $NS ss -lun | grep -q ':$p '" ||
	    { echo "tftp bench: nothing on udp/$p"; exit 1; }
done

now() { date +%s.%N; }
sub() { awk "BEGIN { printf \"%.3f\\n\", $1 - $2 }"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
# one PORT OPTS...: seconds for one download, checked byte-exact.
one() {
	_p=$1; shift
	rm -f "$O/one"
	_s=$(now)
	$ON_CLIENT ip netns exec "$CNS" atftp "$@" -g -r f8m -l "$O/one" $SRV "$_p" \
	    >/dev/null 2>&1
	_e=$(now)
	cmp -s "$O/one" "$R/f8m" || { echo fail; return; }
	sub "$_e" "$_s"
}
# median FILE: the median of the times in FILE.
median() { bench_stats <"$1" | cut -d' ' -f1; }
# par PORT [WINDOW]: PAR parallel downloads from build/tftpload, one
# process with one loop (a process per download would spend more of the
# two cores than the servers do); every byte is compared with the file.
# Prints "seconds failures".
par() {
	_o=$($ON_CLIENT ip netns exec "$CNS" "$TFTPLOAD" -b 1468 -w "${2:-1}" -n "$PAR" \
	    -t 300 -c "$R/f8m" $SRV "$1" f8m 2>>"$T/tftpload.err")
	_s=$(echo "$_o" | sed -n 's/.* seconds \([0-9.]*\).*/\1/p')
	_f=$(echo "$_o" | sed -n 's/.* failed \([0-9]*\) .*/\1/p')
	echo "${_s:-0} ${_f:-$PAR}"
}

# BENCH_PERF=1: the first round's PAR lockstep downloads from each
# server are profiled for 8 s (regress/bench/lib.sh, bench_perf_start)
# into build/perf/tftp-SERVER-PAR-lockstep.txt: pxed's master and
# workers, tftp-hpa's listening process (it forks one a transfer: only
# the CPU-wide profile sees those), atftpd.
perf_on() {
	[ -n "${BENCH_PERF:-}" ] && [ "$2" = 1 ] || return 0
	case $1 in
	pxed) set -- "$1" "$MPID" $(pgrep -P "$MPID") ;;
	tftphpa) set -- "$1" "$HPID" ;;
	*) set -- "$1" "$APID" ;;
	esac
	_n=$1; shift
	bench_perf_start "tftp-$_n-$PAR-lockstep" 8 "$@"
}

# Rounds interleave the servers, so that a change in the machine's
# load falls on all of them alike; each figure is the median of REPS.
SERVERS="pxed:69 tftphpa:1069 atftpd:2069"
for r in $(seq "$REPS"); do
	for s in $SERVERS; do
		n=${s%:*} p=${s#*:}
		for k in $(seq "$ONE"); do
			one "$p" --option 'blksize 1468' >>"$T/L.$n"
			one "$p" --option 'blksize 1468' \
			    --option 'windowsize 16' >>"$T/W.$n"
		done
		perf_on "$n" "$r"
		o=$(par "$p")
		bench_perf_stop
		echo "${o% *}" >>"$T/P.$n"
		echo "${o#* }" >>"$T/PF.$n"
		o=$(par "$p" 16)
		echo "${o% *}" >>"$T/Q.$n"
		echo "${o#* }" >>"$T/QF.$n"
		echo "round $r $n: lockstep $(tail -1 "$T/L.$n")" \
		    "windowsize 16 $(tail -1 "$T/W.$n")" \
		    "$PAR parallel $(tail -1 "$T/P.$n") ($(tail -1 "$T/PF.$n") failed)" \
		    "$PAR parallel windowsize 16 $(tail -1 "$T/Q.$n")" \
		    "($(tail -1 "$T/QF.$n") failed)"
	done
done
# sum FILE: the failures of every round.
sum() { awk '{ s += $1 } END { print s + 0 }' "$1"; }
for s in $SERVERS; do
	n=${s%:*}
	for k in L W P Q; do
		eval "${k}_$n=\$(median $T/$k.$n)"
	done
	eval "PF_$n=\$(sum $T/PF.$n)"
	eval "QF_$n=\$(sum $T/QF.$n)"
done
{
printf '%s\n' "TFTP, 8 MiB file, blksize 1468, veth between namespaces;" \
    "one download: atftp; $PAR at once: build/tftpload (one process)"
printf '%-40s %10s %10s %10s\n' "seconds (median of $REPS)" pxed tftp-hpa atftpd
printf '%-40s %10.3f %10.3f %10.3f\n' "one, lockstep ($ONE a round)" "$L_pxed" "$L_tftphpa" "$L_atftpd"
printf '%-40s %10.3f %10.3f %10.3f\n' "one, windowsize 16 (tftp-hpa: lockstep)" \
    "$W_pxed" "$W_tftphpa" "$W_atftpd"
printf '%-40s %10.3f %10.3f %10.3f\n' "$PAR at once, lockstep" \
    "$P_pxed" "$P_tftphpa" "$P_atftpd"
printf '%-40s %10.3f %10.3f %10.3f\n' "$PAR at once, windowsize 16" \
    "$Q_pxed" "$Q_tftphpa" "$Q_atftpd"
printf '%-40s %10s %10s %10s\n' "failures in all $REPS rounds" \
    "$((PF_pxed + QF_pxed))" "$((PF_tftphpa + QF_tftphpa))" \
    "$((PF_atftpd + QF_atftpd))"
echo
echo "pxed/tftp-hpa one lockstep:            $(ratio "$L_pxed" "$L_tftphpa") (target <= 1.00)"
echo "pxed one lockstep/windowsize 16:       $(ratio "$L_pxed" "$W_pxed") (target >= 2.00)"
echo "pxed/tftp-hpa $PAR at once lockstep:     $(ratio "$P_pxed" "$P_tftphpa") (target <= 0.50, issue 24; 0 failures)"
echo "pxed/tftp-hpa $PAR at once windowsize 16: $(ratio "$Q_pxed" "$Q_tftphpa") (target <= 0.70, 0 failures)"
echo "pxed/atftpd $PAR at once lockstep:       $(ratio "$P_pxed" "$P_atftpd")"
} >"$T/table"
cat "$T/table"
[ -s "$T/tftpload.err" ] && sed 's/^/  /' "$T/tftpload.err" | head -20
{
	echo "Run of $BENCH_DATE:"
	echo
	echo "    PIN=$PIN REPS=$REPS ONE=$ONE PAR=$PAR sh regress/bench/tftp.sh"
	echo
	echo "Machine: $(bench_machine)."
	echo
	sed '/./s/^/    /' "$T/table"
	if [ -s "$T/tftpload.err" ]; then
		echo
		echo "tftpload reported:"
		echo
		sed 's/^/    /' "$T/tftpload.err" | head -20
	fi
} >"$T/block"
bench_md tftp "${BENCH_MD-}" "$T/block"
exit 0
