#!/bin/sh
# UEFI HTTP boot through pxed, under real firmware: OVMF with its PXE
# boot options switched off asks DHCP as an HTTPClient and fetches its
# loader, menu, kernel and initrd over HTTP, from pxed's HTTP worker.
#   hb:  a GRUB image made for HTTP boot by README step 4; GRUB asks
#        (http,server)/grub/grub.cfg, which pxed renders for the host.
#   hbsb: Secure Boot enforced, Debian's signed shim over HTTP: shim
#        fetches Debian's signed GRUB from beside itself, which starts
#        and stops at its prompt.  Debian 12's signed network GRUB has no
#        http module ("disk `http,SERVER' not found"), and under Secure
#        Boot loads none: it reads no menu when booted over HTTP.  The
#        test shows where it stops; pxed.8 says so.  (Over PXE the same
#        shim and GRUB install: secureboot_test.sh.)
#   hbuki: a unified kernel image (systemd-stub, the kernel and the tiny
#        installer in one .efi) as the loader, fetched whole: its kernel
#        runs and the installer gets its address.  A UKI's command line
#        is fixed when it is made, so it carries no host's token: the
#        installer stops there ("no ks="), as expected.
# The loader is boot.http, one for all x86 HTTP clients: reloads switch
# it from the GRUB image to shim once hb2 has its loader, and to the UKI
# once hbsb has its own.  The
# TFTP root is empty: nothing may come over TFTP.

. regress/e2e/pxedlab.sh
e2e_begin e2e-httpboot hb

HB_MAC=52:54:00:77:02:01 HB_IP=10.77.0.31
SB_MAC=52:54:00:77:02:02 SB_IP=10.77.0.32
UKI_MAC=52:54:00:77:02:03 UKI_IP=10.77.0.33
U=http://$SRV:$PORT

mkdir -p "$T/tftp" "$T/http/sb"
e2e_http_grub e2e-httpboot
cp /usr/lib/shim/shimx64.efi.signed "$T/http/sb/BOOTX64.EFI" &&
    cp /usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed \
    "$T/http/sb/grubx64.efi" ||
    { fail "e2e-httpboot: Debian's signed shim and GRUB"; exit 1; }
cp "$LAB_TFTP/vmlinuz" "$LAB_TFTP/initrd.gz" "$T/http/"
check "e2e-httpboot: a unified kernel image" lab_uki "$T/http/uki/tiny.efi" console=ttyS0
chmod -R a+rX "$T/tftp" "$T/http"
e2e_tiny_ks "$T/templates"

# inventory LOADER: the lab inventory with boot.http LOADER.
inventory() {
	e2e_yaml full
	printf 'boot:\n  http: "{{http}}/%s"\n' "$1"
	e2e_yaml_tiny
	cat <<YAML
hosts:
  hb01: { mac: "$HB_MAC", ip: $HB_IP, profile: tiny, install: true }
  hbsb01: { mac: "$SB_MAC", ip: $SB_IP, profile: tiny, install: true }
  hbuki01: { mac: "$UKI_MAC", ip: $UKI_IP }
YAML
}
inventory grub/grubx64.efi >"$T/pxed.yaml"
check "e2e-httpboot: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_lab tap0 tap1 tap2
e2e_start

# httpboot_loader VM IP LOADER: the firmware's part of an HTTP boot.
httpboot_loader() {
	logged "e2e: $1 is an HTTP client, gets its loader's URL" \
	    "dhcp: ACK $2 to .* arch http-x64 file $U/$3\$"
	http_logged "e2e: $1: the firmware asks the loader's size (HEAD)" $2 "HEAD /$3"
	http_logged "e2e: $1: and fetches it" $2 "GET /$3"
}
# httpboot VM IP LOADER: and GRUB's part, its menu.
httpboot() {
	httpboot_loader "$@"
	logged "e2e: $1: GRUB read the bare grub.cfg over HTTP, rendered for it" \
	    "http: $2 \"GET /grub/grub.cfg\" 200 .* \\(generated\\)\$"
}
menus() { grep -c "http: $1 \"GET /grub/grub.cfg\" 200" "$T/log"; }
more_menus() { [ "$(menus "$1")" -gt "$2" ]; }
kernels() { grep -c "http: $1 \"GET /vmlinuz\"" "$T/log"; }
# second_boot VM IP MENUS KERNELS: the machine reads its menu once more
# than MENUS, and asks no kernel (GRUB's "exit" hands back to OVMF; a
# kernel would be asked within seconds of the menu: give it 20).
second_boot() {
	if wait_for "$BOUND" more_menus "$2" "$3"; then
		pass "e2e: $1 reads its menu again, after $(lab_elapsed "$1") s"
	else
		lab_tail "$1" "no second menu request"
		fail "e2e: $1 reads its menu again"
		return
	fi
	sleep 20
	check "e2e: $1 does not start the installer" sh -c \
	    "! grep -q 'PXED-E2E: init' '$LAB_RUN/$1.serial'"
	check "e2e: $1 asks no kernel" test "$(kernels "$2")" = "$4"
	lab_stop "$1"
}

# Phase 1: hb, the GRUB image, installs.
lab_vm hb uefi-http tap0 $HB_MAC "$BOUND"
e2e_installed hb hb01 $HB_MAC
httpboot hb $HB_IP grub/grubx64.efi
http_logged "e2e: hb: the kernel over HTTP" $HB_IP "GET /vmlinuz"
http_logged "e2e: hb: the initrd over HTTP" $HB_IP "GET /initrd.gz"
if [ -n "$FAILED" ]; then
	fail "e2e-httpboot: second boot, shim" "not run: the install failed"
	exit 1
fi
lab_stop hb

# Phase 2: hb's second boot goes local; once it has its loader, a reload
# to shim and hbsb with Secure Boot.
loaders() { grep -c "http: $HB_IP \"GET /grub/grubx64.efi\" 200" "$T/log"; }
more_loaders() { [ "$(loaders)" -gt "$1" ]; }
hbm=$(menus $HB_IP) hbk=$(kernels $HB_IP) hbl=$(loaders)
lab_vm hb2 uefi-http tap0 $HB_MAC "$BOUND"
check "e2e: hb2 fetches its loader again" wait_for "$BOUND" more_loaders "$hbl"
inventory sb/BOOTX64.EFI >"$T/pxed.yaml"
check "e2e-httpboot: reload to shim" ctl reload
lab_vm hbsb uefi-sb-http tap1 $SB_MAC "$BOUND"
check "e2e: hbsb fetches shim" wait_for "$BOUND" grep -q \
    "http: $SB_IP \"GET /sb/BOOTX64.EFI\" 200" "$T/log"
inventory uki/tiny.efi >"$T/pxed.yaml"
check "e2e-httpboot: reload to the UKI" ctl reload
lab_vm hbuki uefi-http tap2 $UKI_MAC "$BOUND"
second_boot hb2 $HB_IP "$hbm" "$hbk"
if lab_wait hbsb "grub>" "$BOUND"; then
	pass "e2e: hbsb: signed GRUB started, after $(lab_elapsed hbsb) s"
else
	fail "e2e: hbsb: signed GRUB started"
fi
httpboot_loader hbsb $SB_IP sb/BOOTX64.EFI
http_logged "e2e: hbsb: shim fetched the signed GRUB from beside itself" $SB_IP "GET /sb/grubx64.efi"
check "e2e: hbsb: shim verified and started the signed GRUB" \
    grep -q "Welcome to GRUB" "$LAB_RUN/hbsb.serial"
# What the signed GRUB does next: nothing; give it 20 s.
n=$(grep -c "http: $SB_IP " "$T/log")
sleep 20
check "e2e: hbsb: Debian's signed GRUB asks nothing over HTTP (no http module)" \
    test "$(grep -c "http: $SB_IP " "$T/log")" = "$n"
check "e2e: hbsb: nor over TFTP" sh -c "! grep -q 'tftp: RRQ from $SB_IP ' '$T/log'"
at_prompt() { lab_serial "$1" | grep -v '^[[:space:]]*$' | tail -n 1 | grep -q '^grub> *$'; }
check "e2e: hbsb: and stops at its prompt" at_prompt hbsb
lab_stop hbsb
if lab_wait hbuki "PXED-E2E: ip $UKI_IP/24" "$BOUND"; then
	pass "e2e: hbuki: the UKI's kernel and installer ran, address after $(lab_elapsed hbuki) s"
else
	fail "e2e: hbuki: the UKI's kernel and installer ran"
fi
http_logged "e2e: hbuki: the firmware asks the UKI's size (HEAD)" $UKI_IP "HEAD /uki/tiny.efi"
logged "e2e: hbuki: and fetches it whole, in one response" \
    "http: $UKI_IP \"GET /uki/tiny.efi\" 200 $(stat -c %s "$T/http/uki/tiny.efi") bytes"
check "e2e: hbuki: its fixed command line has no kickstart (expected)" \
    lab_wait hbuki "PXED-E2E: FAILED no ks= on the command line" 30
lab_stop hbuki
check "e2e: hb: nothing over TFTP" sh -c "! grep -q 'tftp: RRQ from $HB_IP ' '$T/log'"
exit 0
