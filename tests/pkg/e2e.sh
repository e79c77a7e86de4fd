#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of the pcfifo packages (make check-packages):
#
#   1. versions agree; lintian and rpmlint are clean
#   2. a Debian bookworm root with the 6.1 kernel, its headers and dkms
#      (versions resolved at run time; the root tarball is cached)
#   3. apt installs pcfifo-dkms_*.deb: DKMS builds and installs for 6.1
#   4. apt installs the 6.12 kernel and headers: DKMS builds for it on its own
#   5. the root boots 6.12 and 6.1 in QEMU (TCG) and the modules work
#   6. apt purge leaves no pcfifo module and no DKMS tree
#   7. the RPM, installed with rpm --root, builds for both kernels via its
#      scriptlets; rpm -e removes everything again
#
# Needs root (chroot, mmdebstrap, mkfs). All mounts live in a private mount
# namespace (unshare) and are undone in an EXIT trap; the root is deleted
# with rm --one-file-system only.
#
# Environment:
#   PCFIFO_CACHE            cache dir (default ${XDG_CACHE_HOME:-~/.cache}/pcfifo);
#                           root tarballs and .debs go to $PCFIFO_CACHE/pkg
#   PCFIFO_PKG_WORK         scratch dir (default build/pkg-e2e)
#   PCFIFO_PKG_KEEP=1       keep the root and disk image afterwards
#   PCFIFO_DEBIAN_MIRROR    default http://deb.debian.org/debian
#   PCFIFO_DEBIAN_SECURITY  default http://deb.debian.org/debian-security

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "e2e: needs root (mmdebstrap, chroot, mkfs)" >&2
	exit 1
fi

# ---- host tools -------------------------------------------------------------
# Debian packages this script and the package builds (make packages) need.
HOST_PACKAGES="build-essential debhelper dh-dkms dpkg-dev lintian rpm rpmlint
	mmdebstrap e2fsprogs qemu-system-x86 zstd xz-utils util-linux git"
missing=
for p in $HOST_PACKAGES; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "e2e: installing host packages:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
		{ echo "e2e: cannot install:$missing" >&2; exit 1; }
fi

# ---- re-run inside a private mount namespace ------------------------------
if [ -z "${PCFIFO_PKG_E2E_NS:-}" ]; then
	PCFIFO_PKG_E2E_NS=1 exec unshare --mount --propagation private "$0" "$@"
fi

t_start=$(date +%s)
VERSION=$(sed -n 's/^#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' src/version.h)
DEB_VERSION=$(sed -n '1{s/.*(//;s/).*//;p;}' debian/changelog)
SUITE=bookworm
MIRROR=${PCFIFO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${PCFIFO_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
CACHE=${PCFIFO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcfifo}/pkg
WORK=${PCFIFO_PKG_WORK:-$top/build/pkg-e2e}
ROOT=$WORK/root
IMG=$WORK/root.img
LOGS=$WORK/logs
DEB=$top/dist/pcfifo-dkms_${DEB_VERSION}_all.deb
RPM=$top/dist/pcfifo-dkms-$VERSION-$(sed -n 's/^Release:[[:space:]]*\([0-9A-Za-z.]*\).*/\1/p' rpm/pcfifo-dkms.spec).noarch.rpm
SRPM=${RPM%.noarch.rpm}.src.rpm
# Packages of the root besides the kernel: what a regular Debian system with
# DKMS has (xz-utils compresses modules for 6.12, openssl lets DKMS make its
# signing key, procps gives dkms --rpm_safe_upgrade its ps).
ROOT_PACKAGES="linux-image-amd64 linux-headers-amd64 dkms initramfs-tools kmod udev
	openssl procps xz-utils"
APT_INSTALL=(apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0)

mkdir -p "$CACHE/debs/partial" "$LOGS"

# ---- mounts and cleanup -----------------------------------------------------
umount_root() {
	local m
	# deepest first; only mounts under $ROOT (this namespace is private)
	findmnt -rn -o TARGET | grep -F "$ROOT/" | sort -r | while read -r m; do
		umount -l "$m" || echo "e2e: cannot unmount $m" >&2
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
	umount_root || { echo "e2e: mounts left under $ROOT, not deleting it" >&2; return 1; }
	rm -rf --one-file-system "$ROOT" "$IMG"
}
cleanup() {
	umount_root
	if [ "${PCFIFO_PKG_KEEP:-0}" = 1 ]; then
		echo "e2e: kept $ROOT and $IMG"
	else
		delete_root
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# ---- reporting ----------------------------------------------------------------
npass=0
nfail=0
declare -A ok=()
# run ID "description" function [needs...]: logs to $LOGS/ID.log
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
	else
		nfail=$((nfail + 1))
		printf 'FAIL  %-58s %4ss  (log: %s)\n' "$desc" $(($(date +%s) - t0)) "$LOGS/$id.log"
		tail -n 25 "$LOGS/$id.log" | sed 's/^/    | /'
	fi
}
# Fails the calling step with a message (steps run under set -e semantics
# by checking each command).
die() {
	echo "CHECK FAILED: $*"
	return 1
}

# ---- steps --------------------------------------------------------------------
step_build() {
	make -C "$top" packages || return 1
	ls -l "$DEB" "$RPM" "$SRPM"
}

step_versions() {
	tests/pkg/check-version.sh
}

step_lint() {
	tests/pkg/lint.sh
}

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

step_root() {
	local key p tarball
	resolve_kernels || return 1
	# The cache key: every resolved version that decides what the root holds.
	# The 6.12 packages count too: the root's apt lists must still name the
	# 6.12 kernel the mirror has when step 4 installs it.
	key=$(for p in $ROOT_PACKAGES linux-image-$K61 linux-headers-$K61 \
		linux-image-$K612 linux-headers-$K612; do
		echo "$p=$(pkgver "$p")"
	done | { echo "v1 $SUITE $MIRROR $SECURITY"; cat; } | tee "$LOGS/root-key.txt" |
		sha256sum | cut -c1-16)
	tarball=$CACHE/root-$SUITE-$K61-$key.tar.zst
	if [ -f "$tarball" ]; then
		echo "cached root: $tarball"
	else
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
	fi
	delete_root || return 1
	mkdir -p "$ROOT"
	tar --zstd -xpf "$tarball" --numeric-owner -C "$ROOT" || return 1
	[ -c "$ROOT/dev/null" ] || die "no /dev/null device node in the root" || return 1
	[ -d "$ROOT/lib/modules/$K61" ] && [ -d "$ROOT/lib/modules/$K61/build" ] ||
		die "root has no 6.1 kernel $K61 with headers" || return 1
	[ ! -d "$ROOT/usr/src/pcfifo-$VERSION" ] || die "root already has pcfifo" || return 1
	mount_root
}

# mods_present KVER SUFFIX: all three modules in updates/dkms with that suffix
mods_present() {
	local m f
	for m in pcfifo pcfifo_producer pcfifo_consumer; do
		f=$ROOT/lib/modules/$1/updates/dkms/$m$2
		[ -f "$f" ] || { die "missing ${f#"$ROOT"}"; return 1; }
		echo "found ${f#"$ROOT"}"
	done
	ls -l "$ROOT/lib/modules/$1/updates/dkms/"
}
mods_signed_and_versioned() {
	local m f v s
	for m in pcfifo pcfifo_producer pcfifo_consumer; do
		f=/lib/modules/$1/updates/dkms/$m$2
		v=$(in_root modinfo -F version "$f")
		[ "$v" = "$VERSION" ] || { die "$f has version '$v', want $VERSION"; return 1; }
		s=$(in_root modinfo -F signer "$f")
		[ -n "$s" ] || { die "$f is not signed (DKMS signs when openssl is present)"; return 1; }
		grep -q "^updates/dkms/$m$2:" "$ROOT/lib/modules/$1/modules.dep" ||
			{ die "modules.dep of $1 has no updates/dkms/$m$2"; return 1; }
		echo "$f: version $v, signer '$s', in modules.dep"
	done
}
dkms_installed_for() {
	local st
	st=$(in_root dkms status -m pcfifo)
	echo "dkms status: $st"
	grep -Eq "^pcfifo/$VERSION, $(printf '%s' "$1" | sed 's/[.+]/\\&/g'), x86_64: installed" <<<"$st" ||
		die "dkms status does not show pcfifo/$VERSION installed for $1"
}
no_pcfifo_left() {
	local left
	left=$(find "$ROOT/lib/modules" -name 'pcfifo*' 2>/dev/null)
	[ -z "$left" ] || { die "modules left: $left"; return 1; }
	[ ! -e "$ROOT/var/lib/dkms/pcfifo" ] || { die "/var/lib/dkms/pcfifo still exists"; return 1; }
	[ ! -e "$ROOT/usr/src/pcfifo-$VERSION" ] || { die "/usr/src/pcfifo-$VERSION still exists"; return 1; }
	[ -z "$(in_root dkms status -m pcfifo)" ] || { die "dkms status still lists pcfifo"; return 1; }
	grep -rqs pcfifo "$ROOT"/lib/modules/*/modules.dep && { die "modules.dep still lists pcfifo"; return 1; }
	echo "no pcfifo module, DKMS tree or source left"
}

step_deb_install() {
	cp "$DEB" "$ROOT/tmp/" || return 1
	in_root "${APT_INSTALL[@]}" "/tmp/${DEB##*/}" || return 1
	rm -f "$ROOT/tmp/${DEB##*/}"
	dkms_installed_for "$K61" || return 1
	mods_present "$K61" .ko || return 1
	mods_signed_and_versioned "$K61" .ko
}

step_kernel_upgrade() {
	local k
	in_root "${APT_INSTALL[@]}" linux-image-6.12-amd64 linux-headers-6.12-amd64 || return 1
	in_root apt-get autoclean -y >/dev/null
	[ -d "$ROOT/lib/modules/$K612" ] || {
		k=$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -name '6.12.*' -printf '%f\n' | head -n 1)
		echo "note: resolved $K612 on the host, the root installed $k"
		K612=$k
	}
	[ -n "$K612" ] || die "no 6.12 kernel in the root" || return 1
	dkms_installed_for "$K612" || return 1
	mods_present "$K612" .ko.xz || return 1
	mods_signed_and_versioned "$K612" .ko.xz
}

step_image() {
	local mb
	umount_root || return 1
	sed "s/@PCFIFO_VERSION@/$VERSION/" tests/pkg/guest-boot.sh >"$ROOT/usr/local/sbin/pcfifo-pkg-boot" &&
		chmod 0755 "$ROOT/usr/local/sbin/pcfifo-pkg-boot" || return 1
	mb=$(du -sxm "$ROOT" | cut -f1)
	rm -f "$IMG"
	mkfs.ext4 -q -F -L pcfifo-root -d "$ROOT" "$IMG" "$((mb * 5 / 4 + 256))M" || return 1
	rm -f "$ROOT/usr/local/sbin/pcfifo-pkg-boot"
	ls -ls "$IMG"
	mount_root
}

boot() {
	local k=$1 log=$LOGS/boot-$1.serial rc
	for f in "$ROOT/boot/vmlinuz-$k" "$ROOT/boot/initrd.img-$k"; do
		[ -f "$f" ] || { die "missing ${f#"$ROOT"}"; return 1; }
	done
	rm -f "$log"
	timeout 300 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 512M \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial "file:$log" \
		-kernel "$ROOT/boot/vmlinuz-$k" -initrd "$ROOT/boot/initrd.img-$k" \
		-drive "file=$IMG,if=virtio,format=raw,snapshot=on" \
		-append "console=ttyS0 root=/dev/vda rootfstype=ext4 ro panic=-1 init=/usr/local/sbin/pcfifo-pkg-boot"
	rc=$?
	grep -a 'pcfifo-pkg-boot\|PCFIFO-PKG-BOOT' "$log"
	[ $rc -eq 0 ] || echo "qemu exit status $rc (124: timeout)"
	if grep -aq "^PCFIFO-PKG-BOOT-OK $k " "$log"; then
		return 0
	fi
	echo "--- serial console (last 60 lines of $log)"
	tail -n 60 "$log"
	return 1
}
step_boot_612() { boot "$K612"; }
step_boot_61() { boot "$K61"; }

step_purge() {
	in_root apt-get purge -y -o Dpkg::Use-Pty=0 pcfifo-dkms || return 1
	no_pcfifo_left
}

# Debian's rpm keeps its database in <root>/root/.rpmdb and says "use Alien
# instead"; --nodeps because that database knows nothing of dpkg's packages.
rpm_root() {
	rpm --root "$ROOT" "$@"
}
step_rpm_install() {
	rpm_root --nodeps -i "$RPM" || return 1
	rpm_root -q pcfifo-dkms || return 1
	dkms_installed_for "$K61" || return 1
	dkms_installed_for "$K612" || return 1
	mods_present "$K61" .ko || return 1
	mods_present "$K612" .ko.xz || return 1
	mods_signed_and_versioned "$K61" .ko || return 1
	mods_signed_and_versioned "$K612" .ko.xz
}
step_rpm_reinstall() {
	# new %post runs before old %preun: --rpm_safe_upgrade must keep them
	rpm_root --nodeps -U --replacepkgs "$RPM" || return 1
	grep -q 'rpm_safe_upgrade scenario detected' "$LOGS/rpmre.log" ||
		{ die "dkms remove was not cancelled"; return 1; }
	dkms_installed_for "$K61" || return 1
	dkms_installed_for "$K612" || return 1
	mods_present "$K61" .ko || return 1
	mods_present "$K612" .ko.xz
}
step_rpm_erase() {
	rpm_root --nodeps -e pcfifo-dkms || return 1
	! rpm_root -q pcfifo-dkms || { die "pcfifo-dkms still in the rpm database"; return 1; }
	no_pcfifo_left
}

# ---- run ------------------------------------------------------------------------
echo "pcfifo $VERSION package end-to-end test (logs: $LOGS, cache: $CACHE)"
K61=
K612=
run build "build .deb and .rpm (make packages)" step_build
run versions "versions agree (src/version.h, dkms.conf, debian, rpm, CHANGELOG)" step_versions
run lint "lintian and rpmlint clean" step_lint build
run root "bookworm root: 6.1 kernel + headers + dkms" step_root
run deb "deb: apt install; DKMS installs 3 modules for 6.1" step_deb_install build root
run upgrade "kernel upgrade to 6.12: DKMS builds .ko.xz by itself" step_kernel_upgrade deb
run image "ext4 disk image of the root" step_image upgrade
run boot612 "boot 6.12 in QEMU: modprobe, configfs, items flow" step_boot_612 image
run boot61 "boot 6.1 in QEMU: modprobe, configfs, items flow" step_boot_61 image
run purge "apt purge: no modules, no /var/lib/dkms/pcfifo" step_purge deb
run rpmi "rpm --root -i: scriptlets build for 6.1 and 6.12" step_rpm_install build purge upgrade
run rpmre "rpm reinstall (same version) keeps the modules" step_rpm_reinstall rpmi
run rpme "rpm -e: modules and DKMS tree gone" step_rpm_erase rpmi

echo "e2e: $(($(date +%s) - t_start)) s"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
