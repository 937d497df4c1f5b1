#!/bin/sh
# make bench: every side-by-side benchmark in regress/bench/*.sh (each
# runs pxed and the reference servers in the same run and prints its
# table); the tables go into BENCHMARKS.md by hand with the command,
# except the boot storm's, which storm.sh rewrites there with its plot.

cd "$(dirname "$0")/../.." || exit 1
rc=0 n=0
export STORM_MD="${STORM_MD-BENCHMARKS.md}"
export STORM_PLOT="${STORM_PLOT-regress/bench/storm.png}"
for b in regress/bench/*.sh; do
	[ "$b" = regress/bench/run.sh ] && continue
	n=$((n + 1))
	echo "== $b"
	sh "$b" || rc=1
done
[ "$n" -gt 0 ] || echo "pxed bench: no benchmark yet; they arrive with the DHCP, TFTP and HTTP workers."
exit $rc
