#!/bin/sh
# The DHCP benchmarks' load client against pxed (DHCP and DHCPv6 full)
# for 2 s at 500 exchanges a second a family: every exchange counted
# once, as pxed's lease table has it, from the MACs it should come
# from; against no server, nothing received and all dropped; bad
# arguments and interfaces refused.  Keeps build/dhcpload honest; the
# numbers come from regress/bench/dhcp.sh and dhcp6.sh.

. regress/lib.sh
lab_init dhcpload	# KEEP=1 keeps $T, with dhcpload's out and pxed's log
DHCPLOAD=${DHCPLOAD:-$PWD/${BUILD:-build}/dhcpload}
[ -x "$DHCPLOAD" ] || { fail dhcpload "no $DHCPLOAD (make storm)"; exit 0; }
NS=dlts$$
CN=dltc$$
RATE=500 SECS=2
N=$((RATE * SECS))

lab_pair "$NS" 10.77.0.2/16 "$CN" 10.77.0.3/16 ||
    { fail dhcpload-lab "cannot create namespaces"; exit 1; }
if ! lab_link6 "$NS" "$CN" fd00:77::2/64; then
	fail dhcpload-lab "link-local addresses not ready"
	exit 1
fi

mkdir -p "$T/tftp" "$T/http"
{ inventory_head pxe0 10.77.0.2 full 10.77.0.0/16 10.77.1.0-10.77.8.255 \
    10.77.0.1; cat <<YAML; } >"$T/pxed.yaml"
dhcp6:
  mode: full
  lease: 1h
  subnets:
    - network: fd00:77::/64
      range: fd00:77::1000-fd00:77::1fff
boot:
  bios: pxelinux.0
  uefi: BOOTX64.EFI
YAML
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
pxed_start "$NS"
if ! wait_for 10 ctl show leases || ! wait_for 5 listens u 67 ||
    ! wait_for 5 listens u 547; then
	fail "pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi

load() {	# load OUT ARG...: dhcpload in $CN, its output in $T/OUT
	_o=$1
	shift
	ip netns exec "$CN" timeout 30 "$DHCPLOAD" "$@" >"$T/$_o" 2>&1
}
# val OUT KEY N: the number after the Nth "KEY: " of $T/OUT.
val() {
	awk -v k="$2: " -v n="$3" 'index($0, k) == 1 && ++c == n {
	    print substr($0, length(k) + 1) }' "$T/$1"
}
# blocks OUT FIRST SECOND: perfdhcp's two blocks in $T/OUT, in order.
blocks() {
	awk -v a="***Statistics for: $2***" -v b="***Statistics for: $3***" '
	    $0 == a && !ia { ia = NR } $0 == b && !ib { ib = NR }
	    /^sent packets: / { s++ } /^received packets: / { r++ }
	    /^drops: / { d++ }
	    END { exit !(ia && ib > ia && s == 2 && r == 2 && d == 2) }' "$T/$1"
}
answered() { [ -n "$1" ] && [ "$1" = "$2" ] && [ "$3" = 0 ]; }
near() { [ "${1:-0}" -ge $(($2 - 1)) ] && [ "${1:-0}" -le $(($2 + 1)) ]; }
# in_range FAMILY BASE COUNT: every lease of FAMILY (4, 6) pxectl lists
# has a MAC from BASE (whose low 3 bytes are 0) to BASE + COUNT - 1;
# pxectl's MACs are fixed-width lower-case hex, so strings compare.
in_range() {
	_top=$(($3 - 1))
	_hi=$(printf '%s:%02x:%02x:%02x' "${2%:*:*:*}" $((_top >> 16 & 255)) \
	    $((_top >> 8 & 255)) $((_top & 255)))
	ctl show leases | awk -v f="$1" -v lo="$2" -v hi="$_hi" '
	    NR == 1 || (index($1, ":") > 0) != (f == 6) { next }
	    { n++; if ($2 < lo || $2 > hi) bad++ }
	    END { exit !(n > 0 && bad == 0) }'
}
leases() {	# leases FAMILY: the active leases of FAMILY pxectl lists
	ctl show leases | awk -v f="$1" 'NR > 1 && $4 == "active" &&
	    (index($1, ":") > 0) == (f == 6)' | wc -l
}

# fam FAMILY BASE FIRST SECOND: a run against pxed and its checks.
fam() {
	_f=$1 _b=$2 _x1=$3 _x2=$4
	load "out$_f" -"$_f" -l peer0 -r $RATE -p $SECS -b "mac=$_b"
	_rc=$?
	check "-$_f: exits 0 ($_rc)" test "$_rc" -eq 0
	check "-$_f: both statistics blocks, $_x1 first" blocks "out$_f" "$_x1" "$_x2"
	s1=$(val "out$_f" "sent packets" 1) r1=$(val "out$_f" "received packets" 1)
	s2=$(val "out$_f" "sent packets" 2) r2=$(val "out$_f" "received packets" 2)
	d1=$(val "out$_f" drops 1) d2=$(val "out$_f" drops 2)
	check "-$_f: $_x1 sent $N ($s1)" near "$s1" $N
	check "-$_f: $_x1 all answered ($r1 of $s1, drops $d1)" \
	    answered "$r1" "$s1" "$d1"
	check "-$_f: $_x2 sent $N ($s2)" near "$s2" $N
	check "-$_f: $_x2 all answered ($r2 of $s2, drops $d2)" \
	    answered "$r2" "$s2" "$d2"
	_l=$(leases "$_f")
	check "-$_f: pxed lists as many leases as answers counted ($_l, $r2)" \
	    test "$_l" = "${r2:-x}"
	check "-$_f: every lease's MAC is from $_b up" in_range "$_f" "$_b" "${s1:-0}"
	grep -E '^(send time|rejected|ADVERTISEs|cpu)' "$T/out$_f" | sed "s/^/# -$_f: /"
}
fam 4 02:d4:00:00:00:00 DISCOVER-OFFER REQUEST-ACK
fam 6 02:d6:00:00:00:00 SOLICIT-ADVERTISE REQUEST-REPLY
check "no worker died" sh -c "! grep -Eq '(dhcpd|tftpd|httpd) exited' '$T/log'"

# No server: every first exchange sent, none answered, all dropped.
nothing() {	# nothing SENT RECEIVED DROPS SENT2
	near "$1" 200 && [ "$2" = 0 ] && [ "$3" = "$1" ] && [ "$4" = 0 ]
}
kill -TERM "$MPID"
wait "$MPID" 2>/dev/null
MPID=
for f in 4 6; do
	load "none$f" -"$f" -l peer0 -r 200 -p 1 -W 300000 -b mac=02:e0:00:00:00:00
	s1=$(val "none$f" "sent packets" 1) r1=$(val "none$f" "received packets" 1)
	d1=$(val "none$f" drops 1) s2=$(val "none$f" "sent packets" 2)
	check "-$f without a server: 200 sent, 0 received, all dropped ($s1 $r1 $d1)" \
	    nothing "$s1" "$r1" "$d1" "$s2"
done

# Bad arguments: the usage, exit 1; interfaces without an address.
bad() {	# bad NAME PATTERN ARG...: exit 1 and PATTERN on stderr
	_n=$1 _p=$2
	shift 2
	ip netns exec "$CN" "$DHCPLOAD" "$@" >/dev/null 2>"$T/err"
	_rc=$?
	if [ "$_rc" -eq 1 ] && grep -q "$_p" "$T/err"; then pass "$_n"
	else fail "$_n" "exit $_rc: $(head -2 "$T/err")"; fi
}
M=mac=02:e1:00:00:00:00
bad "no arguments: usage" '^usage: dhcpload'
bad "no family: usage" '^usage:' -l peer0 -r 10 -p 1 -b $M
bad "-4 and -6: usage" '^usage:' -4 -6 -l peer0 -r 10 -p 1 -b $M
bad "rate 0: usage" '^usage:' -4 -l peer0 -r 0 -p 1 -b $M
bad "rate not a number: usage" '^usage:' -4 -l peer0 -r 10x -p 1 -b $M
bad "no -p: usage" '^usage:' -4 -l peer0 -r 10 -b $M
bad "a bad MAC: usage" '^usage:' -4 -l peer0 -r 10 -p 1 -b mac=02:e1:00:00:00
bad "no mac= in -b: usage" '^usage:' -4 -l peer0 -r 10 -p 1 -b 02:e1:00:00:00:00
bad "an argument too many: usage" '^usage:' -4 -l peer0 -r 10 -p 1 -b $M x
bad "more exchanges than the ids count: usage" '^usage:' -6 -l peer0 \
    -r 1000000 -p 10 -b $M
bad "no such interface" 'nosuch0: no such interface' -4 -l nosuch0 -r 10 \
    -p 1 -b $M
ip -n "$CN" link add dlx0 type veth peer name dlx1
bad "an interface without IPv4" 'dlx0: no IPv4 address' -4 -l dlx0 -r 10 \
    -p 1 -b $M
bad "an interface without link-local IPv6" 'dlx0: no link-local IPv6 address' \
    -6 -l dlx0 -r 10 -p 1 -b $M
exit 0
