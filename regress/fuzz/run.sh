#!/bin/sh
# Run every libFuzzer harness for SECONDS each (make fuzz: 60; make
# check: a few).  Seeds come from regress/fuzz/corpus/NAME; what the
# fuzzer finds goes to build/fuzz/corpus/NAME, crashes to build/fuzz/.
# One PASS/FAIL line per harness, with its executions and coverage.

secs=${1:-5}
cd "$(dirname "$0")/../.." || exit 1
for f in build/fuzz/*_fuzz; do
	[ -x "$f" ] || continue
	name=$(basename "$f" _fuzz)
	mkdir -p "build/fuzz/corpus/$name"
	log=build/fuzz/$name.log
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix="build/fuzz/$name-" \
	    "build/fuzz/corpus/$name" "regress/fuzz/corpus/$name" \
	    >"$log" 2>&1; then
		stats=$(grep -a -E '^#[0-9]+.*DONE' "$log" | tail -n 1)
		echo "PASS: fuzz $name ${secs}s: ${stats:-done}"
	else
		echo "FAIL: fuzz $name: $(grep -a -m1 -E 'ERROR|SUMMARY' "$log")"
		tail -n 20 "$log" >&2
	fi
done
