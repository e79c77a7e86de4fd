# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# debug-lib.sh - helpers of the debug lane's guest scripts (debug-lane.sh,
# stress.sh, faults.sh, badinput-sweep.sh), the files of this folder. They
# run only on the debug kernels and Debian's for the soak
# (tests/debug/run.sh, make check-debug, check-kcsan, soak), which put this
# folder into the guest as /pcfifo/tests/debug/guest; the suite
# (tests/guest/) is there too. Each of them sources this file only: it
# sources the suite's lib.sh first.

# Variables set here are used by the files that source this one.
# shellcheck disable=SC2034

DBG_DIR=$(cd "$(dirname "$0")" && pwd)
# The tree the guest carries (lib.sh would take the suite's folder for
# this one).
PCFIFO_ROOT=${PCFIFO_ROOT:-$(cd "$DBG_DIR/../../.." && pwd)}
DBG_SUITE_DIR=$PCFIFO_ROOT/tests/guest
# shellcheck source=../../guest/lib.sh
. "$DBG_SUITE_DIR/lib.sh"

DBG_FINDINGS_AWK=$DBG_DIR/debug-findings.awk
# The fault-injection helper (tests/debug/failnth.c), added to the
# initramfs by tests/debug/run.sh.
FAILNTH=${PCFIFO_FAILNTH:-/pcfifo/debug/bin/failnth}
DEBUGFS=/sys/kernel/debug
# A FIFO's device file and its class device.
DEV=/dev/pcfifo
CLASS=/sys/class/pcfifo
KMEMLEAK=$DEBUGFS/kmemleak
# Operations counted by each script, summed by debug-lane.sh.
DBG_OPS_FILE=${PCFIFO_DEBUG_OPS:-${TMPDIR:-/tmp}/pcfifo-debug.ops}

dbg_debugfs() {
	grep -q " $DEBUGFS debugfs " /proc/mounts ||
		mount -t debugfs debugfs "$DEBUGFS" 2>/dev/null
	[ -d "$DEBUGFS/failslab" ]
}

# dbg_ops NAME N: record N operations of NAME for the lane's summary.
dbg_ops() {
	echo "$1 $2" >>"$DBG_OPS_FILE"
	diag "$T_FILE: $2 $1 operations"
}

# dbg_findings TEXT: findings (debug-findings.awk) in the kernel log after
# the last marker line containing TEXT; not the kernel's own data races.
dbg_findings() {
	dmesg_after "$1" | awk -f "$DBG_FINDINGS_AWK" | grep -v '^KCSAN-OTHER'
}

# err_in TEXT ERRNO...: TEXT contains the strerror text of one of ERRNOs.
err_in() {
	ei_text=$1
	shift
	for ei_e in "$@"; do
		err_is "$ei_text" "$ei_e" && return 0
		case $ei_e in
		E2BIG) case $ei_text in *'Argument list too long'*) return 0 ;; esac ;;
		# ash says "can't open F: no such file" and "can't create F:
		# nonexistent directory" for ENOENT, strerror() for the rest.
		ENOENT) case $ei_text in *'No such file or directory'* | *'no such file'* | *'nonexistent directory'*) return 0 ;; esac ;;
		ENOMEM) case $ei_text in *'Out of memory'* | *'Cannot allocate memory'*) return 0 ;; esac ;;
		EBUSY) case $ei_text in *'Device or resource busy'*) return 0 ;; esac ;;
		EIO) case $ei_text in *'I/O error'* | *'Input/output error'*) return 0 ;; esac ;;
		ENXIO) case $ei_text in *'No such device or address'*) return 0 ;; esac ;;
		EROFS) case $ei_text in *'Read-only file system'*) return 0 ;; esac ;;
		EINTR) case $ei_text in *'Interrupted system call'*) return 0 ;; esac ;;
		esac
	done
	return 1
}

# nap SECONDS: sleep without a fork (sleep(1) is an exec, which costs about
# 0.15 s on this kernel): a read with a timeout on a FIFO nobody writes.
nap() {
	[ -p "$T_TMP/nap" ] || mkfifo "$T_TMP/nap"
	# shellcheck disable=SC3045 # busybox ash: fractional seconds too
	read -r -t "$1" _ <>"$T_TMP/nap"
	return 0
}

# quiesce: every instance's rate to 0, then wait until no counter of any
# FIFO moves.
quiesce() {
	for q_f in "$SYS"/producers/*/rate "$SYS"/consumers/*/rate; do
		[ -e "$q_f" ] && wr "$q_f" 0
	done
	q_prev=x
	q_n=0
	while [ "$q_n" -lt 50 ]; do
		q_cur=
		for q_d in "$SYS"/fifos/*; do
			rd "$q_d/enqueued"
			q_cur="$q_cur $R"
			rd "$q_d/dequeued"
			q_cur="$q_cur $R"
		done
		[ "$q_cur" = "$q_prev" ] && return 0
		q_prev=$q_cur
		q_n=$((q_n + 1))
		sleep 0.2
	done
	return 1
}

# fifos_conserved DESC: fifo_conserved for every FIFO (call at quiet
# moments).
fifos_conserved() {
	fc_n=0
	for fc_d in "$SYS"/fifos/*; do
		[ -d "$fc_d" ] || continue
		fc_n=$((fc_n + 1))
		fifo_conserved "$1: FIFO ${fc_d##*/}" "$fc_d"
	done
	check "$1: there is a FIFO to check ($fc_n)" test "$fc_n" -gt 0
}

# fifos_sum: the sums of enqueued and dequeued over every FIFO into
# FS_ENQ, FS_DEQ.
fifos_sum() {
	FS_ENQ=0 FS_DEQ=0
	for fs_d in "$SYS"/fifos/*; do
		rd "$fs_d/enqueued" && FS_ENQ=$((FS_ENQ + R))
		rd "$fs_d/dequeued" && FS_DEQ=$((FS_DEQ + R))
	done
	return 0
}

# drain NAME: empty FIFO NAME with a consumer "drain" at the highest rate
# (the producers must stand still), then remove it; bail out if the FIFO
# stays non-empty. What it took is added to DRAINED.
DRAINED=0
drain() {
	mkinst_on "$1" consumers drain 1000000
	wait_until 5 val_is "$SYS/fifos/$1/count" 0 || bail "drain fifos/$1" "count: $R"
	wr "$CFG/consumers/drain/rate" 0
	rd "$SYS/consumers/drain/consumed" && DRAINED=$((DRAINED + R))
	rmdir "$CFG/consumers/drain" || bail "drain $1: rmdir $CFG/consumers/drain"
}

# dev_roundtrip NAME: the device file of FIFO NAME (empty) works: it is a
# character device with its class device, and two items written to it
# read back in order, one read(2); else DR_WHY says why, and DR_NONODE is
# 1 when only the node in /dev is missing. (A test before the write: a
# redirection to a missing node would make a regular file.)
dev_roundtrip() {
	DR_WHY='' DR_NONODE=0
	if ! [ -e "$CLASS/$1/dev" ]; then
		DR_WHY="$CLASS/$1 is missing"
		return 1
	fi
	if ! [ -c "$DEV/$1" ]; then
		[ -e "$DEV/$1" ] || DR_NONODE=1
		DR_WHY="$DEV/$1 is not a character device: $(ls -ld "$DEV/$1" 2>&1)"
		return 1
	fi
	# The stress's sizer may have left a capacity of 1: a blocking write
	# of two items would wait for a reader for ever.
	if rd "$SYS/fifos/$1/capacity" && [ "$R" -lt 2 ]; then
		wr "$CFG/fifos/$1/capacity" 2
		if [ "$W_RC" -ne 0 ]; then
			DR_WHY="capacity of $1 stays $R: $W_ERR"
			return 1
		fi
	fi
	# shellcheck disable=SC2016 # $1 is the inner shell's
	if ! timeout 10 sh -c 'printf "a\nbc\n" >"$1"' sh "$DEV/$1" 2>"$T_TMP/dr.err"; then
		slurp "$T_TMP/dr.err"
		DR_WHY="write to $DEV/$1: $SL"
		return 1
	fi
	dev_read_two "$1"
}

# dev_read_two NAME: one read(2) of FIFO NAME's device file reads the two
# items dev_roundtrip writes, a and bc; else DR_WHY says what it read.
dev_read_two() {
	timeout 10 dd if="$DEV/$1" bs=256 count=1 status=none >"$T_TMP/dr.out" 2>&1
	slurp "$T_TMP/dr.out"
	[ "$SL" = "a
bc
" ] && return 0
	DR_WHY="$DEV/$1 read back '$SL', not the two items a and bc"
	return 1
}

# dbg_end: like t_end, but the kernel log is judged by debug-findings.awk
# (failed-allocation reports caused by fault injection are expected).
dbg_end() {
	t_cleanup
	de_bad=$(dbg_findings "begin $T_FILE")
	if [ -z "$de_bad" ]; then
		ok "kernel log clean (no KASAN, lockdep, UBSAN, kmemleak, hung task, WARN or BUG report)"
	else
		nok "kernel log clean (no KASAN, lockdep, UBSAN, kmemleak, hung task, WARN or BUG report)"
		diag "$de_bad"
	fi
	kmsg "end $T_FILE"
	[ -n "${PCFIFO_DONE_FILE:-}" ] && echo "$T_FILE" >>"$PCFIFO_DONE_FILE"
	return 0
}
