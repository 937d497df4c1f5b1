# The QEMU lab for the real-firmware tests, sourced by regress/e2e/*.sh
# from the repository root: lab assets built from Debian packages into a
# git-ignored cache, a network namespace with a bridge, tap devices for
# the machines, QEMU started under a time bound, serial-log markers.
#
#	lab_build			assets into $LAB_CACHE (idempotent)
#	lab_net_up NS ADDR/PREFIX	namespaces NS (server, port pxe0) and
#					NSb (bridge, taps, QEMU)
#	lab_port NAME ADDR/PREFIX [NS2]	another port on the bridge (in NS2)
#	lab_tap TAP			a tap device on the bridge
#	lab_tftp_copy DIR [FROM]	a private copy of the TFTP root
#	lab_grub_fixed DIR ADDR		a GRUB image for ProxyDHCP (see there)
#	lab_build_arm64			the ARM64 assets into $LAB_ARM64
#	lab_uki OUT CMDLINE		a unified kernel image of the installer
#	lab_vm NAME FIRMWARE TAP MAC SECONDS [DEADMAC [UUID]]
#					FIRMWARE: bios, uefi, uefi-ipxe, uefi-sb,
#					uefi-http, uefi-sb-http, arm64, arm64-http
#					(memory: $LAB_MEM MiB, default 512)
#	lab_wait NAME MARKER SECONDS	wait for a serial marker; tail on failure
#	lab_down			stop the machines, delete the namespaces
#
# The tiny installer prints "PXED-E2E: <event>" lines on ttyS0: init,
# ip <addr>, kickstart <bytes>, ks-line <the kickstart's first line>,
# done, or "FAILED <what>" before it powers off.  Its kernel
# command line carries ks=URL and done=URL.

LAB_TOP=${LAB_TOP:-$PWD}
LAB_CACHE=${LAB_CACHE:-$LAB_TOP/regress/e2e/cache}
LAB_TFTP=$LAB_CACHE/tftp
LAB_OVMF=${LAB_OVMF:-/usr/share/OVMF}
LAB_AAVMF=${LAB_AAVMF:-/usr/share/AAVMF}
LAB_ARM64=$LAB_CACHE/arm64
LAB_BR=labbr0
# Loaded in this order by the installer's /init.
LAB_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
virtio_pci failover net_failover virtio_net"
LAB_NS=
LAB_BRNS=
LAB_NS2=
LAB_RUN=
LAB_VMS=

lab_log() { echo "lab: $*" >&2; }

# lab_missing: the lab's tools that are not installed, one line; empty when
# everything is there.
lab_missing() {
	_m=
	for _f in /usr/bin/qemu-system-x86_64 /usr/bin/grub-mknetdir \
	    /usr/lib/PXELINUX/pxelinux.0 \
	    /usr/lib/syslinux/modules/bios/ldlinux.c32 \
	    /usr/lib/grub/x86_64-efi/linux.mod \
	    "$LAB_OVMF/OVMF_CODE_4M.fd" "$LAB_OVMF/OVMF_VARS_4M.fd" \
	    /usr/bin/cpio /usr/bin/dpkg-deb /usr/bin/apt-get; do
		[ -e "$_f" ] || _m="$_m $_f"
	done
	echo "${_m# }"
}

# lab_fetch PACKAGE[:ARCH] DIR: deb_fetch into the lab's cache.
lab_fetch() { DEB_CACHE=$LAB_CACHE deb_fetch "$@"; }

# lab_kernel_pkg [ARCH]: the kernel package that linux-image-ARCH depends on.
lab_kernel_pkg() {
	set -- "${1:-amd64}"
	DEB_CACHE=$LAB_CACHE deb_apt "$1" cache depends "linux-image-$1" \
	    2>/dev/null |
	    awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

lab_build() {
	_miss=$(lab_missing)
	if [ -n "$_miss" ]; then
		lab_log "missing: $_miss (sh regress/deps.sh installs them)"
		return 1
	fi
	mkdir -p "$LAB_CACHE" "$LAB_TFTP"
	_kpkg=$(cat "$LAB_CACHE/kernel.pkg" 2>/dev/null)
	if [ -z "$_kpkg" ] || [ ! -d "$LAB_CACHE/kernel/lib/modules" ]; then
		_kpkg=$(lab_kernel_pkg)
		[ -n "$_kpkg" ] || { lab_log "no kernel package"; return 1; }
		lab_fetch "$_kpkg" "$LAB_CACHE/kernel" || return 1
		echo "$_kpkg" >"$LAB_CACHE/kernel.pkg"
	fi
	if [ ! -x "$LAB_CACHE/busybox/bin/busybox" ]; then
		lab_fetch busybox-static "$LAB_CACHE/busybox" || return 1
	fi
	lab_tftp_root || return 1
	# The installer is rebuilt whenever this file changes.
	_sum=$(cksum <"$LAB_TOP/regress/e2e/lab.sh")
	if [ ! -s "$LAB_TFTP/initrd.gz" ] ||
	    [ "$(cat "$LAB_CACHE/initrd.sum" 2>/dev/null)" != "$_sum" ]; then
		lab_initrd "$LAB_CACHE/kernel" "$LAB_CACHE/busybox" \
		    "$LAB_TFTP/initrd.gz" || return 1
		echo "$_sum" >"$LAB_CACHE/initrd.sum"
	fi
}

# lab_build_arm64: after lab_build, the ARM64 machines' TFTP root
# $LAB_ARM64 (idempotent): the GRUB netdir for arm64-efi (loader
# grub/arm64-efi/core.efi), a GRUB image for HTTP boot
# (grub/grubaa64-http.efi), Debian's arm64 kernel (vmlinuz, an
# uncompressed EFI-stub Image) and the tiny installer for it.  The arm64
# packages are downloaded and unpacked, not installed.
lab_build_arm64() {
	for _f in /usr/bin/qemu-system-aarch64 "$LAB_AAVMF/AAVMF_CODE.fd" \
	    "$LAB_AAVMF/AAVMF_VARS.fd"; do
		[ -e "$_f" ] || { lab_log "missing: $_f"; return 1; }
	done
	_p=$LAB_CACHE/arm64-pkgs
	mkdir -p "$_p" "$LAB_ARM64"
	if [ ! -d "$_p/kernel/lib/modules" ]; then
		_kpkg=$(lab_kernel_pkg arm64)
		[ -n "$_kpkg" ] || { lab_log "no arm64 kernel package"; return 1; }
		lab_fetch "$_kpkg:arm64" "$_p/kernel" || return 1
	fi
	if [ ! -x "$_p/busybox/bin/busybox" ]; then
		lab_fetch busybox-static:arm64 "$_p/busybox" || return 1
	fi
	if [ ! -d "$_p/grub/usr/lib/grub/arm64-efi" ]; then
		lab_fetch grub-efi-arm64-bin:arm64 "$_p/grub" || return 1
	fi
	_g=$_p/grub/usr/lib/grub/arm64-efi
	if [ ! -f "$LAB_ARM64/grub/arm64-efi/core.efi" ]; then
		grub-mknetdir --net-directory="$LAB_ARM64" --subdir=grub \
		    -d "$_g" >/dev/null 2>&1 ||
		    { lab_log "grub-mknetdir (arm64) failed"; return 1; }
	fi
	if [ ! -f "$LAB_ARM64/grub/grubaa64-http.efi" ]; then
		grub-mkimage -d "$_g" -O arm64-efi -p /grub \
		    -o "$LAB_ARM64/grub/grubaa64-http.efi" \
		    efinet http tftp normal linux minicmd echo test ||
		    { lab_log "grub-mkimage (arm64) failed"; return 1; }
	fi
	set -- "$_p"/kernel/boot/vmlinuz-*
	[ -f "$1" ] || { lab_log "no vmlinuz in the arm64 kernel"; return 1; }
	cp "$1" "$LAB_ARM64/vmlinuz"
	_sum=$(cksum <"$LAB_TOP/regress/e2e/lab.sh")
	if [ ! -s "$LAB_ARM64/initrd.gz" ] ||
	    [ "$(cat "$_p/initrd.sum" 2>/dev/null)" != "$_sum" ]; then
		lab_initrd "$_p/kernel" "$_p/busybox" "$LAB_ARM64/initrd.gz" ||
		    return 1
		echo "$_sum" >"$_p/initrd.sum"
	fi
}

# The TFTP root: pxelinux, the GRUB netdir, the kernel.  Menus and the
# initrd are added by lab_initrd and by the tests.
lab_tftp_root() {
	cp /usr/lib/PXELINUX/pxelinux.0 /usr/lib/syslinux/modules/bios/ldlinux.c32 \
	    "$LAB_TFTP/" || return 1
	if [ ! -f "$LAB_TFTP/grub/x86_64-efi/core.efi" ]; then
		grub-mknetdir --net-directory="$LAB_TFTP" --subdir=grub \
		    -d /usr/lib/grub/x86_64-efi >/dev/null 2>&1 ||
		    { lab_log "grub-mknetdir failed"; return 1; }
	fi
	set -- "$LAB_CACHE"/kernel/boot/vmlinuz-*
	[ -f "$1" ] || { lab_log "no vmlinuz in the kernel package"; return 1; }
	cp "$1" "$LAB_TFTP/vmlinuz"
}

# lab_initrd KERNEL BUSYBOX OUT: the tiny installer, from the unpacked
# kernel and busybox-static packages: busybox, the kernel's virtio
# modules (those it has: the arm64 kernel has virtio built in), /init.
# The applets are listed by this machine's busybox (same version).
lab_initrd() {
	_r=$LAB_CACHE/initrd.root
	rm -rf "$_r"
	mkdir -p "$_r/bin" "$_r/sbin" "$_r/etc" "$_r/lib/modules" "$_r/proc" \
	    "$_r/sys" "$_r/dev" "$_r/tmp"
	cp "$2/bin/busybox" "$_r/bin/busybox"
	for _a in $("$LAB_CACHE/busybox/bin/busybox" --list); do
		[ "$_a" = busybox ] || ln -s busybox "$_r/bin/$_a"
	done
	mknod -m 600 "$_r/dev/console" c 5 1 2>/dev/null
	for _m in $LAB_MODULES; do
		_f=$(find "$1/lib/modules" \( -name "$_m.ko" -o \
		    -name "$_m.ko.xz" -o -name "$_m.ko.zst" \) | head -n 1)
		case $_f in
		*.ko)	cp "$_f" "$_r/lib/modules/$_m.ko" ;;
		*.xz)	xz -dc "$_f" >"$_r/lib/modules/$_m.ko" ;;
		*.zst)	zstd -qdc "$_f" >"$_r/lib/modules/$_m.ko" ;;
		*)	grep -q "/$_m.ko\$" "$1"/lib/modules/*/modules.builtin ||
			    { lab_log "module $_m not in the kernel"; return 1; } ;;
		esac || return 1
	done
	lab_init_script >"$_r/init"
	lab_udhcpc_script >"$_r/etc/udhcpc.script"
	chmod 755 "$_r/init" "$_r/etc/udhcpc.script"
	(cd "$_r" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -9) \
	    >"$3.new" || return 1
	mv "$3.new" "$3"
}

lab_init_script() {
	cat <<'INIT'
#!/bin/sh
# The pxed e2e installer: network up, fetch the kickstart, report done.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
say() { echo "PXED-E2E: $*"; }
bye() { [ -n "$1" ] && say "FAILED $1"; sync; poweroff -f; }
say init
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
    virtio_pci failover net_failover virtio_net; do
	# Absent: built into the kernel.
	[ -f /lib/modules/$m.ko ] || continue
	insmod /lib/modules/$m.ko || bye "insmod $m"
done
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 0.5
# The NIC that booted: BOOTIF=01-<mac> (pxelinux's IPAPPEND 2), else eth0.
nic=eth0
for a in $(cat /proc/cmdline); do
	case $a in
	BOOTIF=01-*)
		mac=$(echo "${a#BOOTIF=01-}" | tr 'A-F-' 'a-f:')
		for d in /sys/class/net/*; do
			[ "$(cat "$d/address")" = "$mac" ] && nic=${d##*/}
		done
		;;
	esac
done
say "nic $nic"
ip link set lo up
ip link set "$nic" up || bye "no $nic"
# ip6=ADDR (an IPv6 boot, {{ip6}} of the menu): that address, no DHCP.
ip6=
for a in $(cat /proc/cmdline); do
	case $a in ip6=?*) ip6=${a#ip6=} ;; esac
done
if [ -n "$ip6" ]; then
	# No duplicate address detection (busybox ip has no nodad).
	echo 0 >"/proc/sys/net/ipv6/conf/$nic/accept_dad"
	ip -6 addr add "$ip6/64" dev "$nic" || bye "ip6 $ip6"
	say "ip6 $ip6"
else
	udhcpc -i "$nic" -s /etc/udhcpc.script -q -n -t 10 -T 2 \
	    >/tmp/udhcpc.log 2>&1 || { cat /tmp/udhcpc.log; bye dhcp; }
	say "ip $(ip -4 -o addr show dev "$nic" | awk '{ print $4 }')"
fi
ks= done_url=
for a in $(cat /proc/cmdline); do
	case $a in
	ks=*)	ks=${a#ks=} ;;
	done=*)	done_url=${a#done=} ;;
	esac
done
[ -n "$ks" ] || bye "no ks= on the command line"
wget -q -O /tmp/ks "$ks" || bye "kickstart $ks"
say "kickstart $(wc -c </tmp/ks)"
say "ks-line $(head -n 1 /tmp/ks | sed 's/[^ -~]//g' | cut -c 1-100)"
[ -n "$done_url" ] || bye "no done= on the command line"
wget -q -O /tmp/done "$done_url" || bye "done $done_url"
say done
bye
INIT
}

lab_udhcpc_script() {
	cat <<'SCRIPT'
#!/bin/sh
# udhcpc hook: configure the leased address and the default route.
case $1 in
deconfig)
	ip -4 addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound|renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	for r in $router; do ip route add default via "$r"; break; done
	;;
esac
exit 0
SCRIPT
}

# lab_net_up NS ADDR/PREFIX: namespace NS for the server, with its port
# pxe0 (ADDR) on bridge labbr0, which lives with the machines' taps and
# QEMU in a namespace of its own, NSb.  Were the bridge in NS, NS would
# answer ARP on it too (arp_ignore 0) and a client could reach ADDR
# through labbr0, missing sockets bound to pxe0.  Also makes the run
# directory.
lab_net_up() {
	LAB_NS=$1
	LAB_BRNS=${1}b
	LAB_RUN=$(mktemp -d /tmp/pxed-lab.XXXXXX) || return 1
	chmod 755 "$LAB_RUN"
	ip netns add "$LAB_BRNS" || return 1
	ip netns add "$LAB_NS" || return 1
	ip -n "$LAB_NS" link set lo up
	ip -n "$LAB_BRNS" link set lo up
	ip -n "$LAB_BRNS" link add "$LAB_BR" type bridge stp_state 0 \
	    forward_delay 0 || return 1
	ip -n "$LAB_BRNS" link set "$LAB_BR" up
	lab_port pxe0 "$2"
}

# lab_port NAME ADDR/PREFIX [NS2]: a veth port NAME with ADDR on the
# bridge, in the server's namespace or, with NS2, in namespace NS2 (made
# here), e.g. for a DHCP server beside pxed.
lab_port() {
	ip -n "$LAB_BRNS" link add "$1" type veth peer name "${1}br" ||
	    return 1
	ip -n "$LAB_BRNS" link set "${1}br" master "$LAB_BR" up
	set -- "$1" "$2" "${3:-$LAB_NS}"
	if [ "$3" != "$LAB_NS" ]; then
		ip netns add "$3" || return 1
		LAB_NS2="$LAB_NS2 $3"
		ip -n "$3" link set lo up
	fi
	ip -n "$LAB_BRNS" link set "$1" netns "$3" || return 1
	ip -n "$3" addr add "$2" dev "$1"
	ip -n "$3" link set "$1" up
}

# lab_tftp_copy DIR [FROM]: a private TFTP root for one run (a copy of
# FROM, by default $LAB_TFTP), hard links
# into the cache where the file system allows (a chrooted server cannot
# follow symbolic links out of its root).
lab_tftp_copy() {
	set -- "$1" "${2:-$LAB_TFTP}"
	mkdir -p "$1" || return 1
	cp -al "$2/." "$1/" 2>/dev/null || cp -a "$2/." "$1/"
}

# lab_grub_fixed DIR ADDR: DIR/grub/x86_64-efi/core-ADDR.efi, the GRUB
# netdir's image with its prefix on the TFTP server ADDR.  GRUB 2.06
# configures itself from the DHCP ACK alone, so behind a ProxyDHCP it
# would ask the address server (its siaddr) for its modules and menus.
lab_grub_fixed() {
	grub-mkimage -d /usr/lib/grub/x86_64-efi -O x86_64-efi \
	    -p "(tftp,$2)/grub" -o "$1/grub/x86_64-efi/core-$2.efi" tftp efinet
}

# lab_uki OUT CMDLINE: a unified kernel image of the lab's kernel and
# tiny installer with CMDLINE, on systemd-stub (systemd-boot-efi,
# downloaded and unpacked): one .efi that UEFI HTTP boot fetches whole.
lab_uki() {
	_stub=$LAB_CACHE/sdboot/usr/lib/systemd/boot/efi/linuxx64.efi.stub
	if [ ! -f "$_stub" ]; then
		lab_fetch systemd-boot-efi "$LAB_CACHE/sdboot" || return 1
	fi
	mkdir -p "$(dirname "$1")"
	printf '%s' "$2" >"$1.cmdline"
	printf 'NAME=pxed-e2e\n' >"$1.osrel"
	objcopy --add-section .osrel="$1.osrel" \
	    --change-section-vma .osrel=0x20000 \
	    --add-section .cmdline="$1.cmdline" \
	    --change-section-vma .cmdline=0x30000 \
	    --add-section .linux="$LAB_TFTP/vmlinuz" \
	    --change-section-vma .linux=0x2000000 \
	    --add-section .initrd="$LAB_TFTP/initrd.gz" \
	    --change-section-vma .initrd=0x3000000 "$_stub" "$1"
	_rc=$?
	rm -f "$1.cmdline" "$1.osrel"
	return $_rc
}

# lab_tap TAP: a tap device for one machine, on the bridge.
lab_tap() {
	ip -n "$LAB_BRNS" tuntap add dev "$1" mode tap || return 1
	ip -n "$LAB_BRNS" link set "$1" master "$LAB_BR" up
}

# lab_vm NAME FIRMWARE TAP MAC SECONDS: start a machine in the
# background; its serial console goes to $LAB_RUN/NAME.serial.  QEMU is
# killed after SECONDS.  FIRMWARE: bios (SeaBIOS, the NIC's iPXE ROM:
# option 77 "iPXE", arch 0), uefi (OVMF's own PXE client: arch 7, no
# option 77), uefi-ipxe (OVMF with the NIC's iPXE EFI ROM: arch 7 and
# option 77 "iPXE"), uefi-sb (Secure Boot enforced, Microsoft's keys),
# arm64 (AAVMF on QEMU's virt machine: arch 11); with -http (uefi-http,
# uefi-sb-http, arm64-http) the PXE boot options are off and the machine
# HTTP-boots (arch 16, 19); uefi6 boots PXE over IPv6 only (arch 7).  Optional: DEADMAC, a first NIC with that MAC, no
# boot ROM and no cable (a hub port of its own), so that the firmware
# boots from the second, TAP's; UUID, the SMBIOS system UUID.
lab_vm() {
	_nic0=
	[ -n "${6:-}" ] && _nic0="-netdev hubport,id=n9,hubid=9
-device virtio-net-pci,netdev=n9,mac=$6,romfile="
	[ -n "${7:-}" ] && _nic0="$_nic0
-smbios type=1,uuid=$7"
	set -- "$1" "$2" "$3" "$4" "$5" "$LAB_RUN/$1"
	: >"$6.serial"
	_fw=
	_rom=
	_qemu=qemu-system-x86_64
	case $2 in
	bios)	;;
	arm64|arm64-http)
		# AAVMF (EDK2 for ARM) on QEMU's virt machine: its own PXE and
		# HTTP boot clients, arch 11 and 19.
		cp "$LAB_AAVMF/AAVMF_VARS.fd" "$6.vars"
		_qemu=qemu-system-aarch64
		_fw="-machine virt -cpu max
-drive if=pflash,format=raw,unit=0,readonly=on,file=$LAB_AAVMF/AAVMF_CODE.fd
-drive if=pflash,format=raw,unit=1,file=$6.vars"
		_rom=,romfile=
		;;
	uefi|uefi-ipxe|uefi-http|uefi6)
		cp "$LAB_OVMF/OVMF_VARS_4M.fd" "$6.vars"
		_fw="-drive if=pflash,format=raw,unit=0,readonly=on,file=$LAB_OVMF/OVMF_CODE_4M.fd
-drive if=pflash,format=raw,unit=1,file=$6.vars"
		# Without the NIC's iPXE ROM, OVMF's own PXE client boots.
		[ "$2" != uefi-ipxe ] && _rom=,romfile=
		;;
	uefi-sb|uefi-sb-http)
		# Microsoft's keys enrolled, Secure Boot enforced; OVMF's own
		# PXE (QEMU's 2019 iPXE ROM does not give shim the file size).
		cp "$LAB_OVMF/OVMF_VARS_4M.ms.fd" "$6.vars"
		_fw="-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
-drive if=pflash,format=raw,unit=0,readonly=on,file=$LAB_OVMF/OVMF_CODE_4M.ms.fd
-drive if=pflash,format=raw,unit=1,file=$6.vars"
		_rom=,romfile=
		;;
	*)	lab_log "lab_vm: unknown firmware $2"; return 1 ;;
	esac
	# HTTP boot: no PXE boot options, so that OVMF tries HTTP at about
	# 8 s instead of after two minutes of PXE time-outs.
	# uefi6: PXE over IPv6 only (no 60 s of PXEv4 time-outs first).
	case $2 in
	uefi6)	_fw="$_fw
-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no" ;;
	*-http)	_fw="$_fw
-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no
-fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=no" ;;
	esac
	# shellcheck disable=SC2086	# _fw, _nic0: options or none
	ip netns exec "$LAB_BRNS" timeout -k 5 "$5" "$_qemu" \
	    -name "$1" -accel tcg -m "${LAB_MEM:-512}" -nographic -no-reboot -boot n \
	    -monitor none $_fw $_nic0 \
	    -netdev "tap,id=n0,ifname=$3,script=no,downscript=no" \
	    -device "virtio-net-pci,netdev=n0,mac=$4$_rom" \
	    -serial "file:$6.serial" </dev/null >"$6.qemu" 2>&1 &
	echo $! >"$6.pid"
	date +%s%N >"$6.start"
	LAB_VMS="$LAB_VMS $1"
}

# lab_alive NAME: its QEMU still runs.
lab_alive() { kill -0 "$(cat "$LAB_RUN/$1.pid")" 2>/dev/null; }

# lab_elapsed NAME: seconds since the machine started, one decimal.
lab_elapsed() {
	echo "$(date +%s%N) $(cat "$LAB_RUN/$1.start")" |
	    awk '{ printf "%.1f", ($1 - $2) / 1e9 }'
}

# lab_took NAME: seconds from the machine's start to its last serial
# output, one decimal: after the installer powered off, how long it took.
lab_took() {
	echo "$(date -r "$LAB_RUN/$1.serial" +%s%N) $(cat "$LAB_RUN/$1.start")" |
	    awk '{ printf "%.1f", ($1 - $2) / 1e9 }'
}

# lab_serial NAME: the serial log without carriage returns and escapes.
lab_serial() {
	tr -d '\r' <"$LAB_RUN/$1.serial" |
	    sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g'
}

# lab_dead_end NAME: the machine can no longer get anywhere: the
# installer failed, SeaBIOS ran out of boot devices, or OVMF ran out of
# boot options and opened its setup menu (UiApp).
lab_dead_end() {
	grep -Eq 'PXED-E2E: FAILED|No bootable device|"UiApp"' \
	    "$LAB_RUN/$1.serial"
}

# lab_wait NAME MARKER SECONDS: wait until MARKER (a fixed string) is on
# the serial console.  Fails early at a dead end or when QEMU exits;
# prints the serial tail then.
lab_wait() {
	_t=$(($3 * 5))
	while [ "$_t" -gt 0 ]; do
		grep -qF "$2" "$LAB_RUN/$1.serial" && return 0
		lab_dead_end "$1" && break
		lab_alive "$1" || { sleep 0.5; grep -qF "$2" \
		    "$LAB_RUN/$1.serial" && return 0; break; }
		sleep 0.2
		_t=$((_t - 1))
	done
	lab_tail "$1" "no '$2' after $(lab_elapsed "$1") s"
	return 1
}

# lab_tail NAME WHY: the end of a machine's serial log, on stderr.
lab_tail() {
	{
		echo "--- $1: $2; serial tail:"
		lab_serial "$1" | grep -v '^[[:space:]]*$' | tail -n 40 |
		    sed 's/^/  | /'
		[ -s "$LAB_RUN/$1.qemu" ] && sed 's/^/  qemu: /' "$LAB_RUN/$1.qemu"
	} >&2
}

# lab_stop NAME: stop one machine.
lab_stop() {
	_p=$(cat "$LAB_RUN/$1.pid" 2>/dev/null)
	[ -n "$_p" ] || return 0
	# timeout(1) passes the signal on to QEMU.
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	rm -f "$LAB_RUN/$1.pid"
}

lab_down() {
	for _v in $LAB_VMS; do lab_stop "$_v"; done
	LAB_VMS=
	for _n in $LAB_NS2 $LAB_NS $LAB_BRNS; do
		ip netns del "$_n" 2>/dev/null
	done
	LAB_NS=''
	LAB_BRNS=''
	LAB_NS2=''
	[ -n "$LAB_RUN" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$LAB_RUN"
	LAB_RUN=
}
