#!/bin/sh
# The real Debian installer through pxed: Debian's netboot tree
# (debian-installer-12-netboot-amd64) on BIOS (SeaBIOS, pxelinux) and
# on UEFI with Secure Boot enforced (the tree's own signed shim and
# GRUB, which reads only $prefix/grub.cfg).  Each machine gets its
# address from pxed twice (the firmware, then the installer's own DHCP),
# fetches the preseed pxed renders from etc/templates/debian12.preseed,
# and reports done with the sample's own command, busybox wget.
# There is no Debian mirror here, so the install itself stops at the
# mirror step: that is expected.  The sample calls done from its
# late_command, which runs only after a whole install; the test runs
# the same command from preseed/early_command, the one line it adds.

. regress/lib.sh
. regress/e2e/lab.sh
. regress/e2e/pxedlab.sh
need_root e2e-installer
ensure_user _pxed

DI=${DI:-/usr/lib/debian-installer/images/12/amd64/text}
NS=pxeddi$$
# d-i under TCG reads its preseed about 90 s after power-on, alone.
BOUND=${E2E_BOUND:-420}
e2e_init di

BIOS_MAC=52:54:00:77:02:01 BIOS_IP=10.77.0.31
UEFI_MAC=52:54:00:77:02:02 UEFI_IP=10.77.0.32

if [ ! -f "$DI/debian-installer/amd64/linux" ]; then
	fail "e2e-installer: the netboot tree" "$DI: install debian-installer-12-netboot-amd64 (regress/deps.sh)"
	exit 1
fi
if ! lab_build; then
	fail "e2e-installer: lab assets" "lab_build failed: $(lab_missing)"
	exit 1
fi

# The tree's loaders, kernel and initrd; not its menus (a real file
# would win over pxed's), nor its GRUB modules (the signed GRUB has its
# own built in).
R=$T/tftp
mkdir -p "$R/debian-installer/amd64" "$T/http" "$T/templates"
cp -L "$DI/pxelinux.0" "$DI/ldlinux.c32" "$R/"
for f in linux initrd.gz bootnetx64.efi grubx64.efi; do
	cp -L "$DI/debian-installer/amd64/$f" "$R/debian-installer/amd64/"
done
chmod -R a+rX "$R"
# The sample preseed, with its done command also run early.
cp etc/templates/debian12.preseed "$T/templates/"
late=$(sed -n 's/^d-i preseed\/late_command string //p' etc/templates/debian12.preseed)
check "the sample preseed reports done from late_command" \
    sh -c "echo '$late' | grep -q '{{done}}'"
printf 'd-i preseed/early_command string %s\n' "$late" >>"$T/templates/debian12.preseed"

{
	e2e_yaml full
	cat <<YAML
      dns: [$SRV, 10.77.0.3]
      domain: lab.example
boot:
  bios: pxelinux.0
  uefi: debian-installer/amd64/bootnetx64.efi
profiles:
  debian12:
    kernel: debian-installer/amd64/linux
    initrd: debian-installer/amd64/initrd.gz
    append: "auto=true priority=critical url={{kickstart}} netcfg/get_hostname={{name}} netcfg/get_domain={{domain}} console=ttyS0,115200n8 ---"
    kickstart: templates/debian12.preseed
hosts:
  dibios: { mac: "$BIOS_MAC", ip: $BIOS_IP, profile: debian12, install: true }
  diuefi: { mac: "$UEFI_MAC", ip: $UEFI_IP, profile: debian12, install: true }
YAML
} >"$T/pxed.yaml"
check "e2e-installer: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_lab tap0 tap1
e2e_start

# What the installer will read, as the host's own address reads it.
as_host() {	# as_host IP URL OUT
	ip -n "${NS}c" addr add "$1/24" dev cli0
	ip netns exec "${NS}c" curl -s -m 10 --interface "$1" -o "$3" "$2"
	ip -n "${NS}c" addr del "$1/24" dev cli0
	ip -n "$NS" neigh flush "$1" 2>/dev/null
}
as_host $BIOS_IP "tftp://$SRV/pxelinux.cfg/default" "$T/menu.bios"
ks=$(sed -n 's/.*url=\(http:[^ ]*\).*/\1/p' "$T/menu.bios")
as_host $BIOS_IP "$ks" "$T/preseed.bios"
check "the preseed is rendered with the host's values" sh -c \
    "grep -q '^# Debian 12 preseed for dibios, rendered by pxed for profile debian12' '$T/preseed.bios' &&
    grep -q '^d-i mirror/http/hostname string $SRV\$' '$T/preseed.bios' &&
    grep -q '^# configured its network by DHCP (pxed gives dibios its address,' '$T/preseed.bios'"
check "the preseed's late_command calls the host's done URL with wget" grep -Eq \
    "^d-i preseed/late_command string wget -q -O /dev/null 'http://$SRV:$PORT/done/dibios\\?t=[0-9a-f]{32}'\$" \
    "$T/preseed.bios"
check "the preseed sets no netcfg key (they would come too late)" \
    sh -c "! grep -q '^d-i netcfg/' '$T/preseed.bios'"

LAB_MEM=1024 lab_vm dibios bios tap0 $BIOS_MAC "$BOUND"
LAB_MEM=1024 lab_vm diuefi uefi-sb tap1 $UEFI_MAC "$BOUND"
# di_done VM HOST IP: the installer fetched its preseed and reported done.
di_done() {
	if wait_for "$BOUND" is_local "$2"; then
		pass "e2e: $1: the Debian installer reported done in $(lab_elapsed "$1") s"
	else
		lab_tail "$1" "no done"
		fail "e2e: $1: the Debian installer reported done"
		FAILED=1
	fi
	logged "e2e: $1: the installer fetched its preseed" \
	    "http: $3 \"GET /ks/$2\" 200 "
	logged "e2e: $1: done came from the installer" \
	    "http: $3 \"GET /done/$2\" 200 "
	check "e2e: $1: two DHCP ACKs (firmware, then the installer)" \
	    test "$(grep -c "dhcp: ACK $3 to " "$T/log")" -ge 2
	logged "e2e: $1: the installer's own DHCP (no PXE arch)" \
	    "dhcp: ACK $3 to [0-9a-f:]+ \\($2\\)\$"
}
di_done dibios dibios $BIOS_IP
di_done diuefi diuefi $UEFI_IP
logged "e2e: dibios: pxelinux read its menu" \
    "tftp: RRQ from $BIOS_IP file pxelinux.cfg/01-$(mac_dash $BIOS_MAC) \\(generated\\)"
logged "e2e: diuefi: the tree's signed GRUB read \$prefix's grub.cfg" \
    "tftp: RRQ from $UEFI_IP file /?debian-installer/amd64/grub/(x86_64-efi/)?grub.cfg \\(generated\\)"
check "e2e: diuefi booted with Secure Boot enforced" \
    grep -q 'secureboot: Secure boot enabled' "$LAB_RUN/diuefi.serial"
# No Debian mirror here: each installer goes on to the mirror step and
# stops there, as expected.
for vm in dibios diuefi; do
	if lab_wait "$vm" "Bad archive mirror" 240; then
		pass "e2e: $vm: the installer went on to the mirror step (none here: expected stop)"
	else
		fail "e2e: $vm: the installer went on to the mirror step"
	fi
done
lab_stop dibios
lab_stop diuefi
if [ -n "$FAILED" ]; then
	fail "e2e-installer: second boots" "not run: the installs failed"
	exit 1
fi

# Second boots go local: the menu again, no kernel.
kernels=$(grep -Ec "tftp: RRQ from ($BIOS_IP|$UEFI_IP) file /?debian-installer/amd64/linux( |\$)" "$T/log")
bm=$(menu_reads $BIOS_IP "pxelinux.cfg/01-$(mac_dash $BIOS_MAC)")
um=$(menu_reads $UEFI_IP '/?debian-installer/amd64/grub/(x86_64-efi/)?grub.cfg')
lab_vm dibios2 bios tap0 $BIOS_MAC "$BOUND"
lab_vm diuefi2 uefi-sb tap1 $UEFI_MAC "$BOUND"
check "e2e: dibios2 reads its menu again" wait_for "$BOUND" more_reads \
    $BIOS_IP "pxelinux.cfg/01-$(mac_dash $BIOS_MAC)" "$bm"
check "e2e: diuefi2 reads its menu again" wait_for "$BOUND" more_reads \
    $UEFI_IP '/?debian-installer/amd64/grub/(x86_64-efi/)?grub.cfg' "$um"
if lab_wait dibios2 "No bootable device" "$BOUND"; then
	pass "e2e: dibios2 went on to the local disk, after $(lab_took dibios2) s"
else
	fail "e2e: dibios2 went on to the local disk"
fi
sleep 15
check "e2e: no installer kernel on the second boots" test "$kernels" = \
    "$(grep -Ec "tftp: RRQ from ($BIOS_IP|$UEFI_IP) file /?debian-installer/amd64/linux( |\$)" "$T/log")"
lab_stop dibios2
lab_stop diuefi2
exit 0
