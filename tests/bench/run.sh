#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: pcfifo's benchmark in a QEMU guest. Builds the modules and
# the baseline module (tests/bench/kmod) for the kernel, boots a guest that
# runs tests/bench/guest.sh, then turns its raw "BENCH" lines into medians,
# prints the tables and writes BENCHMARKS.md. Also builds the kernel API's
# module (tests/bench/kmod/pcfifo_api_bench.c, against the modules' build)
# and the device file's program (tests/bench/devbench.c) for the guest,
# and, for the spacing and cost parts, the modules of the old tick-grained
# engine from git history (--old), which the guest measures next to the
# current ones. Draws the report's plots with gnuplot (tests/bench/plots.gp)
# into bench/ next to the report.
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [options] [PART...]

  PART             rate fifo cost latency scale dev api spacing (default: all)
  --quick          one run of each, short windows, 1,000 instances only
  --kernel K       kernel flavour (default: 6.1)
  --out FILE       report file (default: BENCHMARKS.md at the top level
                   for a run of all parts, else build/<abi>/bench-PARTS.md;
                   "-" for none)
  --timeout SEC    limit for the guest (default: 3600, quick 900)
  --from-log LOG   no guest: make the report from the console log of an
                   earlier run (build/logs/<abi>-bench.log)
  --old REV        the old engine the spacing and cost parts compare with:
                   src/ of git revision REV (default: $OLD_REV, the last
                   with jiffy-delayed work)

Figures come from a TCG-emulated guest on a shared machine: they compare
pcfifo with a baseline in the same guest, they are not timed assertions.
EOF
}

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
# shellcheck source=../lib/kernel.sh
. "$PCFIFO_ROOT/tests/lib/kernel.sh"
# shellcheck source=../lib/build.sh
. "$PCFIFO_ROOT/tests/lib/build.sh"
# shellcheck source=../lib/checkpatch.sh
. "$PCFIFO_ROOT/tests/lib/checkpatch.sh"
# shellcheck source=../vm/initramfs.sh
. "$PCFIFO_ROOT/tests/vm/initramfs.sh"
# shellcheck source=../vm/qemu.sh
. "$PCFIFO_ROOT/tests/vm/qemu.sh"

BENCH=$PCFIFO_ROOT/tests/bench
OLD_REV=e333bbb

quick=0 flavour=6.1 out='' timeout='' from_log='' parts=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; shift ;;
	--kernel) flavour=${2:?--kernel needs a value}; shift 2 ;;
	--out) out=${2:?--out needs a value}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
	--from-log) from_log=${2:?--from-log needs a value}; shift 2 ;;
	--old) OLD_REV=${2:?--old needs a value}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	rate | fifo | cost | latency | scale | dev | api | spacing) parts+=("$1"); shift ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -n "$timeout" ] || { [ $quick = 1 ] && timeout=900 || timeout=3600; }
[[ $timeout =~ ^[0-9]+$ && $timeout -ge 60 ]] || die "--timeout: 60 seconds or more"

# Build the benchmark's modules for ABI $1 with W=1 and sparse, like src/:
# the baseline, and the kernel API's against src/ as built in $PCFIFO_BUILD
# (its pcfifo.h and Module.symvers).
# shellcheck disable=SC2317 # called through with_lock
_kmod_build() {
	local ver=$1 dir=$PCFIFO_BUILD/$1/bench-kmod log=$PCFIFO_LOGS/$1-bench-kmod.log
	local src=$PCFIFO_BUILD/$1/src
	rm -rf "$dir"
	mkdir -p "$dir" "$PCFIFO_LOGS"
	cp "$BENCH"/kmod/Kbuild "$BENCH"/kmod/*.[ch] "$dir/"
	log "building the benchmark's modules for $ver (W=1, sparse) -> $log"
	make -C "/lib/modules/$ver/build" M="$dir" W=1 C=2 CHECK=sparse \
		PCFIFO_SRC="$src" KBUILD_EXTRA_SYMBOLS="$src/Module.symvers" \
		-j"$(nproc)" modules >"$log" 2>&1 || {
		tail -n 30 "$log" >&2
		die "build of tests/bench/kmod failed"
	}
	if build_findings "$log" >&2; then
		log "warning: the benchmark's modules build with warnings ($log)"
	fi
}

# With src/'s build lock held: the benchmark's modules, and a copy of the
# modules' .ko files in build/<abi>/bench-kos.
# shellcheck disable=SC2317 # called through with_lock
_bench_prepare() {
	local ver=$1 kos
	[ -f "$PCFIFO_BUILD/$ver/src/Module.symvers" ] || die "src/ is not built for $ver"
	_kmod_build "$ver"
	rm -rf "$PCFIFO_BUILD/$ver/bench-kos"
	mkdir -p "$PCFIFO_BUILD/$ver/bench-kos"
	mapfile -t kos < <(build_kos "$ver")
	[ ${#kos[@]} -eq 0 ] || cp "${kos[@]}" "$PCFIFO_BUILD/$ver/bench-kos/"
}

# The old engine's modules for ABI $1: src/ of git revision OLD_REV, built
# in build/<abi>/bench-old/ (kept while the revision is the same).
# shellcheck disable=SC2317 # called through with_lock
old_build() {
	local ver=$1 dir=$PCFIFO_BUILD/$1/bench-old log=$PCFIFO_LOGS/$1-bench-old.log
	local commit
	commit=$(git -C "$PCFIFO_ROOT" rev-parse --verify "$OLD_REV^{commit}") ||
		die "--old $OLD_REV: no such revision"
	if [ "$(cat "$dir/commit" 2>/dev/null)" = "$commit" ] &&
		[ -f "$dir/src/pcfifo_consumer.ko" ]; then
		log "old engine ($OLD_REV) for $ver is up to date ($dir/src)"
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir" "$PCFIFO_LOGS"
	git -C "$PCFIFO_ROOT" archive "$commit" src | tar -x -C "$dir"
	log "building the old engine ($OLD_REV) for $ver -> $log"
	make -C "/lib/modules/$ver/build" M="$dir/src" -j"$(nproc)" modules \
		>"$log" 2>&1 || {
		tail -n 30 "$log" >&2
		die "build of $OLD_REV's src/ failed"
	}
	echo "$commit" >"$dir/commit"
}

# plots DIR DATA: the report's plots, DIR/NAME.svg from DATA/NAME.dat for
# each data file report.awk wrote (tests/bench/plots.gp).
plots() {
	local dir=$1 data=$2 f name
	mkdir -p "$dir"
	for f in "$data"/*.dat; do
		[ -s "$f" ] || continue
		name=$(basename "$f" .dat)
		gnuplot -e "plot_name='$name'; data='$f'; out='$dir/$name.svg.tmp'" \
			"$BENCH/plots.gp" || {
			rm -f "$dir/$name.svg.tmp"
			log "warning: gnuplot failed on $name"
			continue
		}
		mv "$dir/$name.svg.tmp" "$dir/$name.svg"
		log "drew $dir/$name.svg"
	done
}

# The device file's program, for the host's libc (which the guest has).
# shellcheck disable=SC2317 # called through with_lock
devbench_build() {
	local out=$PCFIFO_BUILD/devbench
	mkdir -p "$PCFIFO_BUILD"
	gcc -O2 -Wall -Wextra -Werror -o "$out.tmp" "$BENCH/devbench.c" ||
		die "build of tests/bench/devbench.c failed"
	mv "$out.tmp" "$out"
}

# checkpatch --strict on the benchmark modules' sources (a report only).
kmod_checkpatch() {
	local cp out
	cp=$(checkpatch_path) || return 1
	out=$(cd "$PCFIFO_ROOT" && perl "$cp" --strict --no-tree --show-types --terse \
		--no-summary --color=never -f tests/bench/kmod/*.[ch] tests/bench/kmod/Kbuild) || true
	if [ -n "$out" ]; then
		printf '%s\n' "$out" >&2
		log "warning: checkpatch --strict has findings in tests/bench/kmod"
	fi
}

# Host facts for the report, as "key<TAB>value" lines.
host_facts() {
	local cpu
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
	printf 'host_cpu\t%s\n' "${cpu:-unknown}"
	printf 'host_cores\t%s\n' "$(nproc)"
	printf 'host_mem\t%s\n' "$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	printf 'host_load\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'qemu\t%s\n' "$(qemu-system-x86_64 --version | head -n1)"
	printf 'qemu_args\t%s\n' "$(declare -f vm_boot | grep -o -- '-smp [0-9]* -m [0-9A-Za-z]*' | head -n1)"
	printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'commit\t%s\n' "$(git -C "$PCFIFO_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
}

ver=$(kernel_resolve "$flavour")
if [ -z "$out" ]; then
	# A run of some parts only does not overwrite the full report.
	out=$PCFIFO_ROOT/BENCHMARKS.md
	[ ${#parts[@]} -eq 0 ] || out=$PCFIFO_BUILD/$ver/bench-$(IFS=-; echo "${parts[*]}").md
fi
log_file=$PCFIFO_LOGS/$ver-bench.log
facts=$PCFIFO_BUILD/$ver/bench-facts.tsv
start=$SECONDS
if [ -z "$from_log" ]; then
	need_pkgs qemu-system-x86 cpio kmod gzip coreutils util-linux
	debver=$(kernel_headers "$ver")
	build_modules "$ver" "$debver"
	[ "$BUILD_RC" -ne 1 ] || die "module build failed"
	# Under the lock of src/'s build, which another run may redo at any
	# time: the benchmark's modules build against it, and its .ko files
	# are copied for this run.
	with_lock "$PCFIFO_BUILD/$ver.lock" _bench_prepare "$ver"
	kos=("$PCFIFO_BUILD/$ver"/bench-kos/*.ko)
	[ -f "${kos[0]}" ] || die "the build produced no .ko files"
	kmod_checkpatch
	need_pkgs libc6-dev
	with_lock "$PCFIFO_BUILD/devbench.lock" devbench_build
	old=0
	case " ${parts[*]:-cost} " in *" cost "* | *" spacing "*) old=1 ;; esac
	[ $old = 0 ] || with_lock "$PCFIFO_BUILD/$ver.lock" old_build "$ver"
	# The spacing part's hrtimer events, turned on at boot before the
	# second CPU runs (tests/bench/guest.sh, timer_events_off, says why).
	case " ${parts[*]:-spacing} " in *" spacing "*)
		VM_APPEND=trace_event=timer:hrtimer_start,timer:hrtimer_expire_entry ;;
	esac

	mkdir -p "$PCFIFO_BUILD/$ver" "$PCFIFO_LOGS"
	host_facts >"$facts"
	image=$(kernel_image "$ver" "$debver")
	initrd=$PCFIFO_BUILD/$ver/initramfs-bench.cpio.gz
	gargs=()
	[ $quick = 0 ] || gargs+=(--quick)
	gargs+=("${parts[@]}")
	initramfs_build "$initrd" "$ver" "$image" $((timeout - 20)) 0 "${kos[@]}" \
		-- sh /pcfifo/tests/bench/guest.sh "${gargs[@]}"
	# The standard initramfs has tests/guest only: a second archive, which
	# the kernel unpacks over the first, adds the benchmark, its modules
	# and its program (with the shared libraries it needs).
	stage=$(mktemp -d "$PCFIFO_BUILD/$ver/bench-stage.XXXXXX")
	mkdir -p "$stage/pcfifo/tests/bench"
	cp "$BENCH"/*.sh "$PCFIFO_BUILD/$ver"/bench-kmod/*.ko "$stage/pcfifo/tests/bench/"
	if [ $old = 1 ]; then
		mkdir "$stage/pcfifo/tests/bench/old"
		cp "$PCFIFO_BUILD/$ver"/bench-old/src/*.ko "$stage/pcfifo/tests/bench/old/"
	fi
	_copy_with_libs "$stage" "$PCFIFO_BUILD/devbench" /pcfifo/tests/bench/devbench
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -1) >>"$initrd"
	rm -rf "$stage"

	log "booting $ver for the benchmark (up to ${timeout}s)"
	rc=0
	vm_retry "$log_file" vm_boot "$(kernel_boot_file "$image" "$ver")" "$initrd" "$log_file" \
		"$timeout" 0 || rc=$?
	log "guest exit status $rc after $((SECONDS - start)) s (log: $log_file)"
	printf 'guest_rc\t%s\nduration\t%s\n' "$rc" "$((SECONDS - start))" >>"$facts"
else
	log_file=$from_log
	[ -f "$facts" ] || host_facts >"$facts"
	rc=$(sed -n 's/^guest_rc\t//p' "$facts" | tail -n1)
	rc=${rc:-0}
fi

grep -q '^BENCH env ' "$log_file" || die "no benchmark output in $log_file"
if grep -q '^BENCH error ' "$log_file"; then
	log "the guest reported: $(sed -n 's/^BENCH error //p' "$log_file" | head -n1)"
fi
need_pkgs gnuplot-nox
findings=$(grep -aE "$KERNEL_FINDINGS_RE" "${log_file%.log}.dmesg" 2>/dev/null | head -n 5 || true)

report=$(mktemp)
data=$(mktemp -d)
trap 'rm -rf "$report" "$data"' EXIT
{
	sed 's/^/FACT\t/' "$facts"
	printf 'FACT\tfindings\t%s\n' "$(tr '\n' ' ' <<<"$findings")"
	printf 'FACT\told\t%s\n' "$OLD_REV"
	grep -a '^BENCH ' "$log_file"
} | awk -v plotdir="$data" -f "$BENCH/report.awk" >"$report"
echo
cat "$report"
if [ "$out" != - ]; then
	# The plots go to bench/ next to the report, which links them there.
	plots "$(dirname "$out")/bench" "$data"
	cp "$report" "$out"
	log "wrote $out"
fi
[ "$rc" -eq 0 ] || log "warning: the guest exited with status $rc; see $log_file"
exit "$rc"
