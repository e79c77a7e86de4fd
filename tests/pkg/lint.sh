#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Package lint (make lint-packages; step 1 of tests/pkg/e2e.sh): versions
# agree, lintian reports no error or warning on the Debian source and binary
# packages (info and pedantic tags are shown, not fatal), rpmlint reports
# nothing on the RPM, source RPM and spec with rpm/pcfifo-dkms.rpmlintrc.
# Run after `make deb rpm`.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
fail=0

tests/pkg/check-version.sh || fail=1

version=$(sed -n 's/^#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' src/version.h)
debver=$(sed -n '1{s/.*(//;s/).*//;p;}' debian/changelog)
release=$(sed -n 's/^Release:[[:space:]]*\([0-9A-Za-z.]*\).*/\1/p' rpm/pcfifo-dkms.spec)

changes=$(find build/deb -maxdepth 1 -name "pcfifo_${debver}_*.changes" 2>/dev/null | head -n 1)
if [ -z "$changes" ]; then
	echo "lint: no build/deb/pcfifo_${debver}_*.changes; run make deb" >&2
	fail=1
else
	echo "== lintian $changes"
	lintian --fail-on error,warning --display-info --pedantic "$changes" || {
		echo "lint: lintian reports errors or warnings" >&2
		fail=1
	}
fi

rpm=dist/pcfifo-dkms-$version-$release.noarch.rpm
srpm=dist/pcfifo-dkms-$version-$release.src.rpm
if [ ! -f "$rpm" ] || [ ! -f "$srpm" ]; then
	echo "lint: no $rpm or $srpm; run make rpm" >&2
	fail=1
else
	echo "== rpmlint $rpm $srpm rpm/pcfifo-dkms.spec"
	rpmlint --strict -r rpm/pcfifo-dkms.rpmlintrc "$rpm" "$srpm" rpm/pcfifo-dkms.spec || {
		echo "lint: rpmlint reports problems" >&2
		fail=1
	}
fi

[ "$fail" -eq 0 ] && echo "lint: PASS"
exit "$fail"
