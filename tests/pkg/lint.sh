#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Package lint (make lint-packages; step 1 of tests/pkg/e2e.sh):
#   - versions agree (check-version.sh);
#   - licenses: every SPDX-License-Identifier in the release tarball is
#     GPL-2.0, the one license debian/copyright and the spec's License name;
#   - lintian --pedantic --display-info reports nothing on the Debian source
#     and binary packages (any tag fails), and each override in
#     debian/**/lintian-overrides has a comment above it saying why;
#   - rpmlint --strict (warnings fail too) reports nothing on the RPMs
#     (pcfifo-dkms, pcfifo-utils), the source RPM and the spec, with
#     rpm/rpmlint.toml and rpm/pcfifo.rpmlintrc.
# Run after `make deb rpm`.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
fail=0

tests/pkg/check-version.sh || fail=1

version=$(sed -n 's/^#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' src/version.h)
debver=$(sed -n '1{s/.*(//;s/).*//;p;}' debian/changelog)
release=$(sed -n 's/^Release:[[:space:]]*\([0-9A-Za-z.]*\).*/\1/p' rpm/pcfifo.spec)

tarball=dist/pcfifo-$version.tar.gz
if [ ! -f "$tarball" ]; then
	echo "lint: no $tarball; run make dist" >&2
	fail=1
else
	echo "== licenses in $tarball"
	tmp=$(mktemp -d)
	tar -C "$tmp" -xzf "$tarball"
	# "FILE: EXPRESSION" for every SPDX header line (after a comment
	# leader); an expression other than GPL-2.0(-only), or the uapi
	# header's GPL-2.0 WITH Linux-syscall-note (its own stanza), fails
	spdx='^[[:space:]]*(#|//|/[*]|[*]|--|;|[.][.])[[:space:]]*SPDX-License-Identifier:'
	other=$(grep -r -E "$spdx" "$tmp" |
		sed -E "s|^$tmp/[^/]*/||; s|:.*SPDX-License-Identifier:[[:space:]]*|: |; s|[[:space:]]*([*]/)?[[:space:]]*\$||" |
		grep -v -E ': GPL-2[.]0(-only)?( WITH Linux-syscall-note)?$')
	n=$(find "$tmp" -type f | wc -l)
	tagged=$(grep -r -l -E "$spdx" "$tmp" | wc -l)
	rm -rf "$tmp"
	if [ -n "$other" ]; then
		echo "$other"
		echo "lint: files under another license: give them a stanza in debian/copyright and the spec's License" >&2
		fail=1
	else
		echo "$tagged of $n files carry SPDX-License-Identifier: GPL-2.0 (the uapi header WITH Linux-syscall-note); the rest fall under debian/copyright's Files: *"
	fi
fi

echo "== lintian overrides have a comment"
for f in debian/*lintian-overrides debian/source/lintian-overrides; do
	[ -f "$f" ] || continue
	awk -v f="$f" '/^[[:space:]]*$/ { prev = ""; next }
		/^#/ { prev = "#"; next }
		prev != "#" { print f ":" NR ": no comment above: " $0; bad = 1 }
		{ prev = "x" }
		END { exit bad }' "$f" || fail=1
done

changes=$(find build/deb -maxdepth 1 -name "pcfifo_${debver}_*.changes" 2>/dev/null | head -n 1)
if [ -z "$changes" ]; then
	echo "lint: no build/deb/pcfifo_${debver}_*.changes; run make deb" >&2
	fail=1
else
	echo "== lintian $changes"
	lintian --fail-on error,warning,info,pedantic --display-info --pedantic "$changes" || {
		echo "lint: lintian reports tags" >&2
		fail=1
	}
fi

rpm=dist/pcfifo-dkms-$version-$release.noarch.rpm
rpmu=dist/pcfifo-utils-$version-$release.$(uname -m).rpm
srpm=dist/pcfifo-$version-$release.src.rpm
if [ ! -f "$rpm" ] || [ ! -f "$rpmu" ] || [ ! -f "$srpm" ]; then
	echo "lint: no $rpm, $rpmu or $srpm; run make rpm" >&2
	fail=1
else
	echo "== rpmlint $rpm $rpmu $srpm rpm/pcfifo.spec"
	rpmlint --strict -c rpm/rpmlint.toml -r rpm/pcfifo.rpmlintrc \
		"$rpm" "$rpmu" "$srpm" rpm/pcfifo.spec || {
		echo "lint: rpmlint reports problems" >&2
		fail=1
	}
fi

[ "$fail" -eq 0 ] && echo "lint: PASS"
exit "$fail"
