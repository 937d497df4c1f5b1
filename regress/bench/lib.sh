# Shared by the benchmarks in regress/bench (sourced from the repository
# root, after regress/lib.sh): the machine a run was on, the median of
# repeated runs, and the rewrite of a benchmark's block in BENCHMARKS.md.

# When the benchmark started, and the load average before it loaded
# the machine.
BENCH_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
BENCH_LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# Equal footing: every server (pxed's master and workers, and each
# reference server) runs on SERVER_CPUS, every load client on
# CLIENT_CPUS, the same for all, so that a multi-process server, its
# load client and pxed's SCHED_BATCH workers do not fight over the same
# cores and the figure measures the servers, not the scheduler.  PIN=0
# runs everything unpinned (the second figure); one core: unpinned.
if [ "$(nproc)" -ge 2 ]; then PIN=${PIN:-1}; else PIN=0; fi
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1}
# Prefixes of the commands that start servers and load clients; not
# functions, so that "$ON_SERVER cmd &" leaves the command's pid in $!.
if [ "$PIN" = 1 ]; then
	ON_SERVER="taskset -c $SERVER_CPUS"
	ON_CLIENT="taskset -c $CLIENT_CPUS"
else
	ON_SERVER= ON_CLIENT=
fi
# How the run was placed, for the tables.
bench_pinning() {
	if [ "$PIN" = 1 ]; then
		echo "servers on CPU $SERVER_CPUS, load clients on CPU $CLIENT_CPUS (taskset)"
	else
		echo "unpinned"
	fi
}

# The machine line: cores, CPU, kernel, Debian, and the load average at
# the start (when this file was sourced) and now, since other work on a
# shared machine moves the numbers.
bench_machine() {
	_bcpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
	echo "$(nproc) cores (${_bcpu:-unknown CPU}), Linux $(uname -r)," \
	    "Debian $(cat /etc/debian_version 2>/dev/null || echo '?')," \
	    "load average $BENCH_LOAD0 at the start," \
	    "$(cut -d' ' -f1-3 /proc/loadavg) at the end; $(bench_pinning)"
}

# The numbers on stdin, one a line: "median min max".  With an even
# count the median is the mean of the two middle ones.
bench_stats() {
	sort -n | awk '{ v[NR] = $1 }
	END {
		if (NR == 0) { print "0 0 0"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR]
	}'
}

# bench_md NAME FILE BLOCKFILE: replace the lines between
# "<!-- NAME:begin -->" and "<!-- NAME:end -->" in FILE with BLOCKFILE,
# as is.  Nothing happens unless FILE is set and holds both markers, so
# a benchmark run by hand only prints.
bench_md() {
	[ -n "$2" ] && [ -f "$2" ] || return 0
	grep -qxF "<!-- $1:begin -->" "$2" && grep -qxF "<!-- $1:end -->" "$2" ||
	    return 0
	_btmp=$(mktemp "${TMPDIR:-/tmp}/pxed-bench-md.XXXXXX") || return 1
	awk -v f="$3" -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" '
	$0 == e { skip = 0 }
	!skip { print }
	$0 == b && !done {
		while ((getline l < f) > 0) print l
		skip = 1; done = 1
	}' "$2" >"$_btmp" && cat "$_btmp" >"$2"
	_brc=$?
	rm -f "$_btmp"
	[ "$_brc" -eq 0 ] && echo "rewrote the $1 table in $2"
	return "$_brc"
}
