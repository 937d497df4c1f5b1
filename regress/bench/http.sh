#!/bin/sh
# HTTP side by side: pxed's httpd and nginx (one worker; sendfile on and
# tcp_nopush as suits nginx under the kernel's congestion control, see
# below; otherwise its defaults, with a buffered access log, as pxed
# logs every request through its master) serve the same directory in
# one namespace; wrk runs in another, over a veth pair, in the same run.
# A 4 KiB file (requests/s), an 8 MiB file (throughput; pxed twice: with
# its default TCP congestion control, cubic, and reloaded with the
# kernel's, as nginx has), a rendered kickstart (requests/s), REPS rounds
# (5) of the three, the servers
# alternating; per test the median, min-max, and the ratio of the
# medians.  Then 10,000 idle keep-alive connections held with httpd's
# RSS.  BENCH_MD=BENCHMARKS.md rewrites the block between
# "<!-- http:begin -->" and "<!-- http:end -->" there.
#
#	sh regress/bench/http.sh	(as root; DURATION=10 by default)

. regress/lib.sh
. regress/bench/lib.sh
DURATION=${DURATION:-10}
REPS=${REPS:-5}
CONNS=${CONNS:-50}
IDLE=${IDLE:-10000}
for t in wrk nginx python3; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "bench http: $t not installed (sh regress/deps.sh)"; exit 1
	fi
done
[ "$(id -u)" -eq 0 ] || { echo "bench http: needs root"; exit 1; }
ensure_user _pxed
# The Debian package may have started a system nginx: not ours.
service nginx stop >/dev/null 2>&1 || true

T=$(mktemp -d /tmp/pxed-bench-http.XXXXXX)
chmod 755 "$T"
NS=pxedbh$$
CNS=pxedbhc$$
MPID=
cleanup() {
	[ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	ip netns del "$CNS" 2>/dev/null
	lab_down
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

H=$T/http
mkdir -p "$T/tftp" "$H" "$T/templates" "$T/nginx"
head -c 4096 /dev/urandom >"$H/4k.bin"
head -c 8388608 /dev/urandom >"$H/8m.bin"
# An install tree is old: the files are settled (pxed keeps a small
# file in memory only once its last change is 2 s old).
touch -d "1 hour ago" "$H/4k.bin" "$H/8m.bin"
cp etc/templates/rocky9.ks "$T/templates/ks.cfg"
{
	cat <<YAML
server:
  interfaces: [pxe0]
  address: 10.78.0.2
  user: _pxed
  state: $T/state
  tftp: { root: $T/tftp }
  # All the load comes from one address; real clients each have theirs.
  http: { root: $H, port: 8080, per_client: 16384 }
dhcp:
  mode: off
YAML
	inventory_rocky9
	cat <<YAML
hosts:
  # At the load client's address: tokens go to their host only.
  node01:
    mac: 52:54:00:00:02:01
    ip: 10.78.0.10
    profile: rocky9
    install: true
    vars: { disk: sda }
YAML
} >"$T/pxed.yaml"
# Debian's nginx.conf turns tcp_nopush (TCP_CORK) on; under bbr that
# costs nginx three times the CPU per 4 KiB request (10,158 requests/s
# against about 30,000, 2026-11-26), so nginx gets it only under another
# algorithm, where it helps.
NOPUSH=on
[ "$(sysctl -n net.ipv4.tcp_congestion_control)" = bbr ] && NOPUSH=off
cat >"$T/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 20000; }
http {
	sendfile on;
	tcp_nopush $NOPUSH;
	keepalive_requests 1000000;
	access_log $T/nginx/access.log combined buffer=64k flush=1s;
	types { application/octet-stream bin; }
	server {
		listen 10.78.0.2:8081;
		root $H;
	}
}
EOF

lab_pair "$NS" 10.78.0.2/24 "$CNS" 10.78.0.10/24 ||
    { echo "bench http: no namespaces"; exit 1; }

$ON_SERVER ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" 2>"$T/pxed.log" &
MPID=$!
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
$ON_SERVER ip netns exec "$NS" nginx -c "$T/nginx/nginx.conf" || { echo "bench http: nginx failed"; exit 1; }
c() { $ON_CLIENT ip netns exec "$CNS" "$@"; }
P=http://10.78.0.2:8080
N=http://10.78.0.2:8081
wait_for 5 c curl -sf -o /dev/null "$P/4k.bin" || { echo "bench http: pxed not serving"; tail "$T/pxed.log"; exit 1; }
wait_for 5 c curl -sf -o /dev/null "$N/4k.bin" || { echo "bench http: nginx not serving"; exit 1; }
HZ=$(getconf CLK_TCK)
HPID=$(worker_pid "$MPID" httpd)
NPID=$(pgrep -P "$(cat "$T/nginx.pid")")
tok=$(c curl -s "$P/ipxe/52:54:00:00:02:01" | sed -n 's/.*t=\([0-9a-f]\{32\}\).*/\1/p')
KS="$P/ks/node01?t=$tok"
c curl -sf -o "$T/ks.out" "$KS" || { echo "bench http: no kickstart"; exit 1; }
cp "$T/ks.out" "$H/ks.txt"	# nginx serves the same bytes, static

# wrk's summary (requests/s, transfer/s) and the CPU time the server's
# processes used per 1000 requests (pxed: httpd and the master, which
# writes httpd's access log; nginx: its worker), which the other load on
# the machine disturbs less than the rates.
ticks() {	# ticks PID...: utime + stime, in clock ticks
	for _p in "$@"; do awk '{ print $14 + $15 }' "/proc/$_p/stat"; done |
	    awk '{ s += $1 } END { print s }'
}
run() {	# run LABEL URL VAR [CONNS]
	case $3 in p*|q*) pids="$HPID $MPID" ;; *) pids=$NPID ;; esac
	# BENCH_PERF=1: the first round's 4 KiB runs profiled for 5 s
	# (regress/bench/lib.sh) into build/perf/http-SERVER-4k.txt.
	if [ -n "${BENCH_PERF:-}" ] && [ "$round" = 1 ]; then
		case $3 in
		p4|n4) bench_perf_start "http-${1%% *}-4k" 5 $pids ;;
		esac
	fi
	t0=$(ticks $pids)
	wcpu=$(bench_timed "$T/wrk.out" $ON_CLIENT ip netns exec "$CNS" \
	    wrk -t1 -c"${4:-$CONNS}" -d"${DURATION}s" --timeout 10s "$2")
	t1=$(ticks $pids)
	bench_perf_stop
	rps=$(sed -n 's/^Requests\/sec: *//p' "$T/wrk.out")
	tps=$(sed -n 's/^Transfer\/sec: *//p' "$T/wrk.out")
	errs=$(grep -E 'Non-2xx|Socket errors' "$T/wrk.out" | tr -s ' ' | paste -sd ';' -)
	cpu=$(echo "scale=1; ($t1 - $t0) * 1000 * 1000 / $HZ / (${rps:-1} * $DURATION)" | bc)
	printf '%-28s %10s req/s %10s/s %8s ms CPU/1000 req, wrk CPU %s %s\n' \
	    "$1" "$rps" "$tps" "$cpu" "$wcpu" "$errs"
	eval "R_$3=\${rps:-0}"
	echo "$3 ${rps:-0} ${cpu:-0} ${wcpu:-0}" >>"$T/runs"
	[ -z "$errs" ] || echo "$1, round $round: $errs" >>"$T/errs"
}
ratio() { echo "scale=2; $1 / $2" | bc; }
# pxed_cc VALUE: pxed reloaded with server.http.congestion VALUE (empty:
# its default, cubic); nginx runs the kernel's default ($SYSCC).
SYSCC=$(ip netns exec "$NS" sysctl -n net.ipv4.tcp_congestion_control)
pxed_cc() {
	sed -i "s|^  http: {.*|  http: { root: $H, port: 8080, per_client: 16384${1:+, congestion: $1} }|" \
	    "$T/pxed.yaml"
	"$PXECTL" -s "$T/sock" reload >/dev/null ||
	    { echo "bench http: reload with congestion '$1' refused"; exit 1; }
}
echo "wrk -t1 -d${DURATION}s --timeout 10s, -c$CONNS (8 MiB: -c4);" \
    "pxed httpd and nginx (1 worker), alternating, same run"
for round in $(seq 1 "$REPS"); do
	run "pxed 4 KiB" "$P/4k.bin" p4
	run "nginx 4 KiB" "$N/4k.bin" n4
	run "pxed 8 MiB" "$P/8m.bin" p8 4
	run "nginx 8 MiB" "$N/8m.bin" n8 4
	pxed_cc system
	run "pxed 8 MiB, $SYSCC" "$P/8m.bin" q8 4
	pxed_cc ""
	run "pxed kickstart (rendered)" "$KS" pk
	run "nginx same bytes (static)" "$N/ks.txt" nk
	echo "round $round ratios pxed/nginx: 4 KiB $(ratio "$R_p4" "$R_n4")," \
	    "8 MiB $(ratio "$R_p8" "$R_n8"), kickstart vs static" \
	    "$(ratio "$R_pk" "$R_nk")"
done

# Idle keep-alive connections: each makes one request, then idles.
rss0=$(awk '/^VmRSS:/ { print $2 " " $3 }' "/proc/$HPID/status")
cat >"$T/idle.py" <<'EOF'
import resource, socket, sys, time
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 100, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
socks = []
req = b"GET /4k.bin HTTP/1.1\r\nHost: b\r\n\r\n"
ok = 0
t0 = time.time()
for i in range(n):
    s = socket.create_connection(("10.78.0.2", 8080), timeout=5)
    s.sendall(req)
    got = b""
    while len(got) < 4096 or b"\r\n\r\n" not in got:
        d = s.recv(65536)
        if not d:
            break
        got += d
    ok += got.startswith(b"HTTP/1.1 200")
    socks.append(s)
print("opened %d, %d answered 200, in %.1f s" % (len(socks), ok, time.time() - t0), flush=True)
open(sys.argv[2], "w").write("held\n")
time.sleep(float(sys.argv[3]))
EOF
c python3 "$T/idle.py" "$IDLE" "$T/held" 8 &
IPID=$!
wait_for 60 test -s "$T/held"
sleep 1
rss=$(awk '/^VmRSS:/ { print $2 " " $3 }' "/proc/$HPID/status")
active=$(c curl -s "$P/metrics" | sed -n 's/^pxed_http_connections_active{proc="httpd"} //p')
t=$(c curl -s -o /dev/null -w '%{time_total}' "$P/4k.bin")
echo "idle keep-alive: $IDLE held, httpd connections_active $active, httpd RSS $rss (before: $rss0), a new request meanwhile took ${t}s" |
    tee "$T/idle"
wait $IPID

# Per test the median of the rounds (min-max), the ratio of the medians,
# and the median CPU time per 1000 requests.
bstat() {	# bstat KEY FIELD: "median min max" of that column
	awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$T/runs" | bench_stats
}
cell() {	# cell KEY: "median (min-max)" requests/s
	bstat "$1" 2 | awk '{ printf "%.0f (%.0f-%.0f)", $1, $2, $3 }'
}
mratio() {	# mratio KEY KEY: of the medians
	awk -v a="$(bstat "$1" 2 | cut -d' ' -f1)" -v b="$(bstat "$2" 2 | cut -d' ' -f1)" \
	    'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'
}
cpu() { bstat "$1" 3 | awk '{ printf "%.1f", $1 }'; }
wcpu() { bstat "$1" 4 | awk '{ printf "%.2f", $1 }'; }
{
	echo "| req/s, median of $REPS (min-max) | pxed | nginx | pxed / nginx | CPU ms/1000 req, pxed / nginx | wrk's CPU, with pxed / nginx |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	for x in "4 KiB file:4:p" "8 MiB file:8:p" \
	    "8 MiB file, pxed with congestion: system ($SYSCC, as nginx):8:q" \
	    "kickstart (pxed renders, nginx static):k:p"; do
		v=${x##*:}; x=${x%:*}; k=${x##*:}
		echo "| ${x%:*} | $(cell "$v$k") | $(cell "n$k") | $(mratio "$v$k" "n$k") |" \
		    "$(cpu "$v$k") / $(cpu "n$k") | $(wcpu "$v$k") / $(wcpu "n$k") |"
	done
} >"$T/table"
echo
echo "median of $REPS rounds (min-max):"
cat "$T/table"
{
	echo "Run of $BENCH_DATE:"
	echo
	echo "    PIN=$PIN REPS=$REPS DURATION=$DURATION CONNS=$CONNS IDLE=$IDLE sh regress/bench/http.sh"
	echo
	echo "Machine: $(bench_machine)."
	echo
	cat "$T/table"
	echo
	echo "8 MiB file, medians: pxed $(bstat p8 2 | awk '{ printf "%.0f", $1 * 8 }') MiB/s," \
	    "nginx $(bstat n8 2 | awk '{ printf "%.0f", $1 * 8 }') MiB/s."
	if [ -s "$T/errs" ]; then
		echo
		echo "wrk reported errors:"
		echo
		sed 's/^/    /' "$T/errs"
	fi
	echo
	sed 's/^/    /' "$T/idle"
} >"$T/block"
bench_md http "${BENCH_MD-}" "$T/block"
exit 0
