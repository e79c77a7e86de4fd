#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debug-lane.sh [PHASE...] - the guest side of the reliability lane
# (tests/debug/run.sh, make check-debug), on the debug kernel (KASAN,
# lockdep, kmemleak, UBSAN, fault injection) or, with
# PCFIFO_DEBUG_KERNEL=kcsan, on the KCSAN kernel (KCSAN, lockdep; no
# kmemleak, no fault injection: its default phases leave out faults and
# kmemleak, and badinput).
#
# Phases, in this order (default: all):
#
#   kunit     pcfifo_kunit.ko: src/kunit.c's KUnit suites, which run as it
#             loads; each must report its cases passed and none failed
#   suite     run-suite.sh: the whole core suite, or the files that
#             PCFIFO_SUITE_ARGS (run-suite.sh's arguments) pick
#   stress    stress.sh: concurrent loops for PCFIFO_STRESS_SECONDS
#   soak      stress.sh between two slab measurements (make soak; on
#             Debian's kernel, PCFIFO_DEBUG_KERNEL=stock, the default)
#   faults    faults.sh: fail-nth walks over mkdir, capacity and fifo
#             writes and module loading
#   badinput  badinput-sweep.sh: hostile values to every writable file
#   fuzz      tests/fuzz/fuzz.sh: the model-checking fuzzer, with
#             PCFIFO_FUZZ_ARGS (--seed N --steps N)
#   kmemleak  with every module unloaded: a kmemleak scan finds nothing
#   checkers  lockdep, kmemleak and debugobjects are still switched on
#
# Output is TAP. For the host it also prints "PCFIFO-DEBUG-PHASE <name>
# passed=N failed=N secs=N", "PCFIFO-DEBUG-OPS N" and last
# "N passed, N failed" over all phases. Exit status 1 if anything failed.

here=$(cd "$(dirname "$0")" && pwd)
export TMPDIR=/tmp/pcfifo-debug
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"
PCFIFO_TAP_STATE=$TMPDIR/tap.state
PCFIFO_DONE_FILE=$TMPDIR/done
PCFIFO_DEBUG_OPS=$TMPDIR/ops
export PCFIFO_TAP_STATE PCFIFO_DONE_FILE PCFIFO_DEBUG_OPS
echo "0 0 0 0" >"$PCFIFO_TAP_STATE"
: >"$PCFIFO_DONE_FILE"
: >"$PCFIFO_DEBUG_OPS"

DEBUG_KERNEL=${PCFIFO_DEBUG_KERNEL:-kasan}
if [ "$DEBUG_KERNEL" = stock ]; then
	# make soak on Debian's own kernel (tests/soak/run.sh)
	PHASES=${*:-soak}
elif [ "$DEBUG_KERNEL" = kcsan ]; then
	# badinput only when asked: its sweep writes one value at a time (the
	# KASAN lane runs it), the fuzzer's hostile writes race with the rest.
	PHASES=${*:-kunit suite stress fuzz checkers}
else
	PHASES=${*:-kunit suite stress faults badinput fuzz kmemleak checkers}
fi
# shellcheck source=debug-lib.sh
. "$here/debug-lib.sh"
T_FILE=debug-lane

now_cs
lane_t0=$NOW
echo "# pcfifo debug lane on $(uname -r), $(nproc 2>/dev/null || echo ?) CPUs: $PHASES"
[ -w /proc/sys/kernel/printk_devkmsg ] && echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null

# --- the checkers are there -------------------------------------------------------------
if [ "$DEBUG_KERNEL" = stock ]; then
	# Debian's kernel has none of them: only its log is read.
	diag "Debian's kernel: no sanitizer, the kernel log is checked"
elif [ "$DEBUG_KERNEL" = kcsan ]; then
	dbg_debugfs
	check "lockdep is on (/proc/lockdep_stats)" grep -q 'debug_locks: *1' /proc/lockdep_stats
	check "KCSAN is on ($DEBUGFS/kcsan)" grep -q 'enabled: 1' "$DEBUGFS/kcsan"
	# Its boot selftest: it sees races in this guest (-smp 2, MTTCG).
	check "KCSAN's selftest passed (kernel log)" sh -c 'dmesg | grep -q "kcsan: selftest: .* passed"'
else
	check "debugfs is mounted with fault injection (failslab)" dbg_debugfs
	check "kmemleak is on ($KMEMLEAK)" test -r "$KMEMLEAK"
	check "lockdep is on (/proc/lockdep_stats)" grep -q 'debug_locks: *1' /proc/lockdep_stats
	check "KASAN is on (kernel log)" sh -c 'dmesg | grep -q "KernelAddressSanitizer initialized"'
fi
# Whatever kmemleak thinks of the boot is not ours (no module of ours has
# been loaded): show it, then forget it, so that the final scan reports
# only what the lane leaked. (An object is reported once its contents did
# not change between two scans.)
if [ -w "$KMEMLEAK" ]; then
	kmsg "kmemleak boot flush"
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	boot_leaks=$(grep -c '^unreferenced object' "$KMEMLEAK")
	diag "kmemleak at boot, before pcfifo: $boot_leaks objects (not counted), from:" \
		"$(sed -n 's/.*\] \([A-Za-z0-9_.]*\)+.*/\1/p' "$KMEMLEAK" |
			grep -vE '^(kmem_cache|__kmem_cache|kmalloc|__kmalloc|slab_|kmemleak)' |
			sort | uniq -c | sort -rn | head -n 8)"
	echo clear >"$KMEMLEAK"
fi
kmsg "debug-lane start"

# phase NAME CMD...: run CMD, report its counts for the host.
phase() {
	ph_name=$1
	shift
	read -r _ ph_p0 ph_f0 _ <"$PCFIFO_TAP_STATE"
	now_cs
	ph_t0=$NOW
	echo "# ==== phase $ph_name"
	kmsg "phase $ph_name"
	"$@"
	ph_rc=$?
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	now_cs
	if [ "$ph_rc" -gt 1 ] && [ "$T_FAIL" -eq "$ph_f0" ]; then
		# It ended badly without saying so (a crash, a timeout).
		nok "phase $ph_name ran to completion (exit $ph_rc)"
	fi
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	echo "PCFIFO-DEBUG-PHASE $ph_name passed=$((T_PASS - ph_p0)) failed=$((T_FAIL - ph_f0)) secs=$(((NOW - ph_t0) / 100))"
}

# run_file FILE LIMIT: FILE (of this folder, or a path) under lib.sh's
# runner rules: a time limit of LIMIT seconds, a clean end.
run_file() {
	case $1 in /*) rf_f=$1 ;; *) rf_f=$here/$1 ;; esac
	shift
	read -r _ _ rf_f0 _ <"$PCFIFO_TAP_STATE"
	timeout -k 10 "$1" sh "$rf_f"
	rf_rc=$?
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	# faults.sh keeps its failure reports off the console; whatever
	# happened, the console gets warnings again (loglevel=5).
	echo 5 >/proc/sys/kernel/printk
	# bail() records its failure and exits 1; anything else that ends a
	# file early (a crash, the timeout) is recorded here.
	if ! grep -qx "$(basename "$rf_f" .sh)" "$PCFIFO_DONE_FILE" &&
		{ [ "$rf_rc" -ne 1 ] || [ "$T_FAIL" -eq "$rf_f0" ]; }; then
		nok "$(basename "$rf_f" .sh) ran to completion (exit $rf_rc)"
	fi
	if ! is_clean; then
		nok "$(basename "$rf_f" .sh) left no instance and no module behind"
		t_cleanup
	fi
	return 0
}

# Suite files whose checks measure time (rates, promptness, CPU use),
# compare a live counter or poll a 2/s consumer item by item (t65): the
# debug kernel's overhead can push one of them over a limit. A file of
# these that fails is run once more; when the second run passes, its
# counts replace the first run's, and the lane says so
# (PCFIFO-DEBUG-RETRIED). Any other failure stands.
RETRY_FILES=${PCFIFO_DEBUG_RETRY-t20 t50 t60 t65 t70 t80 t90}

# run_suite DIR [NAME...]: run-suite.sh with its files in DIR; its output
# also in DIR/out.
run_suite() {
	rs_dir=$1
	shift
	rm -rf "$rs_dir"
	mkdir -p "$rs_dir"
	TMPDIR=$rs_dir PCFIFO_TAP_STATE='' PCFIFO_DONE_FILE='' \
		PCFIFO_FILE_TIMEOUT=${PCFIFO_FILE_TIMEOUT:-300} \
		sh "$DBG_SUITE_DIR/run-suite.sh" "$@" </dev/null 2>&1 | tee "$rs_dir/out"
	read -r RS_N RS_P RS_F RS_S <"$rs_dir/pcfifo-tap.state" || RS_F=1
	# Per test file: "NAME PASSED FAILED".
	awk '/^ok [0-9]+ - t[0-9][0-9]-/ { sub(/:$/, "", $4); p[$4]++; n[$4] = 1 }
		/^not ok [0-9]+ - t[0-9][0-9]-/ { sub(/:$/, "", $5); f[$5]++; n[$5] = 1 }
		END { for (k in n) print k, p[k] + 0, f[k] + 0 }' "$rs_dir/out" >"$rs_dir/files"
}

# The suite keeps its own counters; they are added to the lane's.
suite() {
	# shellcheck disable=SC2086 # test-file names
	run_suite "$TMPDIR/suite" ${PCFIFO_SUITE_ARGS:-}
	st_n=$RS_N st_p=$RS_P st_f=$RS_F st_s=${RS_S:-0}
	retried=''
	while read -r f fp ff; do
		[ "$ff" -gt 0 ] || continue
		case " $RETRY_FILES " in *" ${f%%-*} "*) ;; *) continue ;; esac
		diag "$f: $ff checks failed on the debug kernel; running it once more"
		run_suite "$TMPDIR/retry-$f" "$f"
		if [ "$RS_F" -eq 0 ]; then
			diag "$f passed on the second run: its first run's $ff failures are not counted"
			st_n=$((st_n - fp - ff + RS_N)) st_p=$((st_p - fp + RS_P)) st_f=$((st_f - ff))
			retried="$retried $f"
		else
			diag "$f failed again"
		fi
	done <"$TMPDIR/suite/files"
	[ -z "$retried" ] || echo "PCFIFO-DEBUG-RETRIED$retried"
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	T_N=$((T_N + st_n)) T_PASS=$((T_PASS + st_p)) T_FAIL=$((T_FAIL + st_f))
	T_SKIP=$((T_SKIP + st_s))
	t_save
	dbg_ops suite "$st_n"
}

# soak: make soak (tests/soak/run.sh): stress.sh for PCFIFO_STRESS_SECONDS
# between two measurements of the kernel's slab memory with nothing of
# pcfifo loaded, each after what can be reclaimed is (and, on Debian's
# kernel, every cache has given back its empty slabs). On Debian's kernel
# the slab must then be back where it was: PCFIFO_SOAK_SLAB_KB (default
# 1024) of growth at most: 2.5 times what the kernel's own caches keep of
# the loops' processes and files (about 400 kB after 72 s), while a leak
# of one small object in a hundred operations goes over it within the
# hour. On the debug kernels the figure is only shown (KASAN's quarantine keeps
# freed objects in their slabs, up to 1/32 of the memory; kmemleak is that
# kernel's leak check). For the host: "PCFIFO-SOAK slab_before_kb=N
# slab_after_kb=N".
# slab_kb NAME: the Slab of /proc/meminfo (kB) into SLAB, what each cache
# holds into $TMPDIR/slab.NAME.
slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	# (Not on the debug kernels: a shrink rewrites the caches of the
	# boot's known kmemleak reports, which makes kmemleak report them
	# again.)
	[ "$DEBUG_KERNEL" != stock ] || for sk_f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$sk_f" 2>/dev/null
	done
	SLAB=$(awk '$1 == "Slab:" { print $2 }' /proc/meminfo)
	# bytes of active objects per cache, for what grew
	awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo 2>/dev/null >"$TMPDIR/slab.$1"
}
soak() {
	so_max=${PCFIFO_SOAK_SLAB_KB:-1024}
	slab_kb before
	so_slab0=$SLAB
	run_file stress.sh $((${PCFIFO_STRESS_SECONDS:-60} + 300))
	slab_kb after
	diag "slab before the soak: $so_slab0 kB, after its teardown: $SLAB kB; caches that grew most (bytes of objects in use):" \
		"$(awk 'NR == FNR { b[$1] = $2; next } $2 > b[$1] { print $2 - b[$1], $1 }' \
			"$TMPDIR/slab.before" "$TMPDIR/slab.after" | sort -rn | head -n 8)"
	echo "PCFIFO-SOAK slab_before_kb=$so_slab0 slab_after_kb=$SLAB"
	[ "$DEBUG_KERNEL" = stock ] || return 0
	check "soak: the slab is flat after the teardown ($((SLAB - so_slab0)) kB of growth, $so_max at most)" \
		test $((SLAB - so_slab0)) -le "$so_max"
}

kmemleak_scan() {
	T_FILE=kmemleak
	if ! is_clean; then
		t_cleanup
		check "everything is unloaded before the kmemleak scan" is_clean
	fi
	if ! [ -w "$KMEMLEAK" ]; then
		nok "kmemleak is available for the final scan"
		return
	fi
	# kmemleak reports objects older than 5 s, and an object only once
	# its contents stopped changing between two scans.
	sleep 6
	sc_ok=1
	for _ in 1 2; do
		echo scan >"$KMEMLEAK" 2>/dev/null || sc_ok=0
	done
	check "kmemleak scans (it is still enabled)" test "$sc_ok" -eq 1
	cat "$KMEMLEAK" >"$TMPDIR/kmemleak"
	: >"$TMPDIR/kmemleak.new"
	# Objects whose backtrace is a known bug of the kernel itself, not of
	# pcfifo, are listed but not counted:
	#   6.1: kset_create_and_add() frees the kset but not its name when
	#   kset_register() fails (fixed after 6.1 by "kset: fix memory leak
	#   when kset_register() returns error"); fault injection into
	#   pcfifo_sysfs_init() makes it fail. __class_register() (class_create()
	#   in pcfifo's init) has the same bug: it frees the class's private
	#   kset but not its name "pcfifo" when kset_register() fails.
	awk -v kver="$(uname -r)" -v out="$TMPDIR/kmemleak.new" '
		function close_obj() {
			if (obj == "")
				return
			if (kver ~ /^6\.1\./ &&
			    bt ~ / kstrdup kobject_set_name_vargs kobject_set_name (kset_create_and_add|__class_register) /)
				known++
			else {
				new++
				printf "%s", text > out
			}
			obj = ""
		}
		/^unreferenced object/ { close_obj(); obj = $0; bt = " "; text = "" }
		obj != "" {
			text = text $0 "\n"
			if ($0 ~ /\] [A-Za-z0-9_.]+\+0x/) {
				f = $0
				sub(/.*\] /, "", f)
				sub(/\+0x.*/, "", f)
				bt = bt f " "
			}
		}
		END { close_obj(); print new + 0, known + 0 }
	' "$TMPDIR/kmemleak" >"$TMPDIR/kmemleak.count"
	read -r n known <"$TMPDIR/kmemleak.count"
	echo "PCFIFO-DEBUG-KMEMLEAK $n $known"
	if [ "$known" -gt 0 ]; then
		diag "kmemleak: $known objects leaked by a known bug of the kernel itself (not counted):" \
			"$(grep -m1 -A20 '^unreferenced object' "$TMPDIR/kmemleak" | grep -v '^ *[0-9a-f][0-9a-f] ')"
	fi
	if [ "$n" -eq 0 ]; then
		ok "kmemleak: no leak after everything was removed"
	else
		nok "kmemleak: no leak after everything was removed ($n unreferenced objects)"
		diag "$(cat "$TMPDIR/kmemleak.new")"
	fi
	T_FILE=debug-lane
}

# The KUnit suites of src/kunit.c (FIFO hand-off, pace, parsers) run when
# pcfifo_kunit loads and print KTAP into the kernel log.
KUNIT_SUITES="pcfifo_fifo pcfifo_pace pcfifo_parse"
kunit() {
	T_FILE=kunit
	mark
	mp pcfifo_kunit
	if [ "$MP_RC" -ne 0 ]; then
		nok "modprobe pcfifo_kunit"
		diag "$MP_OUT"
		T_FILE=debug-lane
		return
	fi
	ku=$(dmesg_after "$T_MARK")
	for ks in $KUNIT_SUITES; do
		ks_stats=$(printf '%s\n' "$ku" | sed -n "s/.*# $ks: \(pass:.*\)/\1/p")
		case $ks_stats in
		"pass:"[1-9]*" fail:0 "*) ok "KUnit suite $ks: $ks_stats" ;;
		*)
			nok "KUnit suite $ks: all cases pass (${ks_stats:-no result})"
			diag "$(printf '%s\n' "$ku" | grep -E "not ok|Expected|$ks")"
			;;
		esac
	done
	rmmod pcfifo_kunit
	check "pcfifo_kunit unloads" not_loaded pcfifo_kunit
	T_FILE=debug-lane
}

checkers() {
	T_FILE=checkers
	check "lockdep is still on (debug_locks: 1)" grep -q 'debug_locks: *1' /proc/lockdep_stats
	# Every command but "clear" fails with EPERM once kmemleak is off;
	# "stack=on" changes nothing (it is the default).
	if [ "$DEBUG_KERNEL" = kcsan ]; then
		check "KCSAN is still on" grep -q 'enabled: 1' "$DEBUGFS/kcsan"
		# How much it watched: no report with no watchpoints says little.
		diag "KCSAN: $(tr '\n' ' ' <"$DEBUGFS/kcsan" | sed 's/ *$//')"
	else
		check "kmemleak is still on" sh -c "echo stack=on >$KMEMLEAK"
	fi
	bad=$(dbg_findings "debug-lane start")
	if [ -z "$bad" ]; then
		ok "kernel log of the whole lane: no KASAN, lockdep, UBSAN, kmemleak, hung task, WARN or BUG report"
	else
		nok "kernel log of the whole lane: no KASAN, lockdep, UBSAN, kmemleak, hung task, WARN or BUG report"
		diag "$bad"
	fi
	T_FILE=debug-lane
}

for p in $PHASES; do
	case $p in
	kunit) phase kunit kunit ;;
	suite) phase suite suite ;;
	stress) phase stress run_file stress.sh $((${PCFIFO_STRESS_SECONDS:-60} + 120)) ;;
	soak) phase soak soak ;;
	faults) phase faults run_file faults.sh 1500 ;;
	badinput) phase badinput run_file badinput-sweep.sh 900 ;;
	fuzz) phase fuzz run_file "$PCFIFO_ROOT/tests/fuzz/fuzz.sh" 1200 ;;
	kmemleak) phase kmemleak kmemleak_scan ;;
	checkers) phase checkers checkers ;;
	*) nok "unknown phase $p" ;;
	esac
done

ops=$(awk '{ n += $2 } END { print n + 0 }' "$PCFIFO_DEBUG_OPS")
echo "PCFIFO-DEBUG-OPS $ops"
tap_summary "debug lane" "$lane_t0"
