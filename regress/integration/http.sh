#!/bin/sh
# The HTTP worker, started for real as root: pxed in one namespace,
# curl, wget and raw sockets (python3) in another, over a veth pair.
# Static files, ranges, keep-alive, pipelining, conditional requests,
# traversal, limits, slow clients, tokens, done, iPXE scripts, metrics.

. regress/lib.sh
lab_init http curl wget python3
NS=pxedhttp$$
CNS=pxedhttpc$$

# A dead httpd must fail the checks, not hang them: the master keeps
# the listening socket, so connections would wait in its backlog.
printf 'max-time = 20\n' >"$T/.curlrc"
printf 'timeout = 20\ntries = 1\n' >"$T/wgetrc"
export CURL_HOME="$T" WGETRC="$T/wgetrc"

H=$T/http
mkdir -p "$T/tftp" "$H/sub" "$T/templates"
printf 'hello from the http root\n' >"$H/small.txt"
head -c 1048576 /dev/urandom >"$H/big.bin"
head -c 4096 /dev/urandom >"$H/BOOTX64.EFI"
printf 'sub file\n' >"$H/sub/f.txt"
printf 'TOP SECRET outside the root\n' >"$T/secret"
ln -s ../secret "$H/escape"
ln -s /etc/passwd "$H/abs"
ln -s small.txt "$H/inside"
# Small files served from memory (httpd/filecache.c) once settled.
mkdir -p "$H/mem/d"
head -c 4096 /dev/urandom >"$H/mem/a.bin"
head -c 65536 /dev/urandom >"$H/mem/max.bin"
head -c 65537 /dev/urandom >"$H/mem/over.bin"
head -c 3000 /dev/urandom >"$H/mem/d/f.bin"
touch -d '1 hour ago' "$H/mem/a.bin" "$H/mem/max.bin" "$H/mem/over.bin" "$H/mem/d/f.bin"
cat >"$T/templates/ks.cfg" <<'EOF'
# kickstart for {{name}} KSMARKER
url --url={{http}}/rocky9
%post
curl {{done}}
%end
EOF
{
	INV_HTTP=$H inventory_head pxe0 10.77.1.2 full 10.77.1.0/24 10.77.1.100-10.77.1.150
	cat <<YAML
boot:
  bios: pxelinux.0
  unknown: local
profiles:
  rocky9:
    kernel: images/vmlinuz
    initrd: images/initrd.img
    append: "inst.ks={{kickstart}} quiet"
    kickstart: templates/ks.cfg
YAML
	inventory_nodes 52:54:00:00:01: 10.77.1.10
} >"$T/pxed.yaml"

lab_pair "$NS" 10.77.1.2/24 "$CNS" 10.77.1.10/24 ||
    { fail http-lab "cannot create namespaces"; exit 1; }

pxed_start "$NS"
ctl() { "$PXECTL" -s "$T/sock" "$@"; }
U=http://10.77.1.2:8080
c() { ip netns exec "$CNS" "$@"; }
if ! wait_for 5 c curl -s -o /dev/null "$U/small.txt"; then
	fail "pxed serves http" "$(tail -5 "$T/log")"
	exit 1
fi
pass "pxed serves http on tcp/8080"

# GET and HEAD.
c curl -s -D "$T/h" -o "$T/b" "$U/small.txt"
check "GET returns the file" cmp "$T/b" "$H/small.txt"
check "GET: 200" grep -q '^HTTP/1.1 200 OK' "$T/h"
check "GET: Content-Length" grep -qi "^Content-Length: $(stat -c %s "$H/small.txt")" "$T/h"
check "GET: Content-Type text/plain" grep -qi '^Content-Type: text/plain' "$T/h"
check "GET: Last-Modified" grep -qi '^Last-Modified: ' "$T/h"
check "GET: ETag" grep -qi '^ETag: "' "$T/h"
c curl -s -I "$U/big.bin" >"$T/h"
check "HEAD: Content-Length of the file" grep -qi '^Content-Length: 1048576' "$T/h"
cat >"$T/head.py" <<'EOF'
import socket, sys
s = socket.create_connection(("10.77.1.2", 8080), timeout=5)
s.sendall(b"HEAD /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
sys.exit(0 if data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\n") else 1)
EOF
check "HEAD: no body" c python3 "$T/head.py"
c curl -s -I "$U/BOOTX64.EFI" >"$T/h"
check "Content-Type application/efi for .efi" grep -qi '^Content-Type: application/efi' "$T/h"
c curl -s -o "$T/b" "$U/big.bin"
check "GET of 1 MiB is exact" cmp "$T/b" "$H/big.bin"
c wget -q -O "$T/w" "$U/big.bin"
check "wget fetches the file" cmp "$T/w" "$H/big.bin"
head -c 300000 "$H/big.bin" >"$T/w"
c wget -q -c -O "$T/w" "$U/big.bin"
check "wget -c resumes with a range" cmp "$T/w" "$H/big.bin"
c curl -s -o /dev/null -w '%{http_code}' "$U/nosuch" >"$T/code"
check "a missing file: 404" test "$(cat "$T/code")" = 404

# Ranges.
range() {	# range SPEC: body to $T/r, headers to $T/h
	c curl -s -D "$T/h" -o "$T/r" -H "Range: bytes=$1" "$U/big.bin"
}
range 0-99
check "range first: 206" grep -q '^HTTP/1.1 206' "$T/h"
check "range first: Content-Range" grep -qi '^Content-Range: bytes 0-99/1048576' "$T/h"
check "range first: bytes" sh -c "head -c 100 '$H/big.bin' | cmp - '$T/r'"
range 1000-1999
check "range middle: bytes" sh -c "tail -c +1001 '$H/big.bin' | head -c 1000 | cmp - '$T/r'"
check "range middle: Content-Length" grep -qi '^Content-Length: 1000' "$T/h"
range -100
check "range suffix: bytes" sh -c "tail -c 100 '$H/big.bin' | cmp - '$T/r'"
check "range suffix: Content-Range" grep -qi '^Content-Range: bytes 1048476-1048575/1048576' "$T/h"
range 1048570-2000000
check "range past the end is clamped" grep -qi '^Content-Range: bytes 1048570-1048575/1048576' "$T/h"
range 2000000-
check "range beyond the file: 416" grep -q '^HTTP/1.1 416' "$T/h"
check "416 names the size" grep -qi '^Content-Range: bytes \*/1048576' "$T/h"
range 0-1,5-6
check "several ranges: the whole file" grep -q '^HTTP/1.1 200' "$T/h"

# Keep-alive and pipelining.
c curl -s -o /dev/null -o /dev/null -w '%{num_connects}\n' "$U/small.txt" "$U/sub/f.txt" >"$T/n"
check "keep-alive: the second request reuses the connection" test "$(tail -1 "$T/n")" = 0
cat >"$T/pipe.py" <<'EOF'
import re, socket, sys
s = socket.create_connection(("10.77.1.2", 8080), timeout=5)
req = b""
for p in ("/small.txt", "/sub/f.txt", "/nosuch", "/small.txt"):
    req += b"GET " + p.encode() + b" HTTP/1.1\r\nHost: t\r\n\r\n"
s.sendall(req)
data = b""
while data.count(b"HTTP/1.1 ") < 4 or not data.endswith(b"hello from the http root\n"):
    d = s.recv(65536)
    if not d:
        break
    data += d
codes = re.findall(rb"HTTP/1\.1 (\d{3})", data)
order = [data.find(b"hello from"), data.find(b"sub file"), data.find(b"404 Not"),
         data.rfind(b"hello from")]
ok = codes == [b"200", b"200", b"404", b"200"] and order == sorted(order) and order[0] != order[3]
sys.exit(0 if ok else 1)
EOF
check "pipelined requests are answered in order" c python3 "$T/pipe.py"

# Conditional requests.
c curl -s -D "$T/h" -o /dev/null "$U/small.txt"
etag=$(grep -i '^ETag:' "$T/h" | cut -d' ' -f2 | tr -d '\r')
lm=$(grep -i '^Last-Modified:' "$T/h" | cut -d' ' -f2- | tr -d '\r')
code() { c curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "If-None-Match with the ETag: 304" test "$(code -H "If-None-Match: $etag" "$U/small.txt")" = 304
check "If-None-Match with another ETag: 200" test "$(code -H 'If-None-Match: "x"' "$U/small.txt")" = 200
check "If-Modified-Since Last-Modified: 304" test "$(code -H "If-Modified-Since: $lm" "$U/small.txt")" = 304
check "If-Modified-Since long ago: 200" test "$(code -H 'If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT' "$U/small.txt")" = 200

# Small files from memory: a file is kept once its last change is 2 s
# old, and used only while the path still names that very file.
frommem() { c curl -s "$U/metrics" | sed -n 's/^pxed_http_files_from_memory_total{proc="httpd"} //p'; }
fetch_mem() {	# fetch_mem PATH: GET until an answer came from memory (5 s)
	_m0=$(frommem)
	wait_for 5 sh -c "ip netns exec $CNS curl -s -o '$T/b' '$U$1' && test \$(ip netns exec $CNS curl -s '$U/metrics' | sed -n 's/^pxed_http_files_from_memory_total{proc=\"httpd\"} //p') -gt $_m0"
}
check "memory: a 4 KiB file is answered from memory" fetch_mem /mem/a.bin
check "memory: its bytes" cmp "$T/b" "$H/mem/a.bin"
check "memory: a 64 KiB file too" fetch_mem /mem/max.bin
check "memory: its bytes (64 KiB)" cmp "$T/b" "$H/mem/max.bin"
m0=$(frommem)
c curl -s -o "$T/b" "$U/mem/over.bin"; c curl -s -o "$T/b" "$U/mem/over.bin"
check "memory: a file past 64 KiB is not ($m0 -> $(frommem))" test "$(frommem)" = "$m0"
check "memory: but served (65537 bytes)" cmp "$T/b" "$H/mem/over.bin"
m0=$(frommem)
c curl -s -D "$T/h" -o "$T/r" -H "Range: bytes=100-199" "$U/mem/a.bin"
dd if="$H/mem/a.bin" of="$T/want" bs=1 skip=100 count=100 2>/dev/null
check "memory: a range, 206" grep -q '^HTTP/1.1 206' "$T/h"
check "memory: the range's bytes" cmp "$T/r" "$T/want"
c curl -s -I -o /dev/null -D "$T/h" "$U/mem/a.bin"
check "memory: HEAD gives the length" grep -qi '^Content-Length: 4096' "$T/h"
etag=$(grep -i '^ETag:' "$T/h" | cut -d' ' -f2 | tr -d '\r')
check "memory: If-None-Match: 304" test "$(code -H "If-None-Match: $etag" "$U/mem/a.bin")" = 304
check "memory: range, HEAD and 304 came from memory" test "$(frommem)" -ge $((m0 + 3))
# A slow reader: the 64 KiB answer leaves in pieces, from the kept
# bytes, while the next client gets the same file.
cat >"$T/slow.py" <<'EOF'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("10.77.1.2", 8080))
s.sendall(b"GET /mem/max.bin HTTP/1.1\r\nHost: t\r\n\r\n")
time.sleep(1)
data = b""
while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 65536:
    d = s.recv(1024)
    if not d:
        break
    data += d
    time.sleep(0.001)
sys.stdout.buffer.write(data.split(b"\r\n\r\n", 1)[1])
EOF
c python3 "$T/slow.py" >"$T/slow" &
spid=$!
sleep 0.5
c curl -s -o "$T/b" "$U/mem/max.bin"
check "memory: another client meanwhile" cmp "$T/b" "$H/mem/max.bin"
wait "$spid"
check "memory: the slow reader's bytes, in pieces" cmp "$T/slow" "$H/mem/max.bin"
# Rewritten in place, same size, times set back: the change time tells.
check "memory (before the change): a file from memory" fetch_mem /mem/d/f.bin
head -c 3000 /dev/urandom >"$T/new.bin"
: >"$T/ref" && touch -r "$H/mem/d/f.bin" "$T/ref"
dd if="$T/new.bin" of="$H/mem/d/f.bin" bs=3000 count=1 conv=notrunc 2>/dev/null
touch -r "$T/ref" "$H/mem/d/f.bin"
c curl -s -o "$T/b" "$U/mem/d/f.bin"
check "memory: rewritten in place, mtime set back: the new bytes" cmp "$T/b" "$T/new.bin"
# Replaced by a rename: another inode.
head -c 4096 /dev/urandom >"$T/new.bin"
cp "$T/new.bin" "$H/mem/a.new" && touch -d '1 hour ago' "$H/mem/a.new"
mv "$H/mem/a.new" "$H/mem/a.bin"
c curl -s -o "$T/b" "$U/mem/a.bin"
check "memory: replaced by a rename: the new bytes" cmp "$T/b" "$T/new.bin"
# The directory swapped for an absolute symlink to another file: the
# kept bytes are not that file's, so it is opened, and refused.
check "memory (before the swap): a file from memory" fetch_mem /mem/max.bin
mkdir "$H/other" && cp "$H/mem/max.bin" "$H/other/max.bin"
touch -d '1 hour ago' "$H/other/max.bin"
mv "$H/mem" "$H/mem.old" && ln -s /other "$H/mem"
check "memory: a path now through an absolute symlink: 403" test "$(code "$U/mem/max.bin")" = 403
rm "$H/mem" && mv "$H/mem.old" "$H/mem"
rm "$H/mem/a.bin"
check "memory: removed: 404" test "$(code "$U/mem/a.bin")" = 404

# Traversal and what is not a plain file.
: >"$T/leak"
for p in /../secret /%2e%2e/secret /sub/%2E%2E/%2e%2e/secret /sub/..%2f..%2fsecret //etc/passwd /escape /abs /sub/ /sub; do
	c curl -s --path-as-is -o "$T/b" -w '%{http_code}' "$U$p" >"$T/code"
	cat "$T/b" >>"$T/leak"
	case $(cat "$T/code") in
	403|404) pass "traversal $p refused with $(cat "$T/code")" ;;
	*) fail "traversal $p refused" "got $(cat "$T/code")" ;;
	esac
done
check "nothing outside the root leaked" sh -c "! grep -q -e 'TOP SECRET' -e 'root:' '$T/leak'"
check "a symlink inside the root is served" test "$(code "$U/inside")" = 200

# Limits.
cat >"$T/raw.py" <<'EOF'
import socket, sys
s = socket.create_connection(("10.77.1.2", 8080), timeout=5)
s.sendall(sys.argv[1].encode().decode("unicode_escape").encode("latin-1"))
data = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
except socket.timeout:
    pass
print(data.split(b"\r\n")[0].decode())
EOF
raw() { c python3 "$T/raw.py" "$1"; }
big=$(head -c 9000 /dev/zero | tr '\0' a)
check "oversized headers: 431" test "$(code -H "X-Big: $big" "$U/small.txt")" = 431
check "an over-long request line: 414" sh -c "ip netns exec $CNS python3 '$T/raw.py' 'GET /$big HTTP/1.1\\r\\n' | grep -q '^HTTP/1.1 414'"
check "unknown method: 501" test "$(code -X FROB "$U/small.txt")" = 501
check "PUT: 405" test "$(code -X PUT "$U/small.txt")" = 405
c curl -s -D "$T/h" -o /dev/null -X DELETE "$U/small.txt"
check "405 says Allow" grep -qi '^Allow: GET, HEAD' "$T/h"
check "POST outside /done: 405" test "$(code -X POST -d x=1 "$U/small.txt")" = 405
check "no Host in HTTP/1.1: 400" sh -c "ip netns exec $CNS python3 '$T/raw.py' 'GET / HTTP/1.1\\r\\n\\r\\n' | grep -q '^HTTP/1.1 400'"
check "HTTP/2.0 request line: 505" sh -c "ip netns exec $CNS python3 '$T/raw.py' 'GET / HTTP/2.0\\r\\nHost: x\\r\\n\\r\\n' | grep -q '^HTTP/1.1 505'"
check "a header without a colon: 400" sh -c "ip netns exec $CNS python3 '$T/raw.py' 'GET / HTTP/1.1\\r\\nHost: x\\r\\nbogus\\r\\n\\r\\n' | grep -q '^HTTP/1.1 400'"
check "bare LF line ends are accepted" sh -c "ip netns exec $CNS python3 '$T/raw.py' 'GET /small.txt HTTP/1.0\\n\\n' | grep -q '^HTTP/1.1 200'"

# A client that never finishes its request does not hold up the others.
cat >"$T/slow.py" <<'EOF'
import socket, sys, time
s = socket.create_connection(("10.77.1.2", 8080), timeout=20)
s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: slow\r\n")
open(sys.argv[1], "w").write("sent\n")
t0 = time.time()
data = s.recv(4096)
dt = time.time() - t0
ok = data.startswith(b"HTTP/1.1 408") and 5 < dt < 15 and s.recv(4096) == b""
sys.exit(0 if ok else 1)
EOF
c python3 "$T/slow.py" "$T/slowsent" &
SLOW=$!
wait_for 5 test -s "$T/slowsent"
check "another client is served while a slow one holds its request" c curl -s -m 2 -o /dev/null "$U/small.txt"
if wait "$SLOW"; then pass "the slow client gets 408 and is closed after the head timeout"
else fail "the slow client gets 408 and is closed after the head timeout"; fi

# Tokens, kickstarts, iPXE.  The profile's kernel and initrd are paths
# of the TFTP root; iPXE gets them over HTTP when the HTTP root has them.
c curl -s "$U/ipxe/52:54:00:00:01:01" >"$T/ipxe"
check "iPXE kernel over TFTP when the HTTP root lacks it" \
    grep -q "^kernel tftp://10.77.1.2/images/vmlinuz inst.ks=" "$T/ipxe"
check "iPXE initrd over TFTP when the HTTP root lacks it" \
    grep -q "^initrd tftp://10.77.1.2/images/initrd.img\$" "$T/ipxe"
mkdir -p "$H/images"
printf 'kernel\n' >"$H/images/vmlinuz"
printf 'initrd\n' >"$H/images/initrd.img"
chmod -R a+rX "$H/images"
c curl -s "$U/ipxe/52:54:00:00:01:01" >"$T/ipxe"
check "iPXE script for an armed host" grep -q '^#!ipxe' "$T/ipxe"
check "iPXE kernel from the http root" grep -q "^kernel $U/images/vmlinuz inst.ks=$U/ks/node01?t=[0-9a-f]\{32\} quiet\$" "$T/ipxe"
check "iPXE initrd" grep -q "^initrd $U/images/initrd.img\$" "$T/ipxe"
check "iPXE boots" grep -q '^boot$' "$T/ipxe"
tok=$(sed -n 's/.*t=\([0-9a-f]\{32\}\).*/\1/p' "$T/ipxe")
c curl -s "$U/ipxe/52-54-00-00-01-02" >"$T/ipxe2"
check "iPXE for a local host exits to the firmware" sh -c "printf '#!ipxe\nexit\n' | cmp - '$T/ipxe2'"
check "iPXE for an unknown MAC (unknown: local)" sh -c "ip netns exec $CNS curl -s '$U/ipxe/02:00:00:00:00:99' | grep -qx exit"
c curl -s -D "$T/h" -o "$T/ks" "$U/ks/node01?t=$tok"
check "kickstart with the right token: 200" grep -q '^HTTP/1.1 200' "$T/h"
check "kickstart is rendered" grep -q '^# kickstart for node01 KSMARKER$' "$T/ks"
check "kickstart has the done URL" grep -q "^curl $U/done/node01?t=[0-9a-f]\{32\}\$" "$T/ks"
dtok=$(sed -n 's|^curl .*/done/node01?t=\([0-9a-f]\{32\}\)$|\1|p' "$T/ks")
check "the done token is not the kickstart token" sh -c "[ -n '$dtok' ] && [ '$dtok' != '$tok' ]"
check "the done token does not open the kickstart" test "$(code "$U/ks/node01?t=$dtok")" = 403
wrong=$(echo "$tok" | tr '0-9a-f' '1-9a-f0')
c curl -s -D "$T/h" -o "$T/ks" "$U/ks/node01?t=$wrong"
check "kickstart with a wrong token: 403" grep -q '^HTTP/1.1 403' "$T/h"
check "403 has nothing of the template" sh -c "! grep -q KSMARKER '$T/ks'"
check "kickstart without a token: 403" test "$(code "$U/ks/node01")" = 403
check "kickstart of a host not armed: 403" test "$(code "$U/ks/node02?t=$tok")" = 403
check "kickstart of an unknown host: 403" test "$(code "$U/ks/nosuch?t=$tok")" = 403

# /metrics before, done, /metrics after.
metric() { c curl -s "$U/metrics" | sed -n "s/^$1 //p"; }
m200=$(metric 'pxed_http_requests_total{proc="httpd",code="200"}')
c curl -s "$U/metrics" >"$T/metrics"
check "metrics: TYPE lines" grep -q '^# TYPE pxed_http_requests_total counter$' "$T/metrics"
check "metrics: dhcpd counters relayed" grep -q '^pxed_[a-z_]*{proc="dhcpd"} [0-9]' "$T/metrics"
check "metrics: tftpd counters relayed" grep -q '^pxed_[a-z_]*{proc="tftpd"} [0-9]' "$T/metrics"
check "metrics: master counters relayed" grep -q '^pxed_uptime_seconds{proc="master"} [0-9]' "$T/metrics"
# One table a process, one fan-out: every counter of every process in
# "pxectl -j show stats" is in /metrics, under the family its table
# names, with the same value (at rest: not the uptime, nor httpd's
# request and connection counts, which this very request moves).
cat >"$T/same.py" <<'EOF'
import json, re, sys
stats = json.load(open(sys.argv[1]))
seen = {}
for line in open(sys.argv[2]):
    r = re.match(r'^pxed_(\w+)\{proc="(\w+)"(,[^}]*)?\} (\d+)$', line)
    if r:
        labels = "{" + r.group(3)[1:] + "}" if r.group(3) else ""
        seen[(r.group(2), r.group(1) + labels)] = int(r.group(4))
bad, n = [], 0
for proc in ("master", "dhcpd", "tftpd", "httpd"):
    for name, v in stats[proc]["counters"].items():
        n += 1
        m = stats[proc]["metrics"][name]
        # At rest but for the uptime, and httpd's own: this request.
        if name == "uptime_seconds" or (proc == "httpd" and "http_" in m):
            if (proc, m) not in seen:
                bad.append("%s %s: not in /metrics" % (proc, m))
        elif seen.get((proc, m)) != v:
            bad.append("%s %s: %s vs %s" % (proc, m, v, seen.get((proc, m))))
print("; ".join(bad) if bad else "%d counters" % n)
sys.exit(1 if bad or n < 60 else 0)
EOF
"$PXECTL" -j -s "$T/sock" show stats >"$T/stats.json"
c curl -s "$U/metrics" >"$T/metrics"
check "metrics and show stats: the same counters, the same values ($(python3 "$T/same.py" "$T/stats.json" "$T/metrics"))" \
    python3 "$T/same.py" "$T/stats.json" "$T/metrics"
check "metrics: the workers' restarts" grep -q '^pxed_worker_restarts_total{proc="master",worker="dhcpd"} 0$' "$T/metrics"
# promtool (Debian's prometheus package, unpacked, not installed) has
# no complaint about a live /metrics: help text, types, names.
P=$DEB_CACHE/prometheus/usr/bin/promtool
[ -x "$P" ] || deb_fetch prometheus "$DEB_CACHE/prometheus" >/dev/null
if [ -x "$P" ]; then
	c curl -s "$U/metrics" >"$T/metrics"
	"$P" check metrics <"$T/metrics" >"$T/promtool" 2>&1
	check "promtool check metrics: no complaint on $(grep -c '^# HELP' "$T/metrics") families ($(head -c 300 "$T/promtool" | tr '\n' ' '))" \
	    sh -c "test ! -s '$T/promtool' && test \$(grep -c '^# HELP' '$T/metrics') -gt 40"
else
	fail "promtool" "cannot fetch Debian's prometheus package"
fi
check "done with a wrong token: 403" test "$(code "$U/done/node01?t=$wrong")" = 403
check "done with the kickstart token: 403" test "$(code "$U/done/node01?t=$tok")" = 403
check "HEAD on done: 405" test "$(code -I "$U/done/node01?t=$dtok")" = 405
# Tokens reach only their host: node01 is 10.77.1.10; .20 is a stranger.
ip -n "$CNS" addr add 10.77.1.20/24 dev peer0
check "another address gets no token in node01's iPXE script" sh -c \
    "ip netns exec $CNS curl -s --interface 10.77.1.20 '$U/ipxe/52:54:00:00:01:01' | grep -qx exit"
check "the kickstart token from another address: 403" \
    test "$(code --interface 10.77.1.20 "$U/ks/node01?t=$tok")" = 403
check "the done token from another address: 403" \
    test "$(code --interface 10.77.1.20 "$U/done/node01?t=$dtok")" = 403
check "still armed after a foreign done" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -Eq '^node01 .* install +1( |\$)'"
check "a foreign request is logged" grep -q \
    "http: iPXE script of node01 asked from 10.77.1.20: not its address, answered as for an unknown client (0 more refusals since)" "$T/log"
check "... once a source a while: the two foreign tokens after it are not" \
    test "$(grep -c "token from 10.77.1.20 refused" "$T/log")" = 0
# The menus tftpd generates, over HTTP too (UEFI HTTP boot): node01,
# armed, asks from its own address; .20 is a stranger.
c curl -s -D "$T/h" -o "$T/menu" "$U/grub/grub.cfg"
check "http menu: the bare grub.cfg is the requester's own menu" \
    grep -qx '# pxed: node01 (install)' "$T/menu"
check "http menu: GRUB gets the kernel of the HTTP root, with the token" \
    grep -qx "	linux /images/vmlinuz inst.ks=$U/ks/node01?t=$tok quiet" "$T/menu"
check "http menu: and the initrd" grep -qx '	initrd /images/initrd.img' "$T/menu"
check "http menu: Content-Length of the menu" grep -qi \
    "^Content-Length: $(wc -c <"$T/menu")" "$T/h"
check "http menu: logged as generated" wait_for 3 grep -q \
    'http: 10.77.1.10 "GET /grub/grub.cfg" 200 .* (generated)$' "$T/log"
c curl -s -I "$U/grub/grub.cfg" >"$T/h"
check "http menu: HEAD has the same length" grep -qi \
    "^Content-Length: $(wc -c <"$T/menu")" "$T/h"
check "http menu: HEAD says text/plain" grep -qi '^Content-Type: text/plain' "$T/h"
c curl -s -o "$T/menu2" "$U/boot/grub.cfg-01-52-54-00-00-01-01"
check "http menu: grub.cfg-01-<mac> at another prefix" cmp "$T/menu" "$T/menu2"
c curl -s -o "$T/menu2" "$U/grub.cfg-0A4D010A"
check "http menu: grub.cfg-<HEXIP>" cmp "$T/menu" "$T/menu2"
c curl -s -o "$T/menu2" "$U/pxelinux.cfg/01-52-54-00-00-01-01"
check "http menu: pxelinux.cfg/01-<mac>" grep -qx 'KERNEL images/vmlinuz' "$T/menu2"
check "http menu: another host's menu is not found from a stranger" \
    test "$(code --interface 10.77.1.20 "$U/grub/grub.cfg-01-52-54-00-00-01-01")" = 404
c curl -s --interface 10.77.1.20 -o "$T/menu2" "$U/grub/grub.cfg"
check "http menu: a stranger's bare grub.cfg boots local" sh -c \
    "grep -qx '# pxed: unknown client' '$T/menu2' && grep -q 'exit' '$T/menu2' && ! grep -q token '$T/menu2'"
check "http menu: an unknown MAC's name is not found" \
    test "$(code "$U/grub/grub.cfg-01-02-00-00-00-00-99")" = 404
mkdir -p "$H/real"
printf 'set timeout=5\n' >"$H/real/grub.cfg"
chmod -R a+rX "$H/real"
c curl -s -o "$T/menu2" "$U/real/grub.cfg"
check "http menu: a real file wins" cmp "$T/menu2" "$H/real/grub.cfg"
check "http menu: counted in /metrics" sh -c "ip netns exec $CNS curl -s '$U/metrics' | grep -Eq '^pxed_http_menus_generated_total\{proc=\"httpd\"\} [1-9]'"
# Token guessing does not flood the log: 20 more wrong tokens from .20
# within the interval add no access-log line.
n0=$(grep -c '^http: 10.77.1.20 "GET /ks/node01" 403' "$T/log")
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	code --interface 10.77.1.20 "$U/ks/node01?t=$wrong$i" >/dev/null
done
check "20 wrong tokens from one address within 10 s: no more log lines ($n0 before)" \
    test "$(grep -c '^http: 10.77.1.20 "GET /ks/node01" 403' "$T/log")" = "$n0"
check "... and all 403" test "$(code --interface 10.77.1.20 "$U/ks/node01?t=$wrong")" = 403
c curl -s -D "$T/h" -o "$T/b" "$U/done/node01?t=$dtok"
check "done with the right token: 200 ok" sh -c "grep -q '^HTTP/1.1 200' '$T/h' && grep -qx ok '$T/b'"
check "the host is local with a new generation" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -Eq '^node01 .* local +2( |\$)'"
check "the state journal says local" grep -q '^node01 local 2 1$' "$T/state/hosts.journal"
check "the stale token no longer gets the kickstart" test "$(code "$U/ks/node01?t=$tok")" = 403
check "a second done with the stale token: 403" test "$(code "$U/done/node01?t=$dtok")" = 403
check "the iPXE script now boots local" sh -c "ip netns exec $CNS curl -s '$U/ipxe/52:54:00:00:01:01' | grep -qx exit"
check "the master logged the done" grep -q 'host node01: installer reported done from 10.77.1.10' "$T/log"

# A pool host is known at the address pxed leased it: a real DHCP client
# (udhcpc) on a macvlan with node02's MAC.
ctl host node02 install >/dev/null
ip -n "$CNS" link add link peer0 name mv0 address 52:54:00:00:01:02 type macvlan mode bridge
ip -n "$CNS" link set mv0 up
# Our own script: the system's would rewrite the host's resolv.conf.
cat >"$T/udhcpc.sh" <<'EOS'
#!/bin/sh
[ "$1" = bound ] && ip addr add "$ip/$mask" dev "$interface"
exit 0
EOS
chmod +x "$T/udhcpc.sh"
c timeout 20 udhcpc -i mv0 -n -q -t 5 -T 1 -s "$T/udhcpc.sh" >"$T/udhcpc.out" 2>&1
lease2=$(ip -n "$CNS" -4 -o addr show dev mv0 | awk '{ print $4 }' | cut -d/ -f1)
check "node02 leased a pool address ($lease2)" sh -c "echo '$lease2' | grep -q '^10\.77\.1\.1[0-4][0-9]$'"
c curl -s --interface "$lease2" "$U/ipxe/52:54:00:00:01:02" >"$T/ipxe3"
check "node02's iPXE script from its leased address has its token" \
    grep -q "inst.ks=$U/ks/node02?t=[0-9a-f]\{32\} quiet\$" "$T/ipxe3"
tok3=$(sed -n 's/.*t=\([0-9a-f]\{32\}\).*/\1/p' "$T/ipxe3")
check "node02's kickstart from its leased address: 200" \
    test "$(code --interface "$lease2" "$U/ks/node02?t=$tok3")" = 200
check "node02's kickstart from node01's address: 403" \
    test "$(code "$U/ks/node02?t=$tok3")" = 403
ip -n "$CNS" link del mv0
m200b=$(metric 'pxed_http_requests_total{proc="httpd",code="200"}')
check "metrics: 200 counter moved" test "$m200b" -gt "$m200"
check "metrics: done counted" sh -c "ip netns exec $CNS curl -s '$U/metrics' | grep -q '^pxed_http_done_total{proc=\"httpd\",result=\"ok\"} 1\$'"
check "metrics: 403 counted" sh -c "ip netns exec $CNS curl -s '$U/metrics' | grep -q '^pxed_http_requests_total{proc=\"httpd\",code=\"403\"} [1-9]'"

# Re-armed: a new token; done by POST with a body.
ctl host node01 install
c curl -s "$U/ipxe/52:54:00:00:01:01" >"$T/ipxe"
tok2=$(sed -n 's/.*t=\([0-9a-f]\{32\}\).*/\1/p' "$T/ipxe")
check "re-arming issues a new token" sh -c "[ -n '$tok2' ] && [ '$tok2' != '$tok' ]"
check "the old token stays dead after re-arming" test "$(code "$U/ks/node01?t=$tok")" = 403
check "the new token gets the kickstart" test "$(code "$U/ks/node01?t=$tok2")" = 200
dtok2=$(c curl -s "$U/ks/node01?t=$tok2" | sed -n 's|^curl .*/done/node01?t=\([0-9a-f]\{32\}\)$|\1|p')
check "done by POST with a body: 200" test "$(code -X POST -d status=ok "$U/done/node01?t=$dtok2")" = 200
check "after POST done: local, generation 4" sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -Eq '^node01 .* local +4( |\$)'"

# The connection cap: with 512 descriptors, httpd holds 256 connections.
# When the table is full a new connection closes the longest idle one;
# one with a request under way is kept.  One address may hold more than
# its share here (per_client: 1000), to reach the global cap.
kill -TERM "$MPID"; wait "$MPID" 2>/dev/null; MPID=
sed -i "s|^  http: {.*|  http: { root: $H, port: 8080, per_client: 1000 }|" "$T/pxed.yaml"
ip netns exec "$NS" prlimit --nofile=512:512 "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" 2>>"$T/log" &
MPID=$!
wait_for 5 c curl -s -o /dev/null "$U/small.txt"
cat >"$T/cap.py" <<'EOF'
import socket, sys, time
busy = socket.create_connection(("10.77.1.2", 8080), timeout=5)
busy.sendall(b"GET /small.txt HTTP/1.1\r\nHost: t\r\n")
time.sleep(0.3)
socks = [socket.create_connection(("10.77.1.2", 8080), timeout=5) for i in range(300)]
time.sleep(1.5)
closed, refused, held = [], 0, 0
for i, s in enumerate(socks):
    s.setblocking(False)
    try:
        d = s.recv(100)
        if d == b"":
            closed.append(i)
        elif d.startswith(b"HTTP/1.1 503"):
            refused += 1
    except BlockingIOError:
        held += 1
busy.settimeout(5)
busy.sendall(b"\r\n")
kept = busy.recv(4096).startswith(b"HTTP/1.1 200")
last = socks[-1]
last.setblocking(True)
last.sendall(b"GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\n")
served = last.recv(4096).startswith(b"HTTP/1.1 200")
print(len(closed), refused, held, kept, served, closed[:3], closed[-3:])
sys.exit(0 if closed == list(range(45)) and refused == 0 and held == 255
         and kept and served else 1)
EOF
check "past the cap, the 45 longest idle make room; a request under way is kept" c python3 "$T/cap.py"
check "metrics: evictions counted" sh -c "ip netns exec $CNS curl -s '$U/metrics' | grep -q '^pxed_http_connections_total{proc=\"httpd\",result=\"evicted_idle\"} 45\$'"

# One address's share (per_client: 8 by a reload): 10 connections from
# it hold 8 and get 503 twice; another address downloads meanwhile.
sed -i "s|per_client: 1000|per_client: 8|" "$T/pxed.yaml"
ctl reload
cat >"$T/share.py" <<'EOF'
import socket, subprocess, sys, time
socks = [socket.create_connection(("10.77.1.2", 8080), timeout=5) for i in range(10)]
time.sleep(1)
refused, held = 0, 0
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(100).startswith(b"HTTP/1.1 503"):
            refused += 1
    except BlockingIOError:
        held += 1
other = subprocess.run(["curl", "-s", "--interface", "10.77.1.20", "-o",
                        sys.argv[1], "http://10.77.1.2:8080/big.bin"]).returncode
print(refused, held, other)
sys.exit(0 if (refused, held, other) == (2, 8, 0) else 1)
EOF
check "10 connections from one address: 8 held, 2 refused; another address served" \
    c python3 "$T/share.py" "$T/big.out"
check "... byte-exact" cmp "$T/big.out" "$H/big.bin"
check "metrics: refusals of a share counted" sh -c "ip netns exec $CNS curl -s '$U/metrics' | grep -q '^pxed_http_connections_total{proc=\"httpd\",result=\"refused_client\"} 2\$'"

# One access-log line per request.
check "access log line" grep -Eq '^http: 10\.77\.1\.10 "GET /small\.txt" 200 25 bytes [0-9.]+ ms$' "$T/log"
check "access log line for a refused token" grep -Eq '^http: 10\.77\.1\.10 "GET /ks/node01" 403 [0-9]+ bytes' "$T/log"
check "httpd is still the first one" sh -c "! grep -q 'httpd exited' '$T/log'"

# The congestion control of HTTP connections (server.http.congestion):
# cubic unless told, whatever the system's default; "system" is that
# default; a name the kernel does not have refuses the reload.
cat >"$T/hold.py" <<'EOF'
import socket, time
s = socket.create_connection(("10.77.1.2", 8080), timeout=5)
s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\n")
s.recv(4096)
time.sleep(3)
EOF
# The algorithm of the server's side of a connection held open.
cc_used() {
	c python3 "$T/hold.py" &
	_hp=$!
	wait_for 3 sh -c "ip netns exec $NS ss -tniH state established '( sport = :8080 )' | grep -q ."
	ip netns exec "$NS" ss -tniH state established '( sport = :8080 )' |
	    grep -owE 'reno|cubic|bbr|bbr2|htcp|vegas|westwood|dctcp' | head -n 1
	kill "$_hp" 2>/dev/null
	wait "$_hp" 2>/dev/null
}
# reload_cc VALUE: the inventory's http line with that congestion, reloaded.
reload_cc() {
	sed -i "s|^  http: {.*|  http: { root: $H, port: 8080${1:+, congestion: $1} }|" "$T/pxed.yaml"
	ctl reload
}
ip netns exec "$NS" sysctl -qw net.ipv4.tcp_congestion_control=reno
check "the server namespace's default is reno" test "$(ip netns exec "$NS" sysctl -n net.ipv4.tcp_congestion_control)" = reno
cc=$(cc_used)
if grep -qw cubic /proc/sys/net/ipv4/tcp_available_congestion_control; then
	check "congestion: cubic by default, over the system's default (got $cc)" test "$cc" = cubic
else	# a kernel without cubic: the default is best effort
	check "congestion: no cubic in this kernel, the system's kept (got $cc)" test "$cc" = reno
	check "congestion: no cubic in this kernel, a warning" grep -q "congestion control cubic, keeping the system's" "$T/log"
fi
check "congestion: system reloads" reload_cc system
cc=$(cc_used)
check "congestion: system is the kernel's default (got $cc)" test "$cc" = reno
check "congestion: cubic reloads" reload_cc cubic
cc=$(cc_used)
check "congestion: cubic named (got $cc)" test "$cc" = cubic
check "congestion: an algorithm the kernel lacks refuses the reload" sh -c "! { sed -i 's|congestion: cubic|congestion: nosuchcc|' '$T/pxed.yaml' && '$PXECTL' -s '$T/sock' reload; }"
check "the refusal names the algorithm" wait_for 3 grep -q 'congestion control nosuchcc: No such file or directory' "$T/log"
cc=$(cc_used)
check "a refused reload keeps the running algorithm (got $cc)" test "$cc" = cubic
check "pxed serves after the refused reload" c curl -sf -o /dev/null "$U/small.txt"
exit 0
