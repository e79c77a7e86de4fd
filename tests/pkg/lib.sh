# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the package tests that work in a Debian bookworm root
# (tests/pkg/e2e.sh, tests/pkg/autopkgtest.sh; tests/pkg/root.sh only
# builds the root): host tools, the private mount
# namespace, the cached root (one tarball for both), mounts and their
# cleanup, and the PASS/FAIL step runner.
#
# A script sources it first thing, as `. "$(dirname "$0")/lib.sh" NAME "$@"`:
# that checks for root, installs missing host packages and re-runs the
# script in a private mount namespace (so sourcing returns only inside it),
# with top (the source tree, also the working directory) and WORK (the
# scratch dir, build/pkg-NAME unless PCFIFO_PKG_WORK says otherwise) set.
# All mounts are undone in an EXIT trap; the root is deleted with rm
# --one-file-system only.
#
# Environment:
#   PCFIFO_PKG_WORK         scratch dir (default build/pkg-NAME)
#   PCFIFO_CACHE            cache dir (default ${XDG_CACHE_HOME:-~/.cache}/pcfifo);
#                           root tarballs and .debs go to $PCFIFO_CACHE/pkg
#   PCFIFO_PKG_KEEP=1       keep the root (and the WORK_FILES) afterwards
#   PCFIFO_DEBIAN_MIRROR    default http://deb.debian.org/debian
#   PCFIFO_DEBIAN_SECURITY  default http://deb.debian.org/debian-security

# Debian packages the package tests and the package builds (make packages)
# need on the host.
PKG_HOST_PACKAGES="build-essential debhelper dh-dkms dpkg-dev libjson-c-dev pkg-config
	lintian rpm rpmlint mmdebstrap e2fsprogs qemu-system-x86 zstd xz-utils util-linux git"

# pkg_setup SCRIPT ARGS...: root check, host packages, then re-run SCRIPT in
# a private mount namespace (this returns only inside it).
pkg_setup() {
	local p missing=
	if [ "$(id -u)" -ne 0 ]; then
		echo "${1##*/}: needs root (mmdebstrap, chroot, mkfs)" >&2
		exit 1
	fi
	for p in $PKG_HOST_PACKAGES; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
			missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "${1##*/}: installing host packages:$missing"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
			{ echo "${1##*/}: cannot install:$missing" >&2; exit 1; }
	fi
	if [ -z "${PCFIFO_PKG_NS:-}" ]; then
		p=$1
		shift
		PCFIFO_PKG_NS=1 exec unshare --mount --propagation private \
			"$top/tests/pkg/${p##*/}" "$@"
	fi
	t_start=$(date +%s)
	mkdir -p "$CACHE/debs/partial" "$LOGS"
	trap pkg_cleanup EXIT
	trap 'exit 130' INT TERM
}

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
WORK=${PCFIFO_PKG_WORK:-$top/build/pkg-$1}
shift
VERSION=$(sed -n 's/^#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' "$top/src/version.h")
DEB_VERSION=$(sed -n '1{s/.*(//;s/).*//;p;}' "$top/debian/changelog")
SUITE=bookworm
MIRROR=${PCFIFO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${PCFIFO_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
CACHE=${PCFIFO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcfifo}/pkg
ROOT=$WORK/root
LOGS=$WORK/logs
# shellcheck disable=SC2034 # DEB*, RPM*, SRPM, APT_INSTALL: for the callers
DEB=$top/dist/pcfifo-dkms_${DEB_VERSION}_all.deb
DEB_ARCH=$(dpkg --print-architecture)
# shellcheck disable=SC2034
DEB_UTILS=$top/dist/pcfifo-utils_${DEB_VERSION}_$DEB_ARCH.deb
RPM_RELEASE=$(sed -n 's/^Release:[[:space:]]*\([0-9A-Za-z.]*\).*/\1/p' "$top/rpm/pcfifo.spec")
# shellcheck disable=SC2034
RPM=$top/dist/pcfifo-dkms-$VERSION-$RPM_RELEASE.noarch.rpm
# shellcheck disable=SC2034
RPM_UTILS=$top/dist/pcfifo-utils-$VERSION-$RPM_RELEASE.$(uname -m).rpm
# shellcheck disable=SC2034
SRPM=$top/dist/pcfifo-$VERSION-$RPM_RELEASE.src.rpm
# Packages of the root besides the kernel: what a regular Debian system with
# DKMS has (xz-utils compresses modules for 6.12, openssl lets DKMS make its
# signing key, procps gives dkms --rpm_safe_upgrade its ps).
ROOT_PACKAGES="linux-image-amd64 linux-headers-amd64 dkms initramfs-tools kmod udev
	openssl procps xz-utils"
# shellcheck disable=SC2034
APT_INSTALL=(apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0)
# Scratch files deleted with the root (e2e.sh's disk image).
WORK_FILES=()

# ---- mounts and cleanup -----------------------------------------------------
umount_root() {
	local m
	# deepest first; only mounts under $ROOT (this namespace is private)
	findmnt -rn -o TARGET | grep -F "$ROOT/" | sort -r | while read -r m; do
		umount -l "$m" || echo "pkg: cannot unmount $m" >&2
	done
	! findmnt -rn -o TARGET | grep -qF "$ROOT/"
}
mount_root() {
	umount_root || return 1
	mount -t proc proc "$ROOT/proc" &&
		mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$ROOT/dev/pts" &&
		mount --bind "$CACHE/debs" "$ROOT/var/cache/apt/archives" &&
		cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
}
delete_root() {
	umount_root || { echo "pkg: mounts left under $ROOT, not deleting it" >&2; return 1; }
	rm -rf --one-file-system "$ROOT" "${WORK_FILES[@]}"
}
pkg_cleanup() {
	umount_root
	if [ "${PCFIFO_PKG_KEEP:-0}" = 1 ]; then
		echo "pkg: kept $ROOT ${WORK_FILES[*]}"
	else
		delete_root
	fi
}

in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# ---- reporting ----------------------------------------------------------------
npass=0
nfail=0
declare -A ok=()
# run ID "description" function [needs...]: logs to $LOGS/ID.log; a PASS
# line is followed by the "note: " lines of the step's log
run() {
	local id=$1 desc=$2 fn=$3 dep t0 rc
	shift 3
	for dep in "$@"; do
		if [ "${ok[$dep]:-0}" != 1 ]; then
			printf 'FAIL  %-58s (skipped: %s failed)\n' "$desc" "$dep"
			nfail=$((nfail + 1))
			return
		fi
	done
	t0=$(date +%s)
	echo "== $desc" >"$LOGS/$id.log"
	"$fn" >>"$LOGS/$id.log" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		ok[$id]=1
		npass=$((npass + 1))
		printf 'PASS  %-58s %4ss\n' "$desc" $(($(date +%s) - t0))
		sed -n 's/^note: /      note: /p' "$LOGS/$id.log"
	else
		nfail=$((nfail + 1))
		printf 'FAIL  %-58s %4ss  (log: %s)\n' "$desc" $(($(date +%s) - t0)) "$LOGS/$id.log"
		tail -n 25 "$LOGS/$id.log" | sed 's/^/    | /'
	fi
}
# run_summary NAME: the closing lines; the exit status says whether all passed
run_summary() {
	echo "$1: $(($(date +%s) - t_start)) s"
	echo "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ]
}
# Fails the calling step with a message (steps run under set -e semantics
# by checking each command).
die() {
	echo "CHECK FAILED: $*"
	return 1
}

# ---- the bookworm root ----------------------------------------------------------
resolve_kernels() {
	K61=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-//p' | head -n 1)
	K612=$(apt-cache depends linux-image-6.12-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-//p' | head -n 1)
	if [ -z "$K61" ] || [ -z "$K612" ]; then
		echo "cannot resolve kernel ABI names from the host's apt lists (run apt-get update)"
		return 1
	fi
	echo "kernels: 6.1 = $K61, 6.12 = $K612"
}

pkgver() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}

# root_tarball: ROOT_TARBALL, the cached tarball of the root, built first
# if the cache has none for the current versions. One run at a time builds
# it (a lock in the cache): CI's background preparation (tests/pkg/root.sh)
# and the lanes meet here, and whoever comes second takes the tarball.
root_tarball() {
	local key p lock rc=0
	resolve_kernels || return 1
	# The cache key: every resolved version that decides what the root holds.
	# The 6.12 packages count too: the root's apt lists must still name the
	# 6.12 kernel the mirror has when e2e.sh installs it.
	key=$(for p in $ROOT_PACKAGES linux-image-$K61 linux-headers-$K61 \
		linux-image-$K612 linux-headers-$K612; do
		echo "$p=$(pkgver "$p")"
	done | { echo "v1 $SUITE $MIRROR $SECURITY"; cat; } | tee "$LOGS/root-key.txt" |
		sha256sum | cut -c1-16)
	ROOT_TARBALL=$CACHE/root-$SUITE-$K61-$key.tar.zst
	exec {lock}>"$CACHE/root.lock"
	if ! flock -n "$lock"; then
		echo "another run builds the root; waiting for it"
		flock "$lock"
	fi
	if [ -f "$ROOT_TARBALL" ]; then
		echo "cached root: $ROOT_TARBALL"
	else
		_root_tarball_build || rc=1
	fi
	exec {lock}>&-
	return $rc
}
_root_tarball_build() {
	local tarball=$ROOT_TARBALL
	echo "building root: $tarball"
	# shellcheck disable=SC2016,SC2086 # "$1" is for mmdebstrap's hook shell
	mmdebstrap --variant=minbase --mode=root \
		--include="$(echo $ROOT_PACKAGES | tr ' ' ,)" \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='Dpkg::Use-Pty "0"' \
		--skip=cleanup/apt/lists \
		--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
		--setup-hook="sync-in '$CACHE/debs' /var/cache/apt/archives/" \
		--customize-hook="sync-out /var/cache/apt/archives '$CACHE/debs'" \
		"$SUITE" "$tarball.tmp.tar.zst" \
		"deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" \
		"deb $SECURITY $SUITE-security main" || { rm -f "$tarball.tmp.tar.zst"; return 1; }
	mv "$tarball.tmp.tar.zst" "$tarball"
	# older roots (rotated kernel ABI or package versions) are dead weight
	find "$CACHE" -maxdepth 1 -name "root-$SUITE-*.tar.zst" ! -name "${tarball##*/}" -print -delete
}

# step_root: $ROOT unpacked from the cached tarball (root_tarball), with the
# 6.1 kernel and its headers, mounted
step_root() {
	root_tarball || return 1
	delete_root || return 1
	mkdir -p "$ROOT"
	tar --zstd -xpf "$ROOT_TARBALL" --numeric-owner -C "$ROOT" || return 1
	[ -c "$ROOT/dev/null" ] || die "no /dev/null device node in the root" || return 1
	[ -d "$ROOT/lib/modules/$K61" ] && [ -d "$ROOT/lib/modules/$K61/build" ] ||
		die "root has no 6.1 kernel $K61 with headers" || return 1
	[ ! -d "$ROOT/usr/src/pcfifo-$VERSION" ] || die "root already has pcfifo" || return 1
	mount_root
}

pkg_setup "$0" "$@"
