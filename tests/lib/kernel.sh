# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Kernel flavours: resolve the ABI version behind Debian's meta packages at
# run time (ABI names rotate with every point release, so nothing is pinned),
# make sure its headers are installed, and fetch the matching image into the
# cache without installing it on the host.
#
# Needs common.sh.

# Meta packages of a flavour key: "<image meta> <headers meta>".
kernel_metas() {
	case $1 in
	6.1) echo "linux-image-amd64 linux-headers-amd64" ;;
	6.12) echo "linux-image-6.12-amd64 linux-headers-6.12-amd64" ;;
	*) die "unknown kernel flavour '$1' (known: 6.1 6.12)" ;;
	esac
}

# Print the ABI version of flavour $1, e.g. 6.1.0-56-amd64. Image and
# headers metas must agree, otherwise the mirror is mid-transition and the
# build would not match the booted kernel. (One apt-cache call: each costs
# most of a second.)
kernel_resolve() {
	local metas out image headers
	metas=$(kernel_metas "$1")
	# shellcheck disable=SC2086 # two package names
	out=$(apt-cache depends $metas 2>/dev/null) ||
		die "apt-cache knows no $metas (apt-get update?)"
	image=$(sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' <<<"$out" | head -n1)
	headers=$(sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*\)$/\1/p' <<<"$out" | head -n1)
	[ -n "$image" ] || die "cannot resolve ${metas% *} with apt-cache depends"
	[ "$image" = "$headers" ] ||
		die "${metas% *} -> $image but ${metas#* } -> ${headers:-nothing}; retry after apt-get update"
	echo "$image"
}

# Make sure linux-headers-$1 is installed; print its Debian version.
kernel_headers() {
	local ver=$1
	need_pkgs "linux-headers-$ver"
	[ -f "/lib/modules/$ver/build/Makefile" ] ||
		die "linux-headers-$ver is installed but /lib/modules/$ver/build is missing"
	dpkg-query -W -f='${Version}' "linux-headers-$ver"
}

# Fetch and extract the image matching the installed headers of ABI $1 (its
# Debian version $2): the exact same build, not just the same ABI name.
# Prints the extracted root, which holds boot/vmlinuz-$1 and lib/modules/$1.
kernel_image() {
	local ver=$1 debver=$2 root
	root=$(deb_root "linux-image-$ver" "$debver")
	[ -f "$root/boot/vmlinuz-$ver" ] || die "$root has no boot/vmlinuz-$ver"
	echo "$root"
}

# Directory with the image's modules (Debian moves them under /usr one day).
kernel_moddir() {
	local root=$1 ver=$2 d
	for d in "$root/lib/modules/$ver" "$root/usr/lib/modules/$ver"; do
		[ -d "$d" ] && { echo "$d"; return 0; }
	done
	die "no modules directory for $ver under $root"
}

_kernel_extract_elf() {
	local vmlinuz=$1 out=$2 magic tool off
	[ -s "$out" ] && return 0
	# Compressed payload magics as in the kernel's scripts/extract-vmlinux.
	for magic in '\xfd7zXZ\x00:xz' '\x28\xb5\x2f\xfd:zstd' '\x1f\x8b\x08:gzip'; do
		tool=${magic##*:}
		command -v "$tool" >/dev/null || continue
		# shellcheck disable=SC2013 # numbers, one per line
		for off in $(LC_ALL=C grep -obUaP "${magic%:*}" "$vmlinuz" | cut -d: -f1); do
			# Trailing bytes after the payload make the tool complain.
			tail -c +$((off + 1)) "$vmlinuz" | "$tool" -dc >"$out.tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				mv "$out.tmp" "$out"
				return 0
			fi
		done
	done
	rm -f "$out.tmp"
}

# What QEMU should boot for image root $1 of ABI $2: the uncompressed ELF
# vmlinux when it can be extracted (QEMU then enters the kernel through its
# PVH note, skipping the firmware's boot loader and the decompressor: about
# 1.5 s less per boot under TCG), else the bzImage.
kernel_boot_file() {
	local root=$1 ver=$2 elf
	elf=$(dirname "$root")/vmlinux-$ver
	grep -qx 'CONFIG_PVH=y' "$root/boot/config-$ver" || { echo "$root/boot/vmlinuz-$ver"; return 0; }
	with_lock "$elf.lock" _kernel_extract_elf "$root/boot/vmlinuz-$ver" "$elf"
	if [ -s "$elf" ]; then
		echo "$elf"
	else
		echo "$root/boot/vmlinuz-$ver"
	fi
}
