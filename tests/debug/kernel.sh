# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The debug kernels of the reliability lane: Debian's linux-source-6.1,
# `make tinyconfig` plus tests/debug/debug.config (KASAN, lockdep,
# kmemleak, UBSAN, debugobjects, hung-task detection, fault injection) or,
# for the KCSAN kernel, debug.config with tests/debug/kcsan.config merged
# over it (KCSAN instead of KASAN, kmemleak, UBSAN and fault injection),
# each built once and cached by the hash of its fragments, the
# linux-source version and the compiler:
#
#   $PCFIFO_CACHE/debug-kernel/<hash>/linux      the built tree (bzImage,
#                                                vmlinux, Module.symvers):
#                                                out-of-tree builds use it as
#                                                KDIR
#   $PCFIFO_CACHE/debug-kernel/<hash>/root       lib/modules/<release> for the
#                                                guest (modules.builtin etc.)
#   $PCFIFO_CACHE/debug-kernel/<hash>/.complete  written last
#   $PCFIFO_CACHE/debug-kernel/<hash>.lock       held while it is built
#
# Needs common.sh.

# The fragments of each kernel, merged in this order (later lines win).
DEBUG_FRAGMENT=$PCFIFO_ROOT/tests/debug/debug.config
declare -gA DEBUG_FRAGMENTS=(
	[kasan]=$DEBUG_FRAGMENT
	[kcsan]="$DEBUG_FRAGMENT $PCFIFO_ROOT/tests/debug/kcsan.config"
)
DEBUG_SOURCE_PKG=linux-source-6.1
DEBUG_SOURCE_TAR=/usr/src/linux-source-6.1.tar.xz
# What building a kernel needs on top of what the harness already installs.
DEBUG_BUILD_PKGS=(make gcc libc6-dev bc flex bison libelf-dev libssl-dev dwarves
	xz-utils kmod cpio "$DEBUG_SOURCE_PKG")
# Built trees kept in the cache (the newest ones): the KASAN and the KCSAN
# kernel, and one more.
DEBUG_KERNEL_KEEP=3

# debug_kernel_key FRAGMENT...: the cache key: fragments, source package
# version, compiler. (The KASAN kernel's key is the same as when
# debug.config was the only fragment.)
debug_kernel_key() {
	{
		echo "tinyconfig + fragment, bzImage + modules, recipe 2"
		cat "$@"
		dpkg-query -W -f='${Package} ${Version}\n' "$DEBUG_SOURCE_PKG"
		gcc --version | head -n1
	} | sha256sum | cut -c1-16
}

# debug_config_missing CONFIG FRAGMENT: print each option of FRAGMENT that
# CONFIG does not have as asked ("CONFIG_X=y (have: ...)").
debug_config_missing() {
	local config=$1 fragment=$2 line opt have
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			opt=${line%%=*}
			grep -qxF -- "$line" "$config" && continue
			have=$(grep -E "^($opt=|# $opt is not set)" "$config" || echo "absent")
			echo "$line (have: $have)"
			;;
		'# CONFIG_'*' is not set')
			opt=${line#\# }
			opt=${opt%% *}
			grep -q "^$opt=" "$config" || continue
			echo "$line (have: $(grep "^$opt=" "$config"))"
			;;
		esac
	done <"$fragment"
}

# debug_fragment_merge FRAGMENT...: the fragments as one, each option with
# the value of its last line (as merge_config.sh merges them), in the order
# of their first lines.
debug_fragment_merge() {
	awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { opt = $0; sub(/=.*/, "", opt) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { opt = $2 }
		opt == "" { next }
		!(opt in val) { order[++n] = opt }
		{ val[opt] = $0; opt = "" }
		END { for (i = 1; i <= n; i++) print val[order[i]] }
	' "$@"
}

# _debug_kernel_build DIR LOG FRAGMENT...
_debug_kernel_build() {
	local dir=$1 log=$2 tree=$1/linux t0=$SECONDS missing release jobs fragment
	shift 2
	[ -f "$dir/.complete" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir" "$(dirname "$log")"
	fragment=$dir/fragment.config
	debug_fragment_merge "$@" >"$fragment"
	jobs=$(nproc)
	log "building the debug kernel in $tree (-j$jobs, a few minutes) -> $log"
	# (set -e does not apply inside an || list: every step is chained.)
	{
		echo "== extract $DEBUG_SOURCE_TAR" &&
			tar -xJf "$DEBUG_SOURCE_TAR" -C "$dir" &&
			mv "$dir"/linux-source-* "$tree" &&
			echo "== tinyconfig + $* (merged: $fragment)" &&
			make -C "$tree" -s tinyconfig &&
			(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment") &&
			make -C "$tree" -s olddefconfig
	} >"$log" 2>&1 || die "configuring the debug kernel failed; see $log"
	missing=$(debug_config_missing "$tree/.config" "$fragment")
	if [ -n "$missing" ]; then
		printf '%s\n' "$missing" >&2
		die "kconfig dropped or changed these options of $* (their dependencies are missing): see above"
	fi
	{
		echo "== make bzImage modules" &&
			make -C "$tree" -j"$jobs" bzImage &&
			make -C "$tree" -j"$jobs" modules &&
			echo "== modules_install" &&
			make -C "$tree" -s INSTALL_MOD_PATH="$dir/root" modules_install
	} >>"$log" 2>&1 || {
		tail -n 30 "$log" >&2
		die "building the debug kernel failed; see $log"
	}
	# After the build: before it, LOCALVERSION is not in auto.conf yet.
	# (--no-print-directory: under an outer make, "make[1]: Entering
	# directory" would go to stdout too.)
	release=$(make -C "$tree" -s --no-print-directory kernelrelease)
	[[ $release =~ ^[0-9][A-Za-z0-9._+-]*$ ]] || die "make kernelrelease printed '$release'"
	if ! [ -f "$tree/Module.symvers" ] || ! [ -f "$tree/arch/x86/boot/bzImage" ] ||
		! [ -d "$dir/root/lib/modules/$release" ]; then
		die "the debug kernel build left no bzImage, Module.symvers or lib/modules; see $log"
	fi
	echo "$release" >"$dir/release"
	touch "$dir/.complete"
	log "debug kernel $release built in $((SECONDS - t0)) s"
}

# Drop all but the newest DEBUG_KERNEL_KEEP complete trees (and any
# incomplete one that is not $1), each under its own lock: a tree that
# another run builds meanwhile (its lock held) stays.
_debug_kernel_prune() {
	local keep=$1 d n=0
	# Newest first (a run touches the tree it uses).
	while IFS= read -r d; do
		[ "$d" = "$keep" ] && { n=$((n + 1)); continue; }
		if [ -f "$d/.complete" ] && [ "$n" -lt "$DEBUG_KERNEL_KEEP" ]; then
			n=$((n + 1))
			continue
		fi
		# (The lock file stays: a run may be waiting on it.)
		! flock -n "$d.lock" rm -rf "$d" || log "removed the old debug kernel $d"
	done < <(find "$PCFIFO_CACHE/debug-kernel" -mindepth 1 -maxdepth 1 -type d \
		-printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
}

# debug_kernel [kasan|kcsan]: build that debug kernel (default kasan) unless
# cached. Sets DK_DIR, DK_TREE,
# DK_RELEASE (uname -r of the guest), DK_BOOT (what QEMU boots), DK_VMLINUX,
# DK_ROOT (an image root for initramfs_build), DK_CACHED (1 if it was
# built before) and DK_SECS (seconds this took).
debug_kernel() {
	local kind=${1:-kasan} key t0=$SECONDS fragments blog
	[ -n "${DEBUG_FRAGMENTS[$kind]:-}" ] || die "no debug kernel '$kind' (kasan, kcsan)"
	read -ra fragments <<<"${DEBUG_FRAGMENTS[$kind]}"
	need_pkgs "${DEBUG_BUILD_PKGS[@]}"
	[ -f "$DEBUG_SOURCE_TAR" ] || die "$DEBUG_SOURCE_TAR is missing (package $DEBUG_SOURCE_PKG)"
	key=$(debug_kernel_key "${fragments[@]}")
	DK_DIR=$PCFIFO_CACHE/debug-kernel/$key
	# shellcheck disable=SC2034 # DK_*: used by the caller
	DK_CACHED=0
	# shellcheck disable=SC2034
	[ ! -f "$DK_DIR/.complete" ] || DK_CACHED=1
	blog=$PCFIFO_LOGS/debug-kernel-build.log
	[ "$kind" = kasan ] || blog=$PCFIFO_LOGS/debug-$kind-kernel-build.log
	# One lock per kernel: the KASAN lane need not wait while another run
	# (CI's preparation) builds the KCSAN kernel.
	with_lock "$DK_DIR.lock" _debug_kernel_build "$DK_DIR" "$blog" "${fragments[@]}"
	with_lock "$PCFIFO_CACHE/debug-kernel.lock" _debug_kernel_prune "$DK_DIR"
	# shellcheck disable=SC2034
	DK_SECS=$((SECONDS - t0))
	# shellcheck disable=SC2034
	DK_TREE=$DK_DIR/linux
	DK_RELEASE=$(cat "$DK_DIR/release")
	# shellcheck disable=SC2034
	DK_BOOT=$DK_DIR/linux/arch/x86/boot/bzImage
	# shellcheck disable=SC2034
	DK_VMLINUX=$DK_DIR/linux/vmlinux
	# shellcheck disable=SC2034
	DK_ROOT=$DK_DIR/root
	touch "$DK_DIR"
	[ -d "$DK_ROOT/lib/modules/$DK_RELEASE" ] ||
		die "$DK_ROOT/lib/modules/$DK_RELEASE is missing; remove $DK_DIR to rebuild"
}
