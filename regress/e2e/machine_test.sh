#!/bin/sh
# A host is a machine, under real firmware: two BIOS machines (SeaBIOS,
# the NIC's iPXE ROM, pxelinux), each with two NICs whose first has no
# boot ROM and no cable, so the firmware boots from the second, and an
# SMBIOS UUID.  rack01 lists both MACs and its UUID; rack02 lists only
# its dead NIC's MAC and its UUID, so it is known on the NIC it boots
# from by the UUID its firmware sends (option 97) alone.  pxelinux asks
# pxelinux.cfg/<uuid> first (the seed's first lookup name), gets the
# host's menu, and each machine installs as its inventory host, reads
# local, and rack02's second boot goes local.

. regress/e2e/pxedlab.sh
e2e_begin e2e-machine mc

A_DEAD=52:54:00:88:01:01 A_MAC=52:54:00:88:01:02 A_IP=10.77.0.31
A_UUID=6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a61
B_DEAD=52:54:00:88:02:01 B_MAC=52:54:00:88:02:02 B_IP=10.77.0.32
B_UUID=6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a62

mkdir -p "$T/tftp" "$T/http"
cp "$LAB_TFTP/pxelinux.0" "$LAB_TFTP/ldlinux.c32" "$LAB_TFTP/vmlinuz" \
    "$LAB_TFTP/initrd.gz" "$T/tftp/"
chmod -R a+rX "$T/tftp"
e2e_tiny_ks "$T/templates"
{
	e2e_yaml_pxe
	cat <<YAML
hosts:
  rack01:
    mac: [$A_DEAD, $A_MAC]
    uuid: $A_UUID
    ip: $A_IP
    profile: tiny
    install: true
  rack02:
    mac: $B_DEAD
    uuid: $B_UUID
    ip: $B_IP
    profile: tiny
    install: true
YAML
} >"$T/pxed.yaml"
check "e2e-machine: pxed -n accepts the inventory" "$PXED" -n -f "$T/pxed.yaml"
e2e_lab tap0 tap1
e2e_start

lab_vm rack01 bios tap0 $A_MAC "$BOUND" $A_DEAD $A_UUID
lab_vm rack02 bios tap1 $B_MAC "$BOUND" $B_DEAD $B_UUID
# The tiny kickstart prints {{mac}}: the first MAC the host lists.
e2e_installed rack01 rack01 $A_DEAD
e2e_installed rack02 rack02 $B_DEAD
logged "e2e: rack01 booted from its second NIC, its fixed address" \
    "dhcp: ACK $A_IP to $A_MAC \\(rack01\\) arch bios file pxelinux.0"
logged "e2e: rack02's second NIC, unlisted, is rack02 by its UUID" \
    "dhcp: ACK $B_IP to $B_MAC \\(rack02 by its UUID\\) arch bios file pxelinux.0"
check "e2e: rack02's installer (no option 97) is still rack02: the lease remembers the UUID" \
    test "$(grep -c "dhcp: ACK $B_IP to $B_MAC (rack02 by its UUID)" "$T/log")" -ge 2
check "e2e: the dead first NICs never asked" sh -c \
    "! grep -Eq '$A_DEAD|$B_DEAD' '$T/log'"
for h in rack01:$A_IP rack02:$B_IP; do
	vm=${h%%:*} ip=${h#*:}
	logged "e2e: $vm: pxelinux's first name, pxelinux.cfg/<uuid>, is its menu" \
	    "tftp: RRQ from $ip file pxelinux.cfg/[0-9a-f-]{36} \\(generated\\)"
	check "e2e: $vm: no other menu name was needed" sh -c \
	    "! grep -Eq 'RRQ from $ip file pxelinux.cfg/(01-|[0-9A-F]{1,8} |default)' '$T/log'"
done
if [ -n "$FAILED" ]; then
	fail "e2e-machine: second boot" "not run: the installs failed"
	exit 1
fi

# rack02's second boot: its menu again, now local, and no kernel.
lab_stop rack01
lab_stop rack02
reads=$(menu_reads $B_IP 'pxelinux.cfg/[0-9a-f-]{36}')
kernels=$(grep -c "tftp: RRQ from $B_IP file vmlinuz" "$T/log")
lab_vm rack02b bios tap1 $B_MAC "$BOUND" $B_DEAD $B_UUID
if wait_for "$BOUND" more_reads $B_IP 'pxelinux.cfg/[0-9a-f-]{36}' "$reads"; then
	pass "e2e: rack02 reads its menu again"
else
	fail "e2e: rack02 reads its menu again"
fi
sleep 10
check "e2e: rack02's second boot goes local: no kernel asked" test "$kernels" = \
    "$(grep -c "tftp: RRQ from $B_IP file vmlinuz" "$T/log")"
lab_stop rack02b
exit 0
