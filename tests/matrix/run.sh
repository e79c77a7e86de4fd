#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-matrix`: pcfifo on every supported kernel, 5.10 to the newest
# kernel in Debian sid, generic and PREEMPT_RT. For each Debian release
# (bullseye, bookworm, trixie, sid):
#
#   1. resolve its kernels from its own apt lists (meta packages
#      linux-{image,headers}-amd64 and -rt-amd64; nothing is pinned)
#   2. build the modules with W=1 inside a minbase root of that release
#      (mmdebstrap; its own gcc and headers): any warning fails
#   3. boot that release's kernel in QEMU (TCG) and run the guest suite
#      (tests/guest/run-suite.sh; on amd64 without the files that test only
#      user space, below); a WARNING, BUG, lockdep splat etc. in the
#      kernel log fails it too
#
# and check dkms.conf's BUILD_EXCLUSIVE_KERNEL (tests/matrix/dkms-range.sh)
# against every resolved kernel and a list of releases in and out of range.
#
# The arm64 entries (bookworm-arm64, sid-arm64: the release's linux-*-arm64
# kernel) resolve their kernel in an arm64 root of the release (mmdebstrap
# --arch=arm64; its binaries run through qemu-user and binfmt_misc), where
# the package of `make deb`, installed with apt, must have DKMS build and
# install the modules for that root's kernel headers. Their W=1 build is
# cross-compiled, with those headers, in an amd64 root of the release
# (REL-cross: the release's cross gcc and kbuild; under qemu-user, gcc took
# 6 to 12 minutes a build), or in the arm64 root if apt cannot provide the
# cross compiler. Step 3 boots the kernel in qemu-system-aarch64 (virt
# machine), whose guest programs (busybox and kmod from bookworm's arm64
# packages, the test programs and pcfifoctl cross-compiled against them)
# come from tests/matrix/lib.sh's matrix_userland.
# Two suites run at a time (--jobs; they mostly sleep in their rate
# windows), across releases; while they run, the next release is prepared
# (steps 1 and 2) in the background. The results go to the table between
# the matrix markers in README.md.
#
# --build-only (make prepare-matrix, which .ci/run starts in the background)
# does steps 1 and 2 and builds the arm64 guest programs, in a tree of its
# own (build/matrix-prepare), so that a full run can go on beside it: one
# run at a time prepares a release (a lock in the cache), and what one did
# the other takes from the cache.
#
# Cached in $PCFIFO_CACHE/matrix (default ~/.cache/pcfifo/matrix): each
# release's apt lists, one root tarball per release keyed on the versions of
# its headers and toolchain, the kernel images, and the results: a build is
# redone only when src/, the headers or the toolchain changed (a failed one
# always), a suite only when anything that goes into the guest changed
# since it last passed (modules, kernel, tests/guest, tests/vm, examples,
# busybox, kmod, QEMU), or with --rerun; a DKMS check only when the root or
# the .deb changed.
#
# Needs root (mmdebstrap, chroot). All mounts live in a private mount
# namespace and are undone in an EXIT trap; roots are deleted with
# rm --one-file-system only.
set -euo pipefail

# The suite's files that test only user space (suite_args).
MATRIX_USERSPACE_FILES='t69 t90'

usage() {
	cat <<EOF
usage: ${0##*/} [--build-only] [--rerun] [--full-suite] [--jobs N] [--no-readme] [ENTRY...]

  ENTRY         matrix entries (default: all): bullseye bullseye-rt bookworm
                bookworm-rt trixie trixie-rt sid sid-rt bookworm-arm64
                sid-arm64; a glob means every entry it matches (sid* is sid,
                sid-rt and sid-arm64)
  --build-only  resolve and build only, no guests (implies --no-readme)
  --rerun       run every guest suite, even one whose inputs are those of
                a run that passed
  --full-suite  on amd64 too, the suite's files that test only user space
                ($MATRIX_USERSPACE_FILES; left out there by default)
  --jobs N      guests at once (default 2; 1 runs the suites in turn)
  --no-readme   leave README.md's table alone

Environment:
  PCFIFO_MATRIX          entries, as ENTRY (make check-matrix MATRIX=...)
  PCFIFO_SUITE_TIMEOUT   seconds per guest suite (default 480)
  PCFIFO_CACHE           cache directory (default ~/.cache/pcfifo)
  PCFIFO_MATRIX_RERUN=1  as --rerun
  PCFIFO_MATRIX_FULL_SUITE=1  as --full-suite
  PCFIFO_MATRIX_JOBS     as --jobs
  PCFIFO_MATRIX_SKIP_DKMS   entries (as ENTRY) whose arm64 DKMS check is
                            left out (reported as a NOTE)
  PCFIFO_MATRIX_SKIP_SUITE  entries (as ENTRY) whose guest suite is left
                            out (reported as a NOTE)
  PCFIFO_MATRIX_KEEP=1   keep the extracted build roots in build/matrix/roots
  PCFIFO_DEBIAN_MIRROR, PCFIFO_DEBIAN_SECURITY   the Debian archive
EOF
}

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
# shellcheck source=../lib/kernel.sh
. "$PCFIFO_ROOT/tests/lib/kernel.sh"
# shellcheck source=../lib/build.sh
. "$PCFIFO_ROOT/tests/lib/build.sh"
# shellcheck source=../vm/initramfs.sh
. "$PCFIFO_ROOT/tests/vm/initramfs.sh"
# shellcheck source=../vm/qemu.sh
. "$PCFIFO_ROOT/tests/vm/qemu.sh"
# shellcheck source=lib.sh
. "$PCFIFO_ROOT/tests/matrix/lib.sh"
# shellcheck source=../lib/report.sh
. "$PCFIFO_ROOT/tests/lib/report.sh"
build_only=0 readme=1 rerun=${PCFIFO_MATRIX_RERUN:-0} full_suite=${PCFIFO_MATRIX_FULL_SUITE:-0} jobs=${PCFIFO_MATRIX_JOBS:-2} args=()
argv=("$@")
for ((i = 0; i < ${#argv[@]}; i++)); do
	case ${argv[$i]} in
	--build-only) build_only=1 readme=0 ;;
	--rerun) rerun=1 ;;
	--full-suite) full_suite=1 ;;
	--jobs)
		i=$((i + 1))
		jobs=${argv[$i]-}
		;;
	--no-readme) readme=0 ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) args+=("${argv[$i]}") ;;
	esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { log "--jobs: a number of guests, 1 or more"; usage >&2; exit 2; }
[ $build_only = 0 ] || MATRIX_BUILD=$PCFIFO_BUILD/matrix-prepare
PCFIFO_LOGS=$MATRIX_BUILD/logs
# (read: a glob in it is a pattern of entries, not of file names)
[ ${#args[@]} -gt 0 ] || read -ra args <<<"${PCFIFO_MATRIX:-}"

# entry_in NAME PATTERN...: NAME is one of the entries PATTERN names (a
# name or a glob: "sid*" is sid, sid-rt and sid-arm64).
entry_in() {
	local name=$1 a
	shift
	for a in "$@"; do
		# shellcheck disable=SC2053 # a glob on purpose
		[[ $name != $a ]] || return 0
	done
	return 1
}
# entries_known WHAT PATTERN...: every PATTERN names a matrix entry, or the
# run ends with usage (WHAT: where the patterns came from).
entries_known() {
	local what=$1 a e ok
	shift
	for a in "$@"; do
		ok=0
		for e in "${MATRIX_ENTRIES[@]}"; do
			! entry_in "${e%% *}" "$a" || ok=1
		done
		[ $ok = 1 ] || { log "${what}unknown matrix entry '$a'"; usage >&2; exit 2; }
	done
}

# The selected entries, in the matrix's order.
selected=()
for e in "${MATRIX_ENTRIES[@]}"; do
	name=${e%% *}
	if [ ${#args[@]} -eq 0 ] || entry_in "$name" "${args[@]}"; then
		selected+=("$name")
	fi
done
# Entries whose DKMS check (foreign ones only: amd64's is make
# check-packages') or guest suite is left out.
read -ra skip_dkms <<<"${PCFIFO_MATRIX_SKIP_DKMS:-}"
read -ra skip_suite <<<"${PCFIFO_MATRIX_SKIP_SUITE:-}"
entries_known '' "${args[@]}"
entries_known 'PCFIFO_MATRIX_SKIP_*: ' "${skip_dkms[@]}" "${skip_suite[@]}"

# The architectures of the selected entries besides amd64.
foreign=()
for name in "${selected[@]}"; do
	read -r _ target _ < <(matrix_entry "$name")
	arch=$(matrix_target_arch "$target")
	[ "$arch" = amd64 ] || case " ${foreign[*]} " in *" $arch "*) ;; *) foreign+=("$arch") ;; esac
done

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot)"
need_pkgs mmdebstrap zstd xz-utils util-linux coreutils
[ $build_only = 1 ] || need_pkgs qemu-system-x86 cpio kmod gzip
# qemu-user for the foreign roots (mmdebstrap wants arch-test for them);
# `make deb` for their DKMS check.
[ ${#foreign[@]} -eq 0 ] || need_pkgs qemu-user-static binfmt-support arch-test \
	build-essential debhelper dh-dkms dpkg-dev libjson-c-dev pkg-config
# qemu-system-aarch64 for the arm64 guests.
[ ${#foreign[@]} -eq 0 ] || [ $build_only = 1 ] || need_pkgs qemu-system-arm

# Mounts must never reach the host's namespace: re-run in a private one.
if [ -z "${PCFIFO_MATRIX_NS:-}" ]; then
	PCFIFO_MATRIX_NS=1 exec unshare --mount --propagation private "$0" "$@"
fi

mkdir -p "$MATRIX_BUILD/roots" "$PCFIFO_LOGS" "$MATRIX_CACHE"
exec 8>"$MATRIX_BUILD/run.lock"
flock -n 8 || die "another check-matrix runs in this tree ($MATRIX_BUILD/run.lock)"
for arch in "${foreign[@]}"; do
	matrix_foreign_ready "$arch" || die "cannot run $arch binaries (qemu-user-static, binfmt_misc)"
done

# shellcheck disable=SC2317 # the EXIT trap calls it
cleanup() {
	local d p
	# The background prepare first (its process group): it may be using a
	# root. Then the guests of the suites that run side by side.
	for p in $bg_pid "${suite_pids[@]}"; do
		kill -TERM -- -"$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	for d in "$MATRIX_BUILD"/roots/*/; do
		[ -d "$d" ] || continue
		if [ "${PCFIFO_MATRIX_KEEP:-0}" = 1 ]; then
			matrix_root_umount "$d" || true
		else
			matrix_root_delete "${d%/}" || true
		fi
	done
}
bg_pid='' suite_pids=() suite_names=() suite_results=$MATRIX_BUILD/suite-results
trap cleanup EXIT
trap 'exit 130' INT TERM

suite_timeout=${PCFIFO_SUITE_TIMEOUT:-480}

# Per entry: target (release and architecture), flavour, architecture,
# ABI, Debian version, root key, results.
declare -A E_REL E_FLAV E_ARCH E_ABI E_VER E_META E_KEY B_RC B_TXT S_TXT D_KEY D_TXT
for e in "${MATRIX_ENTRIES[@]}"; do
	read -r name rel flav <<<"$e"
	E_REL[$name]=$rel E_FLAV[$name]=$flav E_ARCH[$name]=$(matrix_target_arch "$rel")
done

releases=()
for name in "${selected[@]}"; do
	case " ${releases[*]} " in *" ${E_REL[$name]} "*) ;; *) releases+=("${E_REL[$name]}") ;; esac
done
log "matrix: ${selected[*]} (cache: $MATRIX_CACHE)"

# ---- sources: a snapshot, the identity of every build ---------------------------
# Every build uses this copy of src/, taken now: an edit to src/ during the
# run can never end up in the cache under the key of other sources.
src_files() { # DIR: the files of a build, relative to DIR
	(cd "$1" && find . -type f \
		\( -name '*.[chS]' -o -name Kbuild -o -name Makefile -o -name '*.lds' \) \
		! -name '*.mod.c' -printf '%P\n' | LC_ALL=C sort)
}
src_hash_of() { # DIR
	(cd "$1" && src_files . | tr '\n' '\0' | xargs -0r sha256sum) | sha256sum | cut -c1-16
}
# The example client module (BUILD_EXAMPLE, tests/lib/build.sh) is built
# after src/ and counts as one of its sources.
sources_hash() { # SRCDIR EXAMPLEDIR
	{ src_hash_of "$1"; src_hash_of "$2"; } | sha256sum | cut -c1-16
}
src_snap=$MATRIX_BUILD/src
ex_snap=$MATRIX_BUILD/kernel-client
rm -rf "$src_snap" "$ex_snap"
mkdir -p "$src_snap" "$ex_snap"
(cd "$PCFIFO_ROOT/src" && src_files . | cpio -pdm --quiet "$src_snap")
(cd "$PCFIFO_ROOT/$BUILD_EXAMPLE" && src_files . | cpio -pdm --quiet "$ex_snap")
src_hash=$(sources_hash "$src_snap" "$ex_snap")

# The DKMS package of the foreign roots, built here (`make deb`, in a
# directory of its own: the tree's dist/ and build/deb stay as they are).
# The identity of a DKMS check is that of what DKMS sees of it: its
# /usr/src tree, maintainer scripts and relations (not its docs: README.md
# changes with this very table).
deb_identity() { # DEB
	local t rc=0
	t=$(mktemp -d) || return 1
	{
		dpkg-deb -x "$1" "$t" && dpkg-deb -e "$1" "$t/DEBIAN" &&
			(cd "$t" && find usr/src DEBIAN -type f ! -name control ! -name md5sums -print0 |
				LC_ALL=C sort -z | xargs -0r sha256sum) &&
			dpkg-deb -f "$1" Package Version Depends Pre-Depends
	} | sha256sum | cut -c1-16 || rc=1
	rm -rf "$t"
	return $rc
}
deb_file='' deb_hash=''
if [ ${#foreign[@]} -gt 0 ]; then
	rm -rf "$MATRIX_BUILD/deb" && mkdir -p "$MATRIX_BUILD/deb"
	if make -C "$PCFIFO_ROOT" deb PKG_DIST="$MATRIX_BUILD/deb" PKG_BUILD="$MATRIX_BUILD/deb/build" \
		>"$PCFIFO_LOGS/deb.log" 2>&1; then
		deb_file=$(find "$MATRIX_BUILD/deb" -maxdepth 1 -name 'pcfifo-dkms_*_all.deb' | head -n1)
	fi
	if [ -n "$deb_file" ]; then
		deb_hash=$(deb_identity "$deb_file") || die "cannot read $deb_file"
		log "DKMS package: ${deb_file##*/} ($deb_hash)"
	else
		log "make deb failed; see $PCFIFO_LOGS/deb.log"
		tail -n 20 "$PCFIFO_LOGS/deb.log" >&2
	fi
fi

# Finished builds and passed suites are kept in $MATRIX_CACHE/{builds,suites},
# shared by every tree on the machine: an entry is written under a temporary
# name and renamed, and read and written under this lock only.
results_lock=$MATRIX_CACHE/results.lock

# A build's files in build/matrix/ABI, cleared before a build or a restore
# from the cache; the DKMS check's (dkms-status, dkms-stamp) stay: it may
# have been restored from the cache already.
build_clear() { # OUTDIR
	rm -rf "$1/src" "$1/status" "$1/stamp" "$1/cc"
}

# build_entry NAME ROOTDIR STAMP [CC]: W=1 build of src/ and of the
# example in the root; the result goes to build/matrix/ABI/{src,status,
# stamp,cc}, the example's module with pcfifo's in src/ (cached and booted
# alike). CC (aarch64-linux-gnu-gcc-12): cross-compile with it.
build_entry() {
	local name=$1 dir=$2 stamp=$3 cc=${4-} abi=${E_ABI[$1]} rc=0 cross=()
	local out=$MATRIX_BUILD/$abi log=$PCFIFO_LOGS/$abi-build.log in=/tmp/pcfifo-$abi
	local ex=/tmp/pcfifo-$abi-kernel-client
	[ -z "$cc" ] || cross=(CROSS_COMPILE="${cc%gcc-*}")
	build_clear "$out"
	rm -rf "$dir$in" "$dir$ex"
	mkdir -p "$out" "$dir$in" "$dir$ex" "$PCFIFO_LOGS"
	(cd "$src_snap" && src_files . | cpio -pdm --quiet "$dir$in")
	(cd "$ex_snap" && src_files . | cpio -pdm --quiet "$dir$ex")
	# Paths in the root go through chroot: /lib/modules/ABI/build is an
	# absolute symlink, which outside the root would lead to the host's.
	if ! matrix_in_root "$dir" test -f "/lib/modules/$abi/build/Makefile"; then
		echo "the $name root has no /lib/modules/$abi/build" >"$log"
		rc=1
	else
		matrix_in_root "$dir" make -C "/lib/modules/$abi/build" M="$in" W=1 \
			"${cross[@]}" -j"$(nproc)" modules >"$log" 2>&1 || rc=1
		[ $rc -ne 0 ] || matrix_in_root "$dir" make -C "/lib/modules/$abi/build" M="$ex" \
			PCFIFO_SRC="$in" KBUILD_EXTRA_SYMBOLS="$in/Module.symvers" W=1 \
			"${cross[@]}" -j"$(nproc)" modules >>"$log" 2>&1 || rc=1
	fi
	[ $rc -ne 0 ] || ! build_findings "$log" >/dev/null || rc=2
	cp -a "$dir$in" "$out/src"
	[ $rc -eq 1 ] || cp "$dir$ex"/*.ko "$out/src/" || rc=1
	if [ -n "$cc" ]; then
		{ matrix_in_root "$dir" "$cc" --version 2>/dev/null | head -n1; echo cross; } >"$out/cc" || true
	else
		matrix_in_root "$dir" cat "/lib/modules/$abi/build/.config" 2>/dev/null |
			sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' >"$out/cc" || true
	fi
	echo "$rc" >"$out/status"
	echo "$stamp" >"$out/stamp"
	# A build that did not fail (a clean one or one with warnings) goes to
	# the cache, so that another tree on this machine need not redo it. A
	# failed one is always redone.
	[ $rc -eq 1 ] || with_lock "$results_lock" _build_save "$1" ||
		log "$name: cannot save the build in $MATRIX_CACHE/builds"
}

# cache_put DIR KIND ABI: DIR (a filled temporary directory) becomes the
# cache entry KIND/ABI-KEY (KEY: its name). Entries of other sources stay
# (trees of several branches share the cache) until matrix_cache_prune
# finds them unused for two weeks; a read touches an entry.
# shellcheck disable=SC2317 # called through with_lock
cache_put() {
	local c=$MATRIX_CACHE/$2/$3-${1##*/}
	rm -rf --one-file-system "$c" && mv "$1" "$c"
}
# shellcheck disable=SC2317 # called through with_lock
_build_save() { # NAME
	local abi=${E_ABI[$1]} tmp=$MATRIX_CACHE/tmp/${E_KEY[$1]}
	rm -rf "$tmp" && mkdir -p "$tmp" "$MATRIX_CACHE/builds" &&
		cp "$MATRIX_BUILD/$abi"/src/*.ko "$MATRIX_BUILD/$abi/status" "$MATRIX_BUILD/$abi/cc" "$tmp/" &&
		cp "$PCFIFO_LOGS/$abi-build.log" "$tmp/build.log" &&
		cache_put "$tmp" builds "$abi"
}
# shellcheck disable=SC2317 # called through with_lock
_build_restore() { # NAME: true if the cache had the build
	local abi=${E_ABI[$1]} c=$MATRIX_CACHE/builds/${E_ABI[$1]}-${E_KEY[$1]}
	local out=$MATRIX_BUILD/${E_ABI[$1]}
	[ -f "$c/build.log" ] || return 1
	touch "$c"
	build_clear "$out"
	mkdir -p "$out/src" "$PCFIFO_LOGS"
	cp "$c"/*.ko "$out/src/" && cp "$c/status" "$c/cc" "$out/" &&
		cp "$c/build.log" "$PCFIFO_LOGS/$abi-build.log" && echo "${E_KEY[$1]}" >"$out/stamp"
}

# dkms_entry NAME ROOTDIR: apt installs the DKMS package in the root (a
# foreign architecture's, where no kernel runs: Debian's dkms postinst
# then builds for every kernel that has headers); DKMS must have built and
# installed the three modules for the entry's kernel, for that
# architecture. Result in build/matrix/ABI/dkms-status, log ABI-dkms.log.
dkms_entry() {
	local name=$1 dir=$2 abi=${E_ABI[$1]} rc=0 st m f vm machine
	local log=$PCFIFO_LOGS/${E_ABI[$1]}-dkms.log
	machine=$(matrix_arch_machine "${E_ARCH[$name]}")
	mkdir -p "$MATRIX_BUILD/$abi"
	{
		echo "apt install ${deb_file##*/} in the ${E_REL[$name]} root"
		cp "$deb_file" "$dir/tmp/" &&
			matrix_in_root "$dir" DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends -o Dpkg::Use-Pty=0 "/tmp/${deb_file##*/}" || rc=1
		st=$(matrix_in_root "$dir" dkms status -m pcfifo -k "$abi" 2>&1) || rc=1
		echo "dkms status: $st"
		# (a fixed string: a release such as 7.2.13+deb14-arm64 is no regex)
		if [[ $st != pcfifo/*", $abi, $machine: installed"* ]]; then
			echo "FAIL: dkms status does not show pcfifo installed for $abi, $machine"
			rc=1
		fi
		for m in pcfifo pcfifo_producer pcfifo_consumer; do
			f=$(matrix_in_root "$dir" find "/lib/modules/$abi/updates/dkms" -maxdepth 1 \
				-name "$m.ko*" 2>/dev/null | head -n1)
			if [ -z "$f" ]; then
				echo "FAIL: no $m.ko* in /lib/modules/$abi/updates/dkms"
				rc=1
				continue
			fi
			vm=$(matrix_in_root "$dir" modinfo -F vermagic "$f" 2>&1) || rc=1
			echo "$f: vermagic $vm"
			[[ " $vm " == " $abi "*" $machine "* ]] ||
				{ echo "FAIL: $f is not a module for $abi on $machine"; rc=1; }
		done
	} >"$log" 2>&1
	echo "$rc" >"$MATRIX_BUILD/$abi/dkms-status"
	[ $rc -ne 0 ] || with_lock "$results_lock" _dkms_save "$name" ||
		log "$name: cannot save the DKMS result in $MATRIX_CACHE/dkms"
}
# shellcheck disable=SC2317 # called through with_lock
_dkms_save() { # NAME
	local abi=${E_ABI[$1]} tmp=$MATRIX_CACHE/tmp/${D_KEY[$1]}
	rm -rf "$tmp" && mkdir -p "$tmp" "$MATRIX_CACHE/dkms" &&
		cp "$MATRIX_BUILD/$abi/dkms-status" "$tmp/status" &&
		cp "$PCFIFO_LOGS/$abi-dkms.log" "$tmp/dkms.log" &&
		cache_put "$tmp" dkms "$abi"
}
# shellcheck disable=SC2317 # called through with_lock
_dkms_restore() { # NAME: true if the cache has a passed DKMS check
	local abi=${E_ABI[$1]} c=$MATRIX_CACHE/dkms/${E_ABI[$1]}-${D_KEY[$1]}
	[ -f "$c/dkms.log" ] || return 1
	touch "$c"
	mkdir -p "$MATRIX_BUILD/$abi" "$PCFIFO_LOGS"
	cp "$c/status" "$MATRIX_BUILD/$abi/dkms-status" && cp "$c/dkms.log" "$PCFIFO_LOGS/$abi-dkms.log" &&
		echo "${D_KEY[$1]}" >"$MATRIX_BUILD/$abi/dkms-stamp"
}

# The compiler as the table shows it: "gcc-12 (Debian 12.2.0-14) 12.2.0",
# "x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0" -> "gcc 12.2.0"; a
# second line "cross" (build_entry) adds ", cross-compiled".
cc_short() {
	sed -En -e '1s/^([^ ]*-)?(gcc|clang)(-[0-9]+)? \([^)]*\) ([0-9][0-9.]*).*/\2 \4/p' \
		-e '2s/^cross$/, cross-compiled/p' "$1" 2>/dev/null | tr -d '\n'
}

# ---- 1. per release: resolve, root, builds, images --------------------------------
# fail_release REL TEXT: every selected entry of REL fails with TEXT.
fail_release() {
	local name
	for name in "${selected[@]}"; do
		[ "${E_REL[$name]}" = "$1" ] || continue
		[ -z "${B_RC[$name]:-}" ] || continue
		B_RC[$name]=1 B_TXT[$name]="**failed**: $2"
		result FAIL "$name: $2"
	done
}

# have_result NAME build|dkms: the entry's build (or DKMS check) with its
# current key is in build/matrix/ABI and did not fail, or the cache has it
# (restored); says which. False: it has to be done.
have_result() {
	local name=$1 abi=${E_ABI[$1]} key stamp status what restore
	if [ "$2" = build ]; then
		key=${E_KEY[$name]} stamp=stamp status=status what=build restore=_build_restore
	else
		key=${D_KEY[$name]} stamp=dkms-stamp status=dkms-status what="DKMS check"
		restore=_dkms_restore
	fi
	if [ "$(cat "$MATRIX_BUILD/$abi/$stamp" 2>/dev/null)" = "$key" ] &&
		[ "$(cat "$MATRIX_BUILD/$abi/$status" 2>/dev/null)" != 1 ] &&
		[ -f "$PCFIFO_LOGS/$abi-$2.log" ]; then
		log "$name: the $what for $abi is up to date"
	elif with_lock "$results_lock" "$restore" "$name"; then
		log "$name: the $what for $abi is in the cache"
	else
		return 1
	fi
}

# cross_root_locked: the cross root of prepare's xtarget (xkey, xpkgs) in
# roots/XTARGET, with the foreign kernel's headers (xheaders, their
# packages extracted) at /lib/modules/ABI/build. Prints the cross
# compiler's name (aarch64-linux-gnu-gcc-12). The caller holds the
# release's prepare lock.
cross_root_locked() {
	local tarball xdir hdr name abi
	tarball=$(matrix_root_tarball "$xtarget" "$xkey" "${xpkgs[@]}") || return 1
	xdir=$MATRIX_BUILD/roots/$xtarget
	matrix_root_extract "$tarball" "$xdir"
	# Extracted beside the root, not into it: dpkg-deb -x would replace
	# the root's /lib symlink (merged /usr) with a directory.
	hdr=$xdir.headers
	rm -rf "$hdr" && matrix_debs_extract "$rel" "$hdr" "${xheaders[@]}" || return 1
	cp -a "$hdr"/root/usr/src/linux-headers-* "$xdir/usr/src/" || return 1
	rm -rf "$hdr"
	for name in "${todo[@]}"; do
		abi=${E_ABI[$name]}
		mkdir -p "$xdir/lib/modules/$abi" &&
			ln -sfn "/usr/src/linux-headers-$abi" "$xdir/lib/modules/$abi/build" || return 1
	done
	# gcc-12-aarch64-linux-gnu -> aarch64-linux-gnu-gcc-12
	name=${xpkgs[0]#gcc-}
	echo "${name#*-}-gcc-${name%%-*}"
}

# prepare_root_locked REL KEY: the builds of prepare's todo and the DKMS
# checks of its dtodo (packages of REL's root: its pkgs, KEY). A foreign
# release's builds are cross-compiled in its cross root when it has one
# (xtarget); its own root, run through qemu-user, is then made only for
# DKMS. The caller holds REL's prepare lock.
prepare_root_locked() {
	local rel=$1 key=$2 tarball dir='' t1 name bdir='' cc=''
	if [ ${#todo[@]} -gt 0 ] && [ -n "$xtarget" ]; then
		t1=$SECONDS
		if cc=$(cross_root_locked); then
			bdir=$MATRIX_BUILD/roots/$xtarget
			log "$xtarget: root ready in $(since "$t1"); cross-compiling with $cc"
		else
			cc=''
			matrix_root_delete "$MATRIX_BUILD/roots/$xtarget"
			log "$xtarget: no cross root (see $MATRIX_CACHE/roots/$xtarget-$xkey.tar.zst.log); building in the $rel root"
		fi
	fi
	if [ ${#dtodo[@]} -gt 0 ] || { [ ${#todo[@]} -gt 0 ] && [ -z "$bdir" ]; }; then
		t1=$SECONDS
		if ! tarball=$(matrix_root_tarball "$rel" "$key" "${pkgs[@]}"); then
			fail_release "$rel" "no $rel build root (mmdebstrap failed)"
			[ -z "$bdir" ] || matrix_root_delete "$bdir"
			return 0
		fi
		dir=$MATRIX_BUILD/roots/$rel
		matrix_root_extract "$tarball" "$dir"
		log "$rel: root ready in $(since "$t1") ($(basename "$tarball"))"
		[ -n "$bdir" ] || bdir=$dir
	fi
	for name in "${todo[@]}"; do
		t1=$SECONDS
		build_entry "$name" "$bdir" "${E_KEY[$name]}" "$cc"
		log "$name: built in $(since "$t1"), status $(cat "$MATRIX_BUILD/${E_ABI[$name]}/status")"
	done
	for name in "${dtodo[@]}"; do
		t1=$SECONDS
		dkms_entry "$name" "$dir"
		echo "${D_KEY[$name]}" >"$MATRIX_BUILD/${E_ABI[$name]}/dkms-stamp"
		log "$name: DKMS check in $(since "$t1"), status $(cat "$MATRIX_BUILD/${E_ABI[$name]}/dkms-status")"
	done
	[ "${PCFIFO_MATRIX_KEEP:-0}" = 1 ] && return 0
	[ -z "$dir" ] || matrix_root_delete "$dir"
	[ -z "$bdir" ] || [ "$bdir" = "$dir" ] || matrix_root_delete "$bdir"
}

# cross_setup TARGET ABI VERSION: prepare's xtarget, xpkgs and xkey for
# the cross root of a foreign TARGET whose kernel is ABI (VERSION), and
# xheaders, the kernel's headers packages (linux-headers-ABI and the
# linux-headers-* it depends on); left empty, and its builds run under
# qemu-user, when apt cannot resolve it.
cross_setup() {
	local t p
	t=$(matrix_target_rel "$1")-cross
	mapfile -t xpkgs < <(matrix_cross_packages "$1" "$2" "$3")
	xheaders=("linux-headers-$2=$3")
	for p in $(matrix_apt "$1" apt-cache depends "linux-headers-$2=$3" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-headers-[^ ]*\)$/\1/p'); do
		xheaders+=("$p=$3")
	done
	if [ ${#xpkgs[@]} -ne 2 ] || ! (matrix_apt_update "$t") ||
		! xkey=$(matrix_root_key "$t" "${MATRIX_ROOT_PACKAGES[@]}" "${xpkgs[@]}"); then
		log "$1: no cross compiler for $2 (${xpkgs[*]:-the headers name no gcc or kbuild}); W=1 builds under qemu-user"
		xpkgs=() xkey='' xheaders=()
		return 0
	fi
	xtarget=$t
}

# prepare REL: resolve, root, builds, images. When the release cannot be
# checked at all, its entries fail (fail_release) and the next one goes on.
prepare() {
	local rel=$1 pkgs=() todo=() dtodo=() e name erel flav abi ver meta key t1 cc blog n lock
	local xtarget='' xkey='' xpkgs=() xheaders=()
	if ! (matrix_apt_update "$rel"); then
		fail_release "$rel" "apt-get update for $rel failed"
		return 0
	fi
	# Both flavours go into the root whatever is selected, so that the root
	# (and its cache key) is the same for every selection.
	for e in "${MATRIX_ENTRIES[@]}"; do
		read -r name erel flav <<<"$e"
		[ "$erel" = "$rel" ] || continue
		# This also fetches the image (into the cache).
		if ! read -r abi ver meta < <(matrix_resolve "$rel" "$flav"); then
			fail_release "$rel" "cannot resolve the $rel kernels"
			return 0
		fi
		E_ABI[$name]=$abi E_VER[$name]=$ver E_META[$name]=$meta
		pkgs+=("linux-headers-$abi=$ver")
		if [ "$abi" = "$meta" ]; then
			log "$name: $abi ($ver)"
		else
			log "$name: $abi ($ver), as the mirror lacks packages of $meta"
		fi
	done
	[ "$(matrix_target_arch "$rel")" = amd64 ] || pkgs+=("${MATRIX_FOREIGN_PACKAGES[@]}")
	if ! key=$(matrix_root_key "$rel" "${MATRIX_ROOT_PACKAGES[@]}" "${pkgs[@]}"); then
		fail_release "$rel" "apt cannot install ${pkgs[*]}"
		return 0
	fi
	# A foreign release's W=1 builds are cross-compiled in an amd64 root
	# (gcc under qemu-user took 6 to 12 minutes a build); its own root
	# has DKMS build the package natively. (Its entries share one ABI.)
	[ "$(matrix_target_arch "$rel")" = amd64 ] || cross_setup "$rel" "$abi" "$ver"
	# One run at a time prepares a release (the CI's background
	# preparation and check-matrix meet here): what is left to do is
	# decided with the lock held, so what the other run did comes from
	# the cache.
	exec {lock}>"$MATRIX_CACHE/prepare-$rel.lock"
	if ! flock -n "$lock"; then
		t1=$SECONDS
		log "$rel: another run prepares it; waiting"
		flock "$lock"
		log "$rel: waited $(since "$t1") for the other run"
	fi
	for name in "${selected[@]}"; do
		[ "${E_REL[$name]}" = "$rel" ] || continue
		abi=${E_ABI[$name]}
		# The identity of a build: the root (toolchain and headers), the
		# kernel, the flags, what counts as a warning, the sources.
		E_KEY[$name]=$(echo "build v2 $key ${xkey:+cross $xkey }$abi ${E_VER[$name]} W=1" \
			"$BUILD_FINDINGS_RE $src_hash" | sha256sum | cut -c1-16)
		dkms_abis+=("$abi")
		have_result "$name" build || todo+=("$name")
		# DKMS in the root: foreign architectures only (amd64's is
		# make check-packages').
		if [ "${E_ARCH[$name]}" = amd64 ] || [ -z "$deb_file" ] ||
			entry_in "$name" "${skip_dkms[@]}"; then
			continue
		fi
		D_KEY[$name]=$(echo "dkms v1 $key $abi ${E_VER[$name]} $deb_hash" | sha256sum | cut -c1-16)
		have_result "$name" dkms || dtodo+=("$name")
	done
	if [ ${#todo[@]} -gt 0 ] || [ ${#dtodo[@]} -gt 0 ]; then
		prepare_root_locked "$rel" "$key"
	fi
	exec {lock}>&-
	for name in "${selected[@]}"; do
		[ "${E_REL[$name]}" = "$rel" ] || continue
		abi=${E_ABI[$name]} blog=$PCFIFO_LOGS/${E_ABI[$name]}-build.log
		B_RC[$name]=$(cat "$MATRIX_BUILD/$abi/status")
		cc=$(cc_short "$MATRIX_BUILD/$abi/cc")
		case ${B_RC[$name]} in
		0)
			B_TXT[$name]="W=1, no warnings (${cc:-gcc})"
			result PASS "build $name ($abi, ${cc:-gcc}): W=1, no warnings"
			;;
		1)
			B_TXT[$name]="**failed** (${cc:-gcc})"
			result FAIL "build $name ($abi): failed, see $blog"
			tail -n 20 "$blog" >&2
			;;
		*)
			n=$(build_findings "$blog" | wc -l)
			B_TXT[$name]="**$n warnings** (${cc:-gcc})"
			result FAIL "build $name ($abi): $n warning lines, see $blog"
			build_findings "$blog" | sed "s|/tmp/pcfifo-$abi/|src/|g" >&2
			;;
		esac
		[ "${E_ARCH[$name]}" != amd64 ] || continue
		if entry_in "$name" "${skip_dkms[@]}"; then
			D_TXT[$name]="DKMS not checked (PCFIFO_MATRIX_SKIP_DKMS)"
			result NOTE "dkms $name ($abi): left out (PCFIFO_MATRIX_SKIP_DKMS='${skip_dkms[*]}')"
		elif [ -z "$deb_file" ]; then
			D_TXT[$name]="**DKMS not checked** (make deb failed)"
			result FAIL "dkms $name: not checked, make deb failed (see $PCFIFO_LOGS/deb.log)"
		elif [ "$(cat "$MATRIX_BUILD/$abi/dkms-status" 2>/dev/null)" = 0 ]; then
			D_TXT[$name]="DKMS: built and installed"
			result PASS "dkms $name ($abi): apt installed ${deb_file##*/}, DKMS built and installed the modules"
		else
			D_TXT[$name]="**DKMS failed**"
			result FAIL "dkms $name ($abi): see $PCFIFO_LOGS/$abi-dkms.log"
			tail -n 20 "$PCFIFO_LOGS/$abi-dkms.log" >&2 || true
		fi
	done
}

# ---- 2. guest suites, --jobs at a time ----------------------------------------------------
# Everything that goes into a guest run besides the build: the harness,
# the suite's side and the host tools that end up in the guest.
# Bump "suite vN" when run_suite changes what a pass means.
guest_hash() { # ARCH [USERLAND]: USERLAND, the guest programs of a foreign ARCH
	local qemu_pkg='qemu-system-x86'
	[ "$1" = amd64 ] || qemu_pkg='qemu-system-arm'
	{
		echo "suite v4 timeout=$(suite_timeout_of "$1")"
		# pcfifoctl (t69) is built from utils/ for the guest.
		(cd "$PCFIFO_ROOT" && find tests/guest/run-suite.sh tests/guest/lib.sh \
			tests/guest/t[0-9][0-9]-*.sh tests/guest/devtest.c tests/vm configfs-examples \
			tests/lib/kernel.sh utils/Makefile utils/*.[ch] src/uapi/pcfifo.h src/version.h \
			-type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
		dpkg-query -W -f='${Package} ${Version}\n' kmod "$qemu_pkg" 2>/dev/null || true
		if [ "$1" = amd64 ]; then
			apt-cache policy busybox libjson-c-dev 2>/dev/null |
				sed -n 's/^ *Candidate: /candidate /p'
		else
			echo "$1 ${2##*/}"
		fi
	} | sha256sum | cut -c1-16
}

# Seconds a suite may take. Under TCG an arm64 guest ran the suite about as
# fast as an amd64 one (282 s on a busy host), but with less margin: twice
# the time.
suite_timeout_of() { # ARCH
	if [ "$1" = amd64 ]; then echo "$suite_timeout"; else echo $((suite_timeout * 2)); fi
}

# run-suite.sh's arguments on an entry (nothing: all files). On amd64 the
# files that test only user space are left out (-tNN): t69 runs
# pcfifoctl, t90 configfs-examples' scripts, the same binaries and scripts
# against every kernel, through the ABI that the other files check on
# each. make check runs them on 6.1 and 6.12, and the arm64 entries,
# whose user space is another build, run them here.
suite_args() { # NAME
	local t
	[ "$full_suite" = 0 ] && [ "${E_ARCH[$1]}" = amd64 ] || return 0
	for t in $MATRIX_USERSPACE_FILES; do
		printf -- '-%s ' "$t"
	done
}

# The identity of a suite run: the guest side, the files run and the exact
# modules and kernel. A run that passed with the same identity is not
# repeated.
suite_stamp() { # NAME [USERLAND]
	{
		echo "$(guest_hash "${E_ARCH[$1]}" "${2-}") ${E_ABI[$1]} ${E_VER[$1]}"
		echo "args: $(suite_args "$1")"
		sha256sum "$MATRIX_BUILD/${E_ABI[$1]}"/src/*.ko | cut -d' ' -f1
	} | sha256sum | cut -c1-16
}
# shellcheck disable=SC2317 # called through with_lock
_suite_restore() { # NAME STAMP
	local c=$MATRIX_CACHE/suites/${E_ABI[$1]}-$2 slog=$PCFIFO_LOGS/${E_ABI[$1]}-suite.log
	[ -f "$c/counts" ] && touch "$c" && cp "$c/suite.log" "$slog" &&
		cp "$c/suite.dmesg" "${slog%.log}.dmesg"
}
# shellcheck disable=SC2317 # called through with_lock
_suite_save() { # NAME STAMP COUNTS
	local tmp=$MATRIX_CACHE/tmp/$2 slog=$PCFIFO_LOGS/${E_ABI[$1]}-suite.log
	rm -rf "$tmp" && mkdir -p "$tmp" "$MATRIX_CACHE/suites" &&
		cp "$slog" "$tmp/suite.log" && cp "${slog%.log}.dmesg" "$tmp/suite.dmesg" &&
		date -u '+%Y-%m-%d %H:%M UTC' >"$tmp/date" && echo "$3" >"$tmp/counts" &&
		cache_put "$tmp" suites "${E_ABI[$1]}"
}

run_suite() { # NAME
	local name=$1 abi=${E_ABI[$1]} image kos initrd slog rc counts p f findings
	local stamp c timeout args PCFIFO_GUEST_ARCH=${E_ARCH[$1]} PCFIFO_GUEST_USERLAND=
	slog=$PCFIFO_LOGS/$abi-suite.log
	mkdir -p "$PCFIFO_LOGS"
	if [ "$PCFIFO_GUEST_ARCH" != amd64 ] &&
		! PCFIFO_GUEST_USERLAND=$(matrix_userland "$PCFIFO_GUEST_ARCH"); then
		S_TXT[$name]="**not run** (no $PCFIFO_GUEST_ARCH guest programs)"
		result FAIL "suite $name: cannot build the $PCFIFO_GUEST_ARCH guest programs (see $MATRIX_CACHE/userland/*.log)"
		return 0
	fi
	timeout=$(suite_timeout_of "$PCFIFO_GUEST_ARCH")
	stamp=$(suite_stamp "$name" "$PCFIFO_GUEST_USERLAND")
	c=$MATRIX_CACHE/suites/$abi-$stamp
	if [ "$rerun" = 0 ] && with_lock "$results_lock" _suite_restore "$name" "$stamp"; then
		S_TXT[$name]=$(cat "$c/counts")
		result PASS "suite $name ($abi): ${S_TXT[$name]} (same inputs as the run that passed on $(cat "$c/date"); --rerun repeats it)"
		return 0
	fi
	image=$(matrix_image "${E_REL[$name]}" "$abi" "${E_VER[$name]}")
	if [ "${E_FLAV[$name]}" = rt ] && ! grep -qx 'CONFIG_PREEMPT_RT=y' "$image/boot/config-$abi"; then
		S_TXT[$name]="**not a PREEMPT_RT kernel**"
		result FAIL "suite $name ($abi): CONFIG_PREEMPT_RT is not set"
		return 0
	fi
	mapfile -t kos < <(find "$MATRIX_BUILD/$abi/src" -maxdepth 1 -name '*.ko' | LC_ALL=C sort)
	read -ra args <<<"$(suite_args "$name")"
	initrd=$MATRIX_BUILD/$abi/initramfs-suite.cpio.gz
	initramfs_build "$initrd" "$abi" "$image" $((timeout - 20)) 0 "${kos[@]}" \
		-- sh /pcfifo/tests/guest/run-suite.sh "${args[@]}"
	rc=0
	vm_retry "$slog" vm_boot "$(kernel_boot_file "$image" "$abi")" "$initrd" "$slog" \
		"$timeout" 0 >/dev/null || rc=$?
	read -r p f counts < <(suite_counts "$slog")
	findings=$(grep -aE "$KERNEL_FINDINGS_RE" "${slog%.log}.dmesg" 2>/dev/null || true)
	printf '%s\n' "$findings" >"$MATRIX_BUILD/$abi/kernel-findings"
	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ] && [ -z "$findings" ]; then
		S_TXT[$name]="$counts"
		result PASS "suite $name ($abi): $counts"
		# Remembered only if nothing that went into the guest changed
		# while it ran.
		if [ "$(suite_stamp "$name" "$PCFIFO_GUEST_USERLAND")" != "$stamp" ]; then
			log "$name: the guest side changed during the run; its pass is not cached"
		elif ! with_lock "$results_lock" _suite_save "$name" "$stamp" "$counts"; then
			log "$name: cannot save the suite result in $MATRIX_CACHE/suites"
		fi
	else
		S_TXT[$name]="**FAIL**: $counts"
		[ -z "$findings" ] || S_TXT[$name]+=", kernel log findings"
		[ "$rc" -ne 125 ] || S_TXT[$name]+=", no exit status"
		result FAIL "suite $name ($abi): $counts; exit status $rc, see $slog"
		[ -z "$findings" ] || printf '      kernel log: %s\n' "$findings" | head -n 20 >&2
	fi
}

# run_suite in a subshell, so that suites can run side by side: its table
# cell, then its result lines, go to FILE, for suite_collect.
suite_job() { # NAME FILE
	local t1=$SECONDS
	(
		summary=()
		run_suite "$1"
		log "$1: suite done in $(since "$t1")"
		printf '%s\n' "${S_TXT[$1]}" "${summary[@]}" >"$2"
	)
}

suite_collect() { # NAME FILE
	local line
	if [ ! -s "$2" ]; then
		S_TXT[$1]="**FAIL**: no result"
		result FAIL "suite $1 (${E_ABI[$1]}): the runner gave no result"
		return 0
	fi
	{
		IFS= read -r "S_TXT[$1]"
		# As result printed them: the status in 4 columns, 2 spaces.
		while IFS= read -r line; do
			result "${line%% *}" "${line:6}"
		done
	} <"$2"
}

# The first suite to end of those that run: its results. (Polled: bash's
# wait -n misses a job that ended before it was called, and then loses
# its status.)
suite_wait_any() {
	local i
	while :; do
		for i in "${!suite_pids[@]}"; do
			kill -0 "${suite_pids[$i]}" 2>/dev/null && continue
			wait "${suite_pids[$i]}" || true
			suite_collect "${suite_names[$i]}" "$suite_results/${suite_names[$i]}"
			unset "suite_pids[$i]" "suite_names[$i]"
			suite_pids=("${suite_pids[@]}") suite_names=("${suite_names[@]}")
			return 0
		done
		sleep 2
	done
}

# suites REL: start the suites of REL's selected entries, each as soon as
# fewer than --jobs run; it returns with the last ones still running (the
# next release's join them; suite_wait_any collects them).
suites() {
	local name
	for name in "${selected[@]}"; do
		[ "${E_REL[$name]}" = "$1" ] || continue
		if [ -z "${B_RC[$name]:-}" ]; then
			S_TXT[$name]="not run (not built)"
			result FAIL "suite $name: not run, no build result"
		elif [ "${B_RC[$name]}" = 1 ]; then
			S_TXT[$name]="not run (no modules)"
			result FAIL "suite $name: not run, the build failed"
		elif entry_in "$name" "${skip_suite[@]}"; then
			S_TXT[$name]="not run (PCFIFO_MATRIX_SKIP_SUITE)"
			result NOTE "suite $name (${E_ABI[$name]}): left out (PCFIFO_MATRIX_SKIP_SUITE='${skip_suite[*]}')"
		else
			step "guest suite on $name (${E_ABI[$name]}), beside ${#suite_pids[@]} more"
			mkdir -p "$suite_results"
			rm -f "$suite_results/$name"
			# Each in a process group of its own, as the background
			# prepare, for cleanup.
			set -m
			suite_job "$name" "$suite_results/$name" &
			set +m
			suite_pids+=($!) suite_names+=("$name")
			[ ${#suite_pids[@]} -lt "$jobs" ] || suite_wait_any
		fi
	done
}

# The guest programs of the foreign architectures: a suite builds them
# when it first needs them; --build-only makes them first, so that on an
# empty cache (CI's preparation) they are not what the last suites, the
# foreign ones, wait for.
if [ $build_only = 1 ]; then
	for arch in "${foreign[@]}"; do
		step "$arch guest programs"
		if d=$(matrix_userland "$arch"); then
			result PASS "$arch guest programs: ${d##*/}"
		else
			result FAIL "$arch guest programs: see $MATRIX_CACHE/userland/$arch-*.log"
		fi
	done
fi

# ---- 3. the releases in turn ----------------------------------------------------------
# While suites run (--jobs at a time; those of one release beside those of
# the next), the next release is prepared in the background: the same
# prepare, in a subshell whose output goes to a log and whose results are
# dropped. It fills the cache (apt lists, kernel images, the root, the
# builds; all written under locks), so that the prepare of that release
# here, after it, finds everything there and only reports. A release's
# lock in the cache keeps any two runs (this one and its background
# prepare, or make prepare-matrix) from preparing it at the same time.
dkms_abis=()
for i in "${!releases[@]}"; do
	rel=${releases[$i]} next=${releases[$((i + 1))]:-}
	if [ -n "$bg_pid" ]; then
		wait "$bg_pid" || log "the background prepare of $rel failed; see $PCFIFO_LOGS/prepare-$rel.log"
		bg_pid=
	fi
	step "$rel: resolve the kernels, build"
	t0=$SECONDS
	prepare "$rel"
	log "$rel: done in $(since "$t0")"
	[ $build_only = 0 ] || continue
	if [ -n "$next" ]; then
		log "preparing $next in the background (log: $PCFIFO_LOGS/prepare-$next.log)"
		# In a process group of its own (set -m), which cleanup can end
		# as a whole: mmdebstrap, tar, make and all. At the lowest CPU and
		# I/O priority: the guest's timing checks come first.
		set -m
		(
			renice -n 19 -p "$BASHPID" >/dev/null || true
			ionice -c 3 -p "$BASHPID" || true
			prepare "$next"
		) >"$PCFIFO_LOGS/prepare-$next.log" 2>&1 </dev/null &
		bg_pid=$!
		set +m
	fi
	suites "$rel"
done
while [ ${#suite_pids[@]} -gt 0 ]; do
	suite_wait_any
done

# ---- 4. BUILD_EXCLUSIVE_KERNEL ------------------------------------------------------
step "dkms.conf BUILD_EXCLUSIVE_KERNEL"
if "$PCFIFO_ROOT/tests/matrix/dkms-range.sh" "${dkms_abis[@]}" >"$PCFIFO_LOGS/dkms-range.log" 2>&1; then
	result PASS "dkms.conf BUILD_EXCLUSIVE_KERNEL: $(tail -n1 "$PCFIFO_LOGS/dkms-range.log" | sed 's/^dkms-range: //')"
else
	result FAIL "dkms.conf BUILD_EXCLUSIVE_KERNEL, see $PCFIFO_LOGS/dkms-range.log"
fi
cat "$PCFIFO_LOGS/dkms-range.log" >&2

# ---- 5. the README table ----------------------------------------------------------------
flavour_label() { [ "$1" = rt ] && echo PREEMPT_RT || echo generic; }
kernel_cell() { # NAME
	echo "\`${E_ABI[$1]}\` ($(matrix_target_rel "${E_REL[$1]}"), ${E_VER[$1]})"
}
arch_label() { [ "$1" = amd64 ] || echo "$1 "; }
build_cell() { # NAME
	if [ "${E_ARCH[$1]}" = amd64 ]; then
		echo "${B_TXT[$1]:-not run}"
	else
		echo "${B_TXT[$1]:-not run}; ${D_TXT[$1]:-DKMS not run}"
	fi
}
readme_update() {
	local f=$PCFIFO_ROOT/README.md begin='<!-- matrix:begin -->' end='<!-- matrix:end -->'
	local rows=() notes=() e name rel flav old row tmp dist arch
	if ! grep -qxF "$begin" "$f" || ! grep -qxF "$end" "$f"; then
		log "README.md has no matrix markers; table not written"
		return 0
	fi
	for e in "${MATRIX_ENTRIES[@]}"; do
		read -r name rel flav <<<"$e"
		dist=$(matrix_target_rel "$rel") arch=$(matrix_target_arch "$rel")
		if [ -n "${S_TXT[$name]:-}" ] || [ -n "${B_TXT[$name]:-}" ]; then
			row="| $(kernel_cell "$name") | $arch | $(flavour_label "$flav") | $(build_cell "$name") | ${S_TXT[$name]:-not run} |"
			if [ -n "${E_META[$name]:-}" ] && [ "${E_META[$name]}" != "${E_ABI[$name]}" ]; then
				notes+=("\`${E_ABI[$name]}\`: $dist's $(arch_label "$arch")$(flavour_label "$flav") meta packages name \`${E_META[$name]}\`, whose packages the mirror lacks; the newest build of that series it has was tested.")
			fi
		else
			# Not run this time: the row of the last run stays.
			old=$(sed -n "/^$begin\$/,/^$end\$/p" "$f" | grep -F "($dist, " |
				awk -F'|' -v a=" $arch " -v fl=" $(flavour_label "$flav") " \
					'$3 == a && $4 == fl' | head -n1 || true)
			row=${old:-"| ($dist) | $arch | $(flavour_label "$flav") | not run | not run |"}
			# ... and so does its note, if it had one.
			# shellcheck disable=SC2016 # backquotes of Markdown
			old=$(sed -n 's/^| `\([^`]*\)`.*/\1/p' <<<"$row")
			[ -z "$old" ] || mapfile -t -O ${#notes[@]} notes < <(sed -n "/^$begin\$/,/^$end\$/p" "$f" |
				grep -F "\`$old\`: " || true)
		fi
		rows+=("$row")
	done
	tmp=$(mktemp "$f.XXXXXX")
	{
		sed -n "1,/^$begin\$/p" "$f"
		echo "| kernel | arch | flavour | build | tests |"
		echo "| --- | --- | --- | --- | --- |"
		printf '%s\n' "${rows[@]}"
		[ ${#notes[@]} -eq 0 ] || printf '\n%s\n' "${notes[@]}"
		sed -n "/^$end\$/,\$p" "$f"
	} >"$tmp"
	chmod --reference="$f" "$tmp"
	if cmp -s "$tmp" "$f"; then
		rm -f "$tmp"
	else
		mv "$tmp" "$f"
		log "README.md: matrix table updated"
	fi
}
# The results are those of the sources at the start (the snapshot): if
# src/ or the example differs now, they say nothing about it.
if [ "$(sources_hash "$PCFIFO_ROOT/src" "$PCFIFO_ROOT/$BUILD_EXAMPLE")" != "$src_hash" ]; then
	result FAIL "src/ or $BUILD_EXAMPLE changed while the matrix ran; run it again"
	readme=0
fi
[ $readme = 0 ] || readme_update

# Only what belongs to the current kernels stays in the cache.
[ ${#selected[@]} -ne ${#MATRIX_ENTRIES[@]} ] || [ $failed = 1 ] ||
	matrix_cache_prune "${dkms_abis[@]}"

report_summary "pcfifo kernel matrix summary"
exit $failed
