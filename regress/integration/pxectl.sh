#!/bin/sh
# pxectl against a running pxed: every command as a table and with -j
# (checked with python3's json), aligned columns, the replies to bad
# requests, and clear errors without a daemon or with a wrong -s path.

. regress/lib.sh
lab_init pxectl
PY=/usr/bin/python3
NS=pxedctl$$

# fails_with NAME PATTERN ARGS...: pxectl exits 1, stdout empty, the
# pattern on stderr.
fails_with() {
	n=$1 pat=$2; shift 2
	"$PXECTL" "$@" >"$T/f.out" 2>"$T/f.err"
	rc=$?
	if [ $rc -eq 1 ] && [ ! -s "$T/f.out" ] && grep -q -- "$pat" "$T/f.err"; then
		pass "$n"
	else
		fail "$n" "exit $rc, stderr: $(head -c 300 "$T/f.err")"
	fi
}

# Without a daemon.
fails_with "pxectl: no daemon: a hint" 'No such file or directory (is pxed running?)' -s "$T/none.sock" show hosts
fails_with "pxectl: -s /nonexistent/sock: a clear error" '^pxectl: /nonexistent/sock: No such file or directory (is pxed running?)$' -s /nonexistent/sock show hosts
fails_with "pxectl: -s of a directory: not a socket" 'not a socket (wrong -s path?)' -s "$T" show hosts
fails_with "pxectl: -s path too long" 'socket path too long' -s "$T/$(printf '%0120d' 0)/$(printf '%0120d' 0)" show hosts
fails_with "pxectl: an unknown command prints the usage" '^usage:' show nothing

lab_up "$NS" 10.77.0.2/24 || { fail pxectl-lab "cannot create the namespace"; exit 1; }
mkdir -p "$T/tftp" "$T/http" "$T/templates"
echo 'url --url={{http}}/rocky9' >"$T/templates/ks.cfg"
{
	inventory_head pxe0 10.77.0.2 full 10.77.0.0/24 10.77.0.100-10.77.0.150
	printf 'boot:\n  bios: pxelinux.0\n'
	inventory_rocky9
	cat <<YAML
hosts:
  n1:
    mac: 52:54:00:00:00:01
    ip: 10.77.0.11
    profile: rocky9
    install: true
  a-rather-long-host-name:
    mac: 52:54:00:00:00:02
YAML
} >"$T/pxed.yaml"
ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" 2>>"$T/log" &
MPID=$!
if ! wait_for 5 "$PXECTL" -s "$T/sock" show leases; then
	fail "pxectl: pxed starts" "$(tail -5 "$T/log")"
	exit 1
fi
ctl() { "$PXECTL" -s "$T/sock" "$@"; }

# Every column of a table starts where its header does.
aligned() {	# aligned FILE
	awk 'NR == 1 { n = split($0, h, /  +/); p = 1
		for (i = 1; i <= n; i++) { pos[i] = index(substr($0, p), h[i]) + p - 1; p = pos[i] + length(h[i]) }
		next }
	{ for (i = 2; i <= n; i++) if (substr($0, pos[i] - 2, 2) != "  " || substr($0, pos[i], 1) == " ") exit 1 }' "$1"
}
for cmd in hosts stats leases transfers unknown; do
	ctl show $cmd >"$T/$cmd.out" 2>"$T/$cmd.err"
	check "pxectl show $cmd: exit 0, a header" sh -c "[ -s '$T/$cmd.out' ] && [ ! -s '$T/$cmd.err' ] && head -1 '$T/$cmd.out' | grep -q '^[A-Z]'"
	check "pxectl show $cmd: aligned columns" aligned "$T/$cmd.out"
	ctl -j show $cmd >"$T/$cmd.json"
	check "pxectl -j show $cmd: JSON" $PY -c "import json; json.load(open('$T/$cmd.json'))"
done
check "pxectl show hosts: both hosts" sh -c "[ \$(wc -l <'$T/hosts.out') -eq 3 ]"
check "pxectl -j show hosts: the members" $PY -c "
import json
l = json.load(open('$T/hosts.json'))
n = {h['name']: h for h in l}
assert n['n1']['ip'] == '10.77.0.11' and n['n1']['state'] == 'install', l
assert n['a-rather-long-host-name']['ip'] is None and n['a-rather-long-host-name']['profile'] is None, l"
check "pxectl -j show stats: every process" $PY -c "
import json; d = json.load(open('$T/stats.json')); assert set(d) >= {'master', 'dhcpd', 'tftpd', 'httpd'}, d"
check "pxectl -j show transfers: an array" $PY -c "
import json; assert isinstance(json.load(open('$T/transfers.json')), list)"

for c in "log verbose" "log brief" "reload" "host n1 local" "host n1 install"; do
	check "pxectl $c: silent, exit 0" sh -c "[ -z \"\$('$PXECTL' -s '$T/sock' $c 2>&1)\" ]"
	check "pxectl -j $c: {\"ok\": true}" sh -c "'$PXECTL' -s '$T/sock' -j $c | $PY -c 'import json,sys; assert json.load(sys.stdin) == {\"ok\": True}'"
done
fails_with "pxectl host NAME: an unknown host is refused" nosuch -s "$T/sock" host nosuch install
check "pxectl -j host NAME: the refusal is JSON" sh -c "'$PXECTL' -s '$T/sock' -j host nosuch install 2>/dev/null | $PY -c 'import json,sys; d = json.load(sys.stdin); assert d[\"ok\"] is False and d[\"errors\"]'"
fails_with "pxectl host NAME: an invalid name never reaches pxed" 'invalid host name' -s "$T/sock" host 'a b' install
echo 'hosts: [' >>"$T/pxed.yaml"
fails_with "pxectl reload: a broken inventory gives file:line:column" 'pxed.yaml:[0-9]*:[0-9]*:' -s "$T/sock" reload
check "pxectl: pxed still answers after the refused reload" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -q '^n1 '"

kill -TERM $MPID; wait $MPID 2>/dev/null; MPID=
fails_with "pxectl: after pxed stopped, a clear error" 'is pxed running?' -s "$T/sock" show hosts
exit 0
