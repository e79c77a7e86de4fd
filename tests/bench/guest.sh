#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh [--quick] [PART...] - pcfifo's benchmark, inside the QEMU guest.
#
# Runs the measurements of `make bench` against the real modules through
# configfs and sysfs, and prints one raw line per run, "BENCH <kind> ...",
# that tests/bench/run.sh turns into medians, tables and BENCHMARKS.md;
# everything else it prints is for people. PART is any of rate, fifo,
# cost, latency, scale, dev, api (default: all, in that order). --quick:
# one run of each, shorter windows, 1,000 instances only (and 1,000 FIFOs,
# as in a full run).
#
# Expects the guest of tests/vm-run.sh (root, configfs mounted, the pcfifo
# modules installed) and, next to this script, what run.sh builds: the
# baseline module (kfifo_bench.ko), the kernel API's (pcfifo_api_bench.ko),
# the device file's program (devbench) and, in old/, the modules of the
# tick-grained engine (commit e333bbb: jiffy-delayed work) that the spacing
# and cost parts measure next to the installed ones.
#
# Clock: CLOCK_MONOTONIC ns from the "now at" line of /proc/timer_list,
# read around each counter read (the midpoint counts), so a window's length
# is known to a few microseconds without forking.

PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH

here=$(cd "$(dirname "$0")" && pwd)
CFG=/sys/kernel/config/pcfifo
SYS=/sys/kernel/pcfifo
DBG=/sys/kernel/debug/pcfifo
KFIFO_KO=$here/kfifo_bench.ko
API_KO=$here/pcfifo_api_bench.ko
DEVBENCH=$here/devbench
OLD=$here/old
TR=/sys/kernel/tracing
TMP=${TMPDIR:-/tmp}/pcfifo-bench.$$

quick=0
parts=""
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	rate | fifo | cost | latency | scale | dev | api | spacing) parts="$parts $a" ;;
	*)
		echo "usage: guest.sh [--quick] [rate|fifo|cost|latency|scale|dev|api|spacing]..." >&2
		exit 2
		;;
	esac
done
[ -n "$parts" ] || parts="rate fifo cost latency scale dev api spacing"

# Repeats (the median is reported) and windows, in seconds.
if [ "$quick" -eq 1 ]; then
	REPS=1 RATE_WIN=3 FIFO_WIN=3 COST_WIN=3 LAT_WIN=3 SCALE_WIN=6
	SCALE_NS="1000" DEV_ITEMS=200000 DEV_REPS=1 SPACE_WIN=3 TIMER_WIN=2
else
	REPS=3 RATE_WIN=10 FIFO_WIN=5 COST_WIN=10 LAT_WIN=5 SCALE_WIN=12
	SCALE_NS="1000 10000" DEV_ITEMS=1000000 DEV_REPS=5 SPACE_WIN=10 TIMER_WIN=3
fi
# Device throughput: item bytes (a line is one more), write and read
# buffer bytes, and the FIFO's capacity: 4096 slots, as many of these
# lines as a pipe holds (64 KiB). A run takes well under a second: DEV_REPS
# of them (pipe and device back to back) cost little.
DEV_LEN=15 DEV_BUF=4096 DEV_CAP=4096
# FIFOs made and removed in the scale part.
SCALE_FIFOS="1000"
RATES="1 10 100 1000 10000 100000 1000000"
COST_RATES="100 1000 10000 100000"
# Rates of the spacing part, and of the cost part's run of the old engine.
SPACE_RATES="100 1000 10000"
LAT_RATES="1000 10000 100000"
RATE_MAX=1000000

say() {
	echo "# $*"
}

fail() {
	echo "BENCH error $*"
	echo "bench: error: $*" >&2
	exit 1
}

# ------------------------------------------------------------ clock ----

if [ -r /proc/timer_list ]; then
	CLOCK=timer_list
else
	CLOCK=uptime
fi

# now_ns: CLOCK_MONOTONIC in ns into NS (uptime's 10 ms steps as a fallback).
now_ns() {
	NS=""
	if [ "$CLOCK" = timer_list ]; then
		while read -r nn_a nn_b nn_c _; do
			if [ "$nn_a" = now ] && [ "$nn_b" = at ]; then
				NS=$nn_c
				return 0
			fi
		done </proc/timer_list
	fi
	read -r nn_up _ </proc/uptime
	NS=${nn_up%.*}${nn_up#*.}
	NS=${NS#"${NS%%[!0]*}"}
	NS=$((${NS:-0} * 10000000))
}

# snap FILE: the number in FILE into S_V, the time of the read in S_T (ns).
snap() {
	now_ns
	sn_t0=$NS
	S_V=x
	read -r S_V <"$1"
	now_ns
	S_T=$(((sn_t0 + NS) / 2))
}

# ---------------------------------------------------------- modules ----

# wr FILE VALUE: write VALUE or fail the benchmark.
wr() {
	echo "$2" >"$1" || fail "cannot write '$2' to $1"
}

# rm_all: every configfs instance, then every FIFO made by mkdir.
rm_all() {
	for ra_d in "$CFG"/producers/* "$CFG"/consumers/*; do
		[ -d "$ra_d" ] && rmdir "$ra_d"
	done
	for ra_d in "$CFG"/fifos/*; do
		[ "${ra_d##*/}" = default ] || { [ -d "$ra_d" ] && rmdir "$ra_d"; }
	done
	return 0
}

unload() {
	rm_all
	for ul_m in pcfifo_producer pcfifo_consumer pcfifo; do
		ul_n=0
		while grep -q "^$ul_m " /proc/modules; do
			rmmod "$ul_m" 2>/dev/null && break
			ul_n=$((ul_n + 1))
			[ "$ul_n" -lt 50 ] || fail "cannot unload $ul_m"
			sleep 0.1
		done
	done
}

# load [old]: the three modules, no instance; old: the old engine's
# (OLD/*.ko, insmod: the installed ones have the same names).
load() {
	unload
	for ld_m in pcfifo pcfifo_producer pcfifo_consumer; do
		if [ "${1-}" = old ]; then
			insmod "$OLD/$ld_m.ko" || fail "insmod $OLD/$ld_m.ko"
		else
			modprobe "$ld_m" || fail "modprobe $ld_m"
		fi
	done
}

# inst KIND NAME RATE: a configfs instance at RATE.
inst() {
	mkdir "$CFG/$1/$2" || fail "mkdir $CFG/$1/$2"
	wr "$CFG/$1/$2/rate" "$3"
}

# --------------------------------------------------------- counters ----

# cpu_ticks: busy and total USER_HZ ticks of all CPUs into CPU_B, CPU_T.
cpu_ticks() {
	read -r _ ct_u ct_n ct_s ct_i ct_w ct_q ct_sq ct_st _ </proc/stat
	CPU_B=$((ct_u + ct_n + ct_s + ct_q + ct_sq + ct_st))
	CPU_T=$((CPU_B + ct_i + ct_w))
}

# sys_counts: context switches (CTXT, /proc/stat), local timer interrupts
# (LOC, /proc/interrupts), and from /proc/schedstat the time tasks ran
# (RUN, ns: rq_cpu_time) and task wakeups (TTWU), all CPUs.
sys_counts() {
	CTXT=0
	while read -r sc_k sc_v _; do
		[ "$sc_k" = ctxt ] && CTXT=$sc_v
	done </proc/stat
	LOC=$(awk '$1 == "LOC:" { s = 0; for (i = 2; i <= NF; i++)
		if ($i ~ /^[0-9]+$/) s += $i; print s }' /proc/interrupts)
	read -r RUN TTWU <<EOF
$(awk '$1 ~ /^cpu[0-9]/ { r += $8; w += $6 } END { printf "%.0f %.0f\n", r, w }' /proc/schedstat)
EOF
}

# --------------------------------------------------- 1: rate precision ----

# edge FILE: wait for the counter in FILE to change, polling without a
# pause (a read of the counter and the clock takes about a millisecond);
# S_V is the new count and S_T the midpoint between the last read that saw
# the old count and the first that saw the new one.
edge() {
	snap "$1"
	ed_v=$S_V
	while :; do
		ed_t=$S_T
		snap "$1"
		if [ "$S_V" != "$ed_v" ]; then
			S_T=$(((ed_t + S_T) / 2))
			return 0
		fi
	done
}

# One producer at RATE, a consumer at the maximum. The window runs from
# one change of the producer's count to the first change after RATE_WIN
# one-second steps, so that it holds whole items even at 1/s. Line:
#   rate RATE REP ITEMS NS WORST_MILLI_ITEMS
bench_rate() {
	say "rate precision: one producer at R, one consumer at $RATE_MAX/s, ${RATE_WIN} s"
	for r in $RATES; do
		rep=1
		while [ "$rep" -le "$REPS" ]; do
			load
			inst consumers c "$RATE_MAX"
			inst producers p "$r"
			# Past the first item and any start-up transient.
			sleep 1
			f=$SYS/producers/p/produced
			edge "$f"
			v0=$S_V t0=$S_T pv=$S_V pt=$S_T worst=0
			i=0
			while [ "$i" -lt "$RATE_WIN" ]; do
				sleep 1
				snap "$f"
				# |items - rate * dt| in 1/1000 items
				d=$(((S_V - pv) * 1000000000 - r * (S_T - pt)))
				[ "$d" -ge 0 ] || d=$((-d))
				d=$((d / 1000000))
				[ "$d" -le "$worst" ] || worst=$d
				pv=$S_V pt=$S_T
				i=$((i + 1))
			done
			edge "$f"
			echo "BENCH rate $r $rep $((S_V - v0)) $((S_T - t0)) $worst"
			unload
			rep=$((rep + 1))
		done
	done
}

# ------------------------------------------------- 2: FIFO throughput ----

# N producers and N consumers at the maximum rate; items through the FIFO
# (dequeued) per window. Line: fifo pcfifo N REP ITEMS NS
pcfifo_fifo() {
	load
	i=1
	while [ "$i" -le "$1" ]; do
		inst consumers "c$i" "$RATE_MAX"
		inst producers "p$i" "$RATE_MAX"
		i=$((i + 1))
	done
	sleep 1
	snap "$SYS/fifos/default/dequeued"
	v0=$S_V t0=$S_T
	sleep "$FIFO_WIN"
	snap "$SYS/fifos/default/dequeued"
	echo "BENCH fifo pcfifo $1 $2 $((S_V - v0)) $((S_T - t0))"
	unload
}

# kmod_run KO ARG...: insmod KO with ARG... (one run, see bench_run.h),
# wait for its result, rmmod it; KM_ITEMS and KM_NS are the result.
kmod_run() {
	km_ko=$1
	km_mod=${km_ko##*/}
	km_mod=${km_mod%.ko}
	shift
	insmod "$km_ko" "$@" warmup_ms=1000 duration_ms=$((FIFO_WIN * 1000)) ||
		fail "insmod $km_ko $*"
	km_res=running
	km_n=0
	while [ "$km_res" = running ]; do
		sleep 0.5
		read -r km_res KM_ITEMS KM_NS <"/sys/module/$km_mod/parameters/result"
		km_n=$((km_n + 1))
		[ "$km_n" -lt $((FIFO_WIN * 2 + 60)) ] || fail "$km_mod never finished"
	done
	rmmod "$km_mod" || fail "rmmod $km_mod"
}

# kfifo_fifo N REP BATCH sleep|spin|stamp [LINE]: the baseline module, N+N
# kthreads for FIFO_WIN s, moving up to BATCH items per hold of the lock
# and sleeping on a wait queue (sleep; stamp: and reading the clock in
# each hold that puts, as pcfifo does) or busy-polling (spin) when the
# FIFO is full (empty). Line (LINE, default fifo):
#   LINE kfifo-bBATCH|kfifo-spin-bBATCH|kfifo-stamp-bBATCH N REP ITEMS NS
kfifo_fifo() {
	kf_kind=kfifo-b$3 kf_spin=0 kf_stamp=0
	case $4 in
	spin) kf_kind=kfifo-spin-b$3 kf_spin=1 ;;
	stamp) kf_kind=kfifo-stamp-b$3 kf_stamp=1 ;;
	esac
	kmod_run "$KFIFO_KO" threads="$1" batch="$3" spin="$kf_spin" stamp="$kf_stamp"
	echo "BENCH ${5:-fifo} $kf_kind $1 $2 $KM_ITEMS $KM_NS"
}

bench_fifo() {
	say "FIFO throughput: N+N at $RATE_MAX/s vs kfifo_bench (spinlocked kfifo, N+N kthreads; sleeping, or spinning with 16 items per lock), ${FIFO_WIN} s"
	[ -f "$KFIFO_KO" ] || fail "no baseline module $KFIFO_KO"
	for n in 1 2; do
		rep=1
		while [ "$rep" -le "$REPS" ]; do
			pcfifo_fifo "$n" "$rep"
			kfifo_fifo "$n" "$rep" 1 sleep
			kfifo_fifo "$n" "$rep" 16 sleep
			# Spinning with 16 items per hold only: asleep, 16 beats 1 by far.
			kfifo_fifo "$n" "$rep" 16 spin
			rep=$((rep + 1))
		done
	done
}

# ---------------------------------------------------------- 3: cost ----

# measure_sys SECONDS FILE: counter FILE (may be "-"), CPU ticks, context
# switches, timer interrupts, task run time and wakeups over SECONDS.
# Sets M_ITEMS M_NS M_BUSY M_TICKS M_CTXT M_LOC M_RUN M_TTWU.
measure_sys() {
	ms_f=$2
	[ "$ms_f" != - ] || ms_f=/proc/uptime
	sys_counts
	ms_c0=$CTXT ms_l0=$LOC ms_r0=$RUN ms_w0=$TTWU
	cpu_ticks
	ms_b0=$CPU_B ms_t0=$CPU_T
	snap "$ms_f"
	ms_v0=${S_V%%.*} ms_s0=$S_T
	sleep "$1"
	snap "$ms_f"
	cpu_ticks
	sys_counts
	M_ITEMS=$((${S_V%%.*} - ms_v0))
	[ "$2" != - ] || M_ITEMS=0
	M_NS=$((S_T - ms_s0))
	M_BUSY=$((CPU_B - ms_b0))
	M_TICKS=$((CPU_T - ms_t0))
	M_CTXT=$((CTXT - ms_c0))
	M_LOC=$((LOC - ms_l0))
	M_RUN=$((RUN - ms_r0))
	M_TTWU=$((TTWU - ms_w0))
}

# cost_rates KIND RATES: one producer and one consumer, both at R, for each
# of RATES (the modules loaded). Line:
#   KIND R REP ITEMS NS BUSY TICKS CTXT LOC RUN TTWU
cost_rates() {
	cr_k=$1
	for r in $2; do
		rm_all
		inst consumers c "$r"
		inst producers p "$r"
		sleep 1
		measure_sys "$COST_WIN" "$SYS/consumers/c/consumed"
		echo "BENCH $cr_k $r $rep $M_ITEMS $M_NS $M_BUSY $M_TICKS $M_CTXT $M_LOC $M_RUN $M_TTWU"
	done
}

# One producer and one consumer, both at R; then the old engine (OLD/) at
# SPACE_RATES, in the same repeat, after an idle window of its own. Lines:
#   cost idle REP 0 NS BUSY TICKS CTXT LOC RUN TTWU   (no instance)
#   cost R REP ITEMS NS BUSY TICKS CTXT LOC RUN TTWU
#   costold idle|R REP ITEMS NS BUSY TICKS CTXT LOC RUN TTWU
bench_cost() {
	say "cost: one producer and one consumer at R; /proc/schedstat, /proc/stat, /proc/interrupts LOC; ${COST_WIN} s; then the old engine"
	[ -r /proc/schedstat ] || fail "no /proc/schedstat"
	[ -f "$OLD/pcfifo.ko" ] || fail "no old engine in $OLD"
	# ttwu_count is counted only with schedstats on.
	echo 1 >/proc/sys/kernel/sched_schedstats || fail "cannot enable schedstats"
	rep=1
	while [ "$rep" -le "$REPS" ]; do
		load
		sleep 1
		measure_sys "$COST_WIN" -
		echo "BENCH cost idle $rep 0 $M_NS $M_BUSY $M_TICKS $M_CTXT $M_LOC $M_RUN $M_TTWU"
		cost_rates cost "$COST_RATES"
		# Its own idle, next to its runs: the guest's idle drifts.
		load old
		sleep 1
		measure_sys "$COST_WIN" -
		echo "BENCH costold idle $rep 0 $M_NS $M_BUSY $M_TICKS $M_CTXT $M_LOC $M_RUN $M_TTWU"
		cost_rates costold "$SPACE_RATES"
		unload
		rep=$((rep + 1))
	done
}

# ------------------------------------------------------- 4: latency ----

# Producer at R, a waiting consumer at the maximum. Line:
#   lat R REP ITEMS AVG MAX P50_LO P50_HI P99_LO P99_HI
bench_latency() {
	say "latency: producer at R, consumer at $RATE_MAX/s (waiting), ${LAT_WIN} s"
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs none /sys/kernel/debug ||
		fail "cannot mount debugfs"
	for r in $LAT_RATES; do
		rep=1
		while [ "$rep" -le "$REPS" ]; do
			load
			inst consumers c "$RATE_MAX"
			inst producers p "$r"
			sleep 1
			# A rate write starts a new latency window.
			wr "$CFG/consumers/c/rate" "$RATE_MAX"
			sleep "$LAT_WIN"
			hist=$DBG/consumers/c/latency_histogram
			[ -r "$hist" ] || fail "no $hist"
			# Items move while these are read: the histogram is read
			# once and is what the percentiles come from.
			cat "$hist" >"$TMP/hist" || fail "cannot read $hist"
			read -r avg <"$SYS/consumers/c/latency_avg_ns" || fail "no latency_avg_ns"
			read -r max <"$SYS/consumers/c/latency_max_ns" || fail "no latency_max_ns"
			pct=$(awk '{ lo[NR] = $1; hi[NR] = $2; c[NR] = $3; n += $3 }
				function at(p,   k, want, cum) {
					want = int(p * n); if (want < p * n) want++
					if (want < 1) want = 1
					cum = 0
					for (k = 1; k <= NR; k++) {
						cum += c[k]
						if (cum >= want) return lo[k] " " hi[k]
					}
					return "0 0"
				}
				END { print n + 0, at(0.5), at(0.99) }' "$TMP/hist")
			echo "BENCH lat $r $rep ${pct%% *} $avg $max ${pct#* }"
			unload
			rep=$((rep + 1))
		done
	done
}

# --------------------------------------------------------- 5: scale ----

# meminfo: Slab and SUnreclaim (kB) into MI_SLAB, MI_SUNR.
meminfo() {
	MI_SLAB=0 MI_SUNR=0
	while read -r mi_k mi_v _; do
		case $mi_k in
		Slab:) MI_SLAB=$mi_v ;;
		SUnreclaim:) MI_SUNR=$mi_v ;;
		esac
	done </proc/meminfo
}

# count_dir DIR: entries of DIR into CD_N (no fork).
count_dir() {
	set -- "$1"/*
	CD_N=$#
	[ -e "$1" ] || CD_N=0
}

# names N [PREFIX]: p1 .. pN (PREFIX1 .. PREFIXN), one a line.
names() {
	awk -v n="$1" -v p="${2:-p}" 'BEGIN { for (i = 1; i <= n; i++) print p i }'
}

# slab_settled: drop caches and read Slab and SUnreclaim (meminfo).
slab_settled() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	meminfo
}

# time_dirs mkdir|rmdir DIR NAMES_FILE: mkdir (rmdir) every name in DIR
# through xargs; D_NS the time it took, D_N the entries of DIR after.
time_dirs() {
	cd "$2" || fail "cd $2"
	now_ns
	d_t0=$NS
	xargs "$1" <"$3" || fail "$1 of $(wc -l <"$3") entries of $2"
	now_ns
	D_NS=$((NS - d_t0))
	count_dir .
	D_N=$CD_N
	cd / || fail "cd /"
}

# N producers at 1/s (the default rate of a new instance) into one FIFO
# (default capacity), one consumer at the maximum. Line:
#   scale N REP CREATE_NS REMOVE_NS CREATED SLAB_KB SUNR_KB LEAK_KB BAD
#         MAXDEV_MILLI ITEMS EXPECTED_MILLI
bench_scale() {
	say "scale: N producers at 1/s (mkdir | xargs), one consumer at $RATE_MAX/s, ${SCALE_WIN} s rate window"
	for n in $SCALE_NS; do
		rep=1
		while [ "$rep" -le "$REPS" ]; do
			load
			inst consumers c "$RATE_MAX"
			sleep 1
			slab_settled
			slab0=$MI_SLAB sunr0=$MI_SUNR
			names "$n" >"$TMP/names"
			time_dirs mkdir "$CFG/producers" "$TMP/names"
			create=$D_NS created=$D_N
			# Settle: every instance has started and done its first item.
			sleep 2
			meminfo
			slab1=$MI_SLAB sunr1=$MI_SUNR
			# Two sweeps of every counter, in the same order; instance i
			# is read at about a0 + (a1 - a0) * i / n in the first.
			sed 's|$|/produced|' "$TMP/names" >"$TMP/files"
			cd "$SYS/producers" || fail "cd $SYS/producers"
			now_ns
			a0=$NS
			xargs cat <"$TMP/files" >"$TMP/s1" || fail "read produced"
			now_ns
			a1=$NS
			sleep "$SCALE_WIN"
			now_ns
			b0=$NS
			xargs cat <"$TMP/files" >"$TMP/s2" || fail "read produced"
			now_ns
			b1=$NS
			cd / || fail "cd /"
			chk=$(paste "$TMP/s1" "$TMP/s2" | awk -v n="$n" -v a0="$a0" \
				-v a1="$a1" -v b0="$b0" -v b1="$b1" '
				{
					i = NR - 1
					w = (b0 + (b1 - b0) * i / n) - (a0 + (a1 - a0) * i / n)
					want = w / 1e9; got = $2 - $1
					d = got - want; if (d < 0) d = -d
					if (d > 1) bad++
					if (d > worst) worst = d
					items += got; expd += want
				}
				END { printf "%d %d %d %d\n", bad, worst * 1000, items, expd * 1000 }')
			time_dirs rmdir "$CFG/producers" "$TMP/names"
			[ "$D_N" -eq 0 ] || fail "$D_N producers left after rmdir"
			sleep 1
			slab_settled
			echo "BENCH scale $n $rep $create $D_NS $created $((slab1 - slab0)) $((sunr1 - sunr0)) $((MI_SLAB - slab0)) $chk"
			unload
			rep=$((rep + 1))
		done
	done
	bench_scale_fifos
}

# N FIFOs made with mkdir (default capacity, no instance), measured as the
# producers above: the time of the mkdirs and of the rmdirs, and the slab
# from before the mkdirs to 2 s after, and after the rmdirs. Line:
#   scalefifo N REP CREATE_NS REMOVE_NS CREATED SLAB_KB SUNR_KB LEAK_KB
bench_scale_fifos() {
	say "scale: N FIFOs (mkdir | xargs in fifos/), no instance"
	for n in $SCALE_FIFOS; do
		rep=1
		while [ "$rep" -le "$REPS" ]; do
			load
			sleep 1
			slab_settled
			slab0=$MI_SLAB sunr0=$MI_SUNR
			names "$n" f >"$TMP/names"
			time_dirs mkdir "$CFG/fifos" "$TMP/names"
			# (fifos/ holds default as well)
			create=$D_NS created=$((D_N - 1))
			sleep 2
			meminfo
			slab1=$MI_SLAB sunr1=$MI_SUNR
			time_dirs rmdir "$CFG/fifos" "$TMP/names"
			[ "$D_N" -eq 1 ] || fail "$((D_N - 1)) FIFOs left after rmdir"
			sleep 1
			slab_settled
			echo "BENCH scalefifo $n $rep $create $D_NS $created $((slab1 - slab0)) $((sunr1 - sunr0)) $((MI_SLAB - slab0))"
			unload
			rep=$((rep + 1))
		done
	done
}

# ----------------------------------------------- 6: device file ----

# One writer and one reader process (devbench) moving DEV_ITEMS lines of
# DEV_LEN bytes through a pipe and through /dev/pcfifo/bench (a FIFO of
# DEV_CAP slots, no instance), DEV_BUF bytes per write and read. Lines:
#   devcfg LEN BUF CAP
#   dev pipe|dev REP ITEMS NS
bench_dev() {
	say "device file: $DEV_ITEMS lines of $DEV_LEN bytes, writer and reader processes, pipe vs /dev/pcfifo/bench (capacity $DEV_CAP), $DEV_BUF-byte writes and reads"
	[ -x "$DEVBENCH" ] || fail "no $DEVBENCH"
	echo "BENCH devcfg $DEV_LEN $DEV_BUF $DEV_CAP"
	load
	mkdir "$CFG/fifos/bench" || fail "mkdir $CFG/fifos/bench"
	wr "$CFG/fifos/bench/capacity" "$DEV_CAP"
	dv_n=0
	while [ ! -c /dev/pcfifo/bench ]; do
		dv_n=$((dv_n + 1))
		[ "$dv_n" -lt 50 ] || fail "no /dev/pcfifo/bench"
		sleep 0.1
	done
	rep=1
	while [ "$rep" -le "$DEV_REPS" ]; do
		dv_out=$("$DEVBENCH" pipe "$DEV_ITEMS" "$DEV_LEN" "$DEV_BUF") ||
			fail "devbench pipe"
		echo "BENCH dev pipe $rep $dv_out"
		read -r dv_d0 <"$SYS/fifos/bench/dequeued"
		dv_out=$("$DEVBENCH" dev /dev/pcfifo/bench "$DEV_ITEMS" "$DEV_LEN" "$DEV_BUF") ||
			fail "devbench dev"
		read -r dv_d1 <"$SYS/fifos/bench/dequeued"
		[ $((dv_d1 - dv_d0)) -eq "$DEV_ITEMS" ] ||
			fail "bench FIFO dequeued $((dv_d1 - dv_d0)) items, not $DEV_ITEMS"
		echo "BENCH dev dev $rep $dv_out"
		rep=$((rep + 1))
	done
	unload
}

# --------------------------------------------------- 7: kernel API ----

# N producer and N consumer kthreads on pcfifo_enqueue() and
# pcfifo_dequeue() (pcfifo_api_bench, the default FIFO, no instance), and
# the baseline's sleeping variants with the same kthreads, FIFO_WIN s
# each: 1 and 16 items per lock, and 1 with a clock read per put. Lines:
#   api pcfifo|kfifo-b1|kfifo-b16|kfifo-stamp-b1 N REP ITEMS NS
bench_api() {
	say "kernel API: N+N kthreads on pcfifo_enqueue/pcfifo_dequeue vs kfifo_bench sleeping (1 and 16 items per lock; 1 with a clock read), ${FIFO_WIN} s"
	[ -f "$API_KO" ] || fail "no module $API_KO"
	[ -f "$KFIFO_KO" ] || fail "no baseline module $KFIFO_KO"
	for n in 1 2; do
		rep=1
		while [ "$rep" -le "$REPS" ]; do
			load
			kmod_run "$API_KO" threads="$n" fifo=default
			echo "BENCH api pcfifo $n $rep $KM_ITEMS $KM_NS"
			unload
			kfifo_fifo "$n" "$rep" 1 sleep api
			kfifo_fifo "$n" "$rep" 16 sleep api
			kfifo_fifo "$n" "$rep" 1 stamp api
			rep=$((rep + 1))
		done
	done
}

# ------------------------------------------------------- 8: spacing ----

# percentiles FORMAT P...: the count of the numbers on stdin, then for
# each fraction P their nearest-rank percentile (1: the largest), in
# FORMAT.
percentiles() {
	pc_f=$1
	shift
	sort -n | awk -v ps="$*" -v f="$pc_f" '
		{ v[NR] = $1 }
		END {
			printf "%d", NR
			n = split(ps, p, " ")
			for (i = 1; i <= n; i++) {
				k = int(p[i] * NR)
				if (k < p[i] * NR) k++
				if (k < 1) k = 1
				printf " " f, v[k] + 0
			}
			print ""
		}'
}

# trace_setup: CLOCK_MONOTONIC time stamps (trace_clock mono, the
# hrtimers' clock, the same on every CPU), a buffer large enough for the
# window (10,000/s for 10 s: about 16 MB of 165-byte events, maybe all on
# one CPU). The timer events name a timer by its address, which the kernel
# prints as "(____ptrval____)" for every pointer until its random number
# generator is ready: reading /dev/random waits for that (a second here).
trace_setup() {
	head -c 1 /dev/random >/dev/null || fail "cannot read /dev/random"
	wr "$TR/tracing_on" 0
	wr "$TR/trace_clock" mono
	wr "$TR/buffer_size_kb" 32768
	# The guest's timers, for the report. Line:
	#   sptimer-env CLOCKSOURCE CLOCKEVENT HRES_ACTIVE
	read -r ts_cs </sys/devices/system/clocksource/clocksource0/current_clocksource
	read -r ts_ce </sys/devices/system/clockevents/clockevent0/current_device
	ts_hres=$(awk '$1 == ".hres_active" { print $3; exit }' /proc/timer_list)
	echo "BENCH sptimer-env ${ts_cs:-?} ${ts_ce:-?} ${ts_hres:-?}"
}

# Trace events are turned on before the instances exist and off after
# they are gone; a window is opened and closed with tracing_on, and an
# event kept out of it with a filter that matches nothing. Turning an
# event on or off patches the kernel's code at each of its call sites,
# and under TCG doing so while another CPU runs such a site 20,000 times
# a second hung the guest (the CPU looped on a stale int3 at the site,
# holding the instance's lock; with the workqueue and timer events, the
# whole guest). A filter changes no code. The hrtimer events' sites run
# all the time (the tick's own timer): they are turned on at boot, on one
# CPU, by the kernel parameter trace_event= (tests/bench/run.sh), kept out
# of the buffer by timer_events_off here, and never turned off.
NOTHING_PUT='who == "-"' NOTHING_TIMER='function == 0'

# TIMER_EVENTS: the hrtimer events timer_lateness reads.
TIMER_EVENTS="hrtimer_start hrtimer_expire_entry"

# timer_events_on: whether the kernel parameter turned TIMER_EVENTS on.
timer_events_on() {
	for te_e in $TIMER_EVENTS; do
		read -r te_on <"$TR/events/timer/$te_e/enable" 2>/dev/null || return 1
		[ "$te_on" = 1 ] || return 1
	done
}

# timer_events_off: tracefs mounted, nothing in the buffer, and
# TIMER_EVENTS (if on) filtered to nothing, for the whole run.
timer_events_off() {
	if [ ! -e "$TR/set_event" ]; then
		mount -t tracefs nodev "$TR" || fail "cannot mount tracefs"
	fi
	wr "$TR/tracing_on" 0
	! timer_events_on || timer_filter "$NOTHING_TIMER"
	: >"$TR/trace"
}

# timer_filter FILTER: TIMER_EVENTS' filter, or where FILTER is "pcfifo"
# pcfifo's timer function if the kernel gives its address (else every
# hrtimer is traced).
timer_filter() {
	tf_f=$1
	if [ "$tf_f" = pcfifo ]; then
		tf_f=$(awk '$3 == "pcfifo_instance_timer" { print "function == 0x" $1; exit }' /proc/kallsyms)
		[ -n "$tf_f" ] || { say "no address of pcfifo_instance_timer: every hrtimer is traced"; tf_f=0; }
	fi
	for tf_e in $TIMER_EVENTS; do
		wr "$TR/events/timer/$tf_e/filter" "$tf_f"
	done
}

# timer_lateness R REP: with the current engine's instances running, how
# late the guest fires pcfifo's hrtimers (producer's and consumer's): the
# timer events hrtimer_start (softexpires: the due time) and
# hrtimer_expire_entry (now), both in ns of CLOCK_MONOTONIC, over
# TIMER_WIN s, pcfifo_put filtered to nothing. A start for 0 is the FIFO's
# hand over (run now, in this softirq), no due time: left out. Line:
#   sptimer R REP EXPIRIES P50_NS P99_NS MAX_NS
timer_lateness() {
	wr "$TR/events/pcfifo/pcfifo_put/filter" "$NOTHING_PUT"
	timer_filter pcfifo
	: >"$TR/trace"
	wr "$TR/tracing_on" 1
	sleep "$TIMER_WIN"
	wr "$TR/tracing_on" 0
	timer_filter "$NOTHING_TIMER"
	! grep -q 'hrtimer=(____ptrval____)' "$TR/trace" || fail "timer events without the timers' addresses"
	tl_pct=$(awk '
		{
			h = ""; f = ""; soft = ""; now = ""
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^hrtimer=/) h = $i
				else if ($i ~ /^function=/) f = $i
				else if ($i ~ /^softexpires=/) soft = substr($i, 13)
				else if ($i ~ /^now=/) now = substr($i, 5)
			}
			if (f != "function=pcfifo_instance_timer")
				next
			if (soft == "0")
				delete due[h]
			else if (soft != "")
				due[h] = soft
			else if (now != "" && (h in due)) {
				print now - due[h]
				delete due[h]
			}
		}' "$TR/trace" | percentiles %.0f 0.5 0.99 1)
	echo "BENCH sptimer $1 $2 $tl_pct"
}

# spacing_run old|new R REP: one producer at R, a consumer at RATE_MAX
# (so that the producer never blocks), the producer's pcfifo_put events
# over SPACE_WIN s. An event stands for its n items, put at its time: the
# first item's interval is from the previous event, the others' 0.
# Intervals' error, |interval - period| as % of the period, at these
# percentiles. Line:
#   spacing ENGINE R REP INTERVALS EVENTS LOST P10 P25 P50 P75 P90 P95 P99
#           P99.9 MAX MEAN_INTERVAL_NS
# and for the current engine timer_lateness's line.
spacing_run() {
	load "$1"
	# The event is the old engine's too (e333bbb): same format.
	[ -d "$TR/events/pcfifo/pcfifo_put" ] || fail "no pcfifo_put trace event"
	wr "$TR/events/pcfifo/pcfifo_put/filter" 'who == "producers/p"'
	wr "$TR/events/pcfifo/pcfifo_put/enable" 1
	inst consumers c "$RATE_MAX"
	inst producers p "$2"
	sleep 1
	: >"$TR/trace"
	wr "$TR/tracing_on" 1
	sleep "$SPACE_WIN"
	wr "$TR/tracing_on" 0
	# "# entries-in-buffer/entries-written: 5/5" tells of lost events.
	awk -v period_us="$((1000000 / $2))" -v tmp="$TMP/iv" '
		/^# entries-in-buffer/ { split($3, e, "/"); lost = e[2] - e[1]; next }
		/^#/ { next }
		{
			t = ""; n = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^[0-9]+\.[0-9]+:$/)
					t = $i
				else if ($i ~ /^n=/)
					n = substr($i, 3) + 0
			}
			if (t == "" || n < 1)
				next
			# As one number: busybox awk reads "001011" as octal.
			us = int(substr(t, 1, length(t) - 1) * 1000000 + 0.5)
			ev++
			if (ev > 1) {
				print (us - prev - period_us) * 100 / period_us >tmp
				iv++
				sum += us - prev
			}
			for (k = 2; k <= n; k++) {
				print -100 >tmp
				iv++
			}
			prev = us
		}
		END { printf "%d %d %d %.0f\n", iv, ev, lost, iv ? sum * 1000 / iv : 0 }
	' "$TR/trace" >"$TMP/ivsum" || fail "cannot read $TR/trace"
	read -r sp_iv sp_ev sp_lost sp_mean <"$TMP/ivsum"
	if [ "$sp_iv" -eq 0 ]; then
		say "filter: $(cat "$TR/events/pcfifo/pcfifo_put/filter"), produced: $(cat "$SYS/producers/p/produced")"
		head -n 20 "$TR/trace"
		fail "no pcfifo_put events of producers/p at $2/s ($1)"
	fi
	[ "$1" = old ] || ! timer_events_on || timer_lateness "$2" "$3"
	# The instances go first, then the events (unloading the module
	# removes its own).
	rm_all
	wr "$TR/events/pcfifo/pcfifo_put/enable" 0
	unload
	# |error|, sorted: the percentiles (nearest rank).
	sp_pct=$(awk '{ print ($1 < 0 ? -$1 : $1) }' "$TMP/iv" |
		percentiles %.3f 0.1 0.25 0.5 0.75 0.9 0.95 0.99 0.999 1)
	echo "BENCH spacing $1 $2 $3 $sp_iv $sp_ev $sp_lost ${sp_pct#* } $sp_mean"
}

bench_spacing() {
	say "spacing: one producer at R, consumer at $RATE_MAX/s, pcfifo_put trace events (tracefs, clock mono) for ${SPACE_WIN} s; new and old engine"
	[ -f "$OLD/pcfifo.ko" ] || fail "no old engine in $OLD"
	trace_setup
	timer_events_on ||
		say "the timer events are off (no trace_event= parameter): no timer lateness"
	rep=1
	while [ "$rep" -le "$REPS" ]; do
		for r in $SPACE_RATES; do
			spacing_run new "$r" "$rep"
			spacing_run old "$r" "$rep"
		done
		rep=$((rep + 1))
	done
	wr "$TR/buffer_size_kb" 1408
}

# ----------------------------------------------------------- main ----

[ "$(id -u)" -eq 0 ] || fail "not root"
grep -q ' /sys/kernel/config configfs ' /proc/mounts || fail "configfs is not mounted"
mkdir -p "$TMP" || fail "mkdir $TMP"
trap 'rm -rf "$TMP"' EXIT
read -r _ mem _ </proc/meminfo
echo "BENCH env $(uname -r) $(nproc) $mem $CLOCK $quick $REPS"
say "pcfifo benchmark on $(uname -r), $(nproc) CPUs, ${mem} kB, clock $CLOCK, quick=$quick"
for m in pcfifo pcfifo_producer pcfifo_consumer; do
	say "$(modinfo -F filename "$m") $(modinfo -F version "$m")"
done
timer_events_off
for p in $parts; do
	now_ns
	p0=$NS
	"bench_$p"
	now_ns
	say "$p took $(((NS - p0) / 1000000000)) s"
done
unload
echo "BENCH end"
