# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Guest initramfs: busybox, Debian's kmod (real modprobe & co., which the
# kernel's request_module runs as /sbin/modprobe and whose messages the tests
# check), the kernel's own configfs module, our modules in updates/, the
# guest tests and the command to run. Built per run: it takes well under a
# second.
#
# busybox comes from Debian's "busybox" package, fetched into the cache, not
# from busybox-static: the static build's ash prefers its own applets to
# $PATH (FEATURE_SH_STANDALONE), so `modprobe` in a guest script would run
# busybox's modprobe instead of kmod's. The dynamic build has no such mode.
#
# Needs common.sh and kernel.sh.

# PCFIFO_GUEST_ARCH: the guest's architecture, amd64 (default) or arm64
# (QEMU's virt machine; tests/matrix/ boots Debian's arm64 kernels).
vm_arch() { echo "${PCFIFO_GUEST_ARCH:-amd64}"; }

# The guest's serial console.
vm_console() {
	case $(vm_arch) in
	amd64) echo ttyS0 ;;
	arm64) echo ttyAMA0 ;;
	*) die "unknown guest architecture $(vm_arch) (amd64, arm64)" ;;
	esac
}

# Modules of the kernel image the guest needs (dependencies are added).
GUEST_IMAGE_MODULES=(configfs)
KMOD_TOOLS=(modprobe rmmod insmod lsmod modinfo depmod)

# Quote each argument for a POSIX shell: 'a'\''b'.
_sh_quote() {
	local a sep=
	for a in "$@"; do
		printf "%s'%s'" "$sep" "${a//\'/\'\\\'\'}"
		sep=' '
	done
	echo
}

# _copy_with_libs ROOT EXE DST [SYSROOT]: install EXE as ROOT/DST with the
# shared libraries it loads, dynamic loader included, at the same paths
# under ROOT: those ldd reports, or for a foreign EXE those _sysroot_libs
# finds in SYSROOT.
_copy_with_libs() {
	local root=$1 exe=$2 dst=$3 sysroot=${4-} lib libs
	install -D -m 0755 "$exe" "$root$dst"
	if [ -n "$sysroot" ]; then
		libs=$(_sysroot_libs "$sysroot" "$exe") || die "cannot copy $exe with its libraries"
	else
		libs=$(ldd "$exe" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
	fi
	while read -r lib; do
		[ -z "$lib" ] || [ -e "$root$lib" ] || install -D -m 0755 "$sysroot$lib" "$root$lib"
	done < <(sort -u <<<"$libs")
}

# _sysroot_libs SYSROOT EXE: the paths, inside SYSROOT, of EXE's program
# interpreter and, recursively, of the libraries it names (DT_NEEDED),
# looked up in Debian's library directories as the dynamic loader would
# (no RPATH in anything the guest runs). readelf reads any architecture.
_sysroot_libs() {
	local sysroot=$1 exe=$2 n d multiarch
	multiarch=$(_guest_triplet)
	readelf -lW "$exe" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p'
	for n in $(readelf -dW "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		for d in "/lib/$multiarch" "/usr/lib/$multiarch" /lib /usr/lib; do
			[ -e "$sysroot$d/$n" ] || continue
			echo "$d/$n"
			_sysroot_libs "$sysroot" "$sysroot$d/$n"
			continue 2
		done
		die "$exe needs $n, which is not in $sysroot"
	done
}

# The GNU triplet of the guest's architecture: Debian's multiarch directory
# and the prefix of its cross compiler (gcc-TRIPLET).
_guest_triplet() {
	case $(vm_arch) in
	amd64) echo x86_64-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	*) die "unknown guest architecture $(vm_arch) (amd64, arm64)" ;;
	esac
}

# Copy image module $3 and, recursively, what it depends on.
_copy_image_module() {
	local moddir=$1 dst=$2 name=$3 ko dep
	ko=$(find "$moddir/kernel" \( -name "$name.ko" -o -name "$name.ko.*" \) -print -quit)
	[ -n "$ko" ] || die "module $name not found in $moddir"
	[ -e "$dst/${ko#"$moddir"/}" ] && return 0
	install -D -m 0644 "$ko" "$dst/${ko#"$moddir"/}"
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		_copy_image_module "$moddir" "$dst" "$dep"
	done
}

# A guest C program (tests/guest/devtest.c, used by t67-dev.sh;
# tests/fuzz/pcfuzz.c, run by tests/fuzz/fuzz.sh) from its one source file
# $1, compiled against src/uapi/pcfifo.h installed as <linux/pcfifo.h>, as
# a program outside the tree includes it, with the compiler CC (default
# gcc). Cached by the content of its inputs; prints the path of the binary.
_guest_cprog() {
	local src=$1 cc=${2:-gcc} hdr=$PCFIFO_ROOT/src/uapi/pcfifo.h name
	local cflags=(-std=c11 -Wall -Wextra -Werror -O2) key dir tmp
	name=$(basename "$src" .c)
	key=$({ cat "$src" "$hdr"; echo "${cflags[*]}"; "$cc" --version; } | sha256sum | cut -c1-16)
	dir=$PCFIFO_BUILD/$name/$key
	if [ ! -x "$dir/$name" ]; then
		mkdir -p "$PCFIFO_BUILD/$name"
		tmp=$(mktemp -d "$dir.XXXXXX")
		mkdir -p "$tmp/include/linux"
		cp "$hdr" "$tmp/include/linux/pcfifo.h"
		"$cc" "${cflags[@]}" -I "$tmp/include" -o "$tmp/$name" "$src" >&2 ||
			die "cannot compile $src"
		mkdir -p "$dir"
		mv -f "$tmp/$name" "$dir/$name"
		rm -rf "$tmp"
	fi
	echo "$dir/$name"
}

# pcfifoctl (utils/), built with its own Makefile in a copy of its sources
# (utils/, the uapi header and src/version.h), so the checkout gets no
# objects. With CC and SYSROOT, cross-compiled with CC against the json-c
# of SYSROOT (pkg-config looks there only). Cached by the content of its
# inputs; prints the path of the binary.
_guest_pcfifoctl() {
	local cc=${1:-gcc} sysroot=${2-} key dir tmp triplet
	need_pkgs pkg-config
	if [ -n "$sysroot" ]; then
		triplet=$(_guest_triplet)
		export PKG_CONFIG_SYSROOT_DIR=$sysroot
		export PKG_CONFIG_LIBDIR=$sysroot/usr/lib/$triplet/pkgconfig:$sysroot/usr/share/pkgconfig
	else
		need_pkgs libjson-c-dev
	fi
	key=$({ cd "$PCFIFO_ROOT" && cat utils/Makefile utils/*.[ch] src/uapi/pcfifo.h src/version.h
		"$cc" --version; pkg-config --modversion json-c; } | sha256sum | cut -c1-16)
	dir=$PCFIFO_BUILD/pcfifoctl/$key
	if [ ! -x "$dir/pcfifoctl" ]; then
		mkdir -p "$PCFIFO_BUILD/pcfifoctl"
		tmp=$(mktemp -d "$dir.XXXXXX")
		mkdir -p "$tmp/utils" "$tmp/src/uapi"
		cp "$PCFIFO_ROOT"/utils/Makefile "$PCFIFO_ROOT"/utils/*.[ch] "$tmp/utils/"
		cp "$PCFIFO_ROOT/src/uapi/pcfifo.h" "$tmp/src/uapi/"
		cp "$PCFIFO_ROOT/src/version.h" "$tmp/src/"
		make -s -C "$tmp/utils" CC="$cc" pcfifoctl >&2 || die "cannot build pcfifoctl (utils/)"
		mkdir -p "$dir"
		mv -f "$tmp/utils/pcfifoctl" "$dir/pcfifoctl"
		rm -rf "$tmp"
	fi
	echo "$dir/pcfifoctl"
}

# guest_cross_packages: the host's packages that build the programs of a
# foreign guest (vm_arch) and run its busybox once, one per line.
guest_cross_packages() {
	printf '%s\n' "gcc-$(_guest_triplet)" "libc6-dev-$(vm_arch)-cross" qemu-user-static
}

# guest_userland DIR [SYSROOT]: what runs in the guest, with the shared
# libraries it needs, under DIR: busybox (its applets as links), kmod (its
# tools as links), the guest C programs and pcfifoctl (in /pcfifo/bin).
# For a foreign architecture (PCFIFO_GUEST_ARCH), SYSROOT holds that
# architecture's busybox, kmod, json-c and their libraries (the packages
# extracted: matrix_userland in tests/matrix/lib.sh) and the C programs are
# cross-compiled with Debian's gcc-TRIPLET; only busybox --list-full runs,
# under qemu-user.
guest_userland() {
	local stage=$1 sysroot=${2-} bb kmod applet m prog bin ctl cc=gcc run=() cross
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin}
	if [ -n "$sysroot" ]; then
		cc=$(_guest_triplet)-gcc
		mapfile -t cross < <(guest_cross_packages)
		need_pkgs "${cross[@]}"
		run=("qemu-${cc%%-*}-static" -L "$sysroot")
		bb=$sysroot/bin/busybox kmod=$sysroot/bin/kmod
	else
		bb=$(deb_root busybox)/bin/busybox
		kmod=$(command -v kmod) || die "kmod not found"
	fi
	_copy_with_libs "$stage" "$bb" /bin/busybox "$sysroot"
	for applet in $("${run[@]}" "$bb" --list-full); do
		case " ${KMOD_TOOLS[*]} " in *" ${applet##*/} "*) continue ;; esac
		[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
	done

	_copy_with_libs "$stage" "$kmod" /bin/kmod "$sysroot"
	for m in "${KMOD_TOOLS[@]}"; do
		ln -sf /bin/kmod "$stage/sbin/$m"
	done

	for prog in "$PCFIFO_ROOT"/tests/guest/devtest.c "$PCFIFO_ROOT"/tests/fuzz/pcfuzz.c; do
		[ -f "$prog" ] || continue
		bin=$(_guest_cprog "$prog" "$cc")
		_copy_with_libs "$stage" "$bin" "/pcfifo/bin/${bin##*/}" "$sysroot"
	done
	if [ -f "$PCFIFO_ROOT/utils/Makefile" ]; then
		ctl=$(_guest_pcfifoctl "$cc" "$sysroot")
		_copy_with_libs "$stage" "$ctl" /pcfifo/bin/pcfifoctl "$sysroot"
	fi
}

# initramfs_build OUT VER IMAGE_ROOT TIMEOUT INTERACTIVE KO... -- CMD...
initramfs_build() {
	local out=$1 ver=$2 image=$3 timeout=$4 interactive=$5
	shift 5
	local kos=() ko stage moddir m
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		kos+=("$1")
		shift
	done
	[ "${1-}" = -- ] || die "initramfs_build: missing -- before the command"
	shift

	stage=$(mktemp -d "$out.XXXXXX")
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,pcfifo}
	chmod 1777 "$stage/tmp"

	# PCFIFO_GUEST_USERLAND: guest_userland's output for a foreign
	# architecture, made in a root of that architecture.
	if [ -n "${PCFIFO_GUEST_USERLAND:-}" ]; then
		cp -a "$PCFIFO_GUEST_USERLAND/." "$stage/"
	else
		guest_userland "$stage"
	fi

	moddir=$(kernel_moddir "$image" "$ver")
	mkdir -p "$stage/lib/modules/$ver/updates"
	for m in "${GUEST_IMAGE_MODULES[@]}"; do
		_copy_image_module "$moddir" "$stage/lib/modules/$ver" "$m"
	done
	for m in modules.builtin modules.builtin.modinfo modules.order; do
		[ ! -f "$moddir/$m" ] || cp "$moddir/$m" "$stage/lib/modules/$ver/"
	done
	for ko in "${kos[@]}"; do
		install -m 0644 "$ko" "$stage/lib/modules/$ver/updates/"
	done
	depmod -b "$stage" "$ver"

	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$stage/etc/passwd"
	printf 'root:x:0:\n' >"$stage/etc/group"
	install -m 0755 "$PCFIFO_ROOT/tests/vm/init" "$stage/init"
	mkdir -p "$stage/pcfifo/tests"
	[ ! -d "$PCFIFO_ROOT/tests/guest" ] || cp -r "$PCFIFO_ROOT/tests/guest" "$stage/pcfifo/tests/"
	[ ! -d "$PCFIFO_ROOT/configfs-examples" ] || cp -r "$PCFIFO_ROOT/configfs-examples" "$stage/pcfifo/"
	[ ! -d "$PCFIFO_ROOT/tests/fuzz" ] || cp -r "$PCFIFO_ROOT/tests/fuzz" "$stage/pcfifo/tests/"
	_sh_quote "$@" >"$stage/pcfifo/cmd"
	printf 'PCFIFO_TIMEOUT=%d\nPCFIFO_INTERACTIVE=%d\nPCFIFO_CONSOLE=%s\n' \
		"$timeout" "$interactive" "$(vm_console)" >"$stage/pcfifo/run.conf"

	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$stage"
}
