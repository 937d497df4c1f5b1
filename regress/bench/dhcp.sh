#!/bin/sh
# make bench, DHCP: a load client (build/dhcpload, or perfdhcp from
# kea-admin: regress/bench/lib.sh) against pxed, kea-dhcp4
# (memfile) and dnsmasq, one after the other on the same namespace
# pair, in one run.  For each server the offered rate climbs until
# more than 1% of the DISCOVER/OFFER or REQUEST/ACK exchanges drop; the
# best sustained 4-way rate under 1% drops is kept.  The whole climb
# runs REPS times (5); per server the median rate, min-max, and the
# ratios of the medians to pxed's.  Then dhcpd + master RSS with 100,000
# leases in their tables.  BENCH_MD=BENCHMARKS.md rewrites the block
# between "<!-- dhcp:begin -->" and "<!-- dhcp:end -->" there.  The
# ladder, its knobs and the servers' start are in regress/bench/lib.sh
# (shared with dhcp6.sh).
#
#	sh regress/bench/dhcp.sh		(as root; BENCH_SECS=5 per step)
#
# BENCH_SERVERS picks the servers; "pxedbase" is another pxed binary,
# BENCH_BASE (named BENCH_BASE_NAME in the table), to compare a change
# with the code before it in the same run.

. regress/lib.sh
. regress/bench/lib.sh
# shellcheck disable=SC2034	# read by regress/bench/lib.sh
DHCP_FAMILY=4 KEA=kea-dhcp4
dhcp_init dhcp perfdhcp kea-dhcp4 dnsmasq
for svc in dnsmasq kea-dhcp4-server; do service "$svc" stop >/dev/null 2>&1; done
NS=pxedbs$$ CN=pxedbc$$

# A /12: at 40,000 new clients a second a 5 s step takes 200,000
# addresses, more than a /16 holds.
lab_pair "$NS" 10.64.0.2/12 "$CN" 10.64.0.3/12 ||
    { echo "bench dhcp: no namespaces"; exit 1; }

mkdir -p "$T/tftp" "$T/http"
cat >"$T/pxed.yaml" <<YAML
server:
  interfaces: [pxe0]
  address: 10.64.0.2
  user: _pxed
  state: $T/state
  tftp: { root: $T/tftp }
  http: { root: $T/http, port: 8080 }
dhcp:
  mode: full
  lease: 12h
  subnets:
    - network: 10.64.0.0/12
      range: 10.65.0.0-10.79.255.254
      router: 10.64.0.1
      dns: [10.64.0.1]
boot:
  bios: pxelinux.0
YAML
cat >"$T/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "pxe0" ], "dhcp-socket-type": "raw" },
  "lease-database": { "type": "memfile", "persist": true, "name": "$T/kea.leases", "lfc-interval": 0 },
  "valid-lifetime": 43200,
  "control-socket": { "socket-type": "unix", "socket-name": "$T/kea.sock" },
  "subnet4": [ { "id": 1, "subnet": "10.64.0.0/12",
    "pools": [ { "pool": "10.65.0.0 - 10.79.255.254" } ],
    "option-data": [ { "name": "routers", "data": "10.64.0.1" },
                     { "name": "domain-name-servers", "data": "10.64.0.1" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$T/kea.log" } ] } ]
} }
JSON
# --no-ping: by default dnsmasq pings each new address and waits ~3 s
# for an echo that never comes, handling no other DHCP packet
# meanwhile: one OFFER per 3 s, the REQUESTs queued behind the
# DISCOVERs, no ACK within a step.  kea and pxed do not ping either.
# shellcheck disable=SC2034	# read by regress/bench/lib.sh
DNSMASQ_ARGS="--no-ping --dhcp-range=10.65.0.0,10.79.255.254,12h
--dhcp-option=3,10.64.0.1 --dhcp-option=6,10.64.0.1"

# After every step: datagrams lost to full socket buffers (the server's,
# the load client's), when any.
step_done() {
	_s=$(rcvbuf_drops "$NS") _k=$(rcvbuf_drops "$CN")
	[ "$_s$_k" = 00 ] || echo "    $1: socket buffer overflows: $_s at the server, $_k at the load client"
}

dhcp_climb
dhcp_table DORA

# RSS with 100,000 leases: a journal written aside, loaded at start.
rm -rf "$T/state"; mkdir -p "$T/state"; chmod 700 "$T/state"
$PY - "$T/state/leases.journal" <<'EOS'
import sys, time
exp = int(time.time()) + 43200
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        net = 65 if i < 50000 else 66
        j = i % 50000
        f.write("10.%d.%d.%d 02:aa:%02x:%02x:%02x:%02x active %d\n" %
                (net, 1 + j // 250, 1 + j % 250, i >> 24 & 255, i >> 16 & 255,
                 i >> 8 & 255, i & 255, exp))
EOS
dhcp_rss '^dhcpd .* leases +100000' "(target < 32 MB)"
dhcp_block dhcp
