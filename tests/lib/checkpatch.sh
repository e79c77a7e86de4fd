# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# checkpatch.pl from Debian's linux-source-6.1, extracted once into the cache.
# checkpatch reads spelling.txt and const_structs.checkpatch from its own
# directory, so the three files stay together as scripts/ of the tarball.
#
# Needs common.sh and build.sh (BUILD_CLIENTS).

_checkpatch_fetch() {
	local dir=$1 tarball=/usr/src/linux-source-6.1.tar.xz tmp
	[ -f "$dir/.complete" ] && return 0
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	tmp=$(mktemp -d "$dir.XXXXXX")
	log "extracting checkpatch.pl from $tarball"
	tar -xJf "$tarball" -C "$tmp" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch "$tmp/.complete"
	mv "$tmp" "$dir"
}

# Print the path of checkpatch.pl, fetching it on first use.
checkpatch_path() {
	local debver dir
	need_pkgs linux-source-6.1 perl xz-utils
	debver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	dir=$PCFIFO_CACHE/checkpatch/$debver
	with_lock "$PCFIFO_CACHE/checkpatch.lock" _checkpatch_fetch "$dir"
	echo "$dir/scripts/checkpatch.pl"
}

# checkpatch --strict on every source file of src/ and of the modules built
# against it (BUILD_CLIENTS: the example, the fuzzer's module). Prints one
# line per ERROR/WARNING/CHECK; returns non-zero if there was any.
checkpatch_src() {
	local cp files=() out rc=0
	# Often called as a condition, where set -e does not apply: check by hand.
	cp=$(checkpatch_path) || return 1
	mapfile -t files < <(cd "$PCFIFO_ROOT" &&
		find src "${BUILD_CLIENTS[@]}" -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
			! -name '*.mod.c' | LC_ALL=C sort)
	[ ${#files[@]} -gt 0 ] || die "no sources in src/"
	# src/compat.h exists to compare kernel versions, in the kernel's own
	# idiom; only there are those two checks waived.
	out=$(cd "$PCFIFO_ROOT" && for f in "${files[@]}"; do
		ignore=()
		[ "$f" != src/compat.h ] ||
			ignore=(--ignore "LINUX_VERSION_CODE,CONSTANT_COMPARISON")
		perl "$cp" --strict --no-tree --show-types --terse --no-summary \
			--color=never "${ignore[@]}" -f "$f" || echo "$f: checkpatch failed"
	done)
	# With --terse --no-summary a clean file prints nothing: any line is a
	# finding, whatever checkpatch's exit status says.
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		rc=1
	fi
	return $rc
}
