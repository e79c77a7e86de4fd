#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own test of the .deb (make check-autopkgtest): debian/control
# declares "Testsuite: autopkgtest-pkg-dkms", so autodep8 generates the test
# /usr/lib/dkms/dkms-autopkgtest (Depends: dkms, linux-doc; needs-root,
# breaks-testbed, superficial). It reinstalls pcfifo-dkms, builds and
# installs the modules with DKMS for every kernel whose headers are
# installed (bookworm's 6.1 here) and checks `dkms status`.
#
#   1. make deb: the source package (build/deb/*.dsc) and the .deb
#   2. the bookworm root of tests/pkg/e2e.sh (same cached tarball)
#   3. autopkgtest and autodep8 installed in the root
#   4. autopkgtest SOURCE.dsc BINARY.deb -- null, run in the root (chroot)
#
# Why the null virt server in a chroot: autopkgtest-virt-unshare (bookworm's
# 5.28 has it) maps users with `unshare --map-auto`, which needs an
# /etc/subuid range for the calling user and newuidmap; root on a CI machine
# has neither. The null server runs the test where autopkgtest runs, so
# autopkgtest runs inside the throw-away root, as root, in a private mount
# namespace; --ignore-restrictions=breaks-testbed because the whole root is
# deleted afterwards.
#
# Needs root. The root, its cache and the mounts are tests/pkg/lib.sh's (its
# header lists the environment). autopkgtest's output directory is copied
# to $WORK/logs/autopkgtest/.
#
# Environment:
#   PCFIFO_PKG_WORK         scratch dir (default build/pkg-autopkgtest)

set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh" autopkgtest "$@"

DSC=$top/build/deb/pcfifo_$DEB_VERSION.dsc
IN=/tmp/pcfifo-autopkgtest	# in the root

step_build() {
	make -C "$top" deb || return 1
	ls -l "$DSC" "$DEB"
}

step_tools() {
	in_root "${APT_INSTALL[@]}" autopkgtest autodep8 || return 1
	in_root dpkg-query -W autopkgtest autodep8
}

step_autopkgtest() {
	local rc
	rm -rf "${ROOT:?}$IN" && mkdir -p "$ROOT$IN" || return 1
	# the source package (.dsc and the files it lists) and the binary package
	cp "$DSC" "${DSC%.dsc}.debian.tar.xz" "$top/build/deb/pcfifo_$VERSION.orig.tar.gz" \
		"$DEB" "$ROOT$IN/" || return 1
	ls -l "$ROOT$IN"
	timeout 1200 chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		autopkgtest --output-dir "$IN/out" --ignore-restrictions=breaks-testbed \
		"$IN/${DSC##*/}" "$IN/${DEB##*/}" -- null
	rc=$?
	rm -rf "$LOGS/autopkgtest" && cp -r "$ROOT$IN/out" "$LOGS/autopkgtest" 2>/dev/null
	echo "autopkgtest exit status $rc; summary:"
	cat "$LOGS/autopkgtest/summary" 2>/dev/null
	# 0: all passed; 8: no non-superficial test ran, which is what a package
	# whose only test is the (superficial) generated one gets when it passes.
	# Every line of the summary must be a PASS, dkms-autopkgtest's among them.
	case $rc in 0 | 8) ;; *) die "autopkgtest exit status $rc"; return 1 ;; esac
	grep -Eq '^dkms-autopkgtest +PASS' "$LOGS/autopkgtest/summary" ||
		{ die "no PASS of dkms-autopkgtest in the summary"; return 1; }
	! grep -Ev '^[^ ]+ +PASS' "$LOGS/autopkgtest/summary" ||
		{ die "a test did not pass"; return 1; }
	grep -q "^I: PASS $K61\$" "$LOGS/autopkgtest/log" ||
		{ die "dkms-autopkgtest did not build for $K61"; return 1; }
}

# ---- run ------------------------------------------------------------------------
echo "pcfifo $VERSION autopkgtest (logs: $LOGS, cache: $CACHE)"
K61=
K612=
run build "build the source package and .deb (make deb)" step_build
run root "bookworm root: 6.1 kernel + headers + dkms" step_root
run tools "autopkgtest and autodep8 in the root" step_tools root
run autopkgtest "autopkgtest -- null: dkms-autopkgtest PASS for 6.1" step_autopkgtest build tools

run_summary autopkgtest
