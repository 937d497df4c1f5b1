#!/bin/sh
# Dual-stack netboot with real firmware, to issue 21: one segment where
# pxed serves DHCPv4, DHCPv6 and RAs.  Both hosts have an ip6 and no ip,
# which makes them IPv6 netboot hosts (pxed.yaml(5)): over DHCPv4 they
# get an address and no boot file, so the firmware gives its IPv4
# attempt up (after its four DHCP tries, about 60 s) and goes on over
# IPv6, as the servers in the seed do (PXEv4 on each NIC, then IPv6).
#   ds:  OVMF with PXEv4 and PXEv6 on, as shipped: PXEv4 gets no loader,
#        PXEv6 loads GRUB over TFTP/IPv6, which installs over IPv6.
#   hb6: OVMF with its PXE options off: UEFI HTTP boot, HTTPv4 gets no
#        URL, HTTPv6 fetches the README's GRUB image for HTTP boot over
#        HTTP/IPv6 (option 16 "HTTPClient" in the ADVERTISE), GRUB reads
#        its menu, kernel and initrd over HTTP/IPv6 and installs.
# Nothing of either machine goes over IPv4 past DHCP.

. regress/e2e/pxedlab.sh
e2e_begin e2e-dualstack ds
SRV6=fd00:77::2
DS_MAC=52:54:00:77:07:01 DS_IP6=fd00:77::171
HB_MAC=52:54:00:77:07:02 HB_IP6=fd00:77::172
U6="http://\[$SRV6\]:$PORT"

e2e_lab tap0 tap1
ip -n "$NS" addr add $SRV6/64 dev pxe0 nodad
lab_tftp_copy "$T/tftp"
mkdir -p "$T/templates"
e2e_tiny_ks "$T/templates"
e2e_http_grub e2e-dualstack
cp "$LAB_TFTP/vmlinuz" "$LAB_TFTP/initrd.gz" "$T/http/"
chmod -R a+rX "$T/tftp" "$T/http"
{
	e2e_yaml full | sed "/^  address: /a\\
  address6: $SRV6"
	e2e_yaml_dhcp6
	printf 'boot:\n  uefi: grub/x86_64-efi/core.efi\n  http: "{{http}}/grub/grubx64.efi"\n'
	e2e_yaml_tiny 'ip6={{ip6}}'
	cat <<YAML
hosts:
  ds01: { mac: "$DS_MAC", ip6: $DS_IP6, profile: tiny, install: true }
  hb601: { mac: "$HB_MAC", ip6: $HB_IP6, profile: tiny, install: true }
YAML
} >"$T/pxed.yaml"
check "e2e-dualstack: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_start
lab_vm ds uefi tap0 $DS_MAC "$BOUND"
lab_vm hb6 uefi-http tap1 $HB_MAC "$BOUND"
e2e_installed ds ds01 $DS_MAC
e2e_installed hb6 hb601 $HB_MAC

# ipv4_dhcp_only NAME MAC: DHCPv4 gave the machine an address and no
# boot file, and it asked nothing over IPv4 after.
ipv4_dhcp_only() {
	logged "e2e: $1: DHCPv4 leases it an address, no loader" \
	    "dhcp: (OFFER|ACK) 10\\.77\\.0\\.[0-9]+ to $2 \\([a-z0-9]+\\) arch [a-z0-9-]+: no boot file, it netboots over IPv6"
	check "e2e: $1: no DHCPv4 answer names a loader" sh -c \
	    "! grep -E 'dhcp: (OFFER|ACK) .* to $2 .* file ' '$T/log'"
	check "e2e: $1: nothing over TFTP or HTTP on IPv4" sh -c \
	    "! grep -E '(tftp: RRQ from|http:) 10\\.77\\.0\\.' '$T/log'"
}
ipv4_dhcp_only ds $DS_MAC
ipv4_dhcp_only hb6 $HB_MAC

logged "e2e: ds: DHCPv6 REPLY with its ip6 and GRUB over TFTP" \
    "dhcp6: REPLY $DS_IP6 to [0-9a-f]+ $DS_MAC \\(ds01\\) arch uefi-x64 file grub/x86_64-efi/core.efi"
logged "e2e: ds: GRUB over TFTP/IPv6" "tftp: RRQ from $DS_IP6 file /?grub/x86_64-efi/core.efi"
logged "e2e: ds: the kernel over TFTP/IPv6" "tftp: RRQ from $DS_IP6 file /?vmlinuz( |$)"
logged "e2e: ds: the kickstart over HTTP/IPv6" "http: $DS_IP6 \"GET /ks/ds01[?\"].* 200 "
check "e2e: ds: its kickstart URL is IPv6" \
    grep -q "ks=$U6/ks/ds01?t=" "$LAB_RUN/ds.serial"

logged "e2e: hb6: DHCPv6 REPLY with its ip6 and the HTTP URL in IPv6" \
    "dhcp6: REPLY $HB_IP6 to [0-9a-f]+ $HB_MAC \\(hb601\\) arch http-x64 file $U6/grub/grubx64.efi"
http_logged "e2e: hb6: the firmware fetches GRUB over HTTP/IPv6" $HB_IP6 "GET /grub/grubx64.efi"
logged "e2e: hb6: GRUB reads its menu over HTTP/IPv6, rendered for it" \
    "http: $HB_IP6 \"GET /grub/grub.cfg\" 200 .* \\(generated\\)\$"
http_logged "e2e: hb6: the kernel over HTTP/IPv6" $HB_IP6 "GET /vmlinuz"
http_logged "e2e: hb6: the initrd over HTTP/IPv6" $HB_IP6 "GET /initrd.gz"
logged "e2e: hb6: the kickstart over HTTP/IPv6" "http: $HB_IP6 \"GET /ks/hb601[?\"].* 200 "
check "e2e: hb6: nothing over TFTP" sh -c "! grep -q 'tftp: RRQ from $HB_IP6 ' '$T/log'"
exit 0
