#!/bin/sh
# The init script without systemd: configtest, start, status, reload,
# stop, driven for real in a namespace of its own.

. regress/lib.sh
lab_init rc	# lab_cleanup kills the pxed that etc/rc.d/pxed started
NS=pxedrc$$
mkdir -p "$T/tftp" "$T/http"
cat >"$T/pxed.yaml" <<YAML
server:
  interfaces: [pxe0]
  address: 10.77.1.2
  state: $T/state
  tftp: { root: $T/tftp }
  http: { root: $T/http }
dhcp:
  mode: off
hosts:
  node01:
    mac: 52:54:00:00:01:01
YAML
cat >"$T/defaults" <<EOF2
PXED=$PXED
PXECTL=$PXECTL
CONF=$T/pxed.yaml
SOCKET=$T/sock
EOF2
lab_up "$NS" 10.77.1.2/24 || { fail rc-lab "cannot create namespace"; exit 1; }
rc() { PXED_DEFAULTS="$T/defaults" ip netns exec "$NS" sh etc/rc.d/pxed "$@"; }

check "rc configtest" rc configtest
rc status >/dev/null 2>&1
check "rc status says not running (3)" test $? -eq 3
check "rc start" rc start
check "rc status says running (0)" rc status
check "the daemon answers pxectl" "$PXECTL" -s "$T/sock" show hosts
check "rc start again is harmless" rc start
sed -i 's/^    mac: 52:54:00:00:01:01/&\n  node02:\n    mac: 52:54:00:00:01:02/' "$T/pxed.yaml"
check "rc reload" rc reload
if wait_for 3 sh -c "'$PXECTL' -s '$T/sock' show hosts | grep -q '^node02 '"; then
	pass "the reload took effect"
else
	fail "the reload took effect"
fi
echo "hosts: [" >>"$T/pxed.yaml"
rc reload >/dev/null 2>&1
check "rc reload refuses a broken inventory" test $? -ne 0
check "rc restart refuses a broken inventory and keeps the daemon" sh -c "! PXED_DEFAULTS='$T/defaults' ip netns exec $NS sh etc/rc.d/pxed restart >/dev/null 2>&1 && '$PXECTL' -s '$T/sock' show hosts"
sed -i '$d' "$T/pxed.yaml"
check "rc stop" rc stop
rc status >/dev/null 2>&1
check "rc status after stop says not running (3)" test $? -eq 3
check "no pxed process is left" test -z "$(ip netns pids "$NS")"
exit 0
