#!/bin/sh
# PXE over IPv6 with real firmware, to issue 21: an OVMF machine whose
# PXEv4 is off (fw_cfg IPv4PXESupport=no) on an IPv6-only segment asks
# DHCPv6, loads GRUB over TFTP/IPv6, GRUB reads its generated menu and
# the kernel and initrd over TFTP/IPv6, the tiny installer takes the
# host's ip6 from the menu and fetches its kickstart over HTTP/IPv6
# (rendered with IPv6 URLs) and reports done; the host reads local and
# a second boot gets the local menu.

. regress/e2e/pxedlab.sh
e2e_begin e2e-ipv6 ipv6
SRV6=fd00:77::2
MAC=52:54:00:77:06:01
IP6=fd00:77::191

e2e_lab tap0
ip -n "$NS" addr add $SRV6/64 dev pxe0 nodad
lab_tftp_copy "$T/tftp"
mkdir -p "$T/http" "$T/templates"
e2e_tiny_ks "$T/templates"
{
	cat <<YAML
server:
  interfaces: [pxe0]
  address6: $SRV6
  user: _pxed
  state: $T/state
  tftp: { root: $T/tftp }
  http: { root: $T/http, port: $PORT }
dhcp: { mode: off }
YAML
	e2e_yaml_dhcp6
	printf 'boot:\n  uefi: grub/x86_64-efi/core.efi\n'
	e2e_yaml_tiny 'ip6={{ip6}}'
	cat <<YAML
hosts:
  uefi6:
    mac: $MAC
    ip6: $IP6
    profile: tiny
    install: true
YAML
} >"$T/pxed.yaml"
check "e2e-ipv6: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_start
lab_vm uefi6 uefi6 tap0 $MAC "$BOUND"
e2e_installed uefi6 uefi6 $MAC
check "e2e-ipv6: the installer took the host's ip6" \
    grep -q "PXED-E2E: ip6 $IP6" "$LAB_RUN/uefi6.serial"
check "e2e-ipv6: the kickstart URL is IPv6" \
    grep -q "ks=http://\[$SRV6\]:$PORT/ks/uefi6?t=" "$LAB_RUN/uefi6.serial"
logged "e2e-ipv6: DHCPv6 REPLY with the fixed ip6 and GRUB" \
    "dhcp6: REPLY $IP6 to [0-9a-f]+ $MAC \(uefi6\) arch uefi-x64 file grub/x86_64-efi/core.efi"
logged "e2e-ipv6: GRUB over TFTP/IPv6" "tftp: RRQ from $IP6 file /?grub/x86_64-efi/core.efi"
logged "e2e-ipv6: GRUB's menu generated over IPv6" \
    "tftp: RRQ from $IP6 file grub/grub.cfg-01-$(mac_dash $MAC) \(generated\)"
logged "e2e-ipv6: the kernel over TFTP/IPv6" "tftp: RRQ from $IP6 file /?vmlinuz( |$)"
logged "e2e-ipv6: the kickstart over HTTP/IPv6" "http: $IP6 \"GET /ks/uefi6[?\"].* 200 "
logged "e2e-ipv6: done over HTTP/IPv6" "http: $IP6 \"GET /done/uefi6[?\"].* 200 "
if [ -n "$FAILED" ]; then
	fail "e2e-ipv6: second boot" "not run: the install failed"
	exit 1
fi

# Second boot: the local menu, no kernel.
menu="grub/grub.cfg-01-$(mac_dash $MAC)"
reads=$(menu_reads $IP6 "$menu")
kernels=$(grep -Ec "tftp: RRQ from $IP6 file /?vmlinuz( |\$)" "$T/log")
lab_vm uefi6b uefi6 tap0 $MAC "$BOUND"
if wait_for "$BOUND" more_reads $IP6 "$menu" "$reads"; then
	pass "e2e-ipv6: the second boot reads its menu again"
else
	lab_tail uefi6b "no second menu request"
	fail "e2e-ipv6: the second boot reads its menu again"
fi
sleep 20
check "e2e-ipv6: no kernel on the second boot" test "$kernels" = \
    "$(grep -Ec "tftp: RRQ from $IP6 file /?vmlinuz( |\$)" "$T/log")"
check "e2e-ipv6: the installer does not start again" sh -c \
    "! grep -q 'PXED-E2E: init' '$LAB_RUN/uefi6b.serial'"
