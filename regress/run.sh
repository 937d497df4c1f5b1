#!/bin/sh
# Runs every test of make check and counts their PASS/FAIL/SKIP lines.
# Each test prints "PASS: name", "FAIL: name: why" or "SKIP: name: why";
# a test that exits non-zero without printing a FAIL counts as one failure.
# The last line is "N passed, N failed" (", N skipped" when any were).

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
log=$(mktemp -d /tmp/pxed-check.XXXXXX)
trap 'rm -rf "$log"' EXIT INT TERM
passed=0 failed=0 skipped=0

run() {
	name=$1; shift
	out="$log/out"
	"$@" >"$out" 2>"$log/err"
	rc=$?
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	s=$(grep -c '^SKIP: ' "$out")
	grep -E '^(FAIL|SKIP): ' "$out" | sed "s|^|  $name: |"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  $name: FAIL: exited $rc without a FAIL line"
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "  --- $name stderr (tail) ---"
		tail -n 30 "$log/err" | sed 's/^/  | /'
	fi
	echo "$name: $p passed, $f failed${s:+, $s skipped}" | sed 's/, 0 skipped//'
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

for t in "${BUILD:-build}"/regress/*_test; do
	[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done
for t in regress/unit/*.sh regress/integration/*.sh regress/e2e/*_test.sh; do
	[ -f "$t" ] && run "${t#regress/}" sh "$t"
done

if [ "$skipped" -ne 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
