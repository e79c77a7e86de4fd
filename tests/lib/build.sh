# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Out-of-tree build of src/ for one kernel with W=1 and sparse on every file,
# then of the modules that use its kernel API against it: the example
# client examples/kernel-client and the fuzzer's tests/fuzz/kmod. Each
# kernel builds in its own copy, build/<ver>/{src,examples,tests}, so two
# kernels can build at the same time and the tree never collects kbuild
# output.
#
# Needs common.sh.

# Compiler, sparse and modpost diagnostics ("file.c:1:2: warning: ...",
# "WARNING: modpost: ...").
BUILD_FINDINGS_RE='(warning|error):'

# The example module, built with the same flags after src/.
BUILD_EXAMPLE=examples/kernel-client
# The modules built after src/ against its Module.symvers: the example and
# the fuzzer's way into the kernel API.
BUILD_CLIENTS=("$BUILD_EXAMPLE" tests/fuzz/kmod)

# The sources of a build, relative to the top of the tree.
_src_files() {
	(cd "$PCFIFO_ROOT" && find src "${BUILD_CLIENTS[@]}" -type f \
		\( -name '*.[chS]' -o -name Kbuild -o -name Makefile -o -name '*.lds' \) \
		! -name '*.mod.c' | LC_ALL=C sort)
}

# Identity of a build: sources, headers package and flags. Unchanged
# identity = the previous build and its log are still valid.
_build_stamp() {
	local ver=$1 debver=$2
	{
		echo "$ver $debver W=1 C=2 CHECK=sparse"
		(cd "$PCFIFO_ROOT" && _src_files | tr '\n' '\0' | xargs -0r sha256sum)
	} | sha256sum | cut -d' ' -f1
}

# Prints the findings of a finished build log; true if there were any.
build_findings() {
	grep -iE "$BUILD_FINDINGS_RE" "$1"
}

# Writes the result to build/<ver>/status: 0 clean, 1 build failed,
# 2 built with findings.
_build_modules() {
	local ver=$1 debver=$2 stamp rc=0 client
	local out=$PCFIFO_BUILD/$ver log=$PCFIFO_LOGS/$ver-build.log
	stamp=$(_build_stamp "$ver" "$debver")
	if [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$log" ]; then
		log "modules for $ver are up to date ($out/src)"
		return 0
	fi
	rm -rf "$out/src" "$out/examples" "$out/tests" "$out/stamp" "$out/status"
	mkdir -p "$out" "$PCFIFO_LOGS"
	(cd "$PCFIFO_ROOT" && _src_files | cpio -pdm --quiet "$out")
	log "building modules for $ver (W=1, sparse) -> $log"
	make -C "/lib/modules/$ver/build" M="$out/src" W=1 C=2 CHECK=sparse \
		-j"$(nproc)" modules >"$log" 2>&1 || rc=1
	# Each client finds pcfifo.h in src/ (its Kbuild's PCFIFO_SRC) and
	# pcfifo's symbols in the Module.symvers just made, as `make examples`
	# does in the tree.
	for client in "${BUILD_CLIENTS[@]}"; do
		[ $rc -ne 0 ] || make -C "/lib/modules/$ver/build" M="$out/$client" \
			KBUILD_EXTRA_SYMBOLS="$out/src/Module.symvers" W=1 C=2 CHECK=sparse \
			-j"$(nproc)" modules >>"$log" 2>&1 || rc=1
	done
	if [ $rc -eq 0 ] && build_findings "$log" >/dev/null; then
		rc=2
	fi
	echo "$rc" >"$out/status"
	echo "$stamp" >"$out/stamp"
}

# Build src/ for ABI $1 (headers Debian version $2) and print any findings.
# Sets BUILD_RC: 0 clean, 2 modules built but the log has findings, 1 the
# build failed. Returns non-zero only when the harness itself fails; call it
# as a plain command so that set -e stays in force inside.
build_modules() {
	local ver=$1 debver=$2
	local log=$PCFIFO_LOGS/$ver-build.log
	[ -f "$PCFIFO_ROOT/src/Kbuild" ] || [ -f "$PCFIFO_ROOT/src/Makefile" ] ||
		die "no src/Kbuild: nothing to build"
	need_pkgs make gcc sparse
	with_lock "$PCFIFO_BUILD/$ver.lock" _build_modules "$ver" "$debver"
	BUILD_RC=$(cat "$PCFIFO_BUILD/$ver/status")
	case $BUILD_RC in
	0) ;;
	1)
		log "module build for $ver FAILED; last lines of $log:"
		tail -n 30 "$log" >&2
		;;
	*)
		log "module build for $ver has warnings ($log):"
		# Name the files as in the tree, not as in the build copy.
		build_findings "$log" | sed "s|$PCFIFO_BUILD/$ver/||g" >&2
		;;
	esac
}

# The .ko files of the last build for ABI $1: pcfifo's and its clients'.
build_kos() {
	local dirs=("$PCFIFO_BUILD/$1/src") client
	for client in "${BUILD_CLIENTS[@]}"; do
		dirs+=("$PCFIFO_BUILD/$1/$client")
	done
	find "${dirs[@]}" -maxdepth 1 -name '*.ko' | LC_ALL=C sort
}
