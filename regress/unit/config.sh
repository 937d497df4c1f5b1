#!/bin/sh
# The YAML loader against golden files in regress/unit/config: "pxed -nv"
# of each good inventory (NAME.yaml, NAME.nv), "pxed -n" of each broken
# one (bad-NAME.yaml, bad-NAME.err: the exact stderr), -nv fed its own
# output, and the sample inventory of etc/.  PXED names the binary.
# Absolute paths in -nv output are written @TOP@ in the .nv files.

top=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$top" || exit 1
PXED=${PXED:-${BUILD:-build}/pxed}
dir=regress/unit/config
tmp=$(mktemp -d /tmp/pxed-config.XXXXXX) || exit 1
# The inventories run as _pxed, the default server.user, which pxed -n
# wants to exist (README step 2 makes it).
if ! id _pxed >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		useradd -r -M -d /nonexistent -s /usr/sbin/nologin _pxed
	else
		echo "SKIP: config: no user _pxed, and not root to make it"
		exit 0
	fi
fi
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

pass() {
	echo "PASS: config $1"
}

fail() {
	echo "FAIL: config $1: $2"
	failed=1
}

if [ ! -x "$PXED" ]; then
	echo "FAIL: config: $PXED is not built"
	exit 1
fi

for yaml in "$dir"/*.yaml; do
	name=$(basename "$yaml" .yaml)
	case $name in bad-*) continue ;; esac
	"$PXED" -nv -f "$yaml" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	sed "s|$top/|@TOP@/|g" "$tmp/out" >"$tmp/nv"
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit $rc: $(head -n 3 "$tmp/err")"
		continue
	elif ! cmp -s "$tmp/nv" "$dir/$name.nv"; then
		fail "$name" "-nv output differs: $(diff "$dir/$name.nv" \
		    "$tmp/nv" | head -n 20)"
	else
		pass "$name"
	fi
	# Reloading the normalized inventory gives it back unchanged.
	sed '$d' "$tmp/out" >"$tmp/again.yaml"
	"$PXED" -nv -f "$tmp/again.yaml" >"$tmp/out2" 2>"$tmp/err2"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name reloaded" "exit $rc: $(head -n 3 "$tmp/err2")"
	elif ! cmp -s "$tmp/out" "$tmp/out2"; then
		fail "$name reloaded" "differs: $(diff "$tmp/out" \
		    "$tmp/out2" | head -n 20)"
	else
		pass "$name reloaded"
	fi
done

for yaml in "$dir"/bad-*.yaml; do
	name=$(basename "$yaml" .yaml)
	"$PXED" -n -f "$yaml" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 1 ]; then
		fail "$name" "exit $rc, want 1"
	elif [ -s "$tmp/out" ]; then
		fail "$name" "wrote to stdout: $(head -n 3 "$tmp/out")"
	elif ! cmp -s "$tmp/err" "$dir/$name.err"; then
		fail "$name" "stderr differs: $(diff "$dir/$name.err" \
		    "$tmp/err" | head -n 20)"
	else
		pass "$name"
	fi
done

# The size bound: a file past 16 MiB is refused before it is parsed.
{ printf 'server:\n  interfaces: [eth1]\n# '
  head -c $((16 * 1024 * 1024)) /dev/zero | tr '\0' x; echo; } >"$tmp/big.yaml"
"$PXED" -n -f "$tmp/big.yaml" 2>"$tmp/err" >/dev/null
if [ "$(cat "$tmp/err")" = "$tmp/big.yaml:1:1: the inventory is larger than 16 MiB" ]; then
	pass "bad-size"
else
	fail "bad-size" "$(head -c 300 "$tmp/err")"
fi
rm -f "$tmp/big.yaml"

if [ -f etc/pxed.yaml ]; then
	"$PXED" -n -f etc/pxed.yaml >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ "$(cat "$tmp/out")" != "configuration OK" ]
	then
		fail "etc/pxed.yaml" "exit $rc: $(head -n 3 "$tmp/err")"
	else
		pass "etc/pxed.yaml"
	fi
fi

exit "$failed"
