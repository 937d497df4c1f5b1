#!/bin/sh
# make bench: a placeholder until the workers serve traffic.

cat <<'TEXT'
pxed bench: not available yet.

The benchmarks run pxed side by side with the reference servers (DHCP,
TFTP and HTTP) on this machine and write the ratios to BENCHMARKS.md.
They arrive with the DHCP, TFTP and HTTP worker work.
TEXT
exit 0
