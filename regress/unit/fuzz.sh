#!/bin/sh
# make check runs every fuzz harness briefly (make fuzz runs them longer).
if ! command -v clang >/dev/null 2>&1; then
	echo "SKIP: fuzz: clang not installed"
	exit 0
fi
exec sh regress/fuzz/run.sh "${FUZZ_CHECK_SECONDS:-5}"
