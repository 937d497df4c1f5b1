#!/bin/sh
# Real firmware through pxed, to SPEC.md: QEMU machines PXE-boot in a
# namespace of our own and install the tiny installer of lab.sh, which
# fetches its kickstart and calls done.
#   1. full DHCP: a BIOS machine (SeaBIOS, iPXE ROM, pxelinux) and a UEFI
#      machine (OVMF's PXE, GRUB) install; both read "local" afterwards;
#      the token is dead; a second boot of each gets the local menu.
#   2. boot.ipxe set by a reload: an iPXE machine installs through
#      /ipxe/<mac> over HTTP, its kernel and initrd from the TFTP root.
#   3. proxy mode beside dnsmasq (which hands out the addresses): a UEFI
#      and a BIOS machine install.

. regress/e2e/pxedlab.sh
e2e_begin e2e e2e

# The machines: name, MAC, fixed address.
BIOS_MAC=52:54:00:77:00:01 BIOS_IP=10.77.0.11
UEFI_MAC=52:54:00:77:00:02 UEFI_IP=10.77.0.12
IPXE_MAC=52:54:00:77:00:03 IPXE_IP=10.77.0.13
PRXU_MAC=52:54:00:77:00:04
PRXB_MAC=52:54:00:77:00:05

inventory() {	# inventory full|proxy [ipxe]
	e2e_yaml "$1"
	# Behind a ProxyDHCP, GRUB needs its server in its prefix (README).
	_grub=core.efi
	[ "$1" = proxy ] && _grub=core-$SRV.efi
	cat <<YAML
boot:
  bios: pxelinux.0
  uefi: grub/x86_64-efi/$_grub
YAML
	[ "${2:-}" = ipxe ] && echo '  ipxe: "{{http}}/ipxe/{{mac}}"'
	e2e_yaml_tiny
	echo "hosts:"
	if [ "$1" = full ]; then
		host bios01 $BIOS_MAC $BIOS_IP
		host uefi01 $UEFI_MAC $UEFI_IP
		host ipxe01 $IPXE_MAC $IPXE_IP
	else
		host prxu01 $PRXU_MAC
		host prxb01 $PRXB_MAC
	fi
}

host() {	# host NAME MAC [IP]
	printf '  %s:\n    mac: %s\n' "$1" "$2"
	[ -n "${3:-}" ] && printf '    ip: %s\n' "$3"
	printf '    profile: tiny\n    install: true\n'
}

e2e_lab tap0 tap1 tap2 tap3 tap4
lab_tftp_copy "$T/tftp"
lab_grub_fixed "$T/tftp" "$SRV" || { fail "e2e: GRUB image for proxy mode"; exit 1; }
mkdir -p "$T/http" "$T/templates"
# The kernel and initrd in the TFTP root only, as the README lays them
# out: the iPXE script then fetches them over TFTP.
e2e_tiny_ks "$T/templates"

# 1. Full DHCP, BIOS and UEFI in parallel.
inventory full >"$T/pxed.yaml"
check "e2e: pxed -n accepts the lab inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_start
lab_vm bios bios tap0 $BIOS_MAC "$BOUND"
lab_vm uefi uefi tap1 $UEFI_MAC "$BOUND"
e2e_installed bios bios01 $BIOS_MAC
e2e_installed uefi uefi01 $UEFI_MAC
check "e2e: bios got its fixed address" \
    grep -q "PXED-E2E: ip $BIOS_IP/24" "$LAB_RUN/bios.serial"
check "e2e: uefi got its fixed address" \
    grep -q "PXED-E2E: ip $UEFI_IP/24" "$LAB_RUN/uefi.serial"
logged "e2e: dhcp ACK for bios01 with pxelinux.0" \
    "dhcp: ACK $BIOS_IP to $BIOS_MAC \(bios01\) arch [a-z0-9-]+ file pxelinux.0"
logged "e2e: dhcp ACK for uefi01 with GRUB" \
    "dhcp: ACK $UEFI_IP to $UEFI_MAC \(uefi01\) arch uefi-x64 file grub/x86_64-efi/core.efi"
logged "e2e: pxelinux menu generated for bios01" \
    "tftp: RRQ from $BIOS_IP file pxelinux.cfg/01-$(mac_dash $BIOS_MAC) \(generated\)"
logged "e2e: GRUB menu generated for uefi01" \
    "tftp: RRQ from $UEFI_IP file grub/grub.cfg-01-$(mac_dash $UEFI_MAC) \(generated\)"
logged "e2e: bios01 kernel over TFTP" "tftp: RRQ from $BIOS_IP file /?vmlinuz( |$)"
logged "e2e: uefi01 initrd over TFTP" "tftp: RRQ from $UEFI_IP file /?initrd.gz( |$)"
for h in bios01:$BIOS_IP uefi01:$UEFI_IP; do
	logged "e2e: ${h%%:*} kickstart served" \
	    "http: ${h#*:} \"GET /ks/${h%%:*}[?\"].* 200 "
	logged "e2e: ${h%%:*} done accepted" \
	    "http: ${h#*:} \"GET /done/${h%%:*}[?\"].* 200 "
done
ks=$(lab_serial bios | grep -o 'ks=http://[^ ]*' | head -n 1)
check "e2e: the used token is refused" sh -c "ip netns exec ${NS}c \
    curl -s -m 10 -o /dev/null -w '%{http_code}' '${ks#ks=}' | grep -qx 403"
check "e2e: another address found no menu of bios01" sh -c "! ip netns exec \
    ${NS}c curl -s -m 10 -o /dev/null tftp://$SRV/pxelinux.cfg/01-$(mac_dash $BIOS_MAC)"

if [ -n "$FAILED" ]; then
	fail "e2e: the other boots" "not run: the first installs failed"
	exit 1
fi

# Second boot: the local menu, no kernel, no installer.
second_boot() {	# second_boot VM IP MENU
	if wait_for "$BOUND" more_reads "$2" "$3" "$(cat "$T/$1.menus")"; then
		pass "e2e: $1 fetches its menu again"
	else
		lab_tail "$1" "no second menu request"
		fail "e2e: $1 fetches its menu again"
	fi
}
# menu_as VM IP MENU: the menu as the machine's own address reads it
# (pxed renders a host's menu for that address only), once it is off.
menu_as() {
	ip -n "${NS}c" addr add "$2/24" dev cli0
	# The server's ARP entry still names the machine's NIC.
	ip -n "$NS" neigh flush "$2" 2>/dev/null
	ip netns exec "${NS}c" curl -s -m 10 --interface "$2" \
	    -o "$T/menu.$1" "tftp://$SRV/$3"
	ip -n "${NS}c" addr del "$2/24" dev cli0
	check "e2e: $1's menu is local now (no kernel)" sh -c \
	    "[ -s '$T/menu.$1' ] && grep -q local '$T/menu.$1' && ! grep -q vmlinuz '$T/menu.$1'"
}
BMENU=pxelinux.cfg/01-$(mac_dash $BIOS_MAC)
UMENU=grub/grub.cfg-01-$(mac_dash $UEFI_MAC)
menu_reads $BIOS_IP "$BMENU" >"$T/bios2.menus"
menu_reads $UEFI_IP "$UMENU" >"$T/uefi2.menus"
kernels=$(grep -Ec "tftp: RRQ from ($BIOS_IP|$UEFI_IP) file /?vmlinuz( |\$)" "$T/log")
lab_vm bios2 bios tap0 $BIOS_MAC "$BOUND"
lab_vm uefi2 uefi tap1 $UEFI_MAC "$BOUND"
second_boot bios2 $BIOS_IP "$BMENU"
second_boot uefi2 $UEFI_IP "$UMENU"
if lab_wait bios2 "No bootable device" 180; then
	pass "e2e: bios2 went on to the local disk"
else
	fail "e2e: bios2 went on to the local disk"
fi
# A kernel would be asked for within 10 s of the menu; give it 30.
sleep 30
check "e2e: no kernel asked for on the second boots" test "$kernels" = \
    "$(grep -Ec "tftp: RRQ from ($BIOS_IP|$UEFI_IP) file /?vmlinuz( |\$)" "$T/log")"
for vm in bios2 uefi2; do
	check "e2e: $vm does not start the installer" sh -c \
	    "! grep -q 'PXED-E2E: init' '$LAB_RUN/$vm.serial'"
	lab_stop "$vm"
done
menu_as bios2 $BIOS_IP "$BMENU"
menu_as uefi2 $UEFI_IP "$UMENU"

# 2. iPXE over HTTP: boot.ipxe added by a reload.
inventory full ipxe >"$T/pxed.yaml"
check "e2e: pxectl reload with boot.ipxe" ctl reload
lab_vm ipxe bios tap2 $IPXE_MAC "$BOUND"
e2e_installed ipxe ipxe01 $IPXE_MAC
logged "e2e: dhcp hands iPXE its script URL" \
    "dhcp: ACK $IPXE_IP to $IPXE_MAC \(ipxe01\) .*file http://$SRV:$PORT/ipxe/"
logged "e2e: the iPXE script is served" \
    "http: $IPXE_IP \"GET /ipxe/52.54.00.77.00.03\" 200 "
logged "e2e: iPXE fetched the kernel from the TFTP root" \
    "tftp: RRQ from $IPXE_IP file /?vmlinuz( |\$)"

# 3. Proxy mode beside dnsmasq, which hands out the addresses.
e2e_stop
if command -v dnsmasq >/dev/null; then
	lab_port dhcp0 10.77.0.3/24 "${NS}d" || fail "e2e: dnsmasq port"
	ip netns exec "${NS}d" dnsmasq -k --port=0 --interface=dhcp0 \
	    --bind-interfaces --no-resolv --no-hosts --user=root \
	    --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h \
	    --dhcp-leasefile="$T/dnsmasq.leases" --log-dhcp \
	    --log-facility="$T/dnsmasq.log" 2>"$T/dnsmasq.err" &
	E2E_PIDS=$!
	inventory proxy >"$T/pxed.yaml"
	e2e_start
	lab_vm prxu uefi tap3 $PRXU_MAC "$BOUND"
	lab_vm prxb bios tap4 $PRXB_MAC "$BOUND"
	e2e_installed prxu prxu01 $PRXU_MAC
	e2e_installed prxb prxb01 $PRXB_MAC
	check "e2e: proxy: the address came from dnsmasq" \
	    grep -q "DHCPACK(dhcp0) 10.77.0.1[0-9][0-9] $PRXU_MAC" "$T/dnsmasq.log"
else
	skip "e2e: proxy mode" "dnsmasq is not installed"
fi
exit 0
