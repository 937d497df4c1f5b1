#!/bin/sh
# make bench: every side-by-side benchmark in regress/bench/*.sh (each
# runs pxed and the reference servers in the same run, REPS times, 5 by
# default, and prints its runs and the medians).  Each rewrites its
# block in BENCHMARKS.md, between "<!-- NAME:begin -->" and
# "<!-- NAME:end -->": the exact command, the date, the machine, the
# table of medians and ratios; the boot storm draws its plot too.
# BENCH_MD= (empty) only prints; STORM_MD still overrides it for the
# storm.

cd "$(dirname "$0")/../.." || exit 1
rc=0 n=0
export BENCH_MD="${BENCH_MD-BENCHMARKS.md}"
export STORM_PLOT="${STORM_PLOT-regress/bench/storm.png}"
for b in regress/bench/*.sh; do
	# lib.sh is sourced by the benchmarks, not one of them
	case $b in regress/bench/run.sh|regress/bench/lib.sh) continue ;; esac
	n=$((n + 1))
	echo "== $b"
	sh "$b" || rc=1
done
[ "$n" -gt 0 ] || echo "pxed bench: no benchmark yet; they arrive with the DHCP, TFTP and HTTP workers."
exit $rc
