#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reliability lane (make check-debug): pcfifo on a debug kernel with
# KASAN, lockdep, kmemleak, UBSAN, debugobjects, hung-task detection and
# fault injection, which must report nothing; with --kernel kcsan, on a
# second one with KCSAN, lockdep and debugobjects; with --kernel stock, the
# soak phase on Debian's own 6.1 kernel (make soak, tests/soak/run.sh).
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [options] [PHASE...]

Builds (or takes from the cache) the debug kernel (tests/debug/kernel.sh,
tests/debug/debug.config), builds src/ against it, boots it in QEMU and runs
tests/debug/guest/debug-lane.sh there: the core suite, a stress run, fault-injection
walks, a bad-input sweep, the fuzzer and a kmemleak scan. Passes when every check passes
and the guest's kernel log has no KASAN, lockdep, UBSAN, kmemleak, hung-task,
WARN or BUG report.

  PHASE                 kunit suite stress faults badinput fuzz kmemleak checkers
                        (default: all, in that order; on the KCSAN kernel
                        all but faults and kmemleak)
  --kernel kasan|kcsan  the debug kernel (default kasan): debug.config, or
                        debug.config with kcsan.config over it (KCSAN
                        instead of KASAN, kmemleak, UBSAN, fault injection)
  --kernel stock        Debian's 6.1 kernel, no sanitizer (make soak; the
                        default phase is then soak, PHASE soak only)
  --suite-args "T..."   the suite's files, as run-suite.sh's arguments:
                        NAME picks files, -NAME leaves them out
  --stress-seconds N    length of the stress run (default 60)
  --fuzz-seed N         the fuzzer's seed (default 1)
  --fuzz-steps N        its steps (default 1000)
  --timeout SEC         limit for the guest (default 2400)
  --kernel-only         build the debug kernel (or find it cached) and stop:
                        make debug-kernels, which .ci/run starts early

Logs: build/logs/debug-*.{log,dmesg}; findings with their full reports in
build/logs/debug-findings.txt (KCSAN kernel: build/logs/debug-kcsan-*).
Environment: PCFIFO_CACHE (kernel cache).
EOF
}

# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
# shellcheck source=../lib/kernel.sh
. "$PCFIFO_ROOT/tests/lib/kernel.sh"
# shellcheck source=../vm/initramfs.sh
. "$PCFIFO_ROOT/tests/vm/initramfs.sh"
# shellcheck source=../vm/qemu.sh
. "$PCFIFO_ROOT/tests/vm/qemu.sh"
# shellcheck source=kernel.sh
. "$PCFIFO_ROOT/tests/debug/kernel.sh"
# shellcheck source=../lib/build.sh
. "$PCFIFO_ROOT/tests/lib/build.sh"
# shellcheck source=../lib/report.sh
. "$PCFIFO_ROOT/tests/lib/report.sh"

suite_args='' stress_secs=60 timeout=2400 phases=() kernel=kasan
fuzz_seed=1 fuzz_steps=1000 kernel_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--suite-args) suite_args=${2?}; shift 2 ;;
	--stress-seconds) stress_secs=${2:?}; shift 2 ;;
	--fuzz-seed) fuzz_seed=${2:?}; shift 2 ;;
	--fuzz-steps) fuzz_steps=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--kernel-only) kernel_only=1; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) phases+=("$1"); shift ;;
	esac
done
[[ $stress_secs =~ ^[0-9]+$ ]] || die "--stress-seconds: a number"
[[ $fuzz_seed =~ ^[0-9]+$ && $fuzz_steps =~ ^[0-9]+$ ]] || die "--fuzz-seed, --fuzz-steps: numbers"
[[ $timeout =~ ^[0-9]+$ && $timeout -ge 120 ]] || die "--timeout: 120 seconds or more"
[[ $suite_args =~ ^[A-Za-z0-9._\ -]*$ ]] || die "--suite-args: test-file names only"
case $kernel in
kasan) lane=debug ;;
kcsan) lane=debug-kcsan ;;
stock) lane=soak-stock ;;
*) die "--kernel: kasan, kcsan or stock" ;;
esac
[ $kernel_only = 0 ] || [ "$kernel" != stock ] || die "--kernel-only: with a debug kernel only"
for p in "${phases[@]}"; do
	case $kernel.$p in
	stock.soak | kasan.* | kcsan.*) ;;
	*) die "phase $p: not on Debian's kernel (soak only)" ;;
	esac
done

mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

out=$PCFIFO_BUILD/$lane
mkdir -p "$out" "$PCFIFO_LOGS"
need_pkgs qemu-system-x86 cpio kmod gzip coreutils util-linux binutils
gkos=()

# --- the kernel and the modules ---------------------------------------------------
if [ "$kernel" = stock ]; then
	# As make check builds and boots them (tests/lib/build.sh).
	step "Debian's 6.1 kernel and the modules"
	DK_RELEASE=$(kernel_resolve 6.1)
	debver=$(kernel_headers "$DK_RELEASE")
	DK_ROOT=$(kernel_image "$DK_RELEASE" "$debver")
	DK_BOOT=$(kernel_boot_file "$DK_ROOT" "$DK_RELEASE")
	kernel_note="Debian's kernel" DK_TREE='' DK_VMLINUX=''
	result PASS "Debian's kernel $DK_RELEASE"
	build_modules "$DK_RELEASE" "$debver"
	[ "$BUILD_RC" -ne 1 ] || die "module build failed"
	mapfile -t gkos < <(build_kos "$DK_RELEASE")
else
	# --- the kernel ------------------------------------------------------------------
	step "debug kernel $kernel (linux-source-6.1 + ${DEBUG_FRAGMENTS[$kernel]//$PCFIFO_ROOT\//})"
	debug_kernel "$kernel"
	if [ "$DK_CACHED" = 1 ]; then
		kernel_note="kernel cached"
		result PASS "debug kernel $DK_RELEASE (cached: $DK_DIR)"
	else
		kernel_note="kernel built in $(mmss "$DK_SECS")"
		result PASS "debug kernel $DK_RELEASE built in $(mmss "$DK_SECS") ($DK_DIR)"
	fi
	if [ $kernel_only = 1 ]; then
		report_summary "pcfifo debug kernel $kernel"
		exit 0
	fi

	# --- the modules and the helper -----------------------------------------------------
	step "build src/ against the debug kernel"
	blog=$PCFIFO_LOGS/$lane-build.log
	rm -rf "$out/src" "$out/examples" "$out/tests" "$out/ko"
	mkdir -p "$out/src" "$out/ko"
	(cd "$PCFIFO_ROOT" && find src "${BUILD_CLIENTS[@]}" -type f \
		\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' -print | cpio -pdm --quiet "$out")
	# -g: the reports' module frames can then be decoded on the host.
	# With pcfifo_kunit.ko, src/kunit.c's KUnit tests (the kunit phase);
	# then the modules that use the kernel API, as make check builds them
	# (tests/lib/build.sh): the example (the suite's t68) and the fuzzer's
	# (the fuzz phase).
	build_ok=1
	make -C "$DK_TREE" M="$out/src" KCFLAGS=-g CONFIG_PCFIFO_KUNIT_TEST=m -j"$(nproc)" \
		modules >"$blog" 2>&1 || build_ok=0
	for client in "${BUILD_CLIENTS[@]}"; do
		[ $build_ok = 1 ] || break
		make -C "$DK_TREE" M="$out/$client" KCFLAGS=-g \
			KBUILD_EXTRA_SYMBOLS="$out/src/Module.symvers" modules >>"$blog" 2>&1 ||
			build_ok=0
	done
	if [ $build_ok = 1 ]; then
		nwarn=$(grep -ciE '(warning|error):' "$blog" || true)
		if [ "$nwarn" -eq 0 ]; then
			result PASS "modules build against the debug kernel without warnings"
		else
			grep -iE '(warning|error):' "$blog" | sed "s|$out/||g" >&2
			result FAIL "modules build against the debug kernel: $nwarn warning lines, see $blog"
		fi
	else
		tail -n 30 "$blog" >&2
		result FAIL "modules build against the debug kernel failed, see $blog"
	fi
	mapfile -t kos < <(cd "$out" && find src "${BUILD_CLIENTS[@]}" -maxdepth 1 -name '*.ko' |
		LC_ALL=C sort | sed "s|^|$out/|")
	nkos=$((4 + ${#BUILD_CLIENTS[@]}))
	if [ ${#kos[@]} -ne $nkos ]; then
		printf '%s\n' "${summary[@]}"
		die "expected $nkos modules (3, pcfifo_kunit and one of each of ${BUILD_CLIENTS[*]}), the build made ${#kos[@]}"
	fi
	# The sanitizers instrument out-of-tree code only through kbuild's flags:
	# make sure they did.
	uninstr=()
	if [ "$kernel" = kcsan ]; then
		sanitizers=KCSAN instr=('__tsan_')
	else
		sanitizers="KASAN and UBSAN" instr=('__asan_' '__ubsan_handle_')
	fi
	for ko in "${kos[@]}"; do
		syms=$(nm -u "$ko")
		for sym in "${instr[@]}"; do
			# UBSAN may find nothing to check in the small modules
			# that only call pcfifo's API.
			[[ $ko == "$out"/src/* || $sym != __ubsan_* ]] || continue
			grep -q "$sym" <<<"$syms" || { uninstr+=("${ko##*/}"); break; }
		done
		# The guest gets them without debug info (smaller initramfs, faster
		# finit_module).
		strip --strip-debug -o "$out/ko/${ko##*/}" "$ko"
	done
	if [ ${#uninstr[@]} -eq 0 ]; then
		result PASS "all modules are instrumented by $sanitizers"
	else
		result FAIL "not instrumented by $sanitizers: ${uninstr[*]}"
	fi
fi
gcc -static -O2 -Wall -Wextra -Werror -o "$out/failnth" "$PCFIFO_ROOT/tests/debug/failnth.c" ||
	die "building tests/debug/failnth.c failed"

# --- the guest -----------------------------------------------------------------------
step "initramfs"
initrd=$out/initramfs.cpio.gz
if [ "$kernel" != stock ]; then
	mapfile -t gkos < <(find "$out/ko" -name '*.ko' | LC_ALL=C sort)
	# configfs is built in: no module of the image goes in.
	# shellcheck disable=SC2034 # read by initramfs_build
	GUEST_IMAGE_MODULES=()
fi
initramfs_build "$initrd" "$DK_RELEASE" "$DK_ROOT" $((timeout - 30)) 0 "${gkos[@]}" -- \
	env PCFIFO_DEBUG_KERNEL="$kernel" PCFIFO_STRESS_SECONDS="$stress_secs" \
	PCFIFO_FUZZ_ARGS="--seed $fuzz_seed --steps $fuzz_steps" \
	PCFIFO_SUITE_ARGS="$suite_args" \
	sh /pcfifo/tests/debug/guest/debug-lane.sh "${phases[@]}"
# The lane's guest scripts (tests/debug/guest/) and the helper go in as a
# second archive appended to the first; the kernel unpacks both.
extra=$(mktemp -d "$out/extra.XXXXXX")
mkdir -p "$extra/pcfifo/tests/debug"
cp -r "$PCFIFO_ROOT/tests/debug/guest" "$extra/pcfifo/tests/debug/"
install -D -m 0755 "$out/failnth" "$extra/pcfifo/debug/bin/failnth"
(cd "$extra" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >>"$initrd"
rm -rf "$extra"

step "boot $DK_RELEASE: debug-lane.sh ${phases[*]:-(default phases)}"
glog=$PCFIFO_LOGS/$lane-lane.log
gdmesg=$PCFIFO_LOGS/$lane-lane.dmesg
if [ "$kernel" = stock ]; then
	accel=tcg kargs=''
elif [ "$kernel" = kcsan ]; then
	# KCSAN needs accesses that really run at the same time: two vCPUs on
	# two host threads (multi-threaded TCG).
	accel=tcg,thread=multi kargs=''
else
	# Fault injection only into the caches of the kernel proper: not into
	# the checkers' own (tests/debug/guest/faults.sh, failslab's cache-filter).
	accel=tcg
	kargs='kasan_multi_shot slub_debug=A;-,kmemleak_object,kmemleak_scan_area,debug_objects_cache'
fi
qemu=(qemu-system-x86_64 -accel "$accel" -smp 2 -m 2G -nographic -no-reboot -nic none
	-kernel "$DK_BOOT" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 loglevel=5 log_buf_len=16M no_hash_pointers $kargs")
# debug_boot: the guest, its console to the terminal and $glog; QEMU's
# status (timeout's 124 when the guest ran out of time).
# shellcheck disable=SC2317 # called through vm_retry
debug_boot() {
	local qrc
	rm -f "$glog"
	{
		qrc=0
		vm_qemu "$timeout" /dev/null "$glog" "${qemu[@]}" 2>&1 || qrc=$?
		echo "$qrc" >"$glog.qrc"
	} | _vm_clean | tee "$glog"
	qrc=$(cat "$glog.qrc")
	rm -f "$glog.qrc"
	return "$qrc"
}
t0=$SECONDS
qrc=0
vm_retry "$glog" debug_boot || qrc=$?
guest_secs=$((SECONDS - t0))

sed -n '/^PCFIFO-DMESG-BEGIN$/,/^PCFIFO-DMESG-END$/{//!p}' "$glog" >"$gdmesg"
grc=$(sed -n 's/^PCFIFO-EXIT=\([0-9][0-9]*\)$/\1/p' "$glog" | tail -n1)
if [ -z "$grc" ]; then
	# No dump: the console is all there is of the kernel log.
	cp "$glog" "$gdmesg"
	if [ "$qrc" -eq 124 ]; then
		result FAIL "the guest timed out after ${timeout}s (log: $glog)"
	else
		result FAIL "the guest ended without an exit status, QEMU status $qrc (log: $glog)"
	fi
	grc=125
fi

# --- results ------------------------------------------------------------------------------
# The lane's own last line; the suite's comes earlier, the kernel log after.
read -r gpass gfail counts < <(suite_counts "$glog")
while read -r _ name p f s; do
	p=${p#passed=} f=${f#failed=} s=${s#secs=}
	if [ "$f" = 0 ]; then
		result PASS "guest phase $name: $p passed in $(mmss "$s")"
	else
		result FAIL "guest phase $name: $f of $((p + f)) failed ($(mmss "$s")), see $glog"
	fi
done < <(grep '^PCFIFO-DEBUG-PHASE ' "$glog" || true)
# What failed, in the summary: often all a CI log keeps. Each check that
# failed, with the first lines of its diagnostics.
[ "$gfail" -eq 0 ] || while IFS= read -r line; do
	summary+=("      $line")
done < <(awk '/^not ok / { n++; d = 0; if (n <= 10) print; next }
	/^# / && n && n <= 10 && d < 4 { d++; print; next }
	{ d = 4 }' "$glog")
if [ "$grc" -eq 0 ] && [ "$gfail" -eq 0 ]; then
	result PASS "guest: $counts"
else
	result FAIL "guest: $counts; exit status $grc"
fi
ops=$(sed -n 's/^PCFIFO-DEBUG-OPS \([0-9]*\)$/\1/p' "$glog" | tail -n1)
# Timing-sensitive suite files that failed once and passed when run again.
retried=$(sed -n 's/^PCFIFO-DEBUG-RETRIED //p' "$glog" | tail -n1)
[ -z "$retried" ] || result NOTE "suite files that failed on the first run and passed on the second (timing under the debug kernel): $retried"

# Findings: every report in the guest's kernel log, with its full text.
flist=$(awk -f "$PCFIFO_ROOT/tests/debug/guest/debug-findings.awk" "$gdmesg" || true)
nfind=0
declare -A kinds=()
if [ -n "$flist" ]; then
	nfind=$(printf '%s\n' "$flist" | wc -l)
	while IFS=$'\t' read -r k _; do
		kinds[$k]=$((${kinds[$k]:-0} + 1))
	done <<<"$flist"
fi
# Data races in the kernel's own code (no pcfifo frame): listed, not counted.
kcsan_other=${kinds[KCSAN-OTHER]:-0}
ffile=$PCFIFO_LOGS/$lane-findings.txt
{
	echo "# findings in $gdmesg ($nfind)"
	if [ "$nfind" -gt 0 ]; then
		printf '%s\n' "$flist" | cut -f2- >"$ffile.first"
		# Each report from its first line to the end of its stack dump.
		reports() {
			awk 'NR == FNR { first[$0] = 1; next }
				first[$0] { on = 1; lines = 0; print "----" }
				on { print; lines++ }
				on && (/<\/TASK>/ || /kmemleak: [0-9]+ new suspected/ || lines > 150) { on = 0 }
				# A KCSAN report has no Call Trace: it ends with a rule.
				on && lines > 1 && /========================================/ { on = 0 }
			' "$ffile.first" "$gdmesg"
		}
		reports
		if [ -x "$DK_TREE/scripts/decode_stacktrace.sh" ]; then
			echo
			echo "# decoded (scripts/decode_stacktrace.sh, modules from $out/src)"
			reports | "$DK_TREE/scripts/decode_stacktrace.sh" "$DK_VMLINUX" "$DK_TREE" \
				"$out/src" 2>/dev/null || true
		fi
		rm -f "$ffile.first"
	fi
} >"$ffile"
# The lane's final kmemleak scan: objects it blames, and objects of known
# bugs of the kernel itself (debug-lane.sh lists them).
read -r kmemleak_objs kmemleak_known < <(sed -n 's/^PCFIFO-DEBUG-KMEMLEAK \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$glog" | tail -n1) || true
if [ "${kmemleak_objs:-0}" -gt 0 ]; then
	{
		echo
		echo "# kmemleak: $kmemleak_objs unreferenced objects after everything was unloaded"
		sed -n '/^not ok .*kmemleak: no leak after everything/,/^ok\|^not ok\|^PCFIFO/{/^#/p}' "$glog"
	} >>"$ffile"
fi
fsum="KASAN ${kinds[KASAN]:-0}, KCSAN ${kinds[KCSAN]:-0}"
[ "$kcsan_other" -eq 0 ] || fsum+=" (+$kcsan_other in the kernel's own code)"
fsum+=", lockdep $((${kinds[LOCKDEP]:-0} + ${kinds[ATOMIC]:-0})), UBSAN ${kinds[UBSAN]:-0}"
fsum+=", kmemleak $((${kinds[KMEMLEAK]:-0} + ${kmemleak_objs:-0}))"
[ "${kmemleak_known:-0}" -eq 0 ] || fsum+=" (+${kmemleak_known} of a known 6.1 kernel bug)"
fsum+=", hung task ${kinds[HUNG]:-0}, WARN/BUG $((${kinds[WARN]:-0} + ${kinds[BUG]:-0} + ${kinds[TRACE]:-0}))"
fsum+=", other $((${kinds[ODEBUG]:-0} + ${kinds[LOCKUP]:-0}))"
nfind=$((nfind - kcsan_other + ${kmemleak_objs:-0}))
if [ "$nfind" -eq 0 ]; then
	result PASS "no finding in the guest's kernel log ($fsum)"
else
	printf '%s\n' "$flist" >&2
	result FAIL "$nfind findings in the guest's kernel log ($fsum); reports in $ffile"
fi

total=$((SECONDS - report_start))
if [ $failed = 0 ]; then verdict=PASS; else verdict=FAIL; fi
report_summary "pcfifo debug lane summary, $kernel kernel" \
	"$(printf 'check-debug: %s in %s (%s, guest %s): %s operations, %d findings (%s)%s' \
		"$verdict" "$(mmss "$total")" "$kernel_note" "$(mmss "$guest_secs")" "${ops:-0}" \
		"$nfind" "$fsum" "${retried:+; retried: $retried}")" \
	"guest log: $glog" "$((gpass + report_pass)) passed, $((gfail + report_fail)) failed"
exit $failed
