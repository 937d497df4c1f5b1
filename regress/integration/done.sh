#!/bin/sh
# An install-done report that cannot be made durable, for real as root:
# the state directory on a tiny tmpfs of the test's own, filled up.
# The report gets 500, the host stays armed with the same token, the
# other workers go on serving and the master leaks no descriptor; with
# room again the same report gets 200 and the old token dies.

. regress/lib.sh
lab_init done-disk curl python3
NS=pxeddone$$
CNS=pxeddonec$$
S=$T/small
test_cleanup() { mountpoint -q "$S" && umount "$S"; }

mkdir -p "$S"
if ! mount -t tmpfs -o size=64k,mode=755 tmpfs "$S" 2>/dev/null; then
	skip done-disk "cannot mount a tmpfs for the state directory"
	exit 0
fi

printf 'max-time = 20\n' >"$T/.curlrc"
export CURL_HOME="$T"
mkdir -p "$T/tftp" "$T/http" "$T/templates"
head -c 100000 /dev/urandom >"$T/tftp/f100k"
head -c 100000 /dev/urandom >"$T/http/f100k"
chmod -R a+rX "$T/tftp" "$T/http"
cat >"$T/templates/ks.cfg" <<'EOF'
# kickstart for {{name}} KSMARKER
%post
curl {{done}}
%end
EOF
{
	INV_STATE=$S/state inventory_head pxe0 10.77.3.2 off
	cat <<YAML
boot:
  unknown: local
profiles:
  rocky9:
    kernel: images/vmlinuz
    initrd: images/initrd.img
    append: "inst.ks={{kickstart}}"
    kickstart: templates/ks.cfg
hosts:
  node01:
    mac: 52:54:00:00:03:01
    ip: 10.77.3.10
    profile: rocky9
    install: true
YAML
} >"$T/pxed.yaml"

lab_pair "$NS" 10.77.3.2/24 "$CNS" 10.77.3.10/24 ||
    { fail done-lab "cannot create namespaces"; exit 1; }

pxed_start "$NS"
U=http://10.77.3.2:8080
c() { ip netns exec "$CNS" "$@"; }
code() { c curl -s -o /dev/null -w '%{http_code}' "$@"; }
if ! wait_for 5 c curl -s -o /dev/null "$U/f100k"; then
	fail "pxed serves http" "$(tail -5 "$T/log")"
	exit 1
fi
pass "pxed serves http with the state directory on a 64k tmpfs"

# host_is STATE GEN: pxectl -j shows node01 in STATE at generation GEN.
host_is() {
	"$PXECTL" -j -s "$T/sock" show hosts | python3 -c "
import json, sys
h = [x for x in json.load(sys.stdin) if x['name'] == 'node01']
sys.exit(0 if len(h) == 1 and h[0]['state'] == '$1' and
    h[0]['generation'] == $2 else 1)"
}
nfd() { ls "/proc/$MPID/fd" | wc -l; }
fetch_ok() {	# both other paths of the workers: a TFTP and an HTTP file
	rm -f "$T/got.t" "$T/got.h"
	c curl -s --max-time 20 -o "$T/got.t" "tftp://10.77.3.2/f100k" &&
	    cmp -s "$T/got.t" "$T/tftp/f100k" &&
	    c curl -s -o "$T/got.h" "$U/f100k" &&
	    cmp -s "$T/got.h" "$T/http/f100k"
}

c curl -s "$U/ipxe/52:54:00:00:03:01" >"$T/ipxe"
tok=$(sed -n 's/.*t=\([0-9a-f]\{32\}\).*/\1/p' "$T/ipxe")
check "the armed host has a token" test -n "$tok"
check "node01 is install at generation 1" host_is install 1
check "the kickstart with the token: 200" test "$(code "$U/ks/node01?t=$tok")" = 200
dtok=$(c curl -s "$U/ks/node01?t=$tok" | sed -n 's|^curl .*/done/node01?t=\([0-9a-f]\{32\}\)$|\1|p')
check "the kickstart names the done token" test -n "$dtok"
check "TFTP and HTTP serve before the disk fills" fetch_ok
tftpd=$(worker_pid "$MPID" tftpd)
httpd=$(worker_pid "$MPID" httpd)
cp "$S/state/hosts" "$T/hosts.before" 2>/dev/null
cp "$S/state/hosts.journal" "$T/journal.before" 2>/dev/null
fd0=$(nfd)

# Fill the state disk: dd stops at ENOSPC.
dd if=/dev/zero of="$S/fill" bs=4k 2>/dev/null
if sh -c "printf x >'$S/probe'" 2>/dev/null; then
	fail "the state disk is full" "a 1-byte write still succeeded"
else
	pass "the state disk is full"
fi
rm -f "$S/probe"

c curl -s -D "$T/h" -o "$T/b" "$U/done/node01?t=$dtok"
check "done on a full disk: 500" grep -q '^HTTP/1.1 500' "$T/h"
check "done on a full disk: the body says 500, not ok" \
    grep -qx '500 Internal Server Error' "$T/b"
check "the master logs that the state could not be written" \
    grep -q 'state: hosts.journal: No space left on device' "$T/log"
check "the master logs that the installer is told to retry" \
    grep -q 'install done: host states not saved; the installers are told to retry' "$T/log"
check "the access log shows the 500" \
    grep -Eq '^http: 10\.77\.3\.10 "GET /done/node01" 500 ' "$T/log"
check "node01 is still install at generation 1" host_is install 1
check "the state file is untouched" cmp "$S/state/hosts" "$T/hosts.before"
check "the state journal is untouched" \
    cmp "$S/state/hosts.journal" "$T/journal.before"
check "no temporary file is left in the state directory" \
    test ! -e "$S/state/hosts.tmp"
check "the token was not rotated: the kickstart still answers 200" \
    test "$(code "$U/ks/node01?t=$tok")" = 200
c curl -s "$U/ipxe/52:54:00:00:03:01" >"$T/ipxe2"
check "the iPXE script still installs with the same token" \
    grep -q "inst.ks=$U/ks/node01?t=$tok\$" "$T/ipxe2"
# Retries on a full disk fail the same way, and a rotated token would
# show here as a 403.
n=0
for _ in 1 2 3 4 5; do
	[ "$(code "$U/done/node01?t=$dtok")" = 500 ] && n=$((n + 1))
done
check "five retries on a full disk: 500 each" test "$n" = 5
check "a POST retry on a full disk: 500" \
    test "$(code -X POST -d status=ok "$U/done/node01?t=$dtok")" = 500
check "a wrong token on a full disk is still 403" \
    test "$(code "$U/done/node01?t=$(echo "$dtok" | tr '0-9a-f' '1-9a-f0')")" = 403
# Two reports at once (an installer retrying fast) land in one batch:
# the second shares the first one's fate instead of meeting the token
# the first one already rotated.
twice() {
	c python3 -c '
import socket, sys
req = ("GET /done/node01?t=%s HTTP/1.1\r\nHost: x\r\n"
       "Connection: close\r\n\r\n" % sys.argv[1]).encode()
ss = [socket.create_connection(("10.77.3.2", 8080), 10) for _ in (0, 1)]
for s in ss:
    s.sendall(req)
codes = []
for s in ss:
    codes.append(s.makefile("rb").readline().split()[1].decode())
print(" ".join(codes))' "$dtok"
}
check "two reports at once on a full disk: 500 both" \
    test "$(twice)" = "500 500"
check "... and node01 is still install at generation 1" host_is install 1
check "TFTP and HTTP serve while the disk is full" fetch_ok
c curl -s "$U/metrics" >"$T/metrics"
check "metrics: nine 500s counted" \
    grep -qx 'pxed_http_requests_total{proc="httpd",code="500"} 9' "$T/metrics"
check "metrics: the 500s are not counted as refused or ok" sh -c \
    "grep -qx 'pxed_http_done_total{proc=\"httpd\",result=\"refused\"} 1' '$T/metrics' &&
    grep -qx 'pxed_http_done_total{proc=\"httpd\",result=\"ok\"} 0' '$T/metrics'"
check "pxectl is answered while the disk is full" host_is install 1
fd1=$(nfd)
check "no descriptor leaked in the master on the failed saves ($fd0 -> $fd1)" \
    test "$fd1" -eq "$fd0"

# Room again: the same report succeeds, twice at once.
rm -f "$S/fill"
check "done with room again, two at once: 200 both" \
    test "$(twice)" = "200 200"
check "node01 is local at generation 2" host_is local 2
check "the state journal says local" \
    grep -q '^node01 local 2 1$' "$S/state/hosts.journal"
check "the old token now gets 403 for the kickstart" \
    test "$(code "$U/ks/node01?t=$tok")" = 403
check "the old token now gets 403 for done" \
    test "$(code "$U/done/node01?t=$dtok")" = 403
check "the iPXE script now boots local" \
    sh -c "ip netns exec $CNS curl -s '$U/ipxe/52:54:00:00:03:01' | grep -qx exit"
check "TFTP and HTTP still serve" fetch_ok
fd2=$(nfd)
check "no descriptor leaked in the master ($fd0 -> $fd2)" test "$fd2" -eq "$fd0"
check "tftpd was never restarted" test "$(worker_pid "$MPID" tftpd)" = "$tftpd"
check "httpd was never restarted" test "$(worker_pid "$MPID" httpd)" = "$httpd"
check "no worker exited" sh -c "! grep -q 'exited' '$T/log'"
check "the master is alive" kill -0 "$MPID"

# The master killed outright, with the state still in the journal: the
# next start reads it back and folds it into the snapshot.
check "before the kill, the snapshot still says install" \
    grep -q '^node01 install 1 1$' "$S/state/hosts"
kill -9 "$MPID" $(pgrep -P "$MPID") 2>/dev/null
wait "$MPID" 2>/dev/null
mv "$T/log" "$T/log.1"
pxed_start "$NS"
wait_for 5 "$PXECTL" -s "$T/sock" show hosts
check "after kill -9 and a start: node01 is local at generation 2" \
    host_is local 2
check "... the old token still gets 403" \
    test "$(code "$U/ks/node01?t=$tok")" = 403
check "... the start folded the journal into the snapshot" \
    grep -q '^node01 local 2 1$' "$S/state/hosts"
check "... and left an empty journal" test ! -s "$S/state/hosts.journal"
exit 0
