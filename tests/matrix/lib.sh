# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Kernel matrix helpers (tests/matrix/run.sh): per-release apt state on the
# host, kernel ABIs resolved from it at run time, mmdebstrap build roots
# cached as tarballs, and kernel images fetched with the release's apt.
#
# Needs tests/lib/common.sh (log, die, with_lock, PCFIFO_CACHE/BUILD).

MATRIX_MIRROR=${PCFIFO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
MATRIX_SECURITY=${PCFIFO_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
MATRIX_CACHE=$PCFIFO_CACHE/matrix
# shellcheck disable=SC2034 # used by run.sh
MATRIX_BUILD=$PCFIFO_BUILD/matrix

# The matrix: entry name, target, flavour. A target is a Debian release
# (amd64) or a release with "-arm64" (the release's arm64 kernel: built and
# put through DKMS in an arm64 root run through qemu-user, booted in
# qemu-system-aarch64). Every release ships a generic and a PREEMPT_RT
# kernel; sid's is the newest kernel Debian has.
MATRIX_ENTRIES=(
	"bullseye bullseye generic"
	"bullseye-rt bullseye rt"
	"bookworm bookworm generic"
	"bookworm-rt bookworm rt"
	"trixie trixie generic"
	"trixie-rt trixie rt"
	"sid sid generic"
	"sid-rt sid rt"
	"bookworm-arm64 bookworm-arm64 generic"
	"sid-arm64 sid-arm64 generic"
)

# Packages of a build root besides the kernel headers (which bring the
# release's gcc, binutils, kbuild and, from 6.x on, pahole). W=1 runs
# scripts/kernel-doc on every file up to 6.x (7.x skips it for external
# modules): perl, not just perl-base (6.12's needs Pod::Usage).
MATRIX_ROOT_PACKAGES=(make perl)

# A root is rebuilt when anything that goes into a module build changes:
# the headers themselves, kbuild, the compiler, binutils, libc, make, pahole
# (and dkms, which only the roots of foreign architectures have).
MATRIX_TOOLCHAIN_RE='^(linux-|gcc|cpp|binutils|libgcc|libc6|libc-dev|make|perl|dwarves|pahole|libelf|libdw|zlib1g|dkms)[^ ]* '

# Packages only the roots of foreign architectures have: DKMS, which
# installs the .deb there (tests/matrix/run.sh, dkms_entry).
# shellcheck disable=SC2034 # used by run.sh
MATRIX_FOREIGN_PACKAGES=(dkms)

# matrix_cross_packages TARGET ABI VERSION: what a REL-cross root needs to
# cross-compile modules for the foreign kernel ABI (its headers, VERSION,
# from TARGET's lists): the cross compiler of the kernel's gcc and the
# kbuild tools of the same version for amd64 (Debian makes linux-kbuild
# Multi-Arch: foreign and its headers' .kernelvariables take CROSS_COMPILE
# for this). Prints one package per line; fails if the headers name none.
matrix_cross_packages() {
	local target=$1 abi=$2 ver=$3 deps gcc kbuild
	deps=$(matrix_apt "$target" apt-cache show "linux-headers-$abi=$ver" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n1)
	gcc=$(grep -oE '(^|[ ,])gcc-[0-9]+' <<<"$deps" | grep -oE '[0-9]+' | head -n1)
	kbuild=$(grep -oE 'linux-kbuild-[^ ,]+' <<<"$deps" | head -n1)
	[ -n "$gcc" ] && [ -n "$kbuild" ] || return 1
	echo "gcc-$gcc-$(matrix_arch_machine "$(matrix_target_arch "$target")")-linux-gnu"
	echo "$kbuild=$ver"
}

# A target's Debian release and architecture: bookworm -> bookworm amd64,
# sid-arm64 -> sid arm64, sid-cross -> sid amd64 (the root in which the
# W=1 builds of the release's foreign kernels are cross-compiled).
matrix_target_rel() { local r=${1%-arm64}; echo "${r%-cross}"; }
matrix_target_arch() { case $1 in *-arm64) echo arm64 ;; *) echo amd64 ;; esac; }
# The machine name a kernel of architecture $1 reports (uname -m, DKMS).
matrix_arch_machine() { case $1 in arm64) echo aarch64 ;; amd64) echo x86_64 ;; *) echo "$1" ;; esac; }

# Binaries of architecture $1 run on this host: native, or qemu-user
# through binfmt_misc (mounted if it is not: in run.sh's private mount
# namespace; the registration itself is the kernel's, for every namespace).
matrix_foreign_ready() {
	local arch=$1 q
	[ "$arch" != amd64 ] || return 0
	q=$(matrix_arch_machine "$arch")
	if ! mountpoint -q /proc/sys/fs/binfmt_misc; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
			{ log "cannot mount binfmt_misc"; return 1; }
	fi
	if [ ! -e "/proc/sys/fs/binfmt_misc/qemu-$q" ]; then
		update-binfmts --enable "qemu-$q" >&2 || { log "update-binfmts --enable qemu-$q failed"; return 1; }
	fi
	grep -qx enabled "/proc/sys/fs/binfmt_misc/qemu-$q" ||
		{ log "binfmt_misc: qemu-$q is registered but disabled"; return 1; }
}

matrix_entry() { # NAME: prints "NAME RELEASE FLAVOUR" or fails
	local e
	for e in "${MATRIX_ENTRIES[@]}"; do
		[ "${e%% *}" != "$1" ] || { echo "$e"; return 0; }
	done
	return 1
}

# ---- the release's apt, on the host ----------------------------------------

_matrix_sources() {
	local rel
	rel=$(matrix_target_rel "$1")
	if [ "$rel" = sid ]; then
		echo "deb $MATRIX_MIRROR sid main"
	else
		echo "deb $MATRIX_MIRROR $rel main"
		echo "deb $MATRIX_MIRROR $rel-updates main"
		echo "deb $MATRIX_SECURITY $rel-security main"
	fi
}

# The directory of a target's apt state: $MATRIX_CACHE/apt/TARGET; a
# REL-cross root is an amd64 root of REL, whose lists REL has already.
_matrix_apt_dir() { echo "$MATRIX_CACHE/apt/${1%-cross}"; }

# matrix_apt TARGET COMMAND ARGS...: apt-get/apt-cache with that target's
# sources and architecture, and its lists (_matrix_apt_dir; no dpkg status:
# nothing is installed on the host).
matrix_apt() {
	local d arch
	d=$(_matrix_apt_dir "$1")
	arch=$(matrix_target_arch "$1")
	shift
	local cmd=$1
	shift
	"$cmd" -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State="$d/state" -o Dir::State::Lists="$d/lists" \
		-o Dir::State::status="$d/status" -o Dir::Cache="$d/cache" \
		-o Acquire::Check-Valid-Until=false -o Acquire::Languages=none \
		-o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root -o Dpkg::Use-Pty=0 "$@"
}

_matrix_apt_update() {
	local rel=$1 d try
	d=$(_matrix_apt_dir "$1")
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/state" &&
		: >>"$d/status" && _matrix_sources "$rel" >"$d/sources.list" || return 1
	for try in 1 2 3; do
		matrix_apt "$rel" apt-get -q update >"$d/update.log" 2>&1 &&
			! grep -q '^[EW]: ' "$d/update.log" && return 0
		log "apt-get update for $rel failed (try $try):"
		grep '^[EW]: ' "$d/update.log" >&2 || tail -n 5 "$d/update.log" >&2
		sleep $((try * 5))
	done
	return 1
}

# matrix_apt_update RELEASE: refresh the release's package lists.
matrix_apt_update() {
	with_lock "$(_matrix_apt_dir "$1").lock" _matrix_apt_update "$1"
}

# Candidate version of package $2 in release $1 (empty if there is none).
matrix_pkgver() {
	matrix_apt "$1" apt-cache policy "$2" 2>/dev/null |
		sed -n 's/^ *Candidate: //p' | grep -vx '(none)' | head -n1
}

# ABI a meta package depends on: linux-image-amd64 -> 6.1.0-56-amd64,
# linux-headers-6.12-rt-arm64 -> 6.12.N+deb13-rt-arm64. The dependency is
# the package of the same kind (the meta's first two words) with a version.
_matrix_meta_abi() {
	local rel=$1 meta=$2 kind
	[[ $meta =~ ^(linux-[a-z]+)- ]] || return 0
	kind=${BASH_REMATCH[1]}
	matrix_apt "$rel" apt-cache depends "$meta" 2>/dev/null |
		sed -n "s/^ *Depends: $kind-\\([0-9][^ ]*\\)\$/\\1/p" | head -n1
}

# Versioned ABIs of the family of ABI $2 in release $1, newest first:
# 5.10.0-46-rt-amd64 -> 5.10.0-N-rt-amd64, 6.12.117+deb13-amd64 ->
# 6.12.N+deb13-amd64 (never a backport, another flavour or another series).
_matrix_family() {
	local rel=$1 abi=$2 re
	if [[ $abi =~ ^([0-9]+)\.([0-9]+)\.[0-9]+-[0-9]+-([a-z0-9-]+)$ ]]; then
		re="^${BASH_REMATCH[1]}\\.${BASH_REMATCH[2]}\\.[0-9]+-[0-9]+-${BASH_REMATCH[3]}\$"
	elif [[ $abi =~ ^([0-9]+)\.([0-9]+)\.[0-9]+\+(deb[0-9]+)-([a-z0-9-]+)$ ]]; then
		re="^${BASH_REMATCH[1]}\\.${BASH_REMATCH[2]}\\.[0-9]+\\+${BASH_REMATCH[3]}-${BASH_REMATCH[4]}\$"
	else
		echo "$abi"
		return 0
	fi
	matrix_apt "$rel" apt-cache pkgnames linux-headers- 2>/dev/null |
		sed -n 's/^linux-headers-//p' | grep -E "$re" | LC_ALL=C sort -rV
}

# _matrix_fetchable RELEASE ABI DEBVER: the mirror has this kernel's image
# (fetched into the cache now: the guest needs it anyway) and the packages
# of its headers that come from the kernel's sources. Remembered per build;
# a miss for a day.
_matrix_fetchable() {
	local rel=$1 abi=$2 ver=$3 ok=$MATRIX_CACHE/apt/$1/fetchable/$2_$3 tmp p rc=0
	local missing=$MATRIX_CACHE/apt/$1/missing/$2_$3 pkgs=("linux-headers-$abi=$ver")
	[ -f "$ok" ] && return 0
	[ -z "$(find "$missing" -mmin -1440 2>/dev/null)" ] || return 1
	mkdir -p "${ok%/*}" "${missing%/*}" || return 1
	if ! matrix_image "$rel" "$abi" "$ver" >/dev/null 2>"$MATRIX_CACHE/apt/$rel/fetch.log"; then
		grep -E '^(E|Err):|404' "$MATRIX_CACHE/apt/$rel/fetch.log" | head -n 3 >&2
		touch "$missing"
		return 1
	fi
	for p in $(matrix_apt "$rel" apt-cache depends "linux-headers-$abi=$ver" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\|base\|compiler\)-[^ ]*\)$/\1/p'); do
		pkgs+=("$p")
	done
	tmp=$(mktemp -d "$MATRIX_CACHE/apt/$rel/fetch.XXXXXX") || return 1
	(cd "$tmp" && matrix_apt "$rel" apt-get download -q "${pkgs[@]}") \
		>"$MATRIX_CACHE/apt/$rel/fetch.log" 2>&1 || rc=1
	rm -rf "$tmp"
	if [ $rc -ne 0 ]; then
		grep -E '^(E|Err):|404' "$MATRIX_CACHE/apt/$rel/fetch.log" | head -n 3 >&2
		touch "$missing"
		return 1
	fi
	rm -f "$missing"
	touch "$ok"
}

# matrix_resolve RELEASE FLAVOUR: prints "ABI DEBVER META" for the
# release's kernel of that flavour. META is the ABI its meta packages
# (linux-image-amd64 and linux-headers-amd64, or the -rt- ones) name; image
# and headers metas must agree, and image and headers must be the same
# build. That kernel is the one tested unless the mirror lacks its image or
# headers (an archive that dropped them): then the newest older build of
# the same series and flavour that it has stands in (ABI differs from META).
# Without meta packages, the newest versioned package of the flavour does.
matrix_resolve() {
	local rel=$1 flavour=$2 sfx image headers iv hv abi n=0 arch
	arch=$(matrix_target_arch "$rel")
	case $flavour in
	generic) sfx=$arch ;;
	rt) sfx=rt-$arch ;;
	*) die "unknown flavour $flavour" ;;
	esac
	image=$(_matrix_meta_abi "$rel" "linux-image-$sfx")
	headers=$(_matrix_meta_abi "$rel" "linux-headers-$sfx")
	if [ -z "$image" ] && [ -z "$headers" ]; then
		# Release kernels only: no backports (0.debNN), no -cloud.
		headers=$(matrix_apt "$rel" apt-cache pkgnames linux-headers- 2>/dev/null |
			sed -n 's/^linux-headers-//p' |
			grep -E "^[0-9]+\\.[0-9]+\\.[0-9]+(-[1-9][0-9]*|\\+deb[0-9]+)-$sfx\$" |
			LC_ALL=C sort -V | tail -n1)
		image=$headers
		[ -z "$headers" ] ||
			log "$rel has no linux-headers-$sfx meta package; using the newest versioned one: $headers"
	fi
	[ -n "$image" ] || die "$rel: cannot resolve linux-image-$sfx (apt lists in $MATRIX_CACHE/apt/$rel)"
	[ "$image" = "$headers" ] ||
		die "$rel: linux-image-$sfx -> $image but linux-headers-$sfx -> ${headers:-nothing} (mirror mid-transition?)"
	for abi in $({ echo "$image"; _matrix_family "$rel" "$image"; } | awk '!seen[$0]++'); do
		n=$((n + 1))
		[ $n -le 6 ] || break
		iv=$(matrix_pkgver "$rel" "linux-image-$abi")
		hv=$(matrix_pkgver "$rel" "linux-headers-$abi")
		if [ -z "$iv" ] || [ "$iv" != "$hv" ]; then
			log "$rel: linux-image-$abi is ${iv:-missing} but linux-headers-$abi is ${hv:-missing}"
			continue
		fi
		if _matrix_fetchable "$rel" "$abi" "$hv"; then
			echo "$abi $hv $image"
			return 0
		fi
		log "$rel: the mirror lacks packages of $abi ($hv); trying the previous build"
	done
	die "$rel: no $flavour kernel of the $image series with image and headers on the mirror"
}

# ---- build roots ---------------------------------------------------------------

# "PACKAGE VERSION" of each package that the `apt-get -s install` output on
# stdin would install.
_matrix_sim_versions() {
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1 \2/p'
}

# matrix_root_key RELEASE PKG=VER...: a short hash of the release, its
# mirrors and the versions of every toolchain package an install of
# PKG=VER... (into an empty system) would bring.
matrix_root_key() {
	local rel=$1 out
	shift
	mkdir -p "$MATRIX_CACHE/roots"
	out=$(matrix_apt "$rel" apt-get -s -q install --no-install-recommends "$@" 2>&1) ||
		{ printf '%s\n' "$out" | tail -n 20 >&2; die "$rel: apt-get -s install $* failed"; }
	{
		echo "matrix-root v2 $rel"
		_matrix_sources "$rel"
		printf '%s\n' "$*"
		_matrix_sim_versions <<<"$out" | grep -E "$MATRIX_TOOLCHAIN_RE" | LC_ALL=C sort
	} | tee "$MATRIX_CACHE/roots/$rel.key.txt" | sha256sum | cut -c1-16
}

_matrix_root_create() {
	local rel=$1 tarball=$2 tmp sources
	shift 2
	[ -f "$tarball" ] && return 0
	tmp=$tarball.tmp.tar.zst
	rm -f "$tmp"
	log "creating a $rel root (mmdebstrap): $*"
	# The root only lives on as a tarball: dpkg need not fsync. Docs, man
	# pages and translations only cost time and space here. So do
	# the kernel images that some headers packages depend on (trixie's):
	# their modules are left out and no initramfs is made for them.
	mapfile -t sources < <(_matrix_sources "$rel")
	# shellcheck disable=SC2016 # "$1" is for mmdebstrap's hook shell
	# A foreign architecture's root runs its maintainer scripts through
	# qemu-user (matrix_foreign_ready).
	if ! mmdebstrap --variant=minbase --mode=root --arch="$(matrix_target_arch "$rel")" \
		--include="$(IFS=,; echo "$*")" \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='Acquire::Languages "none"' \
		--aptopt='Dpkg::Use-Pty "0"' \
		--dpkgopt='force-unsafe-io' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/lib/modules/*/kernel/*' \
		--dpkgopt='path-exclude=/lib/modules/*/kernel/*' \
		--essential-hook='chroot "$1" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs' \
		--essential-hook='ln -s /bin/true "$1/usr/sbin/update-initramfs"' \
		--skip=cleanup/apt/lists \
		"$(matrix_target_rel "$rel")" "$tmp" "${sources[@]}" >"$tarball.log" 2>&1; then
		tail -n 30 "$tarball.log" >&2
		rm -f "$tmp"
		return 1
	fi
	mv "$tmp" "$tarball" || return 1
	# Roots of older versions are dead weight (KEY: 16 hex digits, so that
	# bookworm's never matches bookworm-arm64's).
	find "$(dirname "$tarball")" -maxdepth 1 -name "$rel-$(printf '%.0s?' {1..16}).tar.zst" \
		! -name "${tarball##*/}" \
		-printf "${0##*/}: removing the outdated root %f\n" -delete >&2
}

# matrix_root_tarball TARGET KEY PKG=VER...: the cached tarball of a
# minbase root of TARGET (release and architecture) with PKG=VER... installed; created if missing.
matrix_root_tarball() {
	local rel=$1 key=$2 tarball
	shift 2
	tarball=$MATRIX_CACHE/roots/$rel-$key.tar.zst
	with_lock "$MATRIX_CACHE/roots/$rel.lock" _matrix_root_create "$rel" "$tarball" \
		"${MATRIX_ROOT_PACKAGES[@]}" "$@" || die "mmdebstrap of $rel failed (log: $tarball.log)"
	echo "$tarball"
}

# Unmount whatever is mounted under directory $1 (deepest first). Only
# called inside run.sh's private mount namespace.
matrix_root_umount() {
	local dir=$1 m
	[ -d "$dir" ] || return 0
	dir=$(cd "$dir" && pwd -P)
	_matrix_mounts_under "$dir" | LC_ALL=C sort -r | while read -r m; do
		umount -l "$m" || log "cannot unmount $m"
	done
	[ -z "$(_matrix_mounts_under "$dir")" ]
}
_matrix_mounts_under() { # DIR: mount points strictly below DIR
	findmnt -rn -o TARGET | awk -v d="$1/" 'index($0, d) == 1'
}

# Delete root directory $1: never while something is mounted under it, and
# never across file systems.
matrix_root_delete() {
	[ -e "$1" ] || return 0
	if ! matrix_root_umount "$1"; then
		log "mounts left under $1; not deleting it"
		return 1
	fi
	rm -rf --one-file-system "$1"
}

# matrix_root_extract TARBALL DIR: a fresh root in DIR with /proc mounted
# (objtool of 7.x needs it). /dev comes from the tarball: mmdebstrap
# creates the device nodes; nothing of the host's /dev is bound in.
matrix_root_extract() {
	local tarball=$1 dir=$2
	matrix_root_delete "$dir" || die "cannot replace $dir"
	mkdir -p "$dir"
	tar --zstd -xpf "$tarball" --numeric-owner -C "$dir" || die "cannot extract $tarball"
	[ -c "$dir/dev/null" ] || die "$tarball has no /dev/null device node"
	mount -t proc proc "$dir/proc" || die "cannot mount /proc in $dir"
}

# matrix_in_root DIR COMMAND...: run COMMAND chrooted in DIR, clean env.
matrix_in_root() {
	local dir=$1
	shift
	chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 "$@"
}

# ---- kernel images ---------------------------------------------------------------

# matrix_debs_extract TARGET DIR PKG=VER...: the packages, downloaded with
# TARGET's apt into DIR/debs, extracted together into DIR/root; the .deb
# files are removed. Nothing is installed. apt's output goes to stderr.
matrix_debs_extract() {
	local target=$1 dir=$2 deb
	shift 2
	mkdir -p "$dir/debs" "$dir/root" || return 1
	(cd "$dir/debs" && matrix_apt "$target" apt-get download -q "$@") >&2 || return 1
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root" || return 1
	done
	rm -rf "$dir/debs"
}

_matrix_image_fetch() {
	local rel=$1 abi=$2 debver=$3 dir=$4 tmp pkgs p abi_re
	[ -f "$dir/.complete" ] && return 0
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")" && tmp=$(mktemp -d "$dir.XXXXXX") || return 1
	# 7.x splits the image: linux-image-ABI depends on linux-base-ABI
	# (config, System.map), linux-binary-ABI (vmlinuz) and
	# linux-modules-ABI. Every dependency named after the ABI comes along.
	pkgs=("linux-image-$abi=$debver")
	abi_re=${abi//./\\.}
	for p in $(matrix_apt "$rel" apt-cache depends "linux-image-$abi=$debver" 2>/dev/null |
		sed -n "s/^ *Depends: \\([a-z0-9.+-]*-$abi_re\\)\$/\\1/p" | sort -u); do
		pkgs+=("$p=$debver")
	done
	log "downloading ${pkgs[*]}"
	matrix_debs_extract "$rel" "$tmp" "${pkgs[@]}" ||
		{ rm -rf "$tmp"; die "cannot download or extract ${pkgs[*]}"; }
	# The layout tests/lib/kernel.sh and tests/vm/ expect: boot/vmlinuz-ABI
	# and boot/config-ABI (7.x keeps them in /usr/lib/modules/ABI).
	mkdir -p "$tmp/root/boot"
	for p in vmlinuz config System.map; do
		if [ ! -e "$tmp/root/boot/$p-$abi" ] && [ -e "$tmp/root/usr/lib/modules/$abi/$p" ]; then
			ln -s "../usr/lib/modules/$abi/$p" "$tmp/root/boot/$p-$abi"
		fi
	done
	if [ ! -f "$tmp/root/boot/vmlinuz-$abi" ] || [ ! -f "$tmp/root/boot/config-$abi" ]; then
		rm -rf "$tmp"
		die "linux-image-$abi=$debver has no vmlinuz or config"
	fi
	printf '%s\n' "${pkgs[@]}" >"$tmp/packages" && touch "$tmp/.complete" && mv "$tmp" "$dir"
}

# matrix_image RELEASE ABI DEBVER: the extracted image (all its packages) in
# the cache, keyed on the exact build. Prints the root directory.
matrix_image() {
	local rel=$1 abi=$2 debver=$3 dir
	dir=$MATRIX_CACHE/images/$abi/$debver
	with_lock "$MATRIX_CACHE/images/$abi.lock" _matrix_image_fetch "$rel" "$abi" "$debver" "$dir" ||
		return 1
	echo "$dir/root"
}

# matrix_cache_prune ABI...: after a run of the whole matrix, drop what
# the cache holds for any other kernel (images, builds, suite results), and
# builds and suite results unused for two weeks.
matrix_cache_prune() {
	local d base abi keep a
	with_lock "$MATRIX_CACHE/results.lock" find "$MATRIX_CACHE/builds" "$MATRIX_CACHE/suites" \
		"$MATRIX_CACHE/dkms" "$MATRIX_CACHE/userland" \
		-mindepth 1 -maxdepth 1 -type d -mtime +14 -exec rm -rf --one-file-system {} + 2>/dev/null || true
	for d in "$MATRIX_CACHE"/images/*/ "$MATRIX_CACHE"/builds/*/ "$MATRIX_CACHE"/suites/*/ \
		"$MATRIX_CACHE"/dkms/*/; do
		[ -d "$d" ] || continue
		base=$(basename "$d")
		keep=0
		for a in "$@"; do
			# images/ABI, builds/ABI-KEY, suites/ABI-STAMP, dkms/ABI-KEY
			for abi in "$base" "${base%-*}"; do
				[ "$abi" != "$a" ] || keep=1
			done
		done
		[ $keep = 1 ] && continue
		log "removing ${d#"$MATRIX_CACHE"/} from the cache: not a current kernel"
		rm -rf --one-file-system "$d" "${d%/}.lock"
	done
	# The arm64 root the guest programs were built in before they were
	# cross-compiled.
	rm -rf --one-file-system "$MATRIX_CACHE/roots/userland"
	# Left by a run that was killed while it saved a result.
	[ ! -d "$MATRIX_CACHE/tmp" ] ||
		find "$MATRIX_CACHE/tmp" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} +
}

# ---- what a foreign architecture's guest runs ------------------------------------
# An amd64 guest runs the host's programs (tests/vm/initramfs.sh,
# guest_userland). An arm64 guest runs the same set for arm64: busybox and
# kmod from bookworm's arm64 packages, the guest C programs and pcfifoctl
# cross-compiled against them. The packages and what they depend on are
# extracted into a directory, not installed: nothing runs under qemu-user
# but busybox --list-full (an arm64 root took 17 minutes to make).
MATRIX_USERLAND_RELEASE=bookworm
MATRIX_USERLAND_PACKAGES=(busybox kmod libjson-c-dev)

# The files guest_userland reads, relative to the checkout.
_matrix_userland_files() {
	(cd "$PCFIFO_ROOT" && printf '%s\n' tests/lib/common.sh tests/vm/initramfs.sh \
		tests/guest/devtest.c tests/fuzz/pcfuzz.c src/uapi/pcfifo.h src/version.h \
		utils/Makefile utils/*.[ch])
}

# _matrix_userland_make ARCH OUT PKG=VER...: guest_userland's output for
# ARCH in OUT, from those packages extracted.
_matrix_userland_make() {
	local arch=$1 out=$2 tmp=$2.tmp
	shift 2
	[ -f "$out/.complete" ] && return 0
	rm -rf "$tmp" || return 1
	if ! matrix_debs_extract "$MATRIX_USERLAND_RELEASE-$arch" "$tmp" "$@" >"$out.log" 2>&1; then
		tail -n 5 "$out.log" >&2
		return 1
	fi
	if ! (PCFIFO_GUEST_ARCH=$arch guest_userland "$tmp/userland" "$tmp/root") >>"$out.log" 2>&1; then
		tail -n 20 "$out.log" >&2
		return 1
	fi
	mv "$tmp/userland" "$out" && touch "$out/.complete" && rm -rf "$tmp"
}

# matrix_userland ARCH: guest_userland's output for ARCH (a directory for
# initramfs_build's PCFIFO_GUEST_USERLAND), cached and keyed on the
# versions of its packages, the cross compiler and the files it is built
# from. Prints the directory.
matrix_userland() {
	local target=$MATRIX_USERLAND_RELEASE-$1 pkgs cross key out d=$MATRIX_CACHE/userland
	[ -d "$MATRIX_CACHE/apt/$target/lists" ] || matrix_apt_update "$target" || return 1
	mapfile -t pkgs < <(matrix_apt "$target" apt-get -s -q install --no-install-recommends \
		"${MATRIX_USERLAND_PACKAGES[@]}" | _matrix_sim_versions | LC_ALL=C sort | tr ' ' =)
	[ ${#pkgs[@]} -gt 0 ] || { log "$target: apt cannot install ${MATRIX_USERLAND_PACKAGES[*]}"; return 1; }
	mapfile -t cross < <(PCFIFO_GUEST_ARCH=$1 guest_cross_packages)
	need_pkgs "${cross[@]}"
	key=$({
		echo "userland v3 $target"
		printf '%s\n' "${pkgs[@]}"
		dpkg-query -W -f='${Package} ${Version}\n' "${cross[@]}"
		_matrix_userland_files | (cd "$PCFIFO_ROOT" && xargs sha256sum)
	} | sha256sum | cut -c1-16)
	out=$d/$1-$key
	mkdir -p "$d"
	with_lock "$d/$1.lock" _matrix_userland_make "$1" "$out" "${pkgs[@]}" || return 1
	touch "$out"
	echo "$out"
}
