#!/bin/sh
# Proves the QEMU lab without pxed: dnsmasq (DHCP + TFTP) and a static
# HTTP server stand in for pxed's workers, with the menu files pxed will
# generate written by hand.  One BIOS machine (SeaBIOS, iPXE ROM,
# pxelinux) and one UEFI machine (OVMF, GRUB netdir) boot to the
# installer's "PXED-E2E: done".  Not part of make check (no _test.sh
# suffix): run it as root when the lab changes.
#
#	sh regress/e2e/standin_check.sh [-k]	-k keeps the run directory

. regress/lib.sh
. regress/e2e/lab.sh
need_root standin

[ "${1:-}" = -k ] && LAB_KEEP=1
NS=pxede2e$$
SRV=10.77.0.2
HTTP=http://$SRV:8080
BIOS_MAC=52:54:00:77:00:01
UEFI_MAC=52:54:00:77:00:02
TOKEN=0123456789abcdef-_Zz
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	lab_down
}
trap cleanup EXIT
trap 'exit 1' INT TERM

command -v dnsmasq >/dev/null || { skip standin "dnsmasq is not installed"; exit 0; }
lab_build || { fail standin-build "lab_build failed"; exit 1; }
pass "lab assets built"
lab_net_up "$NS" "$SRV/24" || { fail standin-net "cannot make the lab"; exit 1; }

# The menus pxed's TFTP worker will generate, in the forms proved here.
# mac_dash 52:54:00:... -> 52-54-00-...
mac_dash() { echo "$1" | tr ':' '-'; }
append() {	# append HOST
	echo "console=ttyS0 ks=$HTTP/ks/$1?t=$TOKEN done=$HTTP/done/$1?t=$TOKEN"
}
TFTP=$LAB_RUN/tftp
lab_tftp_copy "$TFTP"
menus() {
	mkdir -p "$TFTP/pxelinux.cfg"
	cat >"$TFTP/pxelinux.cfg/01-$(mac_dash $BIOS_MAC)" <<EOF
SERIAL 0 115200
DEFAULT install
LABEL install
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND $(append node01)
EOF
	cat >"$TFTP/grub/grub.cfg-01-$(mac_dash $UEFI_MAC)" <<EOF
set timeout=0
menuentry install {
  linux /vmlinuz $(append node02)
  initrd /initrd.gz
}
EOF
}
menus

mkdir -p "$LAB_RUN/http/ks" "$LAB_RUN/http/done"
for h in node01 node02; do
	printf '# kickstart for %s\nurl --url=%s/rocky9\n' "$h" "$HTTP" \
	    >"$LAB_RUN/http/ks/$h"
	echo ok >"$LAB_RUN/http/done/$h"
done

cat >"$LAB_RUN/dnsmasq.conf" <<EOF
port=0
interface=pxe0
bind-interfaces
no-resolv
no-hosts
user=root
group=root
log-dhcp
log-facility=$LAB_RUN/dnsmasq.log
pid-file=$LAB_RUN/dnsmasq.pid
dhcp-leasefile=$LAB_RUN/dnsmasq.leases
dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h
dhcp-match=set:efi64,option:client-arch,7
dhcp-match=set:efi64,option:client-arch,9
dhcp-boot=tag:efi64,grub/x86_64-efi/core.efi,,$SRV
dhcp-boot=tag:!efi64,pxelinux.0,,$SRV
enable-tftp
tftp-root=$TFTP
EOF
ip netns exec "$NS" dnsmasq -k -C "$LAB_RUN/dnsmasq.conf" 2>"$LAB_RUN/dnsmasq.err" &
PIDS="$PIDS $!"
ip netns exec "$NS" python3 -m http.server 8080 --bind "$SRV" \
    --directory "$LAB_RUN/http" >"$LAB_RUN/http.log" 2>&1 &
PIDS="$PIDS $!"
if ! wait_for 5 ip netns exec "$NS" sh -c \
    "ss -lun | grep -q ':69 ' && ss -ltn | grep -q ':8080 '"; then
	fail standin-servers "dnsmasq or the HTTP server did not start"
	cat "$LAB_RUN/dnsmasq.err" >&2
	exit 1
fi

lab_tap tap0 && lab_tap tap1
lab_vm bios bios tap0 "$BIOS_MAC" 300
lab_vm uefi uefi tap1 "$UEFI_MAC" 300
for vm in bios uefi; do
	if lab_wait "$vm" "PXED-E2E: done" 280; then
		pass "$vm boots to the installer's done in $(lab_elapsed "$vm") s"
	else
		fail "$vm boots to the installer's done"
	fi
done
check "bios: the installer saw its kickstart" \
    grep -q "PXED-E2E: ks-line # kickstart for node01" "$LAB_RUN/bios.serial"
check "bios: kickstart fetched with its token" \
    grep -q "GET /ks/node01?t=$TOKEN " "$LAB_RUN/http.log"
check "uefi: done called with its token" \
    grep -q "GET /done/node02?t=$TOKEN " "$LAB_RUN/http.log"
check "bios: pxelinux read its 01-<mac> menu" grep -q \
    "sent $TFTP/pxelinux.cfg/01-$(mac_dash $BIOS_MAC) " "$LAB_RUN/dnsmasq.log"
check "uefi: GRUB read its grub.cfg-01-<mac>" grep -q \
    "sent $TFTP/grub/grub.cfg-01-$(mac_dash $UEFI_MAC) " "$LAB_RUN/dnsmasq.log"
[ -n "${LAB_KEEP:-}" ] && echo "run directory: $LAB_RUN" >&2
rm -f "$LAB_TFTP/pxelinux.cfg/01-$(mac_dash $BIOS_MAC)" \
    "$TFTP/grub/grub.cfg-01-$(mac_dash $UEFI_MAC)"
exit 0
