#!/bin/sh
# Lints the man pages that exist with mandoc -Tlint -Wwarning, which
# prints nothing for a clean page.

cd "$(dirname "$0")/../.." || exit 1

if ! command -v mandoc >/dev/null 2>&1; then
	echo "SKIP: mandoc-lint: mandoc not installed"
	exit 0
fi

for f in master/pxed.8 master/pxed.yaml.5 pxectl/pxectl.8; do
	[ -f "$f" ] || continue
	out=$(mandoc -Tlint -Wwarning "$f" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		echo "PASS: mandoc-lint $f"
	else
		[ -n "$out" ] || out="mandoc exited $rc"
		# One line, so that the test runner shows all of it.
		echo "FAIL: mandoc-lint $f: $(printf '%s\n' "$out" | paste -sd '|' -)"
	fi
done
exit 0
