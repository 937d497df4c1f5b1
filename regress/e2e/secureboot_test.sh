#!/bin/sh
# The loaders of README step 4, exactly as the README copies them, under
# real firmware: Debian's signed shim as BOOTX64.EFI and Debian's signed
# network GRUB as grubx64.efi, with Secure Boot enforced (OVMF with
# Microsoft's keys) and with Secure Boot off, and pxelinux on BIOS.
# Debian's signed GRUB reads only $prefix/grub.cfg (prefix /grub), so
# the host installs only if pxed renders the bare name for it.  Each
# machine installs the tiny installer (Debian's signed kernel), reads
# local, and its second boot goes local.

. regress/e2e/pxedlab.sh
e2e_begin e2e-secureboot sb

SB_MAC=52:54:00:77:01:01 SB_IP=10.77.0.21
NOSB_MAC=52:54:00:77:01:02 NOSB_IP=10.77.0.22
BIOS_MAC=52:54:00:77:01:03 BIOS_IP=10.77.0.23

# README step 4's copies into the TFTP root: "SOURCE NAME" lines.
readme_loaders() {
	sed -n '/^4\. Fill the TFTP root/,/^5\. /p' README.md |
	    sed -n 's|^ *cp \(/[^ ]*\) /srv/pxed/tftp/\([^ ]*\)$|\1 \2|p' |
	    while read -r _src _dst; do
		echo "$_src ${_dst:-$(basename "$_src")}"
	    done
}

readme_loaders >"$T/loaders"
check "README step 4 copies shim as BOOTX64.EFI" grep -q '/shimx64.efi.signed BOOTX64.EFI$' "$T/loaders"
check "README step 4 copies Debian's signed network GRUB as grubx64.efi" \
    grep -q '/grubnetx64.efi.signed grubx64.efi$' "$T/loaders"
check "README step 4 copies pxelinux.0 and ldlinux.c32" sh -c \
    "grep -q ' pxelinux.0\$' '$T/loaders' && grep -q ' ldlinux.c32\$' '$T/loaders'"
sed -n '/^4\. Fill the TFTP root/,/^5\. /s/^ *apt-get install //p' README.md |
    tr ' ' '\n' >"$T/readme.pkgs"
for p in $(cat "$T/readme.pkgs"); do
	check "README step 4's package $p is in regress/deps.sh" sh -c \
	    "sh regress/deps.sh -l | tr ' ' '\n' | grep -qx '$p'"
done
mkdir -p "$T/tftp" "$T/http"
while read -r src dst; do
	if cp "$src" "$T/tftp/$dst"; then
		pass "README step 4: $src is installed"
	else
		fail "README step 4: $src is installed" "a package of deps.sh lacks it"
	fi
done <"$T/loaders"
cp "$LAB_TFTP/vmlinuz" "$LAB_TFTP/initrd.gz" "$T/tftp/"
chmod -R a+rX "$T/tftp"
e2e_tiny_ks "$T/templates"

{
	e2e_yaml_pxe
	cat <<YAML
hosts:
  sb01: { mac: "$SB_MAC", ip: $SB_IP, profile: tiny, install: true }
  nosb01: { mac: "$NOSB_MAC", ip: $NOSB_IP, profile: tiny, install: true }
  bios01: { mac: "$BIOS_MAC", ip: $BIOS_IP, profile: tiny, install: true }
YAML
} >"$T/pxed.yaml"
check "e2e-secureboot: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_lab tap0 tap1 tap2
e2e_start

lab_vm sb uefi-sb tap0 $SB_MAC "$BOUND"
lab_vm nosb uefi tap1 $NOSB_MAC "$BOUND"
lab_vm bios bios tap2 $BIOS_MAC "$BOUND"
e2e_installed sb sb01 $SB_MAC
e2e_installed nosb nosb01 $NOSB_MAC
e2e_installed bios bios01 $BIOS_MAC
check "e2e: sb booted with Secure Boot enforced (the kernel says so)" \
    grep -q 'secureboot: Secure boot enabled' "$LAB_RUN/sb.serial"
check "e2e: sb's kernel is locked down" \
    grep -q 'Kernel is locked down from EFI Secure Boot' "$LAB_RUN/sb.serial"
check "e2e: nosb booted with Secure Boot off" \
    grep -q 'secureboot: Secure boot disabled' "$LAB_RUN/nosb.serial"
for h in sb:$SB_IP nosb:$NOSB_IP; do
	vm=${h%%:*} ip=${h#*:}
	logged "e2e: $vm got shim (BOOTX64.EFI) from DHCP" \
	    "dhcp: ACK $ip to .* arch uefi-x64 file BOOTX64.EFI"
	logged "e2e: $vm: shim fetched grubx64.efi" \
	    "tftp: RRQ from $ip file /?grubx64.efi( |\$)"
	logged "e2e: $vm: signed GRUB read the bare grub.cfg, rendered for it" \
	    "tftp: RRQ from $ip file /?grub/(x86_64-efi/)?grub.cfg \\(generated\\)"
	check "e2e: $vm: signed GRUB never asked a per-MAC name" \
	    sh -c "! grep -q 'RRQ from $ip file .*grub.cfg-01-' '$T/log'"
	logged "e2e: $vm: the kernel over TFTP" "tftp: RRQ from $ip file /?vmlinuz( |\$)"
done
logged "e2e: bios: pxelinux read its menu" \
    "tftp: RRQ from $BIOS_IP file pxelinux.cfg/01-$(mac_dash $BIOS_MAC) \\(generated\\)"
if [ -n "$FAILED" ]; then
	fail "e2e-secureboot: second boots" "not run: the installs failed"
	exit 1
fi

# Second boots: the bare menu again, now local; no kernel, no installer.
for vm in sb nosb bios; do lab_stop "$vm"; done
kernels=$(grep -Ec "tftp: RRQ from ($SB_IP|$NOSB_IP) file /?vmlinuz( |\$)" "$T/log")
sbm=$(menu_reads $SB_IP '/?grub/(x86_64-efi/)?grub.cfg')
nosbm=$(menu_reads $NOSB_IP '/?grub/(x86_64-efi/)?grub.cfg')
lab_vm sb2 uefi-sb tap0 $SB_MAC "$BOUND"
lab_vm nosb2 uefi tap1 $NOSB_MAC "$BOUND"
for h in sb2:$SB_IP:$sbm nosb2:$NOSB_IP:$nosbm; do
	vm=${h%%:*} rest=${h#*:}
	if wait_for "$BOUND" more_reads "${rest%%:*}" \
	    '/?grub/(x86_64-efi/)?grub.cfg' "${rest#*:}"; then
		pass "e2e: $vm reads its menu again"
	else
		lab_tail "$vm" "no second menu request"
		fail "e2e: $vm reads its menu again"
	fi
done
# GRUB's "exit" hands back to OVMF, which tries its other network boot
# options for minutes; a kernel would be asked within seconds of the
# menu: give it 20.
sleep 20
for vm in sb2 nosb2; do
	check "e2e: $vm does not start the installer" sh -c \
	    "! grep -q 'PXED-E2E: init' '$LAB_RUN/$vm.serial'"
	lab_stop "$vm"
done
check "e2e: no kernel asked for on the second boots" test "$kernels" = \
    "$(grep -Ec "tftp: RRQ from ($SB_IP|$NOSB_IP) file /?vmlinuz( |\$)" "$T/log")"
exit 0
