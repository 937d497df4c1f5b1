#!/bin/sh
# make bench, DHCPv6: the load client (-6) against pxed (dhcp6 full, DHCP off),
# kea-dhcp6 (memfile, persist) and dnsmasq (a DHCPv6 range), one after
# the other on the same namespace pair, in one run,
# climbing the ladder of dhcp.sh (regress/bench/lib.sh): SOLICIT/
# ADVERTISE/REQUEST/REPLY, a new DUID per exchange, the best 4-way rate
# with < 1% of either exchange dropped, REPS climbs (5), per server the
# median, min-max and pxed's median over it.  pxed's leases are on disk
# (journal append + fdatasync) before their REPLY leaves.  Then the RSS
# of pxed's master and dhcpd with 100,000 IPv6 leases in their tables.
# BENCH_MD=BENCHMARKS.md rewrites the block between "<!-- dhcp6:begin
# -->" and "<!-- dhcp6:end -->" there.
#
#	sh regress/bench/dhcp6.sh	(as root; BENCH_SECS, BENCH_RATES,
#					 BENCH_SERVERS, REPS as dhcp.sh)
#
# After each step: datagrams lost to full socket buffers (the server's
# or perfdhcp's), and against pxed its DHCPv6 counters, its journal's
# length and any log line that is not a lease's, so that a drop shows
# where it happened.

. regress/lib.sh
. regress/bench/lib.sh
# shellcheck disable=SC2034	# read by regress/bench/lib.sh
DHCP_FAMILY=6 KEA=kea-dhcp6
NET=fd00:77
# kea's DHCPv6 server is not in regress/deps.sh; the rest is.
if [ "$(id -u)" -eq 0 ] && ! command -v $KEA >/dev/null 2>&1; then
	sh regress/deps.sh >/dev/null
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q \
	    --no-install-recommends kea-dhcp6-server >/dev/null 2>&1
fi
# 2 s steps: pxed lends strangers (every client of the load is one) at
# most 65,536 addresses of a subnet (pxed.8), which 32,000 a second
# for 2 s stays under; a longer step would measure that cap instead.
# shellcheck disable=SC2034	# read by regress/bench/lib.sh
DHCP_SECS=2 DHCP_RATES="2000 4000 8000 12000 16000 20000 24000 28000 32000"
dhcp_init dhcp6 perfdhcp $KEA dnsmasq
# Installing kea or dnsmasq may have started them in the root namespace.
for svc in dnsmasq kea-dhcp6-server; do service "$svc" stop >/dev/null 2>&1; done
NS=pxedb6s$$ CN=pxedb6c$$

lab_pair "$NS" 10.77.0.2/16 "$CN" || { echo "bench dhcp6: no namespaces"; exit 1; }
lab_link6 "$NS" "$CN" $NET::2/64 ||
    { echo "bench dhcp6: link-local addresses not ready"; exit 1; }

# The same pool for the three: 16 million addresses, more than a climb
# hands out (pxed's limit is 2^24 a range).
LO=$NET::1000 HI=$NET::ff:ffff
mkdir -p "$T/tftp" "$T/http"
# pxed: DHCP (IPv4) off; address6 is pxe0's fd00:77::2.
{ inventory_head pxe0 10.77.0.2 off; cat <<YAML; } >"$T/pxed.yaml"
dhcp6:
  mode: full
  lease: 12h
  subnets:
    - network: $NET::/64
      range: $LO-$HI
      dns: [$NET::1]
boot:
  uefi: BOOTX64.EFI
YAML
cat >"$T/kea.json" <<JSON
{ "Dhcp6": {
  "interfaces-config": { "interfaces": [ "pxe0" ] },
  "data-directory": "$T",
  "lease-database": { "type": "memfile", "persist": true, "name": "$T/kea.leases", "lfc-interval": 0 },
  "preferred-lifetime": 43200, "valid-lifetime": 43200,
  "control-socket": { "socket-type": "unix", "socket-name": "$T/kea.sock" },
  "subnet6": [ { "id": 1, "subnet": "$NET::/64", "interface": "pxe0",
    "pools": [ { "pool": "$LO - $HI" } ],
    "option-data": [ { "name": "dns-servers", "data": "$NET::1" } ] } ],
  "loggers": [ { "name": "kea-dhcp6", "severity": "WARN", "output_options": [ { "output": "$T/kea.log" } ] } ]
} }
JSON
# shellcheck disable=SC2034	# read by regress/bench/lib.sh
DNSMASQ_ARGS="--dhcp-range=$LO,$HI,64,12h --dhcp-option=option6:dns-server,[$NET::1]"

# After every step: datagrams lost to full socket buffers (the server's,
# the load client's), when any; after a step against pxed, its counters, the
# leases in its journal, and its log lines that are not a lease's.
step_done() {
	_s=$(rcvbuf_drops "$NS") _k=$(rcvbuf_drops "$CN")
	[ "$_s$_k" = 00 ] || echo "    $1: socket buffer overflows: $_s at the server, $_k at the load client"
	case $1 in pxed|pxedbase) ;; *) return 0 ;; esac
	_c=$("$PXECTL" -s "$T/sock" -j show stats | $PY -c '
import json, sys
c = json.load(sys.stdin)["dhcpd"]["counters"]
print(" ".join("%s %s" % (k, c[k]) for k in ("solicit6", "advertise6",
    "request6", "reply6", "dropped6", "dropped6_malformed", "noaddrs6",
    "send_failed", "commit_failed") if k in c))')
	echo "    $1: $_c; journal $(wc -l <"$T/state/leases.journal") leases"
	grep -Ev '^(dhcpd: dhcp6: (ADVERTISE|REPLY) |created |startup: )' \
	    "$T/pxed.log" | head -n 5 | sed "s/^/    $1 log: /"
}

dhcp_climb
dhcp_table SARR

# RSS with 100,000 IPv6 leases: a journal written aside ("ip6 mac state
# expires uuid|- duid iaid", master/leasedb.c), a DUID-LL a lease.
rm -rf "$T/state"; mkdir -p "$T/state"; chmod 700 "$T/state"
$PY - "$T/state/leases.journal" $NET <<'EOS'
import sys, time
exp = int(time.time()) + 43200
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        mac = "02aa%08x" % i
        f.write("%s::%x:%x %s active %d - 00030001%s 1\n" %
                (sys.argv[2], 1 + (i >> 16), i & 0xffff,
                 ":".join(mac[k:k + 2] for k in range(0, 12, 2)), exp, mac))
EOS
dhcp_rss '^dhcpd .* leases6 +100000'
dhcp_block dhcp6
