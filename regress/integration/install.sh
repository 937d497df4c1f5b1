#!/bin/sh
# make install into a temporary DESTDIR: everything where a Debian admin
# looks for it, paths rewritten for the PREFIX, nothing outside DESTDIR.

. regress/lib.sh
D=$(mktemp -d /tmp/pxed-install.XXXXXX)
trap 'rm -rf "$D"' EXIT INT TERM

touch "$D/.marker"
if ! make -s install DESTDIR="$D" PREFIX=/opt/pxed SYSCONFDIR=/etc >"$D.log" 2>&1; then
	fail "make install" "$(tail -3 "$D.log")"
	rm -f "$D.log"
	exit 1
fi
rm -f "$D.log"
pass "make install DESTDIR PREFIX=/opt/pxed"
for f in opt/pxed/sbin/pxed opt/pxed/sbin/pxectl etc/init.d/pxed; do
	check "$f is installed executable" test -x "$D/$f"
done
for f in opt/pxed/share/man/man8/pxed.8 opt/pxed/share/man/man8/pxectl.8 \
    opt/pxed/share/man/man5/pxed.yaml.5 etc/pxed/pxed.yaml.sample \
    opt/pxed/lib/systemd/system/pxed.service; do
	check "$f is installed" test -f "$D/$f"
done
check "templates are installed" test -n "$(ls "$D/etc/pxed/templates")"
check "the unit runs the installed binary" grep -q '^ExecStart=/opt/pxed/sbin/pxed -d -f /etc/pxed/pxed.yaml$' "$D/opt/pxed/lib/systemd/system/pxed.service"
check "the unit checks the inventory first" grep -q '^ExecStartPre=/opt/pxed/sbin/pxed -n' "$D/opt/pxed/lib/systemd/system/pxed.service"
check "the unit reloads with HUP" grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$D/opt/pxed/lib/systemd/system/pxed.service"
check "the init script runs the installed binary" grep -q '^PXED=/opt/pxed/sbin/pxed$' "$D/etc/init.d/pxed"
check "the init script runs the installed pxectl" grep -q '^PXECTL=/opt/pxed/sbin/pxectl$' "$D/etc/init.d/pxed"
check "the installed pxed checks the sample" sh -c "cd '$D/etc/pxed' && cp pxed.yaml.sample pxed.yaml && '$D/opt/pxed/sbin/pxed' -n -f pxed.yaml"
check "the installed man pages are clean" sh -c "! command -v mandoc >/dev/null || mandoc -Tlint -Wwarning '$D'/opt/pxed/share/man/man*/* </dev/null"
# Nothing outside DESTDIR: no installed path was written at its real place.
outside=
for f in $(cd "$D" && find etc opt -type f); do
	[ "/$f" -nt "$D/.marker" ] && outside="$outside /$f"
done
check "nothing written outside DESTDIR" test -z "$outside"
check "only etc and opt under DESTDIR" test "$(ls "$D" | tr '\n' ' ')" = "etc opt "
exit 0
