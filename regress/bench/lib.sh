# Shared by the benchmarks in regress/bench (sourced from the repository
# root, after regress/lib.sh): the machine a run was on, the median of
# repeated runs, and the rewrite of a benchmark's block in BENCHMARKS.md.

PY=/usr/bin/python3

# When the benchmark started, and the load average before it loaded
# the machine.
BENCH_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
BENCH_LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# Equal footing: every server (pxed's master and workers, and each
# reference server) runs on SERVER_CPUS, every load client on
# CLIENT_CPUS, the same for all, so that a multi-process server, its
# load client and pxed's SCHED_BATCH workers do not fight over the same
# cores and the figure measures the servers, not the scheduler.  PIN=0
# runs everything unpinned (the second figure); one core: unpinned.
if [ "$(nproc)" -ge 2 ]; then PIN=${PIN:-1}; else PIN=0; fi
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1}
# Prefixes of the commands that start servers and load clients; not
# functions, so that "$ON_SERVER cmd &" leaves the command's pid in $!.
if [ "$PIN" = 1 ]; then
	ON_SERVER="taskset -c $SERVER_CPUS"
	ON_CLIENT="taskset -c $CLIENT_CPUS"
else
	ON_SERVER= ON_CLIENT=
fi
# How the run was placed, for the tables.
bench_pinning() {
	if [ "$PIN" = 1 ]; then
		echo "servers on CPU $SERVER_CPUS, load clients on CPU $CLIENT_CPUS (taskset)"
	else
		echo "unpinned"
	fi
}

# The machine line: cores, CPU, kernel, Debian, and the load average at
# the start (when this file was sourced) and now, since other work on a
# shared machine moves the numbers.
bench_machine() {
	_bcpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
	echo "$(nproc) cores (${_bcpu:-unknown CPU}), Linux $(uname -r)," \
	    "Debian $(cat /etc/debian_version 2>/dev/null || echo '?')," \
	    "load average $BENCH_LOAD0 at the start," \
	    "$(cut -d' ' -f1-3 /proc/loadavg) at the end; $(bench_pinning)"
}

# The numbers on stdin, one a line: "median min max".  With an even
# count the median is the mean of the two middle ones.
bench_stats() {
	sort -n | awk '{ v[NR] = $1 }
	END {
		if (NR == 0) { print "0 0 0"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR]
	}'
}

# bench_md NAME FILE BLOCKFILE: replace the lines between
# "<!-- NAME:begin -->" and "<!-- NAME:end -->" in FILE with BLOCKFILE,
# as is.  Nothing happens unless FILE is set and holds both markers, so
# a benchmark run by hand only prints.
bench_md() {
	[ -n "$2" ] && [ -f "$2" ] || return 0
	grep -qxF "<!-- $1:begin -->" "$2" && grep -qxF "<!-- $1:end -->" "$2" ||
	    return 0
	_btmp=$(mktemp "${TMPDIR:-/tmp}/pxed-bench-md.XXXXXX") || return 1
	awk -v f="$3" -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" '
	$0 == e { skip = 0 }
	!skip { print }
	$0 == b && !done {
		while ((getline l < f) > 0) print l
		skip = 1; done = 1
	}' "$2" >"$_btmp" && cat "$_btmp" >"$2"
	_brc=$?
	rm -f "$_btmp"
	[ "$_brc" -eq 0 ] && echo "rewrote the $1 table in $2"
	return "$_brc"
}

# The DHCP ladders, shared by dhcp.sh (DHCPv4) and dhcp6.sh (DHCPv6):
# the load client (below) against pxed, kea and dnsmasq, one after the other on one
# namespace pair, $NS (the servers, veth pxe0) and $CN (the client,
# peer0).  The script sets DHCP_FAMILY (4 or 6), KEA (kea-dhcp4 or
# kea-dhcp6), DNSMASQ_ARGS (dnsmasq's range and options), and writes
# $T/pxed.yaml and $T/kea.json; these do the rest.

# The ladder of offered rates, exchanges a second, for both families.
DHCP_RATES="2000 4000 8000 12000 16000 20000 24000 28000 32000 40000"

# The load client, the same for every server: build/dhcpload (ours: one
# core offers 40,000 exchanges a second and more, and uses half of it),
# or BENCH_CLIENT=perfdhcp, ISC's, which takes its whole core from
# about 12,000 a second, so every server then tops out at the same
# figure.  Both send the same packets and print the same statistics.
DHCP_CLIENT=${BENCH_CLIENT:-dhcpload}
DHCPLOAD=${DHCPLOAD:-$PWD/${BUILD:-build}/dhcpload}
# dhcp_client RATE BASEMAC SECS: the load client's command line.
dhcp_client() {
	if [ "$DHCP_CLIENT" = perfdhcp ]; then
		echo "perfdhcp -$DHCP_FAMILY -l peer0 -r $1 -R 1000000 -b mac=$2 -p $3 -W 1000000"
	else
		echo "$DHCPLOAD -$DHCP_FAMILY -l peer0 -r $1 -b mac=$2 -p $3 -W 1000000"
	fi
}

# dhcp_init NAME TOOL...: root, the TOOLs, the user _pxed; the knobs
# SECS a step (BENCH_SECS, else the script's DHCP_SECS, else 5), REPS climbs (5), RATES (BENCH_RATES,
# $DHCP_RATES) and SERVERS (BENCH_SERVERS, "pxed kea dnsmasq"; pxedbase
# is the pxed binary BENCH_BASE, named BENCH_BASE_NAME in the table);
# the run directory $T on the real disk (fsync on tmpfs costs nothing),
# removed with the namespaces and what runs in them at exit, also on
# INT and TERM.
dhcp_init() {
	_bname=$1
	DHCP_NAME=$1
	shift
	[ "$(id -u)" -eq 0 ] || { echo "$_bname bench: needs root"; exit 1; }
	for _t; do
		command -v "$_t" >/dev/null 2>&1 ||
		    { echo "$_bname bench: $_t missing (sh regress/deps.sh)"; exit 1; }
	done
	[ "$DHCP_CLIENT" = perfdhcp ] || [ -x "$DHCPLOAD" ] ||
	    { echo "$_bname bench: no $DHCPLOAD (make storm)"; exit 1; }
	ensure_user _pxed
	SECS=${BENCH_SECS:-${DHCP_SECS:-5}}
	REPS=${REPS:-5}
	RATES=${BENCH_RATES:-$DHCP_RATES}
	SERVERS=${BENCH_SERVERS:-"pxed kea dnsmasq"}
	SPID=
	run_dir /var/tmp/pxed-bench
	trap 'exit 1' INT TERM
}

# dhcp_start SERVER: SERVER in $NS, its pid in SPID, with an empty lease
# store, on SERVER_CPUS; then every server gets the same 2 s to settle
# after its DHCP port opens.
dhcp_start() {
	rm -rf "$T/state" "$T/kea.leases"* "$T/dnsmasq.leases" "$T/sock"
	case $1 in
	pxed|pxedbase)
		_bin=$PXED
		[ "$1" = pxedbase ] && _bin=$BENCH_BASE
		$ON_SERVER ip netns exec "$NS" "$_bin" -d -f "$T/pxed.yaml" \
		    -s "$T/sock" 2>"$T/pxed.log" &
		SPID=$! ;;
	kea)
		mkdir -p /var/run/kea /run/kea
		KEA_PIDFILE_DIR=$T KEA_LOCKFILE_DIR=$T $ON_SERVER ip netns exec \
		    "$NS" "$KEA" -c "$T/kea.json" >"$T/kea.out" 2>&1 &
		SPID=$! ;;
	dnsmasq)
		# The lease file stays on disk (rewritten and fsynced per
		# lease, as dnsmasq does); the lease limit (default 1000)
		# is lifted, as a new client per exchange would exhaust it.
		# shellcheck disable=SC2086	# DNSMASQ_ARGS: one option a word
		$ON_SERVER ip netns exec "$NS" dnsmasq --keep-in-foreground \
		    --conf-file=/dev/null --port=0 --interface=pxe0 \
		    --bind-interfaces --dhcp-authoritative \
		    --dhcp-lease-max=200000 $DNSMASQ_ARGS \
		    --dhcp-leasefile="$T/dnsmasq.leases" \
		    --pid-file="$T/dnsmasq.pid" --log-facility=/dev/null \
		    2>"$T/dnsmasq.log" &
		SPID=$! ;;
	esac
	_bport=67
	[ "$DHCP_FAMILY" = 6 ] && _bport=547
	wait_for 10 sh -c "ip netns exec $NS ss -lun | grep -q ':$_bport '" ||
	    ip netns exec "$NS" ss -lunp
	sleep 2
}

# dhcp_stop: SIGTERM to the server, SIGKILL if it still runs 10 s
# later; reaped (until then its pid cannot be another process's).
dhcp_stop() {
	kill "$SPID" 2>/dev/null
	wait_for 10 dhcp_gone || kill -9 "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=
}
dhcp_gone() {
	! [ -e "/proc/$SPID" ] || grep -q '^[0-9]* (.*) Z' "/proc/$SPID/stat"
}

# bench_timed OUT CMD...: CMD's output (stdout and stderr) in OUT; prints
# the CPU time CMD used over the time it ran: 1.00 is a whole CPU, so a
# load client there, not the server, set the figure.
bench_timed() {
	$PY -c '
import resource, subprocess, sys, time
t0 = time.monotonic()
with open(sys.argv[1], "w") as out:
    subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f" % ((ru.ru_utime + ru.ru_stime) / max(time.monotonic() - t0, 1e-3)))' "$@"
}

# dhcp_step RATE BASEMAC: the load client from peer0 for SECS, RATE exchanges
# a second, a new client per exchange from BASEMAC up (DHCPv6: DUIDs
# made of the MACs); prints the 4-way rate (answers to the second
# exchange over the sending time), the drop ratio (the worse of the two
# exchanges) and the client's own CPU time over the step's (1.00: the
# load client is the limit).
dhcp_step() {
	# shellcheck disable=SC2086,SC2046	# command prefix, command line
	_bcpu=$(bench_timed "$T/client.out" $ON_CLIENT ip netns exec "$CN" \
	    timeout $((SECS + 20)) $(dhcp_client "$1" "$2" "$SECS"))
	$PY -c '
import re, sys
t = open(sys.argv[3]).read()
sent = [int(x) for x in re.findall(r"sent packets: ([0-9]+)", t)]
recv = [int(x) for x in re.findall(r"received packets: ([0-9]+)", t)]
drop = [int(x) for x in re.findall(r"drops: ([0-9]+)", t)]
if len(sent) < 2 or sent[0] == 0:
    print("0 1.0", sys.argv[2]); sys.exit()
ratio = max(d / s if s else 1.0 for d, s in zip(drop, sent))
print("%.0f" % (recv[1] / int(sys.argv[1])), "%.4f" % ratio, sys.argv[2])' \
	    "$SECS" "$_bcpu" "$T/client.out"
}

# rcvbuf_drops NS: UDP datagrams (of DHCP_FAMILY) the kernel of
# namespace NS dropped on a full socket buffer since the last call
# (counted in $T/rcvbuf.NS).
rcvbuf_drops() {
	if [ "$DHCP_FAMILY" = 6 ]; then
		_n=$(ip netns exec "$1" awk '$1 == "Udp6RcvbufErrors" { print $2 }' \
		    /proc/net/snmp6)
	else
		_n=$(ip netns exec "$1" awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1; next }
		    $1 == "Udp:" { print $c }' /proc/net/snmp)
	fi
	_o=$(cat "$T/rcvbuf.$1" 2>/dev/null || echo 0)
	echo "${_n:-0}" >"$T/rcvbuf.$1"
	echo $((${_n:-0} - _o))
}

# dhcp_cpu: CPU time (user + system, clock ticks) the server has used,
# its processes and their children (pxed's workers) together.
dhcp_cpu() {
	for _bp in $SPID $(pgrep -P "$SPID"); do
		# past the command name, which may hold spaces: utime, stime
		sed 's/.*) //' "/proc/$_bp/stat" 2>/dev/null
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

# bench_perf_start NAME SECS PID...: a profile of the servers' CPUs
# for SECS (perf record -a -g, kernel and user), and of each PID its
# system calls and context switches (perf stat); bench_perf_stop waits
# for them and writes the top lines to BENCH_PERF_DIR (build/perf)/
# NAME[-PID-TIME].txt, by command and shared object, then by symbol.
bench_perf_start() {
	_bperf=
	command -v perf >/dev/null 2>&1 || { echo "no perf (linux-perf)" >&2; return 0; }
	mkdir -p "${BENCH_PERF_DIR:=build/perf}"
	_bperf=$BENCH_PERF_DIR/$1
	_bpsecs=$2
	shift 2
	[ -e "$_bperf.txt" ] && _bperf=$_bperf-$$-$(date +%s)
	_bcpus=$SERVER_CPUS
	[ "$PIN" = 1 ] || _bcpus=0-$(($(nproc) - 1))
	perf record -q -a -g -C "$_bcpus" -o "$_bperf.data" -- sleep "$_bpsecs" \
	    >/dev/null 2>&1 &
	_bperfpid=$!
	_bperfstat=
	: >"$_bperf.procs"
	for _bp; do
		perf stat -x, -e raw_syscalls:sys_enter,context-switches \
		    -p "$_bp" -o "$_bperf.stat.$_bp" -- sleep "$_bpsecs" \
		    >/dev/null 2>&1 &
		_bperfstat="$_bperfstat $!"
		echo "$_bp $(tr '\0' ' ' <"/proc/$_bp/cmdline")" >>"$_bperf.procs"
	done
}
bench_perf_stop() {
	[ -n "$_bperf" ] || return 0
	# shellcheck disable=SC2086	# one pid a word
	wait "$_bperfpid" $_bperfstat
	{
		echo "# per process, $_bpsecs s: system calls, context switches"
		while read -r _bp _bargs; do
			echo "$_bargs: $(awk -F, '$3 ~ /sys_enter/ { s = $1 }
			    $3 ~ /context-switches/ { c = $1 }
			    END { print s " syscalls, " c " context switches" }' \
			    "$_bperf.stat.$_bp")"
		done <"$_bperf.procs"
		echo "# perf record -a -g -C $_bcpus, $_bpsecs s; by process"
		perf report -i "$_bperf.data" --stdio --no-children \
		    --sort pid -g none 2>/dev/null | grep -v '^#' |
		    grep -v '^$' | head -n 8
		echo "# by command and object"
		perf report -i "$_bperf.data" --stdio --no-children \
		    --sort comm,dso -g none 2>/dev/null | grep -v '^#' |
		    grep -v '^$' | head -n 15
		echo "# by symbol"
		perf report -i "$_bperf.data" --stdio --no-children \
		    --sort comm,sym -g none 2>/dev/null | grep -v '^#' |
		    grep -v '^$' | head -n 40
	} >"$_bperf.txt"
	rm -f "$_bperf.data" "$_bperf.stat."* "$_bperf.procs"
	echo "    profile: $_bperf.txt" >&2
	_bperf=
}

# BENCH_PERF=RATE: each DHCP step at RATE is profiled (bench_perf_start),
# into NAME-SERVER-RATE.txt.
dhcp_perf_start() {
	_bperf=
	[ -n "${BENCH_PERF:-}" ] && [ "$2" = "$BENCH_PERF" ] || return 0
	# shellcheck disable=SC2046	# one pid a word
	bench_perf_start "$DHCP_NAME-$1-$2" "$SECS" $SPID $(pgrep -P "$SPID")
}

# dhcp_run SERVER RATE BASEMAC: one step on a fresh server: "rate
# drops clientcpu ticks", ticks the server's CPU time during the step;
# then the
# script's step_done SERVER, if it has one, with the server still up
# (its lines go to stderr).
dhcp_run() {
	dhcp_start "$1"
	_bc0=$(dhcp_cpu)
	dhcp_perf_start "$1" "$2"
	_bout=$(dhcp_step "$2" "$3")
	bench_perf_stop
	_bc1=$(dhcp_cpu)
	command -v step_done >/dev/null 2>&1 && step_done "$1" >&2
	dhcp_stop
	echo "$_bout $((_bc1 - _bc0))"
}

# dhcp_climb: per server the highest 4-way rate with < 1% drops.  The
# servers take turns at each rate, so that they meet the same load on
# this shared machine; a step that fails gets one more try, for every
# server alike, and a server stops climbing at the step it fails twice.
# The whole climb runs REPS times; each run's rate goes to $T/rates.
dhcp_climb() {
	_bi=0
	: >"$T/cpu"
	: >"$T/rates"
	for _brep in $(seq 1 "$REPS"); do
		echo "run $_brep of $REPS"
		for _bs in $SERVERS; do eval "_brate_$_bs=0 _balive_$_bs=1"; done
		for _br in $RATES; do
			for _bs in $SERVERS; do
				eval "_balive=\$_balive_$_bs"
				[ "$_balive" = 1 ] || continue
				dhcp_try "$_bs" "$_br"
			done
		done
		_bline=
		for _bs in $SERVERS; do
			eval "_br=\$_brate_$_bs"
			echo "$_bs $_br" >>"$T/rates"
			_bline="$_bline $_bs $_br"
		done
		echo "run $_brep of $REPS, 4-way/s under 1% drops:$_bline"
	done
}

# dhcp_try SERVER RATE: the step of dhcp_climb, tried twice at most.
dhcp_try() {
	_bok=0
	for _btry in 1 2; do
		_bi=$((_bi + 1))
		# a base MAC of its own for every step, past 255 steps too;
		# shellcheck disable=SC2046	# "rate drops cpu ticks": 4 words
		set -- "$1" "$2" $(dhcp_run "$1" "$2" "$(printf \
		    '02:%02x:%02x:00:00:00' $((_bi % 256)) $((_bi / 256)))")
		# server CPU a completed exchange, in microseconds
		_bus=$(awk -v t="$6" -v r="$3" -v s="$SECS" -v hz="$(getconf CLK_TCK)" \
		    'BEGIN { if (r > 0) printf "%.0f", t * 1e6 / hz / (r * s); else print 0 }')
		echo "  $1 offered $2/s (try $_btry): $3 4-way/s, drops $4, server CPU $_bus us/exchange, $DHCP_CLIENT CPU $5"
		_bok=$($PY -c "print(1 if $4 < 0.01 else 0)")
		[ "$_bok" = 1 ] && echo "$1 $2 $_bus" >>"$T/cpu"
		[ "$_bok" = 1 ] && break
		set -- "$1" "$2"
	done
	if [ "$_bok" = 1 ]; then
		eval "_brate_$1=\$($PY -c \"print(max(\$_brate_$1, $3))\")"
	else
		eval "_balive_$1=0"
	fi
}

# The name of a server in the table.
dhcp_name() {
	case $1 in
	kea) echo "$KEA $($KEA -V 2>/dev/null | head -n 1)" ;;
	pxedbase) echo "pxed at ${BENCH_BASE_NAME:-$BENCH_BASE}" ;;
	dnsmasq) dnsmasq --version |
	    sed -n '1s/^Dnsmasq version \([^ ]*\).*/dnsmasq \1/p' ;;
	*) echo "$1" ;;
	esac
}

# dhcp_table EXCHANGE: per server the median of the runs in $T/rates,
# min-max, and pxed's median over that server's; printed, and as the
# Markdown table $T/table, whose rates are "sustained EXCHANGE/s".
dhcp_table() {
	_bx=$1
	for _bs in $SERVERS; do
		# shellcheck disable=SC2046	# "median min max"
		set -- $(awk -v s="$_bs" '$1 == s { print $2 }' "$T/rates" |
		    bench_stats)
		eval "_bmed_$_bs=$1 _bmin_$_bs=$2 _bmax_$_bs=$3"
	done
	_bp=${_bmed_pxed:-0}
	printf '%-10s %10s %13s %8s\n' server "4-way/s" "min-max" "ratio"
	{
		echo "| server | sustained $_bx/s, < 1% drops, median of $REPS | min-max | pxed / server |"
		echo "| --- | ---: | ---: | ---: |"
	} >"$T/table"
	for _bs in $SERVERS; do
		eval "_bm=\$_bmed_$_bs _blo=\$_bmin_$_bs _bhi=\$_bmax_$_bs"
		_brat=$(awk -v p="$_bp" -v r="$_bm" 'BEGIN {
		    if (p > 0 && r > 0) printf "%.2fx", p / r; else print "-" }')
		printf '%-10s %10.0f %13s %8s\n' "$_bs" "$_bm" "$_blo-$_bhi" "$_brat"
		printf '| %s | %.0f | %s-%s | %s |\n' "$(dhcp_name "$_bs")" \
		    "$_bm" "$_blo" "$_bhi" "$_brat" >>"$T/table"
	done
	echo "(median of $REPS runs; ratio: pxed's median rate over that server's)"
	dhcp_cpu_table
}

# dhcp_cpu_table: per server its CPU time per completed exchange at
# BENCH_CPU_RATE (4,000/s, which pxed and kea sustain), the median of
# the runs in which it sustained that rate, and that server's over
# pxed's: a measure of the server alone, whatever limits the climb (the
# load client's own CPU, past about 12,000 DHCPv6 exchanges a second).
# Printed, and appended to $T/table.
dhcp_cpu_table() {
	_bcr=${BENCH_CPU_RATE:-4000}
	_bpc=$(awk -v r="$_bcr" '$1 == "pxed" && $2 == r { print $3 }' \
	    "$T/cpu" | bench_stats | cut -d' ' -f1)
	{
		echo
		echo "| server | server CPU a completed exchange at $_bcr/s (user + system), median | server / pxed |"
		echo "| --- | ---: | ---: |"
	} >>"$T/table"
	for _bs in $SERVERS; do
		_bn=$(awk -v s="$_bs" -v r="$_bcr" '$1 == s && $2 == r' "$T/cpu" | wc -l)
		_bc=$(awk -v s="$_bs" -v r="$_bcr" '$1 == s && $2 == r { print $3 }' \
		    "$T/cpu" | bench_stats | cut -d' ' -f1)
		if [ "$_bn" -eq 0 ]; then
			_bc="not sustained" _brat=-
		else
			_brat=$(awk -v p="$_bpc" -v c="$_bc" 'BEGIN {
			    if (p > 0) printf "%.2fx", c / p; else print "-" }')
			_bc="$_bc us ($_bn runs)"
		fi
		echo "$_bs: CPU at $_bcr/s: $_bc, over pxed's: $_brat"
		printf '| %s | %s | %s |\n' "$(dhcp_name "$_bs")" "$_bc" "$_brat" \
		    >>"$T/table"
	done
}

# dhcp_rss STATS-RE [NOTE]: pxed started on the lease journal the
# script wrote in $T/state; once a line of "pxectl show stats" matches
# STATS-RE (the leases loaded), 3 s of the load client at 1,000/s; then the
# RSS of the master and dhcpd with the leases pxectl lists, and NOTE,
# printed and in $T/rss.
dhcp_rss() {
	$ON_SERVER ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" \
	    -s "$T/sock" 2>"$T/pxed.log" &
	SPID=$!
	wait_for 10 "$PXECTL" -s "$T/sock" show stats
	wait_for 20 sh -c "'$PXECTL' -s '$T/sock' show stats | grep -Eq '$1'"
	# shellcheck disable=SC2046	# the client's command line
	$ON_CLIENT ip netns exec "$CN" timeout 30 \
	    $(dhcp_client 1000 02:bb:00:00:00:00 3) >/dev/null 2>&1
	_bn=$("$PXECTL" -s "$T/sock" show leases | tail -n +2 | wc -l)
	_bm=$(awk '/^VmRSS/ { print $2 }' "/proc/$SPID/status")
	_bd=$(awk '/^VmRSS/ { print $2 }' \
	    "/proc/$(worker_pid "$SPID" dhcpd)/status")
	echo "RSS with $_bn leases: master $((_bm / 1024)) MB + dhcpd" \
	    "$((_bd / 1024)) MB = $(((_bm + _bd) / 1024)) MB${2:+ $2}" |
	    tee "$T/rss"
	dhcp_stop
}

# dhcp_block NAME: the block of NAME in $BENCH_MD (bench_md): the
# command of this run, the date, the machine, $T/table and $T/rss.
dhcp_block() {
	{
		echo "Run of $BENCH_DATE:"
		echo
		echo "    PIN=$PIN REPS=$REPS BENCH_CLIENT=$DHCP_CLIENT BENCH_SECS=$SECS BENCH_RATES=\"$RATES\" BENCH_SERVERS=\"$SERVERS\" sh regress/bench/$1.sh"
		echo
		echo "Machine: $(bench_machine)."
		echo
		cat "$T/table"
		echo
		sed 's/^/    /' "$T/rss"
	} >"$T/block"
	bench_md "$1" "${BENCH_MD-}" "$T/block"
}
