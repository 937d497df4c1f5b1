#!/bin/sh
# Run every libFuzzer harness for SECONDS each (make fuzz: 60; make
# check: a few).  Seeds come from regress/fuzz/corpus/NAME; what the
# fuzzer finds goes to build/fuzz/corpus/NAME, crashes to build/fuzz/
# (build/asan/fuzz/ under SANITIZE=1).
# One PASS/FAIL line per harness, with its executions and coverage.

secs=${1:-5}
cd "$(dirname "$0")/../.." || exit 1
# make check SANITIZE=1 builds into build/asan and says so in BUILD.
d=${BUILD:-build}/fuzz
n=0
for f in "$d"/*_fuzz; do
	[ -x "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f" _fuzz)
	mkdir -p "$d/corpus/$name"
	log=$d/$name.log
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix="$d/$name-" \
	    "$d/corpus/$name" "regress/fuzz/corpus/$name" \
	    >"$log" 2>&1; then
		stats=$(grep -a -E '^#[0-9]+.*DONE' "$log" | tail -n 1)
		echo "PASS: fuzz $name ${secs}s: ${stats:-done}"
	else
		echo "FAIL: fuzz $name: $(grep -a -m1 -E 'ERROR|SUMMARY' "$log")"
		tail -n 20 "$log" >&2
	fi
done
[ "$n" -gt 0 ] || echo "FAIL: fuzz: no harness in $d (make fuzzers)"
