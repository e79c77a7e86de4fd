#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Write OUTDIR/pcfifo-<version>.tar.gz with everything under a top-level
# pcfifo-<version>/ directory (what `rpmbuild -ta` and the Debian orig
# tarball expect). The file list is git's: files under DIST_PATHS that are
# tracked, plus new files not yet committed unless .gitignore excludes them
# (in a clean clone that is exactly the tracked files). Build output, kbuild
# objects and stray top-level files stay out. The tarball is reproducible:
# sorted, owner root, every mtime SOURCE_DATE_EPOCH: the environment's if
# set, else the last commit's time (outside a git checkout: the date of
# debian/changelog's top entry). The Makefile gives dpkg and rpmbuild the
# same (--epoch).
#
#   tests/pkg/dist.sh [OUTDIR]        (default: dist)
#   tests/pkg/dist.sh --epoch         print that SOURCE_DATE_EPOCH

set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

# What a source release carries (paths that do not exist are skipped).
DIST_PATHS="dkms.conf Makefile COPYING CHANGELOG README.md .gitignore src debian rpm
	man utils examples configfs-examples Documentation tests .ci"

# epoch: SOURCE_DATE_EPOCH, or the last commit's time, or debian/changelog's
epoch() {
	if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
		echo "$SOURCE_DATE_EPOCH"
	elif [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ] &&
		git -C "$top" log -1 --format=%ct 2>/dev/null; then
		:
	else
		date -d "$(sed -n 's/^ -- .*>  //p' debian/changelog | head -n 1)" +%s
	fi
}
if [ "${1:-}" = --epoch ]; then
	epoch
	exit
fi

outdir=${1:-dist}
case $outdir in /*) ;; *) outdir=$top/$outdir ;; esac

tests/pkg/check-version.sh >/dev/null || {
	tests/pkg/check-version.sh >&2
	exit 1
}
version=$(sed -n 's/^#define[[:space:]]*PCFIFO_VERSION[[:space:]]*"\(.*\)".*/\1/p' src/version.h)
name=pcfifo-$version

list=$(mktemp)
trap 'rm -f "$list" "$list.tar" "$list.elf"' EXIT
epoch=$(epoch)
# Kbuild output and temporaries, in either list: what .gitignore names plus
# what a build running right now leaves for a moment (.x.o.d, .tmp_NNN/).
KBUILD_OUTPUT='\.(o|ko|mod|mod\.c|cmd|symvers|order|dwo|d)$|\.ko\.|(^|/)\.cache\.mk$|(^|/)\.tmp_'
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	# shellcheck disable=SC2086 # DIST_PATHS is a word list
	git ls-files -z --cached --others --exclude-standard -- $DIST_PATHS |
		tr '\0' '\n' | LC_ALL=C sort -u |
		while IFS= read -r f; do
			# tracked but deleted in the work tree: leave out
			if [ -f "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
		done
else
	# Not a git checkout (an unpacked release, a copied tree): every file
	# under DIST_PATHS except kbuild output.
	echo "dist: $top is not a git checkout; taking every file but kbuild output" >&2
	# shellcheck disable=SC2086
	find $DIST_PATHS \( -type f -o -type l \) 2>/dev/null | LC_ALL=C sort -u
fi | grep -v -E "$KBUILD_OUTPUT" >"$list"
# Programs built in the tree (utils/pcfifoctl, its unit tests) are build
# output too, even where .gitignore does not say so yet: no ELF file goes in.
while IFS= read -r f; do
	if [ "$(head -c 4 "$f" | od -An -c | tr -d ' \n')" = '177ELF' ]; then
		echo "dist: leaving out the built program $f (add it to .gitignore)" >&2
		printf '%s\n' "$f"
	fi
done <"$list" >"$list.elf"
if [ -s "$list.elf" ]; then
	grep -v -x -F -f "$list.elf" "$list" >"$list.tar" && mv "$list.tar" "$list"
fi
for must in dkms.conf Makefile COPYING src/Kbuild src/version.h debian/control rpm/pcfifo.spec \
	utils/Makefile; do
	grep -qx "$must" "$list" || {
		echo "dist: $must is missing from the file list" >&2
		exit 1
	}
done

mkdir -p "$outdir"
tar --create --file="$list.tar" --no-recursion --verbatim-files-from \
	--files-from="$list" --sort=name --format=gnu \
	--owner=0 --group=0 --numeric-owner --mode='u+rw,go+r,go-w' \
	--mtime="@$epoch" --transform="flags=r;s,^,$name/,"
gzip -9 -n <"$list.tar" >"$outdir/$name.tar.gz.tmp"
# its mode goes into the .src.rpm: not the caller's umask
chmod 0644 "$outdir/$name.tar.gz.tmp"
mv "$outdir/$name.tar.gz.tmp" "$outdir/$name.tar.gz"
echo "dist: $outdir/$name.tar.gz ($(wc -l <"$list") files)"
