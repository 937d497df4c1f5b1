#!/bin/sh
# make bench, reload: pxed serving DHCP (perfdhcp, 4-way exchanges at a
# steady rate) while it reloads an inventory of 100,000 hosts.  The
# inventory is read in a child (master/reload.c); the master only puts
# the result in place.  Reports the time pxectl reload takes and the
# longest REQUEST-ACK delay perfdhcp saw, with and without the reload,
# REPS times (5).  The goal: no ACK delayed by more than 100 ms.
# BENCH_MD=BENCHMARKS.md rewrites the block between
# "<!-- reload:begin -->" and "<!-- reload:end -->".
#
#	sh regress/bench/reload.sh		(as root; HOSTS=100000 RATE=500)

. regress/lib.sh
. regress/bench/lib.sh
if [ "$(id -u)" -ne 0 ]; then echo "reload bench: needs root"; exit 1; fi
command -v perfdhcp >/dev/null 2>&1 || { echo "reload bench: perfdhcp missing (sh regress/deps.sh)"; exit 1; }
ensure_user _pxed

HOSTS=${HOSTS:-100000}
RATE=${RATE:-500}
SECS=${BENCH_SECS:-12}
REPS=${REPS:-5}
# The state lives on the real disk: fsync on tmpfs would cost nothing.
run_dir /var/tmp/pxed-bench
NS=pxedrl$$ CN=pxedrc$$

lab_pair "$NS" 10.77.0.2/16 "$CN" 10.77.0.3/16 ||
    { echo "reload bench: no namespaces"; exit 1; }
mkdir -p "$T/tftp" "$T/http"
# HOSTS inventory hosts with fixed addresses in 10.78/16 and up; the
# load client's MACs are not among them and get pool addresses.
python3 - "$T" "$HOSTS" >"$T/pxed.yaml" <<'EOF'
import sys
t, n = sys.argv[1], int(sys.argv[2])
print("""server:
  interfaces: [pxe0]
  address: 10.77.0.2
  user: _pxed
  state: %s/state
  tftp: { root: %s/tftp }
  http: { root: %s/http, port: 8080 }
dhcp:
  mode: full
  lease: 12h
  subnets:
    - network: 10.0.0.0/8
      range: 10.77.1.0-10.77.254.254
boot:
  bios: pxelinux.0
profiles:
  p:
    kernel: vmlinuz
    append: "ks={{kickstart}} done={{done}} ip={{ip}}"
hosts:""" % (t, t, t))
for i in range(n):
    print('  h%d: { mac: "52:54:%02x:%02x:%02x:%02x", ip: 10.%d.%d.%d, '
          'profile: p, install: true }' % (i, i >> 24 & 255, i >> 16 & 255,
          i >> 8 & 255, i & 255, 78 + (i >> 16), i >> 8 & 255, i & 255))
EOF
$ON_SERVER ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" 2>"$T/log" &
MPID=$!
wait_for 60 "$PXECTL" -s "$T/sock" show stats >/dev/null ||
    { echo "reload bench: pxed did not start"; tail -5 "$T/log"; exit 1; }

# One run: perfdhcp for SECS seconds; with "reload", a reload 3 s in.
# Prints "reload_ms max_ack_delay_ms acks drops"; the caller adds the
# parse and apply times the master logged.
run() {	# run reload|none BASEMAC
	$ON_CLIENT ip netns exec "$CN" timeout $((SECS + 30)) perfdhcp -4 -l peer0 \
	    -r "$RATE" -R 1000000 -b "mac=$2" -p "$SECS" -W 1000000 \
	    >"$T/perf.out" 2>&1 &
	_pp=$!
	_ms=-
	if [ "$1" = reload ]; then
		sleep 3
		_t0=$(date +%s%N)
		"$PXECTL" -s "$T/sock" reload >/dev/null ||
		    echo "reload bench: the reload failed" >&2
		_ms=$((($(date +%s%N) - _t0) / 1000000))
	fi
	wait "$_pp"
	python3 -c '
import re, sys
t = open(sys.argv[1]).read()
# perfdhcp prints, per exchange, "max delay: N ms"; the second is REQUEST-ACK.
d = [float(x) for x in re.findall(r"max delay: ([0-9.]+) ms", t)]
r = [int(x) for x in re.findall(r"received packets: ([0-9]+)", t)]
x = [int(x) for x in re.findall(r"drops: ([0-9]+)", t)]
print(sys.argv[2], "%.1f" % (d[1] if len(d) > 1 else -1),
      r[1] if len(r) > 1 else 0, sum(x))
' "$T/perf.out" "$_ms"
}

i=0
: >"$T/runs"
while [ "$i" -lt "$REPS" ]; do
	i=$((i + 1))
	echo "none $(run none "00:0$i:00:00:00:01")" | tee -a "$T/runs"
	echo "reload $(run reload "00:0$i:01:00:00:01") $(sed -n \
	    's/.*reload: read in \([0-9]*\) ms by the parser, put in place in \([0-9]*\) ms.*/\1 \2/p' \
	    "$T/log" | tail -n 1)" | tee -a "$T/runs"
done
grep "reload" "$T/log" >&2; [ "$(grep -c "reloaded $T/pxed.yaml: $HOSTS hosts" "$T/log")" = "$REPS" ] ||
    echo "reload bench: not every reload logged" >&2
med() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$T/runs" | bench_stats; }
set -- $(med reload 2); rl="$1 ($2-$3)"
set -- $(med reload 6); rp="$1 ($2-$3)"
set -- $(med reload 7); ra="$1 ($2-$3)"
set -- $(med reload 3); rd="$1 ($2-$3)"
set -- $(med reload 5); rx="$1 ($2-$3)"
set -- $(med none 3); nd="$1 ($2-$3)"
set -- $(med none 5); nx="$1 ($2-$3)"
{
	echo "Run $BENCH_DATE on $(bench_machine):"
	echo "    PIN=$PIN HOSTS=$HOSTS RATE=$RATE REPS=$REPS BENCH_SECS=$SECS sh regress/bench/reload.sh"
	echo
	echo "| $HOSTS-host inventory, perfdhcp at $RATE DORA/s | median (min-max) |"
	echo "| --- | --- |"
	echo "| pxectl reload, request to answer | $rl ms |"
	echo "| ... read by the parser child (the master serving) | $rp ms |"
	echo "| ... put in place by the master (its loop stopped) | $ra ms |"
	echo "| longest REQUEST-ACK delay, a run with the reload | $rd ms |"
	echo "| exchanges without an answer, a run with the reload | $rx |"
	echo "| longest REQUEST-ACK delay, a run without | $nd ms |"
	echo "| exchanges without an answer, a run without | $nx |"
} >"$T/block"
cat "$T/block"
bench_md reload "${BENCH_MD-}" "$T/block"
