#!/bin/sh
# make bench, DHCP: perfdhcp (from kea-admin) against pxed, kea-dhcp4
# (memfile) and dnsmasq, one after the other on the same namespace
# pair, in one run.  For each server the offered rate climbs until
# more than 1% of the DISCOVER/OFFER or REQUEST/ACK exchanges drop; the
# best sustained 4-way rate under 1% drops is kept.  The whole climb
# runs REPS times (5); per server the median rate, min-max, and the
# ratios of the medians to pxed's.  Then dhcpd + master RSS with 100,000
# leases in their tables.  BENCH_MD=BENCHMARKS.md rewrites the block
# between "<!-- dhcp:begin -->" and "<!-- dhcp:end -->" there.
#
#	sh regress/bench/dhcp.sh		(as root; BENCH_SECS=5 per step)
#
# BENCH_SERVERS picks the servers; "pxedbase" is another pxed binary,
# BENCH_BASE (named BENCH_BASE_NAME in the table), to compare a change
# with the code before it in the same run.

. regress/lib.sh
. regress/bench/lib.sh
PY=/usr/bin/python3
if [ "$(id -u)" -ne 0 ]; then echo "dhcp bench: needs root"; exit 1; fi
for t in perfdhcp kea-dhcp4 dnsmasq; do
	command -v $t >/dev/null 2>&1 || { echo "dhcp bench: $t missing (sh regress/deps.sh)"; exit 1; }
done
for svc in dnsmasq kea-dhcp4-server; do service "$svc" stop >/dev/null 2>&1; done
ensure_user _pxed

SECS=${BENCH_SECS:-5}
REPS=${REPS:-5}
RATES=${BENCH_RATES:-"1000 2000 4000 6000 8000 10000 12000 14000 16000"}
# The state lives on the real disk: fsync on tmpfs would cost nothing.
# Every server runs in $NS, where lab_cleanup kills what is left.
run_dir /var/tmp/pxed-bench
NS=pxedbs$$ CN=pxedbc$$ SPID=

lab_pair "$NS" 10.77.0.2/16 "$CN" 10.77.0.3/16 ||
    { echo "bench dhcp: no namespaces"; exit 1; }

mkdir -p "$T/tftp" "$T/http"
cat >"$T/pxed.yaml" <<YAML
server:
  interfaces: [pxe0]
  address: 10.77.0.2
  user: _pxed
  state: $T/state
  tftp: { root: $T/tftp }
  http: { root: $T/http, port: 8080 }
dhcp:
  mode: full
  lease: 12h
  subnets:
    - network: 10.77.0.0/16
      range: 10.77.1.0-10.77.254.254
      router: 10.77.0.1
      dns: [10.77.0.1]
    - network: 10.78.0.0/16
      range: 10.78.1.0-10.78.254.254
boot:
  bios: pxelinux.0
YAML
cat >"$T/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "pxe0" ], "dhcp-socket-type": "raw" },
  "lease-database": { "type": "memfile", "persist": true, "name": "$T/kea.leases", "lfc-interval": 0 },
  "valid-lifetime": 43200,
  "control-socket": { "socket-type": "unix", "socket-name": "$T/kea.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/16",
    "pools": [ { "pool": "10.77.1.0 - 10.77.254.254" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" },
                     { "name": "domain-name-servers", "data": "10.77.0.1" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$T/kea.log" } ] } ]
} }
JSON

start_server() {
	rm -rf "$T/state" "$T/kea.leases"* "$T/dnsmasq.leases" "$T/sock"
	case $1 in
	pxed|pxedbase)
		_bin=$PXED
		[ "$1" = pxedbase ] && _bin=$BENCH_BASE
		$ON_SERVER ip netns exec "$NS" "$_bin" -d -f "$T/pxed.yaml" -s "$T/sock" 2>"$T/pxed.log" &
		SPID=$! ;;
	kea)
		mkdir -p /var/run/kea /run/kea
		KEA_PIDFILE_DIR=$T KEA_LOCKFILE_DIR=$T $ON_SERVER ip netns exec "$NS" kea-dhcp4 -c "$T/kea.json" >"$T/kea.out" 2>&1 &
		SPID=$! ;;
	dnsmasq)
		# --no-ping: by default dnsmasq pings each new address and
		# waits ~3 s for an echo that never comes, handling no other
		# DHCP packet meanwhile: one OFFER per 3 s, the REQUESTs
		# queued behind the DISCOVERs, no ACK within a step.  kea
		# and pxed do not ping either.  The lease file stays on
		# disk (rewritten and fsynced per ACK, as dnsmasq does); the
		# lease limit (default 1000) is lifted, as a new MAC per
		# exchange would exhaust it.
		$ON_SERVER ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
		    --port=0 --interface=pxe0 --bind-interfaces --dhcp-authoritative --no-ping \
		    --dhcp-range=10.77.1.0,10.77.254.254,12h --dhcp-lease-max=200000 \
		    --dhcp-option=3,10.77.0.1 --dhcp-option=6,10.77.0.1 \
		    --dhcp-leasefile="$T/dnsmasq.leases" --pid-file="$T/dnsmasq.pid" \
		    --log-facility=/dev/null 2>"$T/dnsmasq.log" &
		SPID=$! ;;
	esac
	wait_for 10 sh -c "ip netns exec $NS ss -lun | grep -q ':67 '" || ip netns exec "$NS" ss -lunp
	# every server gets the same time to settle after its port opens
	sleep 2
}

stop_server() {
	kill "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=
}

# One step: the 4-way rate perfdhcp saw and the drop ratio (worse of the two exchanges).
step() {	# step RATE BASEMAC
	$ON_CLIENT ip netns exec "$CN" timeout $((SECS + 20)) perfdhcp -4 -l peer0 -r "$1" \
	    -R 1000000 -b "mac=$2" -p "$SECS" -W 1000000 2>&1 | $PY -c '
import re, sys
t = sys.stdin.read()
sent = [int(x) for x in re.findall(r"sent packets: ([0-9]+)", t)]
recv = [int(x) for x in re.findall(r"received packets: ([0-9]+)", t)]
drop = [int(x) for x in re.findall(r"drops: ([0-9]+)", t)]
if len(sent) < 2 or sent[0] == 0:
    print("0 1.0"); sys.exit()
# completed DORAs (ACKs received) over the sending time
ratio = max(d / s if s else 1.0 for d, s in zip(drop, sent))
print("%.0f" % (recv[1] / '"$SECS"'), "%.4f" % ratio)'
}

# One run of a step: a fresh server, perfdhcp, "rate drops".
run_step() {	# run_step SERVER RATE BASEMAC
	start_server "$1"
	_out=$(step "$2" "$3")
	stop_server
	echo "$_out"
}

# The highest 4-way rate with < 1% drops, per server.  The servers take
# turns at each rate, so that they meet the same load on this shared
# machine; a step that fails gets one more try, for every server alike.
# The whole climb is run REPS times; each run's rate goes to $T/rates.
SERVERS=${BENCH_SERVERS:-"pxed kea dnsmasq"}
i=0
: >"$T/rates"
for rep in $(seq 1 "$REPS"); do
	echo "run $rep of $REPS"
	for s in $SERVERS; do eval "${s}_rate=0 ${s}_alive=1"; done
	for r in $RATES; do
		for s in $SERVERS; do
			eval "alive=\$${s}_alive"
			[ "$alive" = 1 ] || continue
			ok=0
			for try in 1 2; do
				i=$((i + 1))
				# a base MAC of its own for every step, past 255 steps too
				set -- $(run_step "$s" "$r" "$(printf '02:%02x:%02x:00:00:00' \
				    $((i % 256)) $((i / 256)))")
				echo "  $s offered $r/s (try $try): $1 4-way/s, drops $2"
				ok=$($PY -c "print(1 if $2 < 0.01 else 0)")
				[ "$ok" = 1 ] && break
			done
			if [ "$ok" = 1 ]; then
				eval "${s}_rate=\$($PY -c \"print(max(\$${s}_rate, $1))\")"
			else
				eval "${s}_alive=0"
			fi
		done
	done
	line=
	for s in $SERVERS; do
		eval "r=\$${s}_rate"
		echo "$s $r" >>"$T/rates"
		line="$line $s $r"
	done
	echo "run $rep of $REPS, 4-way/s under 1% drops:$line"
done

# Per server the median of the runs, min-max, and the ratio of the medians.
for s in $SERVERS; do
	set -- $(awk -v s="$s" '$1 == s { print $2 }' "$T/rates" | bench_stats)
	eval "${s}_med=$1 ${s}_min=$2 ${s}_max=$3"
done
pxed_med=${pxed_med:-0}
name() {
	case $1 in
	kea) echo "kea-dhcp4 $(kea-dhcp4 -V 2>/dev/null | head -n 1)" ;;
	pxedbase) echo "pxed at ${BENCH_BASE_NAME:-$BENCH_BASE}" ;;
	dnsmasq) dnsmasq --version | sed -n '1s/^Dnsmasq version \([^ ]*\).*/dnsmasq \1/p' ;;
	*) echo "$1" ;;
	esac
}
ratio() { awk -v p="$pxed_med" -v r="$1" 'BEGIN { if (p > 0 && r > 0) printf "%.2fx", p / r; else print "-" }'; }
printf '%-10s %10s %13s %8s\n' server "4-way/s" "min-max" "ratio"
{
	echo "| server | sustained DORA/s, < 1% drops, median of $REPS | min-max | pxed / server |"
	echo "| --- | ---: | ---: | ---: |"
} >"$T/table"
for s in $SERVERS; do
	eval "m=\$${s}_med lo=\$${s}_min hi=\$${s}_max"
	printf '%-10s %10.0f %13s %8s\n' "$s" "$m" "$lo-$hi" "$(ratio "$m")"
	printf '| %s | %.0f | %s-%s | %s |\n' "$(name "$s")" "$m" "$lo" "$hi" \
	    "$(ratio "$m")" >>"$T/table"
done
echo "(median of $REPS runs; ratio: pxed's median rate over that server's)"

# RSS with 100,000 leases: a journal written aside, loaded at start.
rm -rf "$T/state"; mkdir -p "$T/state"; chmod 700 "$T/state"
$PY - "$T/state/leases.journal" <<'EOS'
import sys, time
exp = int(time.time()) + 43200
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        net = 77 if i < 50000 else 78
        j = i % 50000
        f.write("10.%d.%d.%d 02:aa:%02x:%02x:%02x:%02x active %d\n" %
                (net, 1 + j // 250, 1 + j % 250, i >> 24 & 255, i >> 16 & 255,
                 i >> 8 & 255, i & 255, exp))
EOS
ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" 2>"$T/pxed.log" &
SPID=$!
wait_for 10 "$PXECTL" -s "$T/sock" show stats
wait_for 20 sh -c "'$PXECTL' -s '$T/sock' show stats | grep -Eq '^dhcpd .* leases +100000'"
ip netns exec "$CN" perfdhcp -4 -l peer0 -r 1000 -R 1000000 -b mac=02:bb:00:00:00:00 -p 3 >/dev/null 2>&1
nl=$("$PXECTL" -s "$T/sock" show leases | tail -n +2 | wc -l)
m=$(awk '/^VmRSS/ { print $2 }' /proc/$SPID/status)
d=$(awk '/^VmRSS/ { print $2 }' /proc/$(worker_pid $SPID dhcpd)/status)
echo "RSS with $nl leases: master $((m / 1024)) MB + dhcpd $((d / 1024)) MB = $(((m + d) / 1024)) MB (target < 32 MB)" | tee "$T/rss"
stop_server

{
	echo "Run of $BENCH_DATE:"
	echo
	echo "    PIN=$PIN REPS=$REPS BENCH_SECS=$SECS BENCH_RATES=\"$RATES\" BENCH_SERVERS=\"$SERVERS\" sh regress/bench/dhcp.sh"
	echo
	echo "Machine: $(bench_machine)."
	echo
	cat "$T/table"
	echo
	sed 's/^/    /' "$T/rss"
} >"$T/block"
bench_md dhcp "${BENCH_MD-}" "$T/block"
