#!/bin/sh
# make demo: pxed on the sample inventory's hosts in a private lab.  As
# root on Debian 12: installs what is missing, builds the lab (QEMU,
# firmware, a tiny installer), starts pxed in a network namespace and
# PXE-boots two QEMU machines at once, db01 with BIOS (SeaBIOS, iPXE ROM,
# pxelinux) and web01 with UEFI (OVMF, GRUB), through install to
# "installed", showing each machine's stage live.  Ctrl-C tears it down.
#
#	sh regress/e2e/demo.sh [--standin]
#
# --standin serves the same machines with dnsmasq and python3's
# http.server in place of pxed (the lab without pxed's workers).

cd "$(dirname "$0")/../.." || exit 1
. regress/lib.sh
. regress/e2e/lab.sh

MODE=pxed
case ${1:-} in
--standin) MODE=standin ;;
"") ;;
*) echo "usage: sh regress/e2e/demo.sh [--standin]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "demo: run as root (network namespaces, tap devices)" >&2
	exit 1
fi

NS=pxeddemo$$
SRV=10.77.0.2
PORT=8080
LIMIT=${DEMO_LIMIT:-300}	# seconds a machine may take
STAGES="DHCP loader menu kernel initrd kickstart done"
# The machines: VM name, host, firmware, MAC, loader file.
MACHINES="db01:bios:52:54:00:12:34:01:pxelinux.0
web01:uefi:52:54:00:12:34:02:grub/x86_64-efi/core.efi"
MPID=
PIDS=
TTY=
[ -t 1 ] && TTY=1

cleanup() {
	trap '' INT TERM
	if [ -n "$MPID" ]; then
		kill "$MPID" 2>/dev/null
		wait "$MPID" 2>/dev/null
	fi
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	lab_down
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted, cleaning up"; exit 130' INT TERM

say() { echo "demo: $*"; }

# Each machine line, split: m_name, m_fw, m_mac, m_file.
machine() {
	m_name=${1%%:*}; _r=${1#*:}
	m_fw=${_r%%:*}; _r=${_r#*:}
	m_mac=$(echo "$_r" | cut -d: -f1-6)
	m_file=$(echo "$_r" | cut -d: -f7-)
}

setup() {
	say "installing what is missing"
	sh regress/deps.sh || exit 1
	if [ "$MODE" = standin ] && ! command -v dnsmasq >/dev/null; then
		apt-get install -y --no-install-recommends dnsmasq || exit 1
	fi
	if [ "$MODE" = pxed ] && { [ ! -x "$PXED" ] || [ ! -x "$PXECTL" ]; }; then
		make -s all || exit 1
	fi
	say "building the lab assets in $LAB_CACHE"
	lab_build || exit 1
	lab_net_up "$NS" "$SRV/24" || exit 1
	lab_tftp_copy "$LAB_RUN/tftp"
	mkdir -p "$LAB_RUN/http"
	for _t in tap0 tap1; do lab_tap "$_t" || exit 1; done
}

# The sample inventory (etc/pxed.yaml) moved into the lab: the same
# hosts, profiles and templates; the lab's network, kernel and initrd,
# and an append for the tiny installer.  boot.ipxe is left out so that
# the BIOS machine's iPXE ROM is sent to pxelinux.0.
inventory() {
	cat <<YAML
server:
  interfaces: [pxe0]
  address: $SRV
  user: _pxed
  state: $LAB_RUN/state
  tftp: { root: $LAB_RUN/tftp }
  http: { root: $LAB_RUN/http, port: $PORT }
dhcp:
  mode: full
  lease: 12h
  subnets:
    - network: 10.77.0.0/24
      range: 10.77.0.100-10.77.0.200
      router: 10.77.0.1
      dns: [10.77.0.1]
      domain: lab.example
boot:
  bios: pxelinux.0
  uefi: grub/x86_64-efi/core.efi
  unknown: local
profiles:
  rocky9:
    kernel: vmlinuz
    initrd: initrd.gz
    append: "console=ttyS0 ks={{kickstart}} done={{done}}"
    kickstart: templates/rocky9.ks
  debian12:
    kernel: vmlinuz
    initrd: initrd.gz
    append: "console=ttyS0 ks={{kickstart}} done={{done}}"
    kickstart: templates/debian12.preseed
hosts:
  db01:
    mac: 52:54:00:12:34:01
    ip: 10.77.0.11
    profile: rocky9
    install: true
    vars: { disk: vda }
  web01:
    mac: 52:54:00:12:34:02
    ip: 10.77.0.12
    profile: debian12
    install: true
  web02:
    mac: 52:54:00:12:34:03
    ip: 10.77.0.13
    profile: debian12
    install: false
  bmc01:
    mac: 52:54:00:12:34:04
    ip: 10.77.0.20
YAML
}

start_pxed() {
	ensure_user _pxed
	cp -r etc/templates "$LAB_RUN/templates"
	inventory >"$LAB_RUN/pxed.yaml"
	"$PXED" -n -f "$LAB_RUN/pxed.yaml" || exit 1
	ip netns exec "$NS" "$PXED" -d -f "$LAB_RUN/pxed.yaml" \
	    -s "$LAB_RUN/sock" 2>"$LAB_RUN/pxed.log" &
	MPID=$!
	if ! wait_for 5 "$PXECTL" -s "$LAB_RUN/sock" show hosts; then
		say "pxed did not start:"
		tail -n 20 "$LAB_RUN/pxed.log"
		exit 1
	fi
	say "pxed runs in namespace $NS on pxe0 ($SRV), log $LAB_RUN/pxed.log"
	"$PXECTL" -s "$LAB_RUN/sock" show hosts
}

# The stand-in: dnsmasq for DHCP and TFTP, static menus and kickstarts.
start_standin() {
	_t=$LAB_RUN/tftp
	mkdir -p "$_t/pxelinux.cfg" "$LAB_RUN/http/ks" "$LAB_RUN/http/done"
	for _m in $MACHINES; do
		machine "$_m"
		_u=http://$SRV:$PORT
		_a="console=ttyS0 ks=$_u/ks/$m_name?t=standin done=$_u/done/$m_name?t=standin"
		_d=$(echo "$m_mac" | tr ':' '-')
		printf 'SERIAL 0 115200\nDEFAULT install\nLABEL install\n  KERNEL vmlinuz\n  INITRD initrd.gz\n  APPEND %s\n' \
		    "$_a" >"$_t/pxelinux.cfg/01-$_d"
		printf 'set timeout=0\nmenuentry install {\n  linux /vmlinuz %s\n  initrd /initrd.gz\n}\n' \
		    "$_a" >"$_t/grub/grub.cfg-01-$_d"
		echo "# stand-in kickstart for $m_name" >"$LAB_RUN/http/ks/$m_name"
		echo ok >"$LAB_RUN/http/done/$m_name"
	done
	ip netns exec "$NS" dnsmasq -k --port=0 --interface=pxe0 \
	    --bind-interfaces --no-resolv --no-hosts --user=root --group=root \
	    --log-dhcp --log-facility="$LAB_RUN/dnsmasq.log" \
	    --dhcp-leasefile="$LAB_RUN/dnsmasq.leases" \
	    --dhcp-range=10.77.0.100,10.77.0.200,255.255.255.0,1h \
	    --dhcp-match=set:efi64,option:client-arch,7 \
	    --dhcp-match=set:efi64,option:client-arch,9 \
	    --dhcp-boot=tag:efi64,grub/x86_64-efi/core.efi,,$SRV \
	    --dhcp-boot=tag:!efi64,pxelinux.0,,$SRV \
	    --enable-tftp --tftp-root="$_t" 2>"$LAB_RUN/dnsmasq.err" &
	PIDS="$PIDS $!"
	ip netns exec "$NS" python3 -m http.server "$PORT" --bind "$SRV" \
	    --directory "$LAB_RUN/http" >"$LAB_RUN/http.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 5 ip netns exec "$NS" sh -c "ss -lun | grep -q ':69 ' &&
	    ss -ltn | grep -q ':$PORT '" || { say "stand-in did not start"; exit 1; }
	say "stand-in (dnsmasq + http.server) runs in namespace $NS on $SRV"
}

# reached STAGE: whether the current machine (machine()) reached STAGE,
# from the server's log lines and the serial console.  m_ip is the
# address the DHCP stage saw.
reached() {
	_s=$LAB_RUN/$m_name.serial
	if [ "$MODE" = pxed ]; then
		_l=$LAB_RUN/pxed.log
		_h=$_l
		_rrq="tftp: RRQ from $m_ip file /?"
		_get="http: [0-9.]+ \"GET "
		_end="( |\$)"
	else
		_l=$LAB_RUN/dnsmasq.log
		_h=$LAB_RUN/http.log
		_rrq="sent $LAB_RUN/tftp/"
		_get="\"GET "
		_end=" to $m_ip( |\$)"
	fi
	case $1 in
	DHCP)
		if [ "$MODE" = pxed ]; then
			m_ip=$(sed -n "s/.*dhcp: ACK \([0-9.]*\) to $m_mac .*/\1/p" \
			    "$_l" | head -n 1)
		else
			m_ip=$(sed -n "s/.*DHCPACK([a-z0-9]*) \([0-9.]*\) $m_mac.*/\1/p" \
			    "$_l" | head -n 1)
		fi
		[ -n "$m_ip" ] ;;
	loader)	grep -Eq "$_rrq$m_file$_end" "$_l" ;;
	menu)	grep -Eq "$_rrq(pxelinux\.cfg/|grub/grub\.cfg)[^ ]*$_end" "$_l" ;;
	kernel)	grep -Eq "${_rrq}vmlinuz$_end" "$_l" ;;
	initrd)	grep -Eq "${_rrq}initrd\.gz$_end" "$_l" ;;
	kickstart)
		grep -Eq "$_get/ks/${m_name}[?\" ]" "$_h" ||
		    grep -q 'PXED-E2E: kickstart' "$_s" ;;
	done)	grep -Eq "$_get/done/${m_name}[?\" ]" "$_h" &&
		    grep -q 'PXED-E2E: done' "$_s" ;;
	esac
}

# poll: advance each machine's stages; a stage's file holds the second
# it was first seen.  A machine is over when done, failed or stopped.
poll() {
	for _m in $MACHINES; do
		machine "$_m"
		_d=$LAB_RUN/$m_name
		[ -f "$_d.over" ] && continue
		m_ip=$(cat "$_d.ip" 2>/dev/null)
		for _st in $STAGES; do
			[ -f "$_d.at.$_st" ] && continue
			reached "$_st" || break
			lab_elapsed "$m_name" >"$_d.at.$_st"
			[ -n "$m_ip" ] && echo "$m_ip" >"$_d.ip"
			[ -n "$TTY" ] || say "$m_name: $_st at $(cat "$_d.at.$_st") s"
		done
		if [ -f "$_d.at.done" ]; then
			echo "done" >"$_d.over"
		elif grep -q 'PXED-E2E: FAILED' "$_d.serial"; then
			echo "failed: $(grep -o 'FAILED.*' "$_d.serial" | head -n 1)" \
			    >"$_d.over"
		elif lab_dead_end "$m_name"; then
			echo "failed: the firmware found nothing to boot" >"$_d.over"
		elif ! lab_alive "$m_name"; then
			echo "stopped after $(lab_elapsed "$m_name") s" >"$_d.over"
		fi
	done
}

# table: one row per machine, the second each stage was reached.
table() {
	printf '%-6s %-5s %7s' machine fw elapsed
	for _st in $STAGES; do printf ' %9s' "$_st"; done
	printf '  %s\n' status
	for _m in $MACHINES; do
		machine "$_m"
		_d=$LAB_RUN/$m_name
		if [ -f "$_d.over" ]; then
			_st=$(cat "$_d.over")
		else
			_st=running
			for _s in $STAGES; do
				[ -f "$_d.at.$_s" ] && continue
				_st="waiting for $_s"
				break
			done
		fi
		_e=$(cat "$_d.at.done" 2>/dev/null || lab_elapsed "$m_name")
		printf '%-6s %-5s %6ss' "$m_name" "$m_fw" "$_e"
		for _s in $STAGES; do
			printf ' %9s' "$(cat "$_d.at.$_s" 2>/dev/null || echo -)"
		done
		printf '  %s\n' "$_st"
	done
}

over() {
	for _m in $MACHINES; do
		machine "$_m"
		[ -f "$LAB_RUN/$m_name.over" ] || return 1
	done
}

show() {
	_n=$(($(echo "$MACHINES" | wc -l) + 1))
	[ -n "$TTY" ] && [ -n "${SHOWN:-}" ] && printf '\033[%dA' "$_n"
	SHOWN=1
	[ -n "$TTY" ] && table | sed 's/$/\x1b[K/'
}

setup
if [ "$MODE" = pxed ]; then start_pxed; else start_standin; fi
for _m in $MACHINES; do
	machine "$_m"
	_i=$(($(echo "$MACHINES" | grep -n "^$m_name:" | cut -d: -f1) - 1))
	lab_vm "$m_name" "$m_fw" "tap$_i" "$m_mac" "$LIMIT"
	say "started $m_name ($m_fw, $m_mac), serial log $LAB_RUN/$m_name.serial"
done
echo
while ! over; do
	poll
	show
	sleep 0.5
done
poll
show
echo
say "summary (seconds since power-on, TCG):"
table
ok=1
for _m in $MACHINES; do
	machine "$_m"
	if [ "$(cat "$LAB_RUN/$m_name.over")" = "done" ]; then
		_k=$(lab_serial "$m_name" | sed -n 's/^PXED-E2E: ks-line //p' | head -n 1)
		say "$m_name kickstart: $_k"
	else
		ok=
		lab_tail "$m_name" "$(cat "$LAB_RUN/$m_name.over")" 2>&1
	fi
done
if [ "$MODE" = pxed ]; then
	echo
	say "pxectl show hosts:"
	"$PXECTL" -s "$LAB_RUN/sock" show hosts
fi
if [ -n "$ok" ]; then
	say "both machines installed; tearing the lab down"
	exit 0
fi
say "a machine did not finish; tearing the lab down"
exit 1
