# Shared helpers for the integration tests: PASS/FAIL lines, a private
# network namespace with a veth pair, a pxed started inside it, cleanup.
# Sourced by regress/*/*.sh; they run from the repository root.

PXED=${PXED:-$PWD/${BUILD:-build}/pxed}
PXECTL=${PXECTL:-$PWD/${BUILD:-build}/pxectl}

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }
skip() { echo "SKIP: $1: $2"; }
check() {	# check NAME COMMAND...: PASS if the command succeeds
	_n=$1; shift
	if "$@" >/dev/null 2>&1; then pass "$_n"; else fail "$_n" "$*"; fi
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		skip "$1" "needs root (network namespaces, chroot)"
		exit 0
	fi
}

# The unprivileged user the workers drop to.
ensure_user() {
	id "$1" >/dev/null 2>&1 ||
	    useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$1"
}

# lab_init NAME [TOOL...]: the prologue of an integration test run as
# root: SKIP (and exit) without root or without one of the TOOLs; the
# user _pxed; the run directory $T (run_dir /tmp/pxed-NAME).
lab_init() {
	need_root "$1"
	ensure_user _pxed
	_name=$1
	shift
	for _tool; do
		command -v "$_tool" >/dev/null 2>&1 ||
		    { skip "$_name" "$_tool is not installed"; exit 0; }
	done
	run_dir "/tmp/pxed-$_name"
}

# run_dir PREFIX: $T, a fresh directory PREFIX.XXXXXX that the workers
# (user _pxed) can enter, and lab_cleanup at exit.  MPID is empty.
run_dir() {
	T=$(mktemp -d "$1.XXXXXX")
	chmod 755 "$T"
	MPID=
	trap lab_cleanup EXIT INT TERM
}

# lab_cleanup: nothing of a test outlives it.  pxed ($MPID) and its
# workers, whatever still runs in the lab's namespaces, then the test's
# own test_cleanup (a function it may define: its load clients, a mount
# that pxed no longer holds), the namespaces, and $T unless KEEP is set.
lab_cleanup() {
	# shellcheck disable=SC2046	# one pid a word
	[ -n "${MPID:-}" ] && kill -9 "$MPID" $(pgrep -P "$MPID") 2>/dev/null
	for _ns in ${LAB_CNS:-} ${LAB_NS:-}; do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	done
	command -v test_cleanup >/dev/null 2>&1 && test_cleanup
	lab_down
	if [ -n "${KEEP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}

# lab_up NS ADDR/PREFIX: a namespace with veth pxe0 (ours) and peer0.
lab_up() {
	LAB_NS=$1
	ip netns add "$LAB_NS" || return 1
	ip -n "$LAB_NS" link set lo up
	ip -n "$LAB_NS" link add pxe0 type veth peer name peer0
	ip -n "$LAB_NS" addr add "$2" dev pxe0
	ip -n "$LAB_NS" link set pxe0 up
	ip -n "$LAB_NS" link set peer0 up
}

# lab_pair NS ADDR/PREFIX CNS [ADDR/PREFIX]: the server namespace NS
# with veth pxe0 at the first address and its peer, peer0, in the client
# namespace CNS (at the second address, when given); loopbacks up.
lab_pair() {
	ip netns add "$1" || return 1
	LAB_NS=$1
	ip netns add "$3" || return 1
	LAB_CNS=$3
	ip -n "$1" link set lo up
	ip -n "$3" link set lo up
	ip -n "$1" link add pxe0 type veth peer name peer0 || return 1
	ip -n "$1" link set peer0 netns "$3" || return 1
	ip -n "$1" addr add "$2" dev pxe0
	[ -z "${4:-}" ] || ip -n "$3" addr add "$4" dev peer0
	ip -n "$1" link set pxe0 up
	ip -n "$3" link set peer0 up
}

# lab_link6 NS CNS ADDR6/LEN: for DHCPv6, which speaks from and to
# link-local addresses that must not be tentative, a lab_pair without
# duplicate address detection on pxe0 and peer0 (their links go down
# and up again), ADDR6 on pxe0; fails unless both are ready within 5 s.
lab_link6() {
	for _l in "$1 pxe0" "$2 peer0"; do
		ip -n "${_l% *}" link set "${_l#* }" down
		ip netns exec "${_l% *}" sysctl -qw \
		    "net.ipv6.conf.${_l#* }.accept_dad=0"
		ip -n "${_l% *}" link set "${_l#* }" up
	done
	ip -n "$1" addr add "$3" dev pxe0 nodad
	wait_for 5 sh -c "! ip -n $1 addr | grep -q tentative &&
	    ! ip -n $2 addr | grep -q tentative &&
	    ip -n $2 addr show dev peer0 | grep -q 'inet6 fe80'"
}

# pxed_start NS [OPTION...]: pxed in the foreground (-d) in namespace
# NS, with the test's $T/pxed.yaml, control socket $T/sock and log
# $T/log; MPID is its pid.
pxed_start() {
	_ns=$1
	shift
	ip netns exec "$_ns" "$PXED" -d "$@" -f "$T/pxed.yaml" -s "$T/sock" \
	    2>"$T/log" &
	MPID=$!
}

# pxed_dhcp_up NAME: pxed -v in $NS (pxed_start) that answers pxectl and
# whose dhcpd listens on udp/67; FAIL "NAME: pxed starts" and exit if not.
pxed_dhcp_up() {
	pxed_start "$NS" -v
	if ! wait_for 5 "$PXECTL" -s "$T/sock" show leases ||
	    ! wait_for 5 listens u 67; then
		fail "$1: pxed starts" "$(tail -5 "$T/log")"
		exit 1
	fi
}

# listens t|u PORT: a tcp or udp socket listens on PORT in $LAB_NS.
listens() { ip netns exec "$LAB_NS" ss -"$1"ln | grep -q ":$2 "; }

# lab_down: delete the namespaces of lab_up or lab_pair.
lab_down() {
	[ -n "${LAB_CNS:-}" ] && ip netns del "$LAB_CNS" 2>/dev/null
	[ -n "${LAB_NS:-}" ] && ip netns del "$LAB_NS" 2>/dev/null
	LAB_NS= LAB_CNS=
}

nsexec() { ip netns exec "$LAB_NS" "$@"; }

# wait_for SECONDS COMMAND...: poll every 0.1 s until the command succeeds.
wait_for() {
	_t=$(( $1 * 10 )); shift
	while [ "$_t" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# The pid of the child of $1 whose title is "pxed: $2".
worker_pid() {
	for _p in $(pgrep -P "$1"); do
		if [ "$(proc_title "$_p")" = "pxed: $2" ]; then
			echo "$_p"; return 0
		fi
	done
	return 1
}

# A process title: the first string of its command line.
proc_title() { tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | head -n 1; }

# ns_holds NS t|u PORT PID: PID has a listening tcp/udp socket on PORT in NS.
ns_holds() {
	[ -n "$4" ] && ip netns exec "$1" ss -"$2"lnp | grep ":$3 " | grep -q "pid=$4,"
}

# Debian packages a test needs the files of, downloaded and unpacked
# into a git-ignored cache ($DEB_CACHE), never installed: the arm64
# kernel and GRUB, promtool, systemd-stub.
DEB_CACHE=${DEB_CACHE:-$PWD/regress/e2e/cache}
deb_log() { echo "deb: $*" >&2; }

# deb_apt ARCH ARGS...: apt-get (apt-cache with ARGS "cache ...") for
# the packages of ARCH.  Another architecture gets lists of its own in
# the cache, so the system's dpkg and apt are left as they are.
deb_apt() {
	_arch=$1
	shift
	_tool=apt-get
	[ "$1" = cache ] && { _tool=apt-cache; shift; }
	if [ "$_arch" = "$(dpkg --print-architecture)" ]; then
		"$_tool" "$@"
		return
	fi
	_a=$DEB_CACHE/apt-$_arch
	mkdir -p "$_a/lists/partial" "$_a/cache/archives/partial"
	if [ ! -s "$_a/updated" ]; then
		deb_apt_in "$_a" "$_arch" apt-get -q update \
		    >"$_a/update.log" 2>&1 ||
		    { deb_log "apt-get update for $_arch failed"; return 1; }
		date >"$_a/updated"
	fi
	deb_apt_in "$_a" "$_arch" "$_tool" "$@"
}

# deb_apt_in DIR ARCH TOOL ARGS...: TOOL with its lists and cache in DIR.
deb_apt_in() {
	_d=$1 _ar=$2 _t=$3
	shift 3
	"$_t" -o "Dir::State::Lists=$_d/lists" -o "Dir::Cache=$_d/cache" \
	    -o "APT::Architecture=$_ar" -o "APT::Architectures::=$_ar" "$@"
}

# deb_fetch PACKAGE[:ARCH] DIR: apt-get download PACKAGE (once) and
# unpack it into DIR.
deb_fetch() {
	_pkg=${1%%:*}
	_arch=${1#"$_pkg"}
	_arch=${_arch#:}
	[ -n "$_arch" ] || _arch=$(dpkg --print-architecture)
	mkdir -p "$DEB_CACHE/debs"
	set -- "$_pkg" "$2" "$(find "$DEB_CACHE/debs" -name "${_pkg}_*_$_arch.deb" |
	    head -n 1)"
	if [ -z "$3" ]; then
		deb_log "downloading $1 ($_arch)"
		(cd "$DEB_CACHE/debs" && deb_apt "$_arch" download "$1" \
		    >/dev/null 2>&1) ||
		    { deb_log "apt-get download $1 ($_arch) failed"; return 1; }
		set -- "$1" "$2" "$(find "$DEB_CACHE/debs" \
		    -name "${1}_*_$_arch.deb" | head -n 1)"
	fi
	rm -rf "$2"
	mkdir -p "$2"
	dpkg-deb -x "$3" "$2"
}

# inventory_head IFACE ADDRESS MODE [NETWORK RANGE [ROUTER]]: the server
# and dhcp sections of a test's inventory, on stdout: user _pxed, the
# state directory and the TFTP and HTTP roots of the run directory $T
# (INV_STATE, INV_TFTP, INV_HTTP, INV_PORT say otherwise), a lease of
# 1h unless MODE is off, and one subnet when NETWORK is given.  The
# test goes on with its own boot, profiles and hosts.
inventory_head() {
	cat <<YAML
server:
  interfaces: [$1]
  address: $2
  user: _pxed
  state: ${INV_STATE:-$T/state}
  tftp: { root: ${INV_TFTP:-$T/tftp} }
  http: { root: ${INV_HTTP:-$T/http}, port: ${INV_PORT:-8080} }
dhcp:
  mode: $3
YAML
	[ "$3" = off ] && return 0
	echo "  lease: 1h"
	[ -n "${4:-}" ] || return 0
	printf '  subnets:\n    - network: %s\n      range: %s\n' "$4" "$5"
	[ -z "${6:-}" ] || printf '      router: %s\n' "$6"
}

# boot_yaml [UNKNOWN]: the boot section most tests use, on stdout:
# pxelinux.0 for BIOS, BOOTX64.EFI for UEFI, and "unknown: UNKNOWN" when
# given.
boot_yaml() {
	printf 'boot:\n  bios: pxelinux.0\n  uefi: BOOTX64.EFI\n'
	[ -z "${1:-}" ] || printf '  unknown: %s\n' "$1"
}

# inventory_node01 RANGE [EXTRA]: a full-mode inventory on pxe0 ($SRV,
# 10.77.0.0/16, router 10.77.0.1) with one host, node01
# (52:54:00:00:00:01, fixed address 10.77.0.11), then the lines EXTRA.
inventory_node01() {
	inventory_head pxe0 "$SRV" full 10.77.0.0/16 "$1" 10.77.0.1
	cat <<YAML
boot:
  bios: pxelinux.0
hosts:
  node01:
    mac: 52:54:00:00:00:01
    ip: 10.77.0.11
${2:-}
YAML
}

# inventory_rocky9: the profile rocky9 of the tests, on stdout: kernel
# and initrd at the top of the roots, the kickstart templates/ks.cfg.
inventory_rocky9() {
	cat <<'YAML'
profiles:
  rocky9:
    kernel: vmlinuz
    initrd: initrd.img
    append: "inst.ks={{kickstart}}"
    kickstart: templates/ks.cfg
YAML
}

# inventory_nodes MAC-PREFIX IP: the hosts of the tests, on stdout:
# node01 (MAC-PREFIX01) at IP and armed for install, node02
# (MAC-PREFIX02) from the pool and not armed, both of profile rocky9.
inventory_nodes() {
	cat <<YAML
hosts:
  node01:
    mac: ${1}01
    ip: $2
    profile: rocky9
    install: true
  node02:
    mac: ${1}02
    profile: rocky9
YAML
}
