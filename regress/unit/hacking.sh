#!/bin/sh
# HACKING.md is the map of the source: it must name every source file,
# header, test and helper the tree has (git's list, or the files on disk
# outside git), and nothing that is gone.

cd "$(dirname "$0")/../.." || exit 1
failed=0

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files --cached --others --exclude-standard \
	    'common/*.[ch]' 'master/*.[ch]' 'dhcpd/*.[ch]' 'tftpd/*.[ch]' \
	    'httpd/*.[ch]' 'pxectl/*.[ch]' 'regress/*.sh' 'regress/*.c' \
	    'regress/*.h' 'regress/*.py' | grep -v '^regress/fuzz/corpus/')
else
	files=$(find common master dhcpd tftpd httpd pxectl regress \
	    \( -name '*.[ch]' -o -name '*.sh' -o -name '*.py' \) \
	    -not -path 'regress/fuzz/corpus/*' -not -path 'regress/e2e/cache/*')
fi
n=0
for f in $files; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if ! grep -qF "\`$f\`" HACKING.md; then
		echo "FAIL: HACKING.md names $f: it does not"
		failed=1
	fi
done
for f in $(grep -o '`[a-z]*/[a-zA-Z0-9_/.-]*\.[chpys]*`' HACKING.md | tr -d '`' | sort -u); do
	if [ ! -f "$f" ]; then
		echo "FAIL: HACKING.md names $f: no such file"
		failed=1
	fi
done
[ "$failed" -eq 0 ] && echo "PASS: HACKING.md names all $n source files, and only files that exist"
exit 0
