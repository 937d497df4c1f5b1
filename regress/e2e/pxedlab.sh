# pxed in the QEMU lab, sourced by regress/e2e/*_test.sh from the
# repository root (it sources regress/lib.sh and regress/e2e/lab.sh,
# which it builds on; sourcing them again is harmless): a run directory
# and its cleanup, the lab's inventory, start and stop pxed in the server
# namespace $NS with $T/pxed.yaml, ask it with pxectl, read its log,
# wait for a machine to install.  e2e_begin sets NS and BOUND.
#
#	e2e_begin TEST NAME		root, _pxed, NS, BOUND, e2e_init NAME,
#					pxed built, the lab's assets
#	e2e_init NAME			$T, FAILED, the cleanup at exit (which
#					also kills $E2E_PIDS)
#	e2e_lab TAPS...			lab network, client port cli0 in
#					${NS}c at 10.77.0.5, the taps
#	e2e_yaml full|proxy		server: and dhcp: of the lab's inventory
#	e2e_yaml_tiny [ARGS]		the tiny installer's profile (ARGS:
#					more of its command line)
#	e2e_yaml_dhcp6			dhcp6 full with RAs on fd00:77::/64
#	e2e_http_grub NAME		README step 4's GRUB image for HTTP
#					boot in $T/http/grub (PASS or exit)
#	e2e_yaml_pxe			full, pxelinux.0/BOOTX64.EFI, tiny
#	e2e_start			pxed -d, log in $T/log; MPID
#	e2e_stop			SIGTERM, then SIGKILL after 5 s
#	ctl ARGS			pxectl on $T/sock
#	state NAME, is_local NAME	the host's state column
#	menu_reads IP MENU		how often IP read MENU (the log)
#	logged NAME ERE			PASS if the log matches
#	http_logged NAME IP "GET /PATH"	PASS if httpd answered it 200
#	mac_dash MAC			52:54:... -> 52-54-...
#	e2e_installed VM HOST MAC	the machine installed as HOST
#	e2e_tiny_ks DIR			the tiny installer's kickstart template

. regress/lib.sh
. regress/e2e/lab.sh

MPID=
E2E_PIDS=
SRV=10.77.0.2
PORT=8080

# e2e_begin TEST NAME: the prologue of the test TEST (its name in SKIP
# and FAIL lines): SKIP without root, the user _pxed, the server
# namespace NS, BOUND, the run directory (e2e_init NAME), and FAIL and
# exit unless pxed is built and lab_build makes the lab's assets.
# BOUND: seconds a machine may run (E2E_BOUND): TCG boots take 40-50 s
# on an idle machine and three times that under heavy load; a dead end
# fails at once.
e2e_begin() {
	need_root "$1"
	ensure_user _pxed
	NS=pxed$2$$
	BOUND=${E2E_BOUND:-300}
	e2e_init "$2"
	if [ ! -x "$PXED" ] || [ ! -x "$PXECTL" ]; then
		fail "$1" "build pxed and pxectl first"
		exit 1
	fi
	if ! lab_build; then
		fail "$1: lab assets" "lab_build failed: $(lab_missing)"
		exit 1
	fi
}

# make check shows a failing test's stderr: pxed's log goes there.
# E2E_KEEP=1 keeps the run directories.
e2e_init() {
	T=$(mktemp -d "/tmp/pxed-$1.XXXXXX")
	chmod 755 "$T"
	FAILED=
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM
}

e2e_cleanup() {
	e2e_stop
	# shellcheck disable=SC2086	# one pid a word
	[ -n "$E2E_PIDS" ] && kill $E2E_PIDS 2>/dev/null
	[ -s "$T/log" ] && { echo "--- pxed log (tail)"; tail -n 60 "$T/log"; } >&2
	[ -n "${E2E_KEEP:-}" ] && LAB_KEEP=1 && echo "kept $T and $LAB_RUN" >&2
	lab_down
	[ -n "${E2E_KEEP:-}" ] || rm -rf "$T"
}

e2e_lab() {
	lab_net_up "$NS" "$SRV/24" || { fail "e2e: lab network"; exit 1; }
	# A client of our own on the lab network, for curl.
	lab_port cli0 10.77.0.5/24 "${NS}c" ||
	    { fail "e2e: client port"; exit 1; }
	for _tap in "$@"; do
		lab_tap "$_tap" || { fail "e2e: tap devices"; exit 1; }
	done
}

e2e_yaml() {
	if [ "$1" = full ]; then
		INV_PORT=$PORT inventory_head pxe0 "$SRV" full 10.77.0.0/24 \
		    10.77.0.100-10.77.0.150 "$SRV"
	else
		INV_PORT=$PORT inventory_head pxe0 "$SRV" "$1"
	fi
}

e2e_yaml_tiny() {
	cat <<YAML
profiles:
  tiny:
    kernel: vmlinuz
    initrd: initrd.gz
    append: "console=ttyS0 ${1:+$1 }ks={{kickstart}} done={{done}}"
    kickstart: templates/tiny.ks
YAML
}

e2e_yaml_dhcp6() {
	cat <<YAML
dhcp6:
  mode: full
  ra: true
  subnets:
    - network: fd00:77::/64
      range: fd00:77::1000-fd00:77::10ff
YAML
}

# README step 4's grub-mkimage command for HTTP boot, exactly, with the
# HTTP root of this test for /srv/pxed/http; NAME is the test's.
e2e_http_grub() {
	sed -n '/^4\. Fill the TFTP root/,/^5\. /p' README.md |
	    sed -n '/^ *grub-mkimage .*x86_64-efi/,/[^\\]$/p' |
	    sed 's/^ *//; s/\\$//' | tr '\n' ' ' |
	    sed "s|/srv/pxed/http|$T/http|g" >"$T/mkimage"
	check "$1: README step 4 makes the GRUB image for HTTP boot" \
	    grep -q "^grub-mkimage .* -o $T/http/grub/grubx64.efi " "$T/mkimage"
	mkdir -p "$T/http/grub"
	if sh "$T/mkimage" && [ -s "$T/http/grub/grubx64.efi" ]; then
		pass "$1: README's GRUB image for HTTP boot is made"
	else
		fail "$1: README's GRUB image for HTTP boot is made" "$(cat "$T/mkimage")"
		exit 1
	fi
}

# The head of a PXE test's inventory: full DHCP, the BIOS and UEFI
# loaders of boot_yaml, the tiny installer's profile.
e2e_yaml_pxe() {
	e2e_yaml full
	boot_yaml
	e2e_yaml_tiny
}

e2e_start() {
	ip netns exec "$NS" "$PXED" -d -f "$T/pxed.yaml" -s "$T/sock" \
	    2>>"$T/log" &
	MPID=$!
	if ! wait_for 5 ctl show hosts; then
		fail "e2e: pxed starts" "$(tail -n 5 "$T/log")"
		exit 1
	fi
}

e2e_stop() {
	[ -n "$MPID" ] || return 0
	_kids=$(pgrep -P "$MPID" | tr '\n' ' ')
	kill "$MPID" 2>/dev/null
	# shellcheck disable=SC2086	# _kids: one pid a word
	wait_for 5 e2e_exited "$MPID" || kill -9 "$MPID" $_kids 2>/dev/null
	wait "$MPID" 2>/dev/null
	MPID=
}

# e2e_exited PID: the process is gone or a zombie.
e2e_exited() {
	_s=$(awk '$1 == "State:" { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -z "$_s" ] || [ "$_s" = Z ]
}

ctl() { "$PXECTL" -s "$T/sock" "$@"; }
state() { ctl show hosts | awk -v h="$1" '$1 == h { print $5 }'; }
is_local() { [ "$(state "$1")" = local ]; }
menu_reads() { grep -Ec "tftp: RRQ from $1 file $2( |\$)" "$T/log"; }
more_reads() { [ "$(menu_reads "$1" "$2")" -gt "$3" ]; }
logged() { check "$1" grep -Eq "$2" "$T/log"; }
# http_logged NAME IP "METHOD PATH": PASS if the access log has it, 200.
http_logged() { logged "$1" "http: $2 \"$3\" 200 "; }
mac_dash() { echo "$1" | tr ':' '-'; }

e2e_tiny_ks() {
	mkdir -p "$1"
	printf '# tiny kickstart for {{name}} {{mac}}\nurl --url={{http}}/repo\n' \
	    >"$1/tiny.ks"
}

# e2e_installed VM HOST MAC: the machine reached done with its own
# kickstart and its host reads local.  Sets FAILED otherwise.
e2e_installed() {
	if lab_wait "$1" "PXED-E2E: done" "$BOUND"; then
		pass "e2e: $1 installs $2 in $(lab_took "$1") s"
	else
		fail "e2e: $1 installs $2"
		FAILED=1
	fi
	check "e2e: $1 got the kickstart rendered for $2" \
	    grep -qF "PXED-E2E: ks-line # tiny kickstart for $2 $3" \
	    "$LAB_RUN/$1.serial"
	if wait_for 5 is_local "$2"; then
		pass "e2e: $2 reads local after done"
	else
		fail "e2e: $2 reads local after done" "state $(state "$2")"
	fi
}
