#!/bin/sh
# The Debian packages that building pxed and make check need: the one
# list, used by .ci/run and by make check.  As root, installs whichever
# are missing; otherwise names them and carries on, and the tests that
# need them skip or fail on their own.
#
#	sh regress/deps.sh		install what is missing
#	sh regress/deps.sh -l		print the list

PACKAGES="build-essential pkg-config libbsd-dev libsodium-dev libyaml-dev
iproute2 procps curl wget mandoc python3 valgrind clang libclang-rt-14-dev
wrk nginx-light netcat-openbsd
isc-dhcp-client udhcpc dnsmasq kea-dhcp4-server kea-admin
isc-dhcp-relay wide-dhcpv6-client ndisc6
atftp tftp-hpa tftpd-hpa
qemu-system-x86 ipxe-qemu ovmf pxelinux syslinux-common grub-efi-amd64-bin
grub-common cpio gnuplot-nox shim-signed grub-efi-amd64-signed
debian-installer-12-netboot-amd64 qemu-system-arm qemu-efi-aarch64"

if [ "${1:-}" = "-l" ]; then
	# shellcheck disable=SC2086	# one line, words split
	echo $PACKAGES
	exit 0
fi

missing=
for p in $PACKAGES; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done
missing=${missing# }

[ -n "$missing" ] || exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages (install them as root): $missing"
	exit 0
fi

echo "deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
# A stale list is still worth trying; the install below decides.
apt-get update || echo "deps: apt-get update failed, trying the install anyway"
# shellcheck disable=SC2086	# one word per package
apt-get install -y --no-install-recommends $missing || exit 1
