#!/bin/sh
# ARM64 through pxed, under real firmware: AAVMF (EDK2 for ARM) on
# QEMU's virt machine, emulated (TCG).
#   arm:  PXE (arch 11): boot.arm64, GRUB for arm64-efi from
#         grub-mknetdir over TFTP, its per-host menu, Debian's arm64
#         kernel and the tiny installer (busybox-static:arm64) over TFTP.
#   armh: UEFI HTTP boot (arch 19, PXE off): boot.http_arm64, a GRUB
#         image for HTTP boot, menu, kernel and initrd over HTTP.
# Both install at once, read local, and their second boots go local.
# The arm64 packages are downloaded and unpacked by lab_build_arm64.

. regress/e2e/pxedlab.sh
e2e_begin e2e-arm64 arm
lab_build_arm64 ||
    { fail "e2e-arm64: lab assets" "lab_build_arm64 failed"; exit 1; }

ARM_MAC=52:54:00:77:03:01 ARM_IP=10.77.0.41
ARMH_MAC=52:54:00:77:03:02 ARMH_IP=10.77.0.42
U=http://$SRV:$PORT
lab_tftp_copy "$T/tftp" "$LAB_ARM64"
mkdir -p "$T/http/grub"
for f in grub/grubaa64-http.efi vmlinuz initrd.gz; do
	ln "$LAB_ARM64/$f" "$T/http/$f" 2>/dev/null || cp "$LAB_ARM64/$f" "$T/http/$f"
done
chmod -R a+rX "$T/tftp" "$T/http"
e2e_tiny_ks "$T/templates"
{
	e2e_yaml full
	cat <<YAML
boot:
  arm64: grub/arm64-efi/core.efi
  http_arm64: "{{http}}/grub/grubaa64-http.efi"
profiles:
  tiny-arm64:
    kernel: vmlinuz
    initrd: initrd.gz
    append: "console=ttyAMA0 ks={{kickstart}} done={{done}}"
    kickstart: templates/tiny.ks
hosts:
  arm01: { mac: "$ARM_MAC", ip: $ARM_IP, profile: tiny-arm64, install: true }
  armh01: { mac: "$ARMH_MAC", ip: $ARMH_IP, profile: tiny-arm64, install: true }
YAML
} >"$T/pxed.yaml"
check "e2e-arm64: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_lab tap0 tap1
e2e_start

lab_vm arm arm64 tap0 $ARM_MAC "$BOUND"
lab_vm armh arm64-http tap1 $ARMH_MAC "$BOUND"
e2e_installed arm arm01 $ARM_MAC
e2e_installed armh armh01 $ARMH_MAC
check "e2e: arm runs an arm64 kernel" grep -q 'Machine model: linux,dummy-virt\|Booting Linux on physical CPU' "$LAB_RUN/arm.serial"
logged "e2e: arm: PXE arch 11, logged as uefi-arm64, gets boot.arm64" \
    "dhcp: ACK $ARM_IP to .* arch uefi-arm64 file grub/arm64-efi/core\\.efi\$"
logged "e2e: arm: GRUB read its per-host menu over TFTP" \
    "tftp: RRQ from $ARM_IP file /?grub/grub.cfg-01-$(mac_dash $ARM_MAC) \\(generated\\)"
logged "e2e: arm: the kernel over TFTP" "tftp: RRQ from $ARM_IP file /?vmlinuz( |\$)"
logged "e2e: arm: the initrd over TFTP" "tftp: RRQ from $ARM_IP file /?initrd.gz( |\$)"
logged "e2e: armh: HTTP arch 19, logged as http-arm64, gets boot.http_arm64" \
    "dhcp: ACK $ARMH_IP to .* arch http-arm64 file $U/grub/grubaa64-http\\.efi\$"
http_logged "e2e: armh: the firmware asks the loader's size (HEAD)" $ARMH_IP "HEAD /grub/grubaa64-http.efi"
http_logged "e2e: armh: and fetches it" $ARMH_IP "GET /grub/grubaa64-http.efi"
logged "e2e: armh: GRUB read the bare grub.cfg over HTTP, rendered for it" \
    "http: $ARMH_IP \"GET /grub/grub.cfg\" 200 .* \\(generated\\)\$"
http_logged "e2e: armh: the kernel over HTTP" $ARMH_IP "GET /vmlinuz"
http_logged "e2e: armh: the initrd over HTTP" $ARMH_IP "GET /initrd.gz"
check "e2e: armh: nothing over TFTP" sh -c "! grep -q 'tftp: RRQ from $ARMH_IP ' '$T/log'"
if [ -n "$FAILED" ]; then
	fail "e2e-arm64: second boots" "not run: the installs failed"
	exit 1
fi

# Second boots: the menus again, now local; no kernel, no installer.
for vm in arm armh; do lab_stop "$vm"; done
armmenu="/?grub/grub.cfg-01-$(mac_dash $ARM_MAC)"
am=$(menu_reads $ARM_IP "$armmenu")
hmenus() { grep -c "http: $ARMH_IP \"GET /grub/grub.cfg\" 200" "$T/log"; }
more_hmenus() { [ "$(hmenus)" -gt "$1" ]; }
hm=$(hmenus)
kernels() {
	grep -Ec "tftp: RRQ from $ARM_IP file /?vmlinuz( |\$)|http: $ARMH_IP \"GET /vmlinuz\"" "$T/log"
}
k0=$(kernels)
lab_vm arm2 arm64 tap0 $ARM_MAC "$BOUND"
lab_vm armh2 arm64-http tap1 $ARMH_MAC "$BOUND"
if wait_for "$BOUND" more_reads $ARM_IP "$armmenu" "$am"; then
	pass "e2e: arm2 reads its menu again, after $(lab_elapsed arm2) s"
else
	lab_tail arm2 "no second menu request"
	fail "e2e: arm2 reads its menu again"
fi
if wait_for "$BOUND" more_hmenus "$hm"; then
	pass "e2e: armh2 reads its menu again, after $(lab_elapsed armh2) s"
else
	lab_tail armh2 "no second menu request"
	fail "e2e: armh2 reads its menu again"
fi
# GRUB's "exit" hands back to the firmware; a kernel would be asked
# within seconds of the menu: give it 20.
sleep 20
for vm in arm2 armh2; do
	check "e2e: $vm does not start the installer" sh -c \
	    "! grep -q 'PXED-E2E: init' '$LAB_RUN/$vm.serial'"
	lab_stop "$vm"
done
check "e2e: no kernel asked for on the second boots" test "$k0" = "$(kernels)"
exit 0
