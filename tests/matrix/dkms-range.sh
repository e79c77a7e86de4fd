#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# BUILD_EXCLUSIVE_KERNEL of dkms.conf against kernel release strings in and
# out of the supported range, 5.10 through 7.x. dkms.conf is sourced the way
# DKMS sources it (bash, $kernelver and $kernel_source_dir set) and the
# regular expression is applied as DKMS 3.x applies it:
#
#   [[ $BUILD_EXCLUSIVE_KERNEL && ! $kernelver =~ $BUILD_EXCLUSIVE_KERNEL ]] &&
#       build_exclude="yes"
#
# so a kernel outside the range is skipped by DKMS before any build starts.
#
# usage: dkms-range.sh [RELEASE...]
#   RELEASE  more kernel releases that must be in range (make check-matrix
#            passes the ABIs it resolved)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
conf=$top/dkms.conf

# In range: every Debian release the matrix covers (generic and rt), the
# backports, other distributions' spellings, release candidates, and the
# edges of the range.
in_range=(
	5.10 5.10.0 5.10.0-46-amd64 5.10.0-46-rt-amd64 5.10.0-0.deb10.30-amd64
	5.10.262 5.15.0-91-generic 5.14.0-427.13.1.el9_4.x86_64 5.19.17 5.19.0-rc8
	6.0.0 6.1.0-56-amd64 6.1.0-56-rt-amd64 6.1.0-0.deb11.50-amd64
	6.8.0-45-generic 6.11.4-301.fc41.x86_64 6.12.117+deb12-amd64
	6.12.117+deb13-amd64 6.12.117+deb13-rt-amd64 6.6.58-1-lts 6.18.44
	6.99.0 7.0 7.0.0-rc1 7.0.0 7.2.13+deb14-amd64 7.2.13+deb14-rt-amd64
	7.19.1-arch1-1
)
# Out of range: older and newer majors, 5.x below 5.10, and strings that
# only look like an in-range version at first glance.
out_of_range=(
	2.6.32 3.10.0-1160.el7.x86_64 4.9.0-19-amd64 4.19.0-27-amd64 4.19.0-27-rt-amd64
	5.0.0 5.1.21 5.4.0-150-generic 5.9.16 5.2 5.100.0 5.109 8.0.0 8.1.0-rc2 9.0
	10.5.0 15.10.0 56.1.0 60.1.0 70.0.0 75.10.0 x6.1.0 linux-6.1.0 ""
)

regex_for() { # the value of BUILD_EXCLUSIVE_KERNEL with $kernelver = $1
	(
		# shellcheck disable=SC2034 # read by dkms.conf
		kernelver=$1 kernel_source_dir=/lib/modules/$1/build
		# shellcheck disable=SC2034
		dkms_tree=/var/lib/dkms arch=x86_64
		# shellcheck disable=SC1090
		. "$conf" >/dev/null 2>&1
		printf '%s' "${BUILD_EXCLUSIVE_KERNEL-}"
	)
}

npass=0 nfail=0
check() { # want(in|out) release
	local want=$1 k=$2 re got
	re=$(regex_for "$k")
	if [ -z "$re" ]; then
		got=in # no BUILD_EXCLUSIVE_KERNEL: DKMS builds for everything
	elif [[ $k =~ $re ]]; then
		got=in
	else
		got=out
	fi
	if [ "$got" = "$want" ]; then
		npass=$((npass + 1))
	else
		nfail=$((nfail + 1))
		printf 'FAIL  %-40s DKMS would %s it (want: %s of range)\n' "'$k'" \
			"$([ "$got" = in ] && echo build || echo skip)" "$want"
	fi
}

[ -r "$conf" ] || { echo "dkms-range: no $conf" >&2; exit 1; }
[ -n "$(regex_for 6.1.0)" ] || { echo "dkms-range: dkms.conf sets no BUILD_EXCLUSIVE_KERNEL"; exit 1; }
for k in "${in_range[@]}" "$@"; do
	check in "$k"
done
for k in "${out_of_range[@]}"; do
	check out "$k"
done
echo "dkms-range: BUILD_EXCLUSIVE_KERNEL=\"$(regex_for 6.1.0)\""
echo "dkms-range: $npass passed, $nfail failed ($((${#in_range[@]} + $#)) releases in range, ${#out_of_range[@]} out of range)"
[ $nfail -eq 0 ]
