#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One source of truth for the release version: PCFIFO_VERSION in
# src/version.h. dkms.conf, debian/changelog, rpm/pcfifo.spec and the
# top entry of CHANGELOG must carry the same number. Prints each and exits 1
# on any mismatch (or anything it cannot parse).
#
#   tests/pkg/check-version.sh [SOURCE_DIR]     (default: the repository)

set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1

fail=0
ver_re='[0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*[0-9A-Za-z.~+]*'

want=$(sed -n 's/^#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' src/version.h 2>/dev/null)
if [ -z "$want" ]; then
	echo "check-version: FAIL: no '#define PCFIFO_VERSION \"x.y.z\"' in src/version.h" >&2
	exit 1
fi
printf '%-34s %s\n' "src/version.h PCFIFO_VERSION" "$want"

check() {	# check WHAT VALUE
	if [ "$2" = "$want" ]; then
		printf '%-34s %s\n' "$1" "$2"
	else
		printf '%-34s %s   <-- MISMATCH (want %s)\n' "$1" "${2:-<none found>}" "$want"
		fail=1
	fi
}

# dkms.conf: PACKAGE_VERSION="x.y.z" (quoted or not)
v=$(sed -n 's/^PACKAGE_VERSION=["'\'']\{0,1\}\([^"'\'']*\)["'\'']\{0,1\}[[:space:]]*$/\1/p' dkms.conf 2>/dev/null | head -n 1)
check "dkms.conf PACKAGE_VERSION" "$v"

# debian/changelog: "pcfifo (EPOCH:UPSTREAM-REVISION) dist; ..." on the first line
v=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog 2>/dev/null)
v=${v#*:}
v=${v%-*}
check "debian/changelog (upstream part)" "$v"

# rpm spec: Version: tag and the top %changelog entry "... - VERSION-RELEASE"
v=$(sed -n 's/^Version:[[:space:]]*\([^[:space:]]*\).*/\1/p' rpm/pcfifo.spec 2>/dev/null | head -n 1)
check "rpm/pcfifo.spec Version" "$v"
v=$(sed -n '/^%changelog/,${/^\*/{s/.* - \([^ ]*\)[[:space:]]*$/\1/p;q;}}' rpm/pcfifo.spec 2>/dev/null)
v=${v%-*}
check "rpm/pcfifo.spec %changelog" "$v"

# CHANGELOG: the first heading that carries a version, skipping an
# "Unreleased" section: "## [0.1.0] - 2026-11-22", "## 0.1.0", "# v0.1.0",
# "pcfifo 0.1.0 (2026-11-22)", "0.1.0 - 2026-11-22", "Version 0.1.0" ...
v=$(grep -v -i 'unreleased' CHANGELOG 2>/dev/null |
	sed -n "s/^#*[[:space:]]*\[\{0,1\}\(pcfifo[[:space:]]*\|[Vv]ersion[[:space:]]*\|[Rr]elease[[:space:]]*\)\{0,1\}[v]\{0,1\}\($ver_re\).*/\2/p" |
	head -n 1)
check "CHANGELOG (top entry)" "$v"

if [ "$fail" -ne 0 ]; then
	echo "check-version: FAIL: versions disagree; update them together with src/version.h" >&2
	exit 1
fi
echo "check-version: PASS: all carry $want"
