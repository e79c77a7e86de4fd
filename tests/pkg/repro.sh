#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Reproducible packages (make check-repro; a step of tests/pkg/e2e.sh): runs
# `make dist deb rpm` twice from this tree and fails unless both give
# byte-identical files. The second run differs from the first in what must
# not matter: time of day, time zone, umask, locale and, as root, host
# name (a UTS namespace). SOURCE_DATE_EPOCH is the last
# commit's in both (tests/pkg/dist.sh --epoch).
#
# Compared: the source tarball, the Debian source package (.dsc,
# .orig.tar.gz, .debian.tar.xz), the .debs (pcfifo-dkms, pcfifo-utils and
# its -dbgsym), the .rpms (pcfifo-dkms, pcfifo-utils) and the .src.rpm:
# pcfifoctl is compiled in each run, so its ELF must come out the same.
# Not compared: .buildinfo, which records the build's date and environment
# by design, and .changes, which carries the .buildinfo's checksum.
#
#   tests/pkg/repro.sh          (the two runs go to build/repro/a and b)

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
out=build/repro

# --run NAME: one build, make dist deb rpm in $out/work, then moved to
# $out/NAME. Both runs build in the same directory: the .src.rpm records
# the paths of its build (rpm keeps the expanded %prep and %install).
if [ "${1:-}" = --run ]; then
	rm -rf "${out:?}/work" "${out:?}/$2" || exit 1
	mkdir -p "$out/work"
	echo "run $2: TZ=${TZ:-} LC_ALL=${LC_ALL:-} umask $(umask) host $(uname -n)" >"$out/$2.log"
	make -C "$top" PKG_DIST="$out/work/dist" PKG_BUILD="$out/work/build" \
		dist deb rpm >>"$out/$2.log" 2>&1 || exit 1
	exec mv "$out/work" "$out/$2"
fi

# inputs: a digest of the files make dist takes (git's list, as in dist.sh)
inputs() {
	git ls-files -z --cached --others --exclude-standard 2>/dev/null |
		xargs -0 sha256sum 2>/dev/null | sha256sum | cut -c1-16
}
# both: run a, then run b in another environment
both() {
	"$0" --run a || { tail -n 30 "$out/a.log"; echo "repro: run a failed ($out/a.log)" >&2; return 1; }
	sleep 1 # another second on the clock
	# shellcheck disable=SC2016 # $0 and $1 of the inner shell
	TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 $uts sh -c \
		'umask 0002 && { [ -z "$1" ] || hostname pcfifo-repro-b; } && exec "$0" --run b' \
		"$0" "$uts" || { tail -n 30 "$out/b.log"; echo "repro: run b failed ($out/b.log)" >&2; return 1; }
}

t0=$(date +%s)
mkdir -p "$out"
echo "repro: SOURCE_DATE_EPOCH=$(tests/pkg/dist.sh --epoch)"
uts=
if [ "$(id -u)" -eq 0 ] && unshare --uts true 2>/dev/null; then
	uts="unshare --uts"
fi
# A tree edited while the runs build (a shared checkout) gives different
# tarballs for a good reason: build both again, up to three times.
for try in 1 2 3; do
	before=$(inputs)
	both || exit 1
	[ "$(inputs)" != "$before" ] || break
	echo "repro: the tree changed during try $try; building both again"
	[ "$try" -lt 3 ] || { echo "repro: FAIL: the tree kept changing" >&2; exit 1; }
done

# outputs RUN: the compared files of a run, relative to $out/RUN
outputs() {
	(cd "$out/$1" && find dist build/deb -maxdepth 1 -type f \( -name '*.tar.gz' \
		-o -name '*.deb' -o -name '*.dsc' -o -name '*.tar.xz' -o -name '*.rpm' \) |
		LC_ALL=C sort)
}
fa=$(outputs a)
fb=$(outputs b)
fail=0
if [ "$fa" != "$fb" ] || [ -z "$fa" ]; then
	echo "repro: FAIL: the runs made different files:"
	echo "a: $fa" "b: $fb"
	exit 1
fi
for f in $fa; do
	if cmp -s "$out/a/$f" "$out/b/$f"; then
		printf 'same     %s  %s\n' "$(sha256sum <"$out/a/$f" | cut -c1-16)" "$f"
	else
		printf 'DIFFERS  %s\n' "$f"
		fail=1
	fi
done
if [ "$fail" -ne 0 ]; then
	echo "repro: FAIL: not reproducible (diffoscope $out/a/FILE $out/b/FILE shows why)"
	exit 1
fi
echo "repro: PASS: $(echo "$fa" | wc -l) files byte-identical ($(($(date +%s) - t0)) s)"
