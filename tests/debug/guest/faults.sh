#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# faults.sh - the debug lane's fault-injection walks (not part of
# run-suite.sh).
#
# Each walk repeats one system call (mkdir of an instance or a FIFO, a
# write of a FIFO's capacity or an instance's fifo, open(2) of a FIFO's
# device file and a write of items to it, finit_module of a module) with its 1st, 2nd, 3rd, ... allocation made to fail
# (/proc/thread-self/fail-nth through tests/debug/failnth.c; failslab, and
# in the page walks fail_page_alloc too), until the call makes no more
# allocations than the failure point and succeeds. After every step:
#
#   failed     the errno is one the ABI documents for it (ENOMEM; ENODEV
#              when the role module could not be loaded), and nothing is
#              left: no configfs or sysfs directory, no device file
#              /dev/pcfifo/NAME or class device /sys/class/pcfifo/NAME (a
#              FIFO's; the core's chrdev region and class), no module
#              loaded, no module reference held; a refused write changed
#              nothing (both trees read the old value; no item was put)
#   succeeded  (an allocation the kernel may do without) everything is
#              there and works (a new FIFO's or the default FIFO's device
#              file takes two items and gives them back), and removing it
#              works
#
# One walk over mkdir of a producer runs with another process writing the
# producer's sysfs rate in a tight loop, so that writes reach the instance
# while it is half made and while its creation fails: no checker may
# report anything, and no instance may be left.
#
# Every injected failure is reported with a stack dump; a walk must have
# made allocations of pcfifo's own code fail (a "[pcfifo" frame), or it
# would test only the kernel's. Leaks of the error paths show in the
# kmemleak scan that debug-lane.sh runs after everything is unloaded.

# shellcheck source=debug-lib.sh
. "$(dirname "$0")/debug-lib.sh"
t_begin

WALK_MAX=${PCFIFO_FAULT_MAX:-1500}
FS=$DEBUGFS/failslab
FP=$DEBUGFS/fail_page_alloc

need "debugfs has failslab and fail_page_alloc" dbg_debugfs
need "the fault-injection helper is present ($FAILNTH)" test -x "$FAILNTH"
need "/proc/thread-self/fail-nth exists" test -e /proc/thread-self/fail-nth

# fi_set DIR FILE VALUE: set a fault-injection knob.
fi_set() {
	wr "$1/$2" "$3"
	[ "$W_RC" -eq 0 ] || bail "set $1/$2 to $3" "$W_ERR"
}

# Only fail-nth injects: no random failures. Each injected failure is
# reported with a stack dump (verbose 2): the helper tells from it whether
# the failing allocation was made by pcfifo's code, so that every walk
# shows it reached pcfifo's allocation sites (debug-findings.awk knows
# these reports and does not count them).
# Sleeping (GFP_KERNEL) allocations are what our code makes, so they must
# be eligible. The debug checkers' own caches (kmemleak's, debugobjects')
# are not: their failures test the checkers, and only halve the walks.
fi_slab_only() {
	for fs_d in "$FS" "$FP"; do
		fi_set "$fs_d" probability 0
		fi_set "$fs_d" verbose 0
		# Every report, not 10 per 5 s: the walks read each one.
		fi_set "$fs_d" verbose_ratelimit_interval_ms 0
	done
	fi_set "$FS" ignore-gfp-wait N
	fi_set "$FS" cache-filter "$CACHE_FILTER"
	fi_set "$FP" ignore-gfp-wait Y
	fi_set "$FP" min-order 1
}
# fi_verbose 0|2: failure reports off, or on with a stack dump.
fi_verbose() {
	fi_set "$FS" verbose "$1"
	fi_set "$FP" verbose "$1"
}
fi_off() {
	fi_set "$FS" cache-filter N
	fi_set "$FS" ignore-gfp-wait Y
	for fs_d in "$FS" "$FP"; do
		fi_set "$fs_d" verbose 0
		fi_set "$fs_d" verbose_ratelimit_interval_ms 5000
	done
	fi_set "$FP" ignore-gfp-wait Y
	fi_set "$FP" min-order 1
}
# tests/debug/run.sh boots with "slub_debug=A;-,kmemleak_object,..." (the
# failslab flag of a cache is read-only on 6.1).
if val_is /sys/kernel/slab/kmalloc-64/failslab 1 &&
	val_is /sys/kernel/slab/kmemleak_object/failslab 0; then
	CACHE_FILTER=Y
else
	CACHE_FILTER=N
	diag "no slub_debug=A on the command line: kmemleak's and debugobjects' caches fail too"
fi
# The failure reports go to the kernel log, not to the serial console.
read -r printk_levels </proc/sys/kernel/printk
echo 4 >/proc/sys/kernel/printk
fi_with_pages() {
	fi_slab_only
	fi_set "$FP" ignore-gfp-wait N
	fi_set "$FP" ignore-gfp-highmem N
	fi_set "$FP" min-order 0
}

ko() {
	KO=$(modinfo -F filename "$1" 2>/dev/null)
	[ -f "$KO" ] || bail "modinfo -F filename $1" "$KO"
}
ko pcfifo
KO_CORE=$KO
ko pcfifo_producer
KO_PROD=$KO
ko pcfifo_consumer
KO_CONS=$KO

refcnt_is() {
	rd "/sys/module/$1/refcnt" && [ "$R" = "$2" ]
}

# rm_mod M: unload M if loaded; WK_WHY says why not. (delete_module(2)
# through the static helper: kmod's rmmod takes a quarter of a second to
# start on this kernel.)
rm_mod() {
	is_loaded "$1" || return 0
	"$FAILNTH" 0 unload "$1" >"$T_TMP/rm" 2>&1
	read -r rm_res _ <"$T_TMP/rm"
	[ "$rm_res" = 0 ] && return 0
	slurp "$T_TMP/rm"
	WK_WHY="delete_module($1): $SL"
	return 1
}

# step N OP [ARG...]: run the walk's setup, then OP with its N-th fault
# point failing; judge the outcome with the walk's handlers and count it.
# ST_END is 1 when OP succeeded with no failure (N is past its last point),
# ST_PTS the points OP passed, ST_INMOD 1 when the failure was inside pcfifo,
# ST_SITE (module loading) pre, init or post: before, in or after the
# module's init function, ST_NODE 1 when the failure was devtmpfs' name of
# a /dev node (failnth.c: the device is made without its node).
step() {
	st_n=$1
	shift
	WK_WHY=''
	"$wk_setup"
	"$FAILNTH" "$st_n" "$@" >"$T_TMP/fn" 2>&1
	ST_RES='' ST_INJ='' ST_INMOD=0 ST_PTS=0 ST_SITE=- ST_NODE=0 ST_END=0
	read -r ST_RES ST_INJ ST_INMOD ST_PTS ST_SITE ST_NODE _ <"$T_TMP/fn"
	wk_steps=$((wk_steps + 1))
	case $ST_INJ in
	0 | 1) ;;
	*)
		wk_bad=$((wk_bad + 1))
		slurp "$T_TMP/fn"
		diag "step $st_n: the helper failed: $SL"
		return
		;;
	esac
	[ "$ST_INJ" = 1 ] && wk_inj=$((wk_inj + 1))
	[ "$ST_INMOD" = 1 ] && wk_inmod=$((wk_inmod + 1))
	if [ "$ST_RES" = 0 ]; then
		if ! "$wk_done"; then
			wk_bad=$((wk_bad + 1))
			diag "step $st_n (injected $ST_INJ): succeeded, but $WK_WHY"
		fi
		if [ "$ST_INJ" = 0 ]; then
			ST_END=1
		else
			wk_tol=$((wk_tol + 1))
		fi
		return
	fi
	wk_fail=$((wk_fail + 1))
	echo "$ST_RES" >>"$T_TMP/errnos"
	if [ "$ST_INJ" = 0 ]; then
		wk_bad=$((wk_bad + 1))
		diag "step $st_n: failed with $ST_RES although nothing was injected"
	fi
	case " $wk_errs " in
	*" $ST_RES "*) ;;
	*)
		wk_bad=$((wk_bad + 1))
		diag "step $st_n: failed with $ST_RES; want one of: $wk_errs"
		;;
	esac
	if ! "$wk_failed"; then
		wk_bad=$((wk_bad + 1))
		diag "step $st_n: failed with $ST_RES and left something behind: $WK_WHY"
	fi
}

# walk_begin DESC SETUP FAILED_OK DONE_OK ERRNOS
#   SETUP      run before every step
#   FAILED_OK  after a failed step: true when nothing is left (else sets
#              WK_WHY)
#   DONE_OK    after a successful step: true when the result is complete;
#              removes it again
#   ERRNOS     the errnos a failure may return
walk_begin() {
	wk_desc=$1 wk_setup=$2 wk_failed=$3 wk_done=$4 wk_errs=$5
	wk_steps=0 wk_fail=0 wk_tol=0 wk_bad=0 wk_inj=0 wk_inmod=0
	: >"$T_TMP/errnos"
	now_cs
	wk_t0=$NOW
}

# walk_end COMPLETE WHAT: report the walk. Every walk must have made
# allocations of pcfifo's own code fail (a "[pcfifo" frame in the
# failure's stack dump), or it tested only the kernel's; but for the walks
# run with WALK_OWN=0, over a call whose pcfifo code allocates nothing.
WALK_OWN=1
walk_end() {
	wk_hist=$(sort "$T_TMP/errnos" | uniq -c | awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }')
	now_cs
	check "$wk_desc: $2" test "$1" -eq 1
	is "$wk_desc: each of $wk_steps failure points gives a clean error (${wk_hist:-none}; $wk_tol done without; $(((NOW - wk_t0) / 100)) s)" \
		"$wk_bad" 0
	if [ "$WALK_OWN" = 1 ]; then
		check "$wk_desc: $wk_inmod injected failures hit allocations of pcfifo's code" \
			test "$wk_inmod" -gt 0
	else
		diag "$wk_desc: $wk_inj injected failures, $wk_inmod of them in pcfifo's code"
	fi
	FAULT_OPS=$((FAULT_OPS + wk_steps))
	FAULT_INJECTED=$((FAULT_INJECTED + wk_inj))
	FAULT_INMOD=$((FAULT_INMOD + wk_inmod))
}

# walk DESC SETUP FAILED_OK DONE_OK ERRNOS OP [ARG...]: every fault point
# of OP, from the first until OP makes no more allocations.
#
# Some points come and go from one call to the next: the debug checkers'
# own page allocations (a new slab of kmemleak's object cache, a new pool
# of KASAN's stack depot), whose failure the checker absorbs. When one is
# there in step N and gone in step N + 1, the last point of the call is
# never failed: a walk over a call with few points (a write of capacity:
# kernfs' buffer, then the ring) can end before pcfifo's allocation. Such
# a walk (WALK_OWN=1, no failure in pcfifo's code) is walked again, up to
# WALK_AGAIN times; every step of every round is judged.
walk() {
	walk_begin "$1" "$2" "$3" "$4" "$5"
	shift 5
	wk_round=0
	while :; do
		wk_n=0
		while [ "$wk_n" -lt "$WALK_MAX" ] && [ "$wk_bad" -lt 20 ]; do
			wk_n=$((wk_n + 1))
			step "$wk_n" "$@"
			[ "$ST_END" = 1 ] && break
		done
		if [ "$WALK_OWN" != 1 ] || [ "$wk_inmod" != 0 ] || [ "$ST_END" != 1 ] ||
			[ "$wk_round" -ge "$WALK_AGAIN" ]; then
			break
		fi
		wk_round=$((wk_round + 1))
	done
	[ "$wk_round" = 0 ] ||
		diag "$wk_desc: walked again $wk_round times: no failure in pcfifo's code"
	walk_end "$ST_END" "the walk reached the end (no failure at step $wk_n)"
}
WALK_AGAIN=3

# walk_tail DESC SETUP FAILED_OK DONE_OK ERRNOS OP [ARG...]: for module
# loading, only the fault points of the module's own init and after it:
# most points of finit_module(2) are the module loader's, which is not
# ours to test. OP's points are counted first; then the walk goes back
# from the last one and stops TAIL_MARGIN points below the lowest point
# whose failure report has a frame of a pcfifo module, after TAIL_MAX
# points without one, or at point 1: complete when it saw pcfifo's points
# or walked them all.
#
# The loader's own allocations vary by a few from one load to the next
# (kernfs inode numbers, vmalloc's per-CPU preload), so one step down can
# jump over an init that allocates little: from after the init straight to
# before it. Such a step is tried again, up to TAIL_RETRY times a walk.
walk_tail() {
	walk_begin "$1" "$2" "$3" "$4" "$5"
	shift 5
	step 1000000 "$@"
	wk_total=$ST_PTS
	if [ "$ST_END" != 1 ] || [ "$wk_total" -lt 1 ]; then
		walk_end 0 "counting the fault points of a successful call ($ST_RES after $ST_PTS)"
		return
	fi
	wk_n=$wk_total wk_seen=0 wk_below=0 wk_cov=0 wk_site=post wk_retry=0
	while [ "$wk_n" -ge 1 ] && [ "$wk_bad" -lt 20 ]; do
		step "$wk_n" "$@"
		if [ "$ST_SITE" = pre ] && [ "$wk_site" = post ] &&
			[ "$wk_retry" -lt "$TAIL_RETRY" ]; then
			wk_retry=$((wk_retry + 1))
			continue
		fi
		[ "$ST_SITE" = - ] || wk_site=$ST_SITE
		wk_cov=$((wk_cov + 1))
		if [ "$ST_INMOD" = 1 ]; then
			wk_seen=1 wk_below=0
		elif [ "$wk_seen" = 1 ]; then
			wk_below=$((wk_below + 1))
			[ "$wk_below" -ge "$TAIL_MARGIN" ] && break
		elif [ "$wk_cov" -ge "$TAIL_MAX" ]; then
			break
		fi
		wk_n=$((wk_n - 1))
	done
	wk_complete=$wk_seen
	[ "$wk_cov" -lt "$wk_total" ] || wk_complete=1
	[ "$wk_retry" -eq 0 ] ||
		diag "$wk_desc: $wk_retry steps tried again after a jump over the module's init"
	walk_end "$wk_complete" "the last $wk_cov of $wk_total fault points cover the module's init"
}
TAIL_MARGIN=8
TAIL_MAX=200
TAIL_RETRY=40
FAULT_OPS=0 FAULT_INJECTED=0 FAULT_INMOD=0

nop() { :; }

# dev_works NAME: dev_roundtrip NAME; but a call whose injected failure was
# the allocation of the node's name (ST_NODE: the class's devnode()
# returned NULL) makes the device without its node in /dev/pcfifo:
# device_add() ignores what devtmpfs does (counted in NO_NODE, not a
# failure of the step). devtmpfs then falls back to the device's own name,
# /dev/NAME: such a node must go with its device (STRAY lists those that
# appeared; checked after the walks).
NO_NODE=0 STRAY=''
dev_works() {
	dev_roundtrip "$1" && return 0
	if [ "$DR_NONODE" = 1 ] && [ "$ST_NODE" = 1 ]; then
		NO_NODE=$((NO_NODE + 1))
		diag "$wk_desc, step $st_n: $DEV/$1 is missing: the injected failure was devtmpfs' (device_get_devnode())"
		if [ -e "/dev/$1" ]; then
			diag "$wk_desc, step $st_n: the node is /dev/$1 instead: $(ls -l "/dev/$1")"
			STRAY="$STRAY /dev/$1"
		fi
		return 0
	fi
	return 1
}

# --- mkdir, role module loaded ---------------------------------------------------
# inst_gone KIND NAME MOD: no trace of the instance, no module reference.
inst_gone() {
	if [ -e "$CFG/$1/$2" ] || [ -e "$SYS/$1/$2" ]; then
		WK_WHY="$1/$2 exists in configfs or sysfs"
		return 1
	fi
	if is_loaded "$3" && ! refcnt_is "$3" 0; then
		WK_WHY="$3 refcnt is $R with no instance"
		return 1
	fi
	return 0
}
# inst_works KIND NAME MOD: the instance is complete; rmdir it.
inst_works() {
	if ! [ -d "$CFG/$1/$2" ] || ! [ -d "$SYS/$1/$2" ]; then
		WK_WHY="$1/$2 is missing in configfs or sysfs"
		rmdir "$CFG/$1/$2" 2>/dev/null
		return 1
	fi
	if ! val_is "$SYS/$1/$2/rate" 1 || ! val_is "$CFG/$1/$2/rate" 1; then
		WK_WHY="$1/$2/rate reads '$R', not 1"
		rmdir "$CFG/$1/$2" 2>/dev/null
		return 1
	fi
	if [ "$1" = producers ] && ! val_is "$SYS/$1/$2/item" "$2"; then
		WK_WHY="$1/$2/item reads '$R', not $2"
		rmdir "$CFG/$1/$2" 2>/dev/null
		return 1
	fi
	if ! rmdir "$CFG/$1/$2" 2>"$T_TMP/rm"; then
		slurp "$T_TMP/rm"
		WK_WHY="rmdir $1/$2: $SL"
		return 1
	fi
	inst_gone "$1" "$2" "$3"
}
p_gone() { inst_gone producers fp pcfifo_producer; }
p_works() { inst_works producers fp pcfifo_producer; }
c_gone() { inst_gone consumers fc pcfifo_consumer; }
c_works() { inst_works consumers fc pcfifo_consumer; }

fi_slab_only
fi_verbose 2
load_core
mp pcfifo_producer
mp pcfifo_consumer
walk "mkdir producers/fp (failslab)" nop p_gone p_works ENOMEM \
	mkdir "$CFG/producers/fp"
walk "mkdir consumers/fc (failslab)" nop c_gone c_works ENOMEM \
	mkdir "$CFG/consumers/fc"

# --- FIFOs: mkdir, capacity, fifo ---------------------------------------------------
# both_are DIR FILE VALUE: DIR/FILE reads VALUE in configfs and in sysfs
# (DIR relative to the trees: fifos/f1, producers/p).
both_are() {
	if ! val_is "$CFG/$1/$2" "$3" || ! val_is "$SYS/$1/$2" "$3"; then
		WK_WHY="$1/$2 reads '$R', not $3 (configfs or sysfs)"
		return 1
	fi
}
# The core's reference count with the role modules loaded and no FIFO
# made by mkdir: a FIFO pins the core, a failed mkdir must not.
core_ref() {
	rd /sys/module/pcfifo/refcnt
	CORE_REF=$R
	rd /sys/module/pcfifo/parameters/capacity
	CORE_CAP=$R
}
# fifo_gone NAME: no trace of the FIFO (no directory, no device file, no
# class device), no reference on the core.
fifo_gone() {
	if [ -e "$CFG/fifos/$1" ] || [ -e "$SYS/fifos/$1" ]; then
		WK_WHY="fifos/$1 exists in configfs or sysfs"
		return 1
	fi
	if [ -e "$DEV/$1" ] || [ -e "$CLASS/$1" ]; then
		WK_WHY="$DEV/$1 or $CLASS/$1 is left behind"
		return 1
	fi
	if ! refcnt_is pcfifo "$CORE_REF"; then
		WK_WHY="pcfifo refcnt is $R with no FIFO made by mkdir, not $CORE_REF"
		return 1
	fi
}
# fifo_works NAME: the FIFO is complete and empty, with the capacity of
# the module parameter, and its device file works; rmdir it.
fifo_works() {
	if ! [ -d "$CFG/fifos/$1" ] || ! [ -d "$SYS/fifos/$1" ]; then
		WK_WHY="fifos/$1 is missing in configfs or sysfs"
	elif both_are "fifos/$1" capacity "$CORE_CAP"; then
		for fw_f in count enqueued dequeued; do
			val_is "$SYS/fifos/$1/$fw_f" 0 && continue
			WK_WHY="fifos/$1/$fw_f reads '$R', not 0"
			break
		done
		[ -n "$WK_WHY" ] || dev_works "$1" || WK_WHY=$DR_WHY
	fi
	if ! rmdir "$CFG/fifos/$1" 2>"$T_TMP/rm"; then
		slurp "$T_TMP/rm"
		WK_WHY="${WK_WHY:-rmdir fifos/$1: $SL}"
		return 1
	fi
	[ -z "$WK_WHY" ] && fifo_gone "$1"
}
ff_gone() { fifo_gone ff; }
ff_works() { fifo_works ff; }

# capacity: each step starts from capacity 8; a failed write keeps it, a
# successful one sets the new value in both trees. fifos/fz has a
# consumer waiting on it (empty). A ring of 16 items fits a page: one
# kmalloc, whose failure is reported; a larger one is kvmalloc's, whose
# kmalloc fails silently (__GFP_NOWARN) into vmalloc, as 65536 items do.
fz_reset() { set_or_bail "$CFG/fifos/fz/capacity" 8; }
fz_kept() { both_are fifos/fz capacity 8; }
fz_16() { both_are fifos/fz capacity 16; }
fz_64k() { both_are fifos/fz capacity 65536; }
dflt_reset() { set_or_bail "$CFG/fifos/default/capacity" 8; }
dflt_kept() { both_are fifos/default capacity 8; }
dflt_16() { both_are fifos/default capacity 16; }

# fifo: producer mp is blocked on the full FIFO f1 (no consumer), consumer
# mc waits on the empty FIFO f3; each step starts there and moves it to f2
# (f4).
mp_back() { set_or_bail "$CFG/producers/mp/fifo" f1; }
mp_kept() { both_are producers/mp fifo f1; }
mp_moved() { both_are producers/mp fifo f2; }
mc_back() { set_or_bail "$CFG/consumers/mc/fifo" f3; }
mc_kept() { both_are consumers/mc fifo f3; }
mc_moved() { both_are consumers/mc fifo f4; }

core_ref
drain default
walk "write capacity 16 to fifos/default in configfs (failslab)" dflt_reset dflt_kept dflt_16 \
	ENOMEM write "$CFG/fifos/default/capacity" 16
# (default's capacity is not a new FIFO's)
walk "mkdir fifos/ff (failslab)" nop ff_gone ff_works ENOMEM mkdir "$CFG/fifos/ff"
set_or_bail "$CFG/fifos/default/capacity" "$CORE_CAP"
mkfifo_cfs fz
mkinst_on fz consumers zc 1000
walk "write capacity 16 to fifos/fz in configfs, a consumer waiting (failslab)" fz_reset \
	fz_kept fz_16 ENOMEM write "$CFG/fifos/fz/capacity" 16
walk "write capacity 65536 to fifos/fz in sysfs, a consumer waiting (failslab)" fz_reset \
	fz_kept fz_64k ENOMEM write "$SYS/fifos/fz/capacity" 65536
for f in f1 f2; do mkfifo_cfs "$f" 2; done
mkfifo_cfs f3
mkfifo_cfs f4
mkinst_on f1 producers mp 1000
mkinst_on f3 consumers mc 1000
check "producer mp fills f1" wait_until 5 val_is "$SYS/fifos/f1/count" 2
# (A move allocates nothing in pcfifo's code: what fails is the kernel's.)
WALK_OWN=0
walk "write f2 to fifo of producers/mp in configfs, blocked on a full FIFO (failslab)" mp_back \
	mp_kept mp_moved ENOMEM write "$CFG/producers/mp/fifo" f2
walk "write f4 to fifo of consumers/mc in sysfs, waiting on an empty FIFO (failslab)" mc_back \
	mc_kept mc_moved ENOMEM write "$SYS/consumers/mc/fifo" f4
WALK_OWN=1

# The device file: open(2) of /dev/pcfifo/fd, and a write of two items
# (below, with page allocations failing: its buffer is an order-2 page
# allocation). A failed open holds nothing (the core's reference count
# is what it was; the FIFO can go); a failed write puts nothing.
fd_closed() {
	refcnt_is pcfifo "$FD_REF" && return 0
	WK_WHY="pcfifo refcnt is $R with $DEV/fd closed, not $FD_REF"
	return 1
}
fd_empty() {
	val_is "$SYS/fifos/fd/count" 0 && return 0
	WK_WHY="fifos/fd/count reads '$R', not 0"
	return 1
}
# fd_two: the two items are there: read them back.
fd_two() {
	if ! val_is "$SYS/fifos/fd/count" 2; then
		WK_WHY="fifos/fd/count reads '$R', not 2"
		return 1
	fi
	dev_read_two fd && return 0
	WK_WHY=$DR_WHY
	return 1
}
# fd_walks DESC: the two walks over a new FIFO fd.
fd_walks() {
	mkfifo_cfs fd
	rd /sys/module/pcfifo/refcnt
	FD_REF=$R
	walk "open $DEV/fd ($1)" nop fd_closed fd_closed ENOMEM open "$DEV/fd"
	# The write's buffer comes from kvmalloc(), whose slab and page
	# attempts are __GFP_NOWARN: their injected failures leave no stack
	# dump to find pcfifo's frames in, so the walk cannot count them.
	wo_own=$WALK_OWN
	WALK_OWN=0
	walk "write two items to $DEV/fd ($1)" nop fd_empty fd_two ENOMEM write "$DEV/fd" "a
bc"
	WALK_OWN=$wo_own
}
WALK_OWN=0
fd_walks failslab
WALK_OWN=1
check "every instance goes quiet at rate 0" quiesce
fifos_conserved "after the FIFO walks"
for f in f1 f2; do
	is "fifos/$f holds as many items as it has room for" "$(cat "$SYS/fifos/$f/count")" 2
done
rm_instances

# --- instance creation's error path, with a concurrent writer -----------------------
# While the walk makes each allocation of mkdir producers/fr fail in turn,
# the helper writes 1 (the default rate: a complete instance still reads
# as it should) to its sysfs rate in a tight loop: it opens the attribute
# as soon as it appears and writes until the write fails, so that a
# write reaches the instance between its publication in sysfs and the
# failure of its creation. Twice (PCFIFO_RACE_ROUNDS): the race is a
# matter of luck.
fr_gone() { inst_gone producers fr pcfifo_producer; }
fr_works() { inst_works producers fr pcfifo_producer; }
rm -f "$T_TMP/stop"
"$FAILNTH" 0 hammer "$SYS/producers/fr/rate" 1 "$T_TMP/stop" >"$T_TMP/hammer" 2>&1 &
hammer_pid=$!
mark
round=1
while [ "$round" -le "${PCFIFO_RACE_ROUNDS:-2}" ]; do
	walk "mkdir producers/fr, rate written concurrently, round $round (failslab)" nop \
		fr_gone fr_works ENOMEM mkdir "$CFG/producers/fr"
	round=$((round + 1))
done
touch "$T_TMP/stop"
wait "$hammer_pid"
read -r h_opens h_writes h_gone _ <"$T_TMP/hammer"
check "the concurrent writer ran (it found the attribute ${h_opens:-?} times: ${h_writes:-?} writes accepted, ${h_gone:-?} refused as the instance went)" \
	test "${h_opens:-0}" -gt 0
race_bad=$(dbg_findings "$T_MARK")
if [ -z "$race_bad" ]; then
	ok "mkdir walks with a concurrent writer: no KASAN, lockdep, UBSAN, debugobjects, WARN or BUG report"
else
	nok "mkdir walks with a concurrent writer: no KASAN, lockdep, UBSAN, debugobjects, WARN or BUG report"
	diag "$race_bad"
fi
check "no instance is left after the walks with a concurrent writer" \
	test ! -e "$CFG/producers/fr" -a ! -e "$SYS/producers/fr"
check "every instance goes quiet at rate 0" quiesce
fifos_conserved "after the walks with a concurrent writer"

# --- mkdir that loads the role module (request_module) ----------------------------
unload_p() { rm_mod pcfifo_producer; }
unload_c() { rm_mod pcfifo_consumer; }
# After a failure the role module may have loaded: it must not be pinned.
p_gone_mod() { p_gone && rm_mod pcfifo_producer; }
c_gone_mod() { c_gone && rm_mod pcfifo_consumer; }
walk "mkdir producers/fp loading pcfifo_producer (failslab)" unload_p p_gone_mod p_works \
	"ENOMEM ENODEV" mkdir "$CFG/producers/fp"
walk "mkdir consumers/fc loading pcfifo_consumer (failslab)" unload_c c_gone_mod c_works \
	"ENOMEM ENODEV" mkdir "$CFG/consumers/fc"

# --- finit_module ---------------------------------------------------------------------
core_out() {
	rm_mod pcfifo_producer && rm_mod pcfifo_consumer && rm_mod pcfifo
}
core_gone() {
	if is_loaded pcfifo || [ -e /sys/module/pcfifo ] || [ -e "$SYS" ] || [ -e "$CFG" ] ||
		[ -e "$DEV/default" ] || [ -e "$CLASS" ] || grep -q ' pcfifo$' /proc/devices; then
		WK_WHY="pcfifo is (partly) there: loaded, /sys/module/pcfifo, $SYS, $CFG, $DEV/default, $CLASS or its major in /proc/devices"
		return 1
	fi
	return 0
}
# core_works CAPACITY: loaded with the trees and the default FIFO's device
# file, which works; unload it.
core_works() {
	if ! val_is "$FIFO/capacity" "$1" || ! [ -d "$CFG/producers" ] ||
		! [ -d "$CFG/consumers" ] || ! [ -d "$SYS/producers" ]; then
		WK_WHY="pcfifo loaded, but capacity reads '$R' or a directory is missing"
		rm_mod pcfifo
		return 1
	fi
	if ! dev_works default; then
		WK_WHY=$DR_WHY
		rm_mod pcfifo
		return 1
	fi
	rm_mod pcfifo && core_gone
}
core8_works() { core_works 8; }
core64k_works() { core_works 65536; }
unload_all
walk_tail "load pcfifo capacity=8 (failslab)" core_out core_gone core8_works ENOMEM \
	load "$KO_CORE" capacity=8
walk_tail "load pcfifo capacity=65536, FIFO in vmalloc (failslab)" core_out core_gone \
	core64k_works ENOMEM load "$KO_CORE" capacity=65536

# Role modules, with the core loaded.
core_in() {
	is_loaded pcfifo || mp pcfifo
	rm_mod pcfifo_producer && rm_mod pcfifo_consumer
}
# role_gone MOD KIND: MOD not loaded, no default instance, the core holds
# no reference for it.
role_gone() {
	if is_loaded "$1" || [ -e "/sys/module/$1" ] || [ -e "$SYS/$2/default" ]; then
		WK_WHY="$1 is (partly) there: loaded, /sys/module/$1 or $SYS/$2/default"
		return 1
	fi
	if ! refcnt_is pcfifo 0; then
		WK_WHY="pcfifo refcnt is $R with no role module"
		return 1
	fi
	return 0
}
# role_works MOD KIND RATE|-: loaded; its default instance exists with
# RATE (- for none); unload it.
role_works() {
	if ! is_loaded "$1"; then
		WK_WHY="$1 is not loaded"
		return 1
	fi
	if [ "$3" = - ]; then
		if [ -e "$SYS/$2/default" ]; then
			WK_WHY="$2/default exists without parameters"
			rm_mod "$1"
			return 1
		fi
	elif ! val_is "$SYS/$2/default/rate" "$3"; then
		WK_WHY="$2/default/rate reads '$R', not $3"
		rm_mod "$1"
		return 1
	fi
	rm_mod "$1" && role_gone "$1" "$2"
}
prod_gone() { role_gone pcfifo_producer producers; }
cons_gone() { role_gone pcfifo_consumer consumers; }
prod_param_works() { role_works pcfifo_producer producers 5; }
prod_works() { role_works pcfifo_producer producers -; }
cons_param_works() { role_works pcfifo_consumer consumers 5; }
walk_tail "load pcfifo_producer item=fx rate=5 (failslab)" core_in prod_gone prod_param_works \
	ENOMEM load "$KO_PROD" "item=fx rate=5"
# (Without an instance to start, the role's init allocates nothing: the
# walk checks the loader's failures around it, and a step from after the
# init to before it is no jump over it.)
WALK_OWN=0 TAIL_RETRY=0
walk_tail "load pcfifo_producer, no parameters (failslab)" core_in prod_gone prod_works \
	ENOMEM load "$KO_PROD"
WALK_OWN=1 TAIL_RETRY=40
walk_tail "load pcfifo_consumer rate=5 (failslab)" core_in cons_gone cons_param_works \
	ENOMEM load "$KO_CONS" "rate=5"

# --- the same with page allocations failing too ----------------------------------------
fi_with_pages
fi_verbose 2
mp pcfifo_producer
mp pcfifo_consumer
walk "mkdir producers/fp (failslab + fail_page_alloc)" nop p_gone p_works ENOMEM \
	mkdir "$CFG/producers/fp"
core_ref
walk "mkdir fifos/ff (failslab + fail_page_alloc)" nop ff_gone ff_works ENOMEM \
	mkdir "$CFG/fifos/ff"
mkfifo_cfs fz
walk "write capacity 16 to fifos/fz in sysfs (failslab + fail_page_alloc)" fz_reset \
	fz_kept fz_16 ENOMEM write "$SYS/fifos/fz/capacity" 16
fd_walks "failslab + fail_page_alloc"
rm_instances
walk_tail "load pcfifo_consumer rate=5 (failslab + fail_page_alloc)" core_in cons_gone \
	cons_param_works ENOMEM load "$KO_CONS" "rate=5"
unload_all
walk_tail "load pcfifo capacity=8 (failslab + fail_page_alloc)" core_out core_gone core8_works \
	ENOMEM load "$KO_CORE" capacity=8
fi_off
echo "$printk_levels" >/proc/sys/kernel/printk

# --- afterwards everything still works ------------------------------------------------------
unload_all
load_core
mkinst consumers after 1000000
mkinst producers after 1000
sleep 1
check "items flow after the walks" val_ge "$SYS/consumers/after/consumed" 100
check "every instance goes quiet at rate 0" quiesce
fifos_conserved "after the walks"
rm_instances
unload_all
check "nothing is left behind" is_clean
diag "fault injection: $FAULT_OPS calls, $FAULT_INJECTED injected failures, $FAULT_INMOD of them in pcfifo's code"
diag "devices made without their /dev node (devtmpfs' allocation failed): $NO_NODE"
# Nodes at /dev/NAME (dev_works) still there once their device is gone.
stale=''
# shellcheck disable=SC2086 # paths
for n in $(printf '%s\n' $STRAY | sort -u); do
	[ -e "$n" ] || continue
	stale="$stale $n"
	rm -f "$n"
done
is "no node made at /dev/NAME when the devnode name failed is left after its device went" "$stale" ""
dbg_ops faults "$FAULT_OPS"

dbg_end
