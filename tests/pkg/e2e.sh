#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of the pcfifo packages (make check-packages):
#
#   1. versions agree; lintian and rpmlint are clean
#   2. a Debian bookworm root with the 6.1 kernel, its headers and dkms
#      (versions resolved at run time; the root tarball is cached)
#   3. apt installs pcfifo-dkms_*.deb and pcfifo-utils_*.deb: DKMS builds
#      and installs for 6.1; the tool, its man page, completion and unit
#      are in place and the unit is enabled
#   4. apt installs the 6.12 kernel and headers: DKMS builds for it on its own
#   5. the root boots 6.12 and 6.1 in QEMU (TCG), the modules work and so
#      does the packaged pcfifoctl (tests/pkg/guest-boot.sh)
#   6. apt purge leaves no pcfifo module, no DKMS tree and no tool
#   7. the RPMs (pcfifo-dkms, pcfifo-utils), installed with rpm --root,
#      build for both kernels via the scriptlets and run the tool; rpm -e
#      removes everything again
#   8. the same with the 6.12 headers removed: built for 6.1 only, no failure
#   9. make dist, deb and rpm twice give byte-identical files (repro.sh)
#
# Needs root (chroot, mmdebstrap, mkfs). The root, its cache, the mounts and
# their cleanup are tests/pkg/lib.sh's (its header lists the environment).
#
# Environment:
#   PCFIFO_PKG_WORK         scratch dir (default build/pkg-e2e)
#   PCFIFO_PKG_KEEP=1       keep the root and disk image afterwards

set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh" e2e "$@"
# vm_retry, which reports through log: here a note of the step.
# shellcheck source=../vm/qemu.sh
. "$top/tests/vm/qemu.sh"
log() { echo "note: $*"; }

IMG=$WORK/root.img
WORK_FILES=("$IMG")

# ---- steps --------------------------------------------------------------------
step_build() {
	make -C "$top" packages || return 1
	ls -l "$DEB" "$DEB_UTILS" "$RPM" "$RPM_UTILS" "$SRPM"
}

step_versions() {
	tests/pkg/check-version.sh
}

step_lint() {
	tests/pkg/lint.sh
}

step_repro() {
	tests/pkg/repro.sh
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

# utils_present UNITDIR: pcfifo-utils' files in the root, and the tool runs
# (not as root of anything: --version and --help touch no kernel interface)
utils_present() {
	local f v
	for f in /usr/sbin/pcfifoctl /usr/share/man/man8/pcfifoctl.8.gz \
		/usr/share/bash-completion/completions/pcfifoctl "$1/pcfifo.service"; do
		[ -f "$ROOT$f" ] || { die "missing $f"; return 1; }
		echo "found $f"
	done
	v=$(in_root pcfifoctl --version) || { die "pcfifoctl --version failed"; return 1; }
	echo "pcfifoctl --version: $v"
	grep -qF "$VERSION" <<<"$v" || { die "pcfifoctl --version does not say $VERSION"; return 1; }
	in_root pcfifoctl --help >/dev/null || { die "pcfifoctl --help failed"; return 1; }
	[ -d "$ROOT/etc/pcfifo" ] || { die "no /etc/pcfifo"; return 1; }
	grep -q '^ConditionPathExists=/etc/pcfifo/config.json' "$ROOT$1/pcfifo.service" ||
		{ die "pcfifo.service has no ConditionPathExists=/etc/pcfifo/config.json"; return 1; }
}
no_utils_left() {
	local f
	for f in /usr/sbin/pcfifoctl /usr/share/man/man8/pcfifoctl.8.gz \
		/usr/share/bash-completion/completions/pcfifoctl \
		/lib/systemd/system/pcfifo.service /usr/lib/systemd/system/pcfifo.service \
		/etc/pcfifo; do
		[ ! -e "$ROOT$f" ] || { die "$f still there"; return 1; }
	done
	! find "$ROOT/etc/systemd" -name pcfifo.service 2>/dev/null | grep . ||
		{ die "a pcfifo.service link is left in /etc/systemd"; return 1; }
	echo "no pcfifo-utils file left"
}

step_deb_install() {
	local wants
	cp "$DEB" "$DEB_UTILS" "$ROOT/tmp/" || return 1
	in_root "${APT_INSTALL[@]}" "/tmp/${DEB##*/}" "/tmp/${DEB_UTILS##*/}" || return 1
	rm -f "$ROOT/tmp/${DEB##*/}" "$ROOT/tmp/${DEB_UTILS##*/}"
	dkms_installed_for "$K61" || return 1
	mods_present "$K61" .ko || return 1
	mods_signed_and_versioned "$K61" .ko || return 1
	utils_present /lib/systemd/system || return 1
	# dh_installsystemd enables the unit (deb-systemd-helper makes the
	# link even without systemd running); it is not started (--no-start)
	wants=$(find "$ROOT/etc/systemd/system" -name pcfifo.service -type l)
	[ -n "$wants" ] || { die "pcfifo.service is not enabled"; return 1; }
	echo "enabled: ${wants#"$ROOT"}"
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

# One boot of kernel $1 with the image's init, pcfifo-pkg-boot. The CPU is
# QEMU's default model, as in every other lane's guests.
boot_once() {
	local k=$1 log=$2 rc
	rm -f "$log"
	timeout 300 qemu-system-x86_64 -accel tcg -smp 2 -m 512M \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial "file:$log" \
		-kernel "$ROOT/boot/vmlinuz-$k" -initrd "$ROOT/boot/initrd.img-$k" \
		-drive "file=$IMG,if=virtio,format=raw,snapshot=on" \
		-append "console=ttyS0 root=/dev/vda rootfstype=ext4 ro panic=-1 init=/usr/local/sbin/pcfifo-pkg-boot"
	rc=$?
	grep -a 'pcfifo-pkg-boot\|PCFIFO-PKG-BOOT' "$log"
	[ $rc -eq 0 ] || echo "qemu exit status $rc (124: timeout)"
	grep -aq "^PCFIFO-PKG-BOOT-OK $k " "$log"
}

# A boot that never reaches the image's init ("pcfifo-pkg-boot:" lines)
# is booted again, three boots at most (vm_retry): in CI, 6.12 once took an
# int3 oops in its own code patching under TCG, before any module of ours.
boot() {
	local k=$1 log=$LOGS/boot-$1.serial
	for f in "$ROOT/boot/vmlinuz-$k" "$ROOT/boot/initrd.img-$k"; do
		[ -f "$f" ] || { die "missing ${f#"$ROOT"}"; return 1; }
	done
	VM_INIT_LINE='pcfifo-pkg-boot: ' vm_retry "$log" boot_once "$k" "$log" && return 0
	echo "--- serial console (last 60 lines of $log)"
	tail -n 60 "$log"
	return 1
}
step_boot_612() { boot "$K612"; }
step_boot_61() { boot "$K61"; }

step_purge() {
	in_root apt-get purge -y -o Dpkg::Use-Pty=0 pcfifo-utils pcfifo-dkms || return 1
	no_pcfifo_left || return 1
	no_utils_left
}

# Debian's rpm keeps its database in <root>/root/.rpmdb and says "use Alien
# instead"; --nodeps because that database knows nothing of dpkg's packages.
rpm_root() {
	rpm --root "$ROOT" "$@"
}
# The RPM's pcfifoctl needs libjson-c.so.5, which the .deb's installation
# brought into the root (purge leaves it).
step_rpm_install() {
	rpm_root --nodeps -i "$RPM" "$RPM_UTILS" || return 1
	rpm_root -q pcfifo-dkms pcfifo-utils || return 1
	utils_present /usr/lib/systemd/system || return 1
	dkms_installed_for "$K61" || return 1
	dkms_installed_for "$K612" || return 1
	mods_present "$K61" .ko || return 1
	mods_present "$K612" .ko.xz || return 1
	mods_signed_and_versioned "$K61" .ko || return 1
	mods_signed_and_versioned "$K612" .ko.xz
}
step_rpm_reinstall() {
	# new %post runs before old %preun: --rpm_safe_upgrade must keep them
	rpm_root --nodeps -U --replacepkgs "$RPM" "$RPM_UTILS" || return 1
	grep -q 'rpm_safe_upgrade scenario detected' "$LOGS/rpmre.log" ||
		{ die "dkms remove was not cancelled"; return 1; }
	dkms_installed_for "$K61" || return 1
	dkms_installed_for "$K612" || return 1
	mods_present "$K61" .ko || return 1
	mods_present "$K612" .ko.xz
}
step_rpm_erase() {
	rpm_root --nodeps -e pcfifo-utils pcfifo-dkms || return 1
	! rpm_root -q pcfifo-dkms || { die "pcfifo-dkms still in the rpm database"; return 1; }
	! rpm_root -q pcfifo-utils || { die "pcfifo-utils still in the rpm database"; return 1; }
	no_pcfifo_left || return 1
	no_utils_left
}

# The RPM on two kernels, one without headers: 6.12 loses its headers and
# keeps a dangling /lib/modules/<k>/build symlink, as Fedora's kernel-core
# has without kernel-devel. %post must build for 6.1, skip 6.12 and succeed;
# %preun must still remove everything.
step_rpm_noheaders() {
	local kernels left
	in_root apt-get purge -y -o Dpkg::Use-Pty=0 linux-headers-6.12-amd64 "linux-headers-$K612" ||
		return 1
	[ -d "$ROOT/lib/modules/$K612/kernel" ] || { die "6.12 kernel $K612 gone with its headers"; return 1; }
	[ ! -e "$ROOT/lib/modules/$K612/build" ] || { die "6.12 headers still there"; return 1; }
	ln -sfn "/usr/src/kernels/$K612" "$ROOT/lib/modules/$K612/build"
	kernels=$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
	echo "kernels in /lib/modules: $(echo "$kernels" | tr '\n' ' ')"
	[ "$(echo "$kernels" | wc -l)" -eq 2 ] || { die "want 2 kernels in /lib/modules"; return 1; }
	rpm_root --nodeps -i "$RPM" || { die "rpm -i failed"; return 1; }
	! grep -q 'scriptlet failed' "$LOGS/rpmnoh.log" || { die "a scriptlet failed"; return 1; }
	dkms_installed_for "$K61" || return 1
	mods_present "$K61" .ko || return 1
	left=$(find "$ROOT/lib/modules/$K612" -name 'pcfifo*')
	[ -z "$left" ] || { die "modules for $K612, which has no headers: $left"; return 1; }
	! in_root dkms status -m pcfifo | grep -F "$K612" || { die "dkms lists $K612"; return 1; }
	rpm_root --nodeps -e pcfifo-dkms || { die "rpm -e failed"; return 1; }
	! grep -q 'scriptlet failed' "$LOGS/rpmnoh.log" || { die "a scriptlet failed"; return 1; }
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
run deb "deb: apt install both; DKMS for 6.1, pcfifoctl, unit" step_deb_install build root
run upgrade "kernel upgrade to 6.12: DKMS builds .ko.xz by itself" step_kernel_upgrade deb
run image "ext4 disk image of the root" step_image upgrade
run boot612 "boot 6.12 in QEMU: modules, items flow, pcfifoctl" step_boot_612 image
run boot61 "boot 6.1 in QEMU: modules, items flow, pcfifoctl" step_boot_61 image
run purge "apt purge: no modules, no DKMS tree, no tool" step_purge deb
run rpmi "rpm --root -i: scriptlets build for 6.1, 6.12; tool" step_rpm_install build purge upgrade
run rpmre "rpm reinstall (same version) keeps the modules" step_rpm_reinstall rpmi
run rpme "rpm -e: modules and DKMS tree gone" step_rpm_erase rpmi
run rpmnoh "rpm -i, -e with 6.12 headers gone: 6.1 built, 6.12 skipped" step_rpm_noheaders rpme
run repro "make dist deb rpm twice: byte-identical (tests/pkg/repro.sh)" step_repro

run_summary e2e
