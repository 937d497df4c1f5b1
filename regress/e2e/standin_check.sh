#!/bin/sh
# Proves the QEMU lab without pxed: dnsmasq (DHCP + TFTP) and python3's
# http.server stand in for pxed's workers, with the menu files pxed will
# generate written by hand.  A BIOS machine (SeaBIOS, iPXE ROM,
# pxelinux) and a UEFI machine (OVMF's PXE, GRUB netdir) boot to the
# installer's "PXED-E2E: done", first with full DHCP, then with a
# ProxyDHCP server beside a plain DHCP server in a namespace of its own
# (the topology of boot_test.sh's proxy phase).  Not part of make check (no
# _test.sh suffix): run it as root when the lab changes.
#
#	sh regress/e2e/standin_check.sh [-k]	-k keeps the run directory

. regress/lib.sh
. regress/e2e/lab.sh
need_root standin

[ "${1:-}" = -k ] && LAB_KEEP=1
NS=pxede2e$$
SRV=10.77.0.2
HTTP=http://$SRV:8080
TOKEN=0123456789abcdef-_Zz
PIDS=
DNS=
cleanup() {
	for p in $PIDS $DNS; do kill "$p" 2>/dev/null; done
	lab_down
}
trap cleanup EXIT
trap 'exit 1' INT TERM

command -v dnsmasq >/dev/null || { skip standin "dnsmasq is not installed"; exit 0; }
lab_build || { fail standin-build "lab_build failed"; exit 1; }
pass "lab assets built"
lab_net_up "$NS" "$SRV/24" || { fail standin-net "cannot make the lab"; exit 1; }
TFTP=$LAB_RUN/tftp
lab_tftp_copy "$TFTP"
lab_grub_fixed "$TFTP" "$SRV" || { fail standin-grub "grub-mkimage failed"; exit 1; }
mkdir -p "$TFTP/pxelinux.cfg" "$LAB_RUN/http/ks" "$LAB_RUN/http/done"

# mac_dash 52:54:00:... -> 52-54-00-...
mac_dash() { echo "$1" | tr ':' '-'; }

# host NAME MAC bios|uefi: the menu pxed's TFTP worker will generate, in
# the form proved here, and the host's kickstart and done files.
host() {
	_a="console=ttyS0 ks=$HTTP/ks/$1?t=$TOKEN done=$HTTP/done/$1?t=$TOKEN"
	if [ "$3" = bios ]; then
		cat >"$TFTP/pxelinux.cfg/01-$(mac_dash "$2")" <<EOF
SERIAL 0 115200
DEFAULT install
LABEL install
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND $_a
EOF
	else
		cat >"$TFTP/grub/grub.cfg-01-$(mac_dash "$2")" <<EOF
set timeout=0
menuentry install {
  linux /vmlinuz $_a
  initrd /initrd.gz
}
EOF
	fi
	printf '# kickstart for %s\nurl --url=%s/rocky9\n' "$1" "$HTTP" \
	    >"$LAB_RUN/http/ks/$1"
	echo ok >"$LAB_RUN/http/done/$1"
}

# dnsmasq NAME NETNS OPTION...: a dnsmasq of our own, logging to NAME.log.
dnsmasq_start() {
	_n=$1 _ns=$2
	shift 2
	ip netns exec "$_ns" dnsmasq -k --port=0 --bind-interfaces \
	    --no-resolv --no-hosts --user=root --group=root --log-dhcp \
	    --log-facility="$LAB_RUN/$_n.log" \
	    --dhcp-leasefile="$LAB_RUN/$_n.leases" "$@" \
	    2>"$LAB_RUN/$_n.err" &
	DNS="$DNS $!"
}

# booted VM HOST: the machine reached done with its host's kickstart.
booted() {
	if lab_wait "$1" "PXED-E2E: done" 280; then
		pass "$1 boots to the installer's done in $(lab_took "$1") s"
	else
		fail "$1 boots to the installer's done"
	fi
	check "$1: the installer saw its kickstart" \
	    grep -q "PXED-E2E: ks-line # kickstart for $2" "$LAB_RUN/$1.serial"
	check "$1: kickstart fetched with its token" \
	    grep -q "GET /ks/$2?t=$TOKEN " "$LAB_RUN/http.log"
	check "$1: done called with its token" \
	    grep -q "GET /done/$2?t=$TOKEN " "$LAB_RUN/http.log"
}

ip netns exec "$NS" python3 -m http.server 8080 --bind "$SRV" \
    --directory "$LAB_RUN/http" >"$LAB_RUN/http.log" 2>&1 &
PIDS="$PIDS $!"
for t in tap0 tap1 tap2 tap3; do lab_tap $t || exit 1; done

# 1. Full DHCP: dnsmasq picks the loader by option 93.
host node01 52:54:00:77:00:01 bios
host node02 52:54:00:77:00:02 uefi
dnsmasq_start full "$NS" --interface=pxe0 \
    --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h \
    --dhcp-match=set:efi64,option:client-arch,7 \
    --dhcp-match=set:efi64,option:client-arch,9 \
    --dhcp-boot=tag:efi64,grub/x86_64-efi/core.efi,,$SRV \
    --dhcp-boot=tag:!efi64,pxelinux.0,,$SRV \
    --enable-tftp --tftp-root="$TFTP"
if ! wait_for 5 ip netns exec "$NS" sh -c \
    "ss -lun | grep -q ':69 ' && ss -ltn | grep -q ':8080 '"; then
	fail standin-servers "dnsmasq or the HTTP server did not start"
	cat "$LAB_RUN/full.err" >&2
	exit 1
fi
lab_vm bios bios tap0 52:54:00:77:00:01 300
lab_vm uefi uefi tap1 52:54:00:77:00:02 300
booted bios node01
booted uefi node02
check "bios: pxelinux read its 01-<mac> menu" grep -q \
    "sent $TFTP/pxelinux.cfg/01-52-54-00-77-00-01 " "$LAB_RUN/full.log"
check "uefi: GRUB read its grub.cfg-01-<mac>" grep -q \
    "sent $TFTP/grub/grub.cfg-01-52-54-00-77-00-02 " "$LAB_RUN/full.log"
for p in $DNS; do kill "$p"; wait "$p" 2>/dev/null; done
DNS=

# 2. ProxyDHCP: a plain DHCP server in its own namespace hands out the
# addresses; the proxy beside it (pxed's place) names the loader.
lab_port dhcp0 10.77.0.3/24 "${NS}d" || { fail standin-proxy "no port"; exit 1; }
dnsmasq_start plain "${NS}d" --interface=dhcp0 \
    --dhcp-range=10.77.0.160,10.77.0.200,255.255.255.0,1h
dnsmasq_start proxy "$NS" --interface=pxe0 \
    --dhcp-range=10.77.0.0,proxy,255.255.255.0 \
    --pxe-service=x86PC,pxelinux,pxelinux \
    --pxe-service=BC_EFI,grub,grub/x86_64-efi/core-$SRV.efi \
    --pxe-service=x86-64_EFI,grub,grub/x86_64-efi/core-$SRV.efi \
    --enable-tftp --tftp-root="$TFTP"
host node03 52:54:00:77:00:03 bios
host node04 52:54:00:77:00:04 uefi
lab_vm pbios bios tap2 52:54:00:77:00:03 300
lab_vm puefi uefi tap3 52:54:00:77:00:04 300
booted pbios node03
booted puefi node04
check "proxy: the addresses came from the plain DHCP server" sh -c \
    "grep -q 'DHCPACK(dhcp0) 10.77.0.1[6-9][0-9] 52:54:00:77:00:03' '$LAB_RUN/plain.log' &&
     grep -q 'DHCPACK(dhcp0) 10.77.0.[12][0-9][0-9] 52:54:00:77:00:04' '$LAB_RUN/plain.log'"
check "proxy: the loaders came from the proxy" sh -c \
    "grep -q 'sent $TFTP/pxelinux.0 ' '$LAB_RUN/proxy.log' &&
     grep -q 'sent $TFTP/grub/x86_64-efi/core-$SRV.efi ' '$LAB_RUN/proxy.log'"
[ -n "${LAB_KEEP:-}" ] && echo "run directory: $LAB_RUN" >&2
exit 0
