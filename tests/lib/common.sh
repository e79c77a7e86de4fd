# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the host-side test harness. Sourced, never executed.

PCFIFO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PCFIFO_CACHE=${PCFIFO_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/pcfifo}
PCFIFO_BUILD=$PCFIFO_ROOT/build
# shellcheck disable=SC2034 # used by the scripts that source this
PCFIFO_LOGS=$PCFIFO_BUILD/logs

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Debian packages the harness needs. Installs the missing ones when running
# as root (CI, `make demo` on a fresh machine); otherwise says what to install.
need_pkgs() {
	local p missing=()
	for p in "$@"; do
		[[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) == ii* ]] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] ||
		die "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
	log "installing ${missing[*]}"
	# A fresh machine may have empty package lists. apt's output goes to
	# stderr: callers may capture stdout.
	apt-cache show "${missing[@]}" >/dev/null 2>&1 || apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# Run "$@" holding an exclusive lock on file $1, so concurrent harness runs
# (two kernels at once, a second terminal) never half-fill a cache entry.
with_lock() {
	local lock=$1
	shift
	mkdir -p "$(dirname "$lock")"
	(
		flock 9
		"$@"
	) 9>"$lock"
}

_deb_fetch() {
	local pkg=$1 debver=$2 dir=$3 tmp
	[ -f "$dir/.complete" ] && return 0
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	tmp=$(mktemp -d "$dir.XXXXXX")
	# apt's download sandbox user cannot write to root's private cache dir.
	local sandbox=()
	[ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
	log "downloading $pkg=$debver"
	(cd "$tmp" && apt-get download -q "${sandbox[@]}" "$pkg=$debver" >&2) ||
		die "apt-get download $pkg=$debver failed"
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	rm -f "$tmp"/*.deb
	touch "$tmp/.complete"
	mv "$tmp" "$dir"
}

# deb_root PKG [VERSION]: download PKG (default: the candidate version) with
# apt-get download and extract it with dpkg-deb -x into the cache, keyed by
# the exact version; nothing is installed. Prints the extracted root.
deb_root() {
	local pkg=$1 debver=${2-}
	if [ -z "$debver" ]; then
		debver=$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
		[ "$debver" != "(none)" ] || debver=
		[ -n "$debver" ] || die "apt-cache knows no $pkg (apt-get update?)"
	fi
	local dir=$PCFIFO_CACHE/debs/$pkg/$debver
	with_lock "$PCFIFO_CACHE/debs/$pkg.lock" _deb_fetch "$pkg" "$debver" "$dir"
	echo "$dir/root"
}
