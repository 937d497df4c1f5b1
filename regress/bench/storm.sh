#!/bin/sh
# The boot storm side by side: N machines (build/storm) boot at once
# against pxed, then against dnsmasq (DHCP + TFTP) + nginx (HTTP) on the
# same namespace layout, serving the same files and the same menus.
# Each repetition runs five storms in turn: pxed as configured, pxed
# with the kernel's default TCP congestion control for HTTP instead of
# its own, pxed with reno, the reference as the system is, and the
# reference with reno as its namespace's default.  The run with the
# median wall time of each is printed, then the ratios, of the medians
# and per repetition: pxed as configured against the reference as the
# system is (the target), and the two on the same congestion control.
# STORM_PLOT=file.png draws the percentiles; BENCH_MD=BENCHMARKS.md (or
# STORM_MD, which wins) rewrites what lies there between the lines
# "<!-- storm:begin -->" and "<!-- storm:end -->" with this run's tables.
#
#	sh regress/bench/storm.sh	(as root, after make storm)

cd "$(dirname "$0")/../.." || exit 1
. regress/lib.sh
. regress/bench/lib.sh
. regress/bench/storm.lab
if [ "$(id -u)" -ne 0 ]; then
	echo "storm bench: needs root"; exit 1
fi
for t in dnsmasq nginx; do
	command -v $t >/dev/null 2>&1 || { echo "storm bench: no $t"; exit 1; }
done
ensure_user _pxed
N=${STORM_N:-1000}
REPS=${REPS:-5}
RAMP=${STORM_RAMP:-1000}
STORM=$PWD/build/storm
[ -x "$STORM" ] || { echo "storm bench: make storm first"; exit 1; }

T=$(mktemp -d /tmp/pxed-bench-storm.XXXXXX)
chmod 755 "$T"
NS=pxedbs$$
CNS=pxedbsc$$
MPID= DPID=
cleanup() {
	[ -n "$MPID" ] && kill -9 "$MPID" $(pgrep -P "$MPID") 2>/dev/null
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	ip netns del "$CNS" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
service nginx stop >/dev/null 2>&1 || true

storm_files
storm_inventory "$N"
storm_lab "$NS" "$CNS" || { echo "storm bench: no namespaces"; exit 1; }

# One storm: its table to $T/NAME.I, its percentiles to $T/NAME.I.dat.
storm_run() {
	$ON_CLIENT ip netns exec "$CNS" timeout 600 "$STORM" -q -n "$N" -r "$RAMP" \
	    -t 300 -i peer0 -s "$STORM_SRV" -u "$STORM_HTTP" \
	    -o "$T/$1.$2.dat" >"$T/$1.$2" 2>&1
	sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/$1.$2"
}

# The run of median wall time: its number.
median() {
	for i in $(seq 1 "$REPS"); do
		echo "$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/$1.$i") $i"
	done | sort -n | sed -n "$(( (REPS + 1) / 2 ))p" | cut -d' ' -f2
}

echo "boot storm: $N machines (BIOS, UEFI, UEFI HTTP, iPXE), ramp $RAMP ms, $REPS runs each"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$T/when"
echo "files: loader $(stat -c %s "$T/root/BOOTX64.EFI") B, kernel $(stat -c %s "$T/root/images/vmlinuz") B, initrd $(stat -c %s "$T/root/images/initrd.img") B"
# pxed as configured (NAME pxed), with server.http.congestion: system
# (NAME pxedsys), the kernel's default algorithm instead of cubic, and
# with reno (NAME pxedreno), so that the report shows what that choice
# is worth and compares each stack on the same algorithm.  Interleaved.
for cc in system reno; do
	sed "s|^  http: { \(.*\) }$|  http: { \1, congestion: $cc }|" \
	    "$T/pxed.yaml" >"$T/pxed$cc.yaml"
	grep -q "congestion: $cc" "$T/pxed$cc.yaml" ||
	    { echo "storm bench: no congestion line in the inventory"; exit 1; }
done
mv "$T/pxedsystem.yaml" "$T/pxedsys.yaml"
SYSCC=$(ip netns exec "$NS" sysctl -n net.ipv4.tcp_congestion_control)
# A fresh pair of namespaces for each storm.  The load client's 1,000
# connections per storm left as many sockets in TIME_WAIT for a minute,
# all from its one address to one port, and connect() then searched the
# ephemeral ports past them: one storm in about ten, against pxed and the
# reference alike, spent seconds of the client's CPU there (perf:
# __inet_hash_connect) and took 2-3 times as long.  Real machines each
# have an address of their own.
fresh_lab() {	# fresh_lab [congestion]
	ip netns del "$CNS" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	storm_lab "$NS" "$CNS" || { echo "storm bench: no namespaces"; exit 1; }
	[ -z "${1:-}" ] ||
	    ip netns exec "$NS" sysctl -qw net.ipv4.tcp_congestion_control="$1"
}

pxed_run() {	# pxed_run NAME I
	fresh_lab
	rm -rf "$T/state"
	$ON_SERVER ip netns exec "$NS" "$PXED" -f "$T/$1.yaml" -s "$T/sock" -d \
	    2>"$T/$1.log" &
	MPID=$!
	wait_for 20 "$PXECTL" -s "$T/sock" show hosts ||
	    { echo "storm bench: pxed did not start"; tail -5 "$T/$1.log"; exit 1; }
	echo "$1 run $2: $(storm_run "$1" "$2") s"
	sed -n "s/^failure /$1 run $2: failure /p" "$T/$1.$2"
	local_n=$("$PXECTL" -s "$T/sock" show hosts | grep -Ec '^s[0-9]+ .* local ')
	echo "$1 run $2: $local_n of $N hosts local afterwards"
	kill "$MPID"; wait "$MPID" 2>/dev/null; MPID=
}

# The reference: the same files, the menus pxed generates written out
# per MAC, the kickstarts and done answers as static files.
R=$T/ref
mkdir -p "$R/pxelinux.cfg" "$R/ipxe" "$R/ks" "$R/done" "$R/images" "$T/nginx"
for f in pxelinux.0 BOOTX64.EFI images/vmlinuz images/initrd.img; do
	ln "$T/root/$f" "$R/$f"
done
i=0
while [ "$i" -lt "$N" ]; do
	mac=$(storm_mac "$i")
	h=$(echo "$mac" | tr : -)
	app="inst.ks=$STORM_HTTP/ks/s$i?t=ref done=$STORM_HTTP/done/s$i?t=ref quiet"
	printf '# ref: s%d\nDEFAULT install\nLABEL install\nKERNEL images/vmlinuz\nAPPEND initrd=images/initrd.img %s\n' \
	    "$i" "$app" >"$R/pxelinux.cfg/01-$h"
	printf "# ref: s%d\nset timeout=0\nmenuentry 'install s%d' {\n\tlinux /images/vmlinuz %s\n\tinitrd /images/initrd.img\n}\n" \
	    "$i" "$i" "$app" >"$R/grub.cfg-01-$h"
	printf '#!ipxe\nkernel %s/images/vmlinuz %s\ninitrd %s/images/initrd.img\nboot\n' \
	    "$STORM_HTTP" "$app" "$STORM_HTTP" >"$R/ipxe/$mac"
	sed "s/{{name}}/s$i/; s|{{http}}|$STORM_HTTP|; s|{{done}}|$STORM_HTTP/done/s$i?t=ref|" \
	    "$T/templates/ks.cfg" >"$R/ks/s$i"
	echo ok >"$R/done/s$i"
	i=$((i + 1))
done
cat >"$T/dnsmasq.conf" <<EOF2
port=0
interface=pxe0
bind-interfaces
dhcp-range=10.77.1.0,10.77.255.254,255.255.0.0,1h
dhcp-lease-max=70000
# No ICMP probe before each offer: dnsmasq does one at a time, which
# serializes a storm; pxed does not probe either.
no-ping
dhcp-leasefile=$T/dnsmasq.leases
dhcp-match=set:bios,option:client-arch,0
dhcp-match=set:efi,option:client-arch,7
dhcp-match=set:http,option:client-arch,16
dhcp-userclass=set:ipxe,iPXE
dhcp-boot=tag:bios,tag:!ipxe,pxelinux.0
dhcp-boot=tag:efi,tag:!ipxe,BOOTX64.EFI
dhcp-boot=tag:http,$STORM_HTTP/BOOTX64.EFI
dhcp-option-force=tag:http,60,HTTPClient
dhcp-boot=tag:ipxe,$STORM_HTTP/ipxe/\${mac}
enable-tftp
tftp-root=$R
tftp-max=$((N + 100))
user=_pxed
EOF2
cat >"$T/nginx/nginx.conf" <<EOF2
worker_processes 1;
worker_rlimit_nofile $((4 * N + 1000));
pid $T/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections $((2 * N + 1000)); }
http {
	sendfile on;
	include $T/nginx/nopush.conf;
	keepalive_requests 1000000;
	access_log $T/nginx/access.log combined buffer=64k flush=1s;
	default_type application/octet-stream;
	server {
		listen $STORM_SRV:8080;
		root $R;
	}
}
EOF2
# The reference twice, interleaved: under the namespace's default TCP
# congestion control (NAME ref), and with reno as that default (NAME
# refreno), so that nginx too runs without bbr's pacing when that is the
# system's (cubic cannot be a namespace's default; reno can).  dnsmasq
# and nginx keep their own scheduling: under SCHED_BATCH, which pxed
# sets for itself, the reference storm was slower under reno (8 of 10
# pairs, medians 4.80 s against 4.56 s).
# nginx gets tcp_nopush (TCP_CORK), on in Debian's nginx.conf, unless it
# runs bbr: there the cork made the reference storm 12% slower (5.19-5.54
# s without, 5.68-6.39 s with, paired), under reno it saves nginx 6% of
# its CPU.  Each series gets nginx's better setting.
ref_run() {	# ref_run NAME I [congestion]
	fresh_lab ${3:-}
	if [ "$(ip netns exec "$NS" sysctl -n net.ipv4.tcp_congestion_control)" = bbr ]; then
		echo "tcp_nopush off;" >"$T/nginx/nopush.conf"
	else
		echo "tcp_nopush on;" >"$T/nginx/nopush.conf"
	fi
	rm -f "$T/dnsmasq.leases"
	$ON_SERVER ip netns exec "$NS" dnsmasq -k -C "$T/dnsmasq.conf" 2>"$T/dnsmasq.log" &
	DPID=$!
	$ON_SERVER ip netns exec "$NS" nginx -c "$T/nginx/nginx.conf" ||
	    { echo "storm bench: nginx did not start"; exit 1; }
	wait_for 10 ns_holds "$NS" u 67 "$DPID" ||
	    { echo "storm bench: dnsmasq did not start"; cat "$T/dnsmasq.log"; exit 1; }
	echo "$1 run $2: $(storm_run "$1" "$2") s"
	sed -n "s/^failure /$1 run $2: failure /p" "$T/$1.$2"
	kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
	kill "$(cat "$T/nginx.pid")"
	wait_for 10 sh -c "! test -f '$T/nginx.pid'"
}
# The five series run in turn within each repetition, so that a machine
# whose speed drifts over minutes (a shared VM's does) weighs on each.
for i in $(seq 1 "$REPS"); do
	pxed_run pxed "$i"
	pxed_run pxedsys "$i"
	pxed_run pxedreno "$i"
	ref_run ref "$i"
	ref_run refreno "$i" reno
done

# Every run's wall time, failures and retransmits: " 8.9/0/0 12.3/4/17 ...".
runs() {
	for i in $(seq 1 "$REPS"); do
		printf ' %s/%s' "$(sed -n 's|^machines .* failed \([0-9]*\) wall \([0-9.]*\) s$|\2/\1|p' "$T/$1.$i")" \
		    "$(awk '/^retransmits/ { for (i = 6; i <= NF; i += 2) n += $i }
			END { print n + 0 }' "$T/$1.$i")"
	done
}

P=$(median pxed)
Q=$(median pxedsys)
F=$(median ref)
R=$(median refreno)
W=$(median pxedreno)
{
echo "runs (wall s/failed/retransmits): pxed$(runs pxed)"
echo "runs (wall s/failed/retransmits): pxed, congestion: system ($SYSCC)$(runs pxedsys)"
echo "runs (wall s/failed/retransmits): pxed, congestion: reno$(runs pxedreno)"
echo "runs (wall s/failed/retransmits): dnsmasq + nginx$(runs ref)"
echo "runs (wall s/failed/retransmits): dnsmasq + nginx, namespace default reno$(runs refreno)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== pxed (run $P of $REPS, the median wall time)"
cat "$T/pxed.$P"
echo
echo "== dnsmasq + nginx (run $F of $REPS, the median wall time)"
cat "$T/ref.$F"
echo
pw=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/pxed.$P")
fw=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/ref.$F")
qw=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/pxedsys.$Q")
echo "wall time: pxed $pw s, reference $fw s, pxed/reference $(awk "BEGIN { printf \"%.2f\", $pw / $fw }")"
rw=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/refreno.$R")
echo "wall time with congestion: system ($SYSCC): pxed $qw s, pxed/reference $(awk "BEGIN { printf \"%.2f\", $qw / $fw }")"
ww=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/pxedreno.$W")
echo "wall time of the reference with reno: $rw s, pxed/that $(awk "BEGIN { printf \"%.2f\", $pw / $rw }"), pxed with $SYSCC/that $(awk "BEGIN { printf \"%.2f\", $qw / $rw }"), pxed with reno/that $(awk "BEGIN { printf \"%.2f\", $ww / $rw }")"
# Each repetition's own ratios, and their median: the five series of a
# repetition ran within a minute of each other.
paired() {	# paired A B: "0.45 0.47 ..., median 0.46"
	for i in $(seq 1 "$REPS"); do
		a=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/$1.$i")
		b=$(sed -n 's/^machines .* wall \([0-9.]*\) s$/\1/p' "$T/$2.$i")
		awk "BEGIN { printf \"%.2f\\n\", $a / $b }"
	done | sort -n | awk '{ v[NR] = $1; printf "%s ", $1 }
	    END { printf "(median %s)", v[int((NR + 1) / 2)] }'
}
echo "ratios per repetition, pxed/reference: $(paired pxed ref)"
echo "ratios per repetition, pxed/reference, both on reno: $(paired pxedreno refreno)"
echo "ratios per repetition, pxed/reference, both on $SYSCC: $(paired pxedsys ref)"
echo "p99 (ms)    pxed   reference"
join "$T/pxed.$P.dat" "$T/ref.$F.dat" | awk '{ printf "%-10s %8.1f %9.1f\n", $1, $4, $8 }'
} >"$T/report"
cat "$T/report"
{
	echo '```'
	echo "PIN=$PIN STORM_N=$N REPS=$REPS STORM_RAMP=$RAMP sh regress/bench/storm.sh, $(cat "$T/when")"
	echo
	cat "$T/report"
	echo '```'
} >"$T/block"
bench_md storm "${STORM_MD-${BENCH_MD-}}" "$T/block"
if [ -n "${STORM_PLOT:-}" ]; then
	join "$T/pxed.$P.dat" "$T/ref.$F.dat" | grep -v '^total' >"$T/plot.dat"
	gnuplot <<EOF2
set terminal pngcairo size 1000,500
set output "$STORM_PLOT"
set title "Boot storm: $N machines, latency per stage (the run of median wall time, of $REPS)"
set ylabel "ms (log)"
set logscale y
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right top
set xtics nomirror
plot "$T/plot.dat" using 2:xtic(1) title "pxed p50", \
     "" using 4 title "pxed p99", \
     "" using 6 title "dnsmasq+nginx p50", \
     "" using 8 title "dnsmasq+nginx p99"
EOF2
	echo "plot: $STORM_PLOT"
fi
# Zero failures in every run of pxed, whatever its congestion control.
for i in $(seq 1 "$REPS"); do
	for v in pxed pxedsys pxedreno; do
		grep -q '^machines .* failed 0 ' "$T/$v.$i" || exit 1
	done
done
