#!/bin/sh
# make demo: a placeholder until the QEMU lab lands with the end-to-end
# firmware work.  It says what the demo will do and exits 0.

cat <<'TEXT'
pxed demo: not available yet.

When it lands, "make demo", run as root on a fresh Debian 12 machine, will:
  1. build pxed and pxectl;
  2. bring up a private lab network namespace with a tap device;
  3. start pxed on the sample inventory (etc/pxed.yaml) inside it;
  4. PXE-boot two QEMU machines, one BIOS (SeaBIOS + iPXE) and one UEFI
     (OVMF), through pxelinux and GRUB into a tiny installer that fetches
     its kickstart and reports done;
  5. show each machine's progress live on the terminal, until both hosts
     read "installed" (state local) in "pxectl show hosts".

It arrives with the firmware end-to-end work; until then "make check"
exercises what is built.
TEXT
exit 0
