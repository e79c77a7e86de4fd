# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# lib.sh - helpers shared by the pcfifo guest suite (tests/guest/t??-*.sh).
#
# Runs inside the QEMU guest under busybox ash (plain POSIX sh plus the
# busybox echo flags -n/-e, which are needed because busybox's builtin echo
# is the one writer that reports a failed write(2) with strerror text).
#
# Output is TAP: "ok N - file: description" / "not ok N - ..." with "# ..."
# diagnostics.  Test numbers and counters run across files: run-suite.sh
# passes a state file in PCFIFO_TAP_STATE.  A test file run on its own
# (sh tests/guest/t20-instances.sh) prints its own summary.
#
# Every test file must leave the system clean: no pcfifo instance, no pcfifo
# module loaded.  t_begin installs an EXIT trap that removes whatever is left.

# Variables set here are used by the files that source this one.
# shellcheck disable=SC2034

PATH=/sbin:/usr/sbin:/bin:/usr/bin
export PATH

CFG=/sys/kernel/config/pcfifo
SYS=/sys/kernel/pcfifo
FIFO=$SYS/fifos/default
# Unload order: the role modules depend on the core.
MODS="pcfifo_producer pcfifo_consumer pcfifo"

T_GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
PCFIFO_ROOT=${PCFIFO_ROOT:-$(cd "$T_GUEST_DIR/../.." && pwd)}
EXAMPLES=$PCFIFO_ROOT/configfs-examples
T_FILE=$(basename "$0" .sh)
T_TMP=${TMPDIR:-/tmp}/pcfifo-$T_FILE.$$

# Config file the ENODEV test writes; t_cleanup removes it in any case.
T_MODPROBE_CONF=""

# ---------------------------------------------------------------- TAP ----

if [ -n "${PCFIFO_TAP_STATE:-}" ]; then
	T_STANDALONE=0
else
	T_STANDALONE=1
	PCFIFO_TAP_STATE=${TMPDIR:-/tmp}/pcfifo-tap.$$
	echo "0 0 0 0" >"$PCFIFO_TAP_STATE"
fi
read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE" || {
	T_N=0 T_PASS=0 T_FAIL=0 T_SKIP=0
}
T_FILE_FAIL=0

t_save() {
	echo "$T_N $T_PASS $T_FAIL $T_SKIP" >"$PCFIFO_TAP_STATE"
}

ok() {
	T_N=$((T_N + 1))
	T_PASS=$((T_PASS + 1))
	echo "ok $T_N - $T_FILE: $*"
	t_save
}

nok() {
	T_N=$((T_N + 1))
	T_FAIL=$((T_FAIL + 1))
	T_FILE_FAIL=$((T_FILE_FAIL + 1))
	echo "not ok $T_N - $T_FILE: $*"
	t_save
}

# skip DESC REASON
skip() {
	T_N=$((T_N + 1))
	T_SKIP=$((T_SKIP + 1))
	echo "ok $T_N - $T_FILE: $1 # SKIP $2"
	t_save
}

# diag TEXT...: print each line of each TEXT as a TAP comment.
diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# check DESC CMD [ARG...]: ok when CMD succeeds.
check() {
	ck_desc=$1
	shift
	if "$@"; then
		ok "$ck_desc"
	else
		nok "$ck_desc"
		diag "failed: $*"
		return 1
	fi
}

# check_not DESC CMD [ARG...]: ok when CMD fails.
check_not() {
	ck_desc=$1
	shift
	if "$@"; then
		nok "$ck_desc"
		diag "unexpectedly succeeded: $*"
		return 1
	else
		ok "$ck_desc"
	fi
}

# quiet_ok DESC CMD [ARG...]: CMD succeeds and prints nothing.
quiet_ok() {
	qo_desc=$1
	shift
	qo_out=$("$@" 2>&1)
	is "$qo_desc" "$?:$qo_out" "0:"
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		nok "$1"
		diag "got:  '$2'" "want: '$3'"
		return 1
	fi
}

# bail DESC [DIAG...]: record a failure and end this test file; the EXIT
# trap cleans up.  Used when a precondition fails, so that one broken step
# does not cascade into dozens of failures.
bail() {
	nok "$1 (giving up on the rest of $T_FILE)"
	shift
	[ $# -gt 0 ] && diag "$@"
	exit 1
}

# need DESC CMD [ARG...]: like check, but bail out on failure.
need() {
	nd_desc=$1
	shift
	if "$@"; then
		ok "$nd_desc"
	else
		bail "$nd_desc" "failed: $*"
	fi
}

# contains TEXT PATTERN: TEXT has a line matching the basic regexp PATTERN.
contains() {
	printf '%s\n' "$1" | grep -q -- "$2"
}

# near A B N: the numbers A and B differ by N at most.
near() {
	[ $(($1 - $2)) -le "$3" ] && [ $(($2 - $1)) -le "$3" ]
}

# empty_dir DIR: DIR has no entries (a missing DIR counts as empty).
empty_dir() {
	[ -z "$(ls -A "$1" 2>/dev/null)" ]
}

# names_in DIR: the entries of DIR (but dot files), sorted, each followed by
# a space, into NAMES; their number into N_NAMES.  No fork.
names_in() {
	NAMES="" N_NAMES=0
	for ni_f in "$1"/*; do
		[ -e "$ni_f" ] || continue
		NAMES="$NAMES${ni_f##*/} "
		N_NAMES=$((N_NAMES + 1))
	done
}

# ------------------------------------------------------------ values ----

# rd FILE: first line of FILE into R (status 1 and R=<missing> if unreadable).
rd() {
	R="<missing>"
	[ -e "$1" ] || return 1
	read -r R <"$1" || [ -n "$R" ]
}

# val_is FILE WANT: the first line of FILE is WANT.
val_is() {
	rd "$1" && [ "$R" = "$2" ]
}

# val_ge FILE N: FILE holds a number >= N.
val_ge() {
	rd "$1" && [ "$R" -ge "$2" ] 2>/dev/null
}

# slurp FILE: the whole of FILE into SL, exactly (newlines kept; a missing
# final newline shows), using the shell's read builtin only: no fork.
# Status 1 if FILE does not exist.  Files read here hold no NUL bytes.
slurp() {
	SL=""
	[ -e "$1" ] || return 1
	sl_l=""
	while IFS= read -r sl_l; do
		SL="$SL$sl_l
"
	done <"$1"
	SL=$SL$sl_l
	return 0
}

# esc_to_sl ESCAPED: the bytes of ESCAPED (echo -e notation) into SL, via
# a scratch file (echo is a builtin: no fork).
esc_to_sl() {
	# shellcheck disable=SC3037
	echo -ne "$1" >"$T_TMP/esc"
	slurp "$T_TMP/esc"
}

# hex_file FILE: all bytes of FILE as one lowercase hex string.
hex_file() {
	od -An -v -tx1 <"$1" | tr -d ' \n'
}

# hex_esc STRING: bytes of STRING after echo -e escape processing, as hex.
hex_esc() {
	# shellcheck disable=SC3037
	echo -ne "$1" | od -An -v -tx1 | tr -d ' \n'
}

# bytes_is DESC FILE ESCAPED: FILE reads exactly the bytes of ESCAPED
# (echo -e notation, e.g. 'abc\n\n').
bytes_is() {
	esc_to_sl "$3"
	bi_want=$SL
	if slurp "$2" && [ "$SL" = "$bi_want" ]; then
		ok "$1"
	else
		nok "$1"
		diag "$2: got bytes  $(hex_file "$2" 2>&1)" "$2: want bytes $(hex_esc "$3")"
		return 1
	fi
}

# mode_is DESC PATH MODE: octal mode of PATH is MODE and owner is root.
mode_is() {
	mi_got=$(stat -c '%a %u' "$2" 2>&1)
	is "$1" "$mi_got" "$3 0"
}

# ------------------------------------------------------------ writes ----

# Every write goes through the busybox builtin echo: it issues the value
# in a single write(2) and, on failure, prints "sh: write error: <strerror>".
# W_RC is the exit status, W_ERR what the shell printed on stderr.

# wr FILE VALUE: write VALUE verbatim (no escape processing, no newline).
wr() {
	# shellcheck disable=SC3037
	{ echo -n "$2" >"$1"; } 2>"$T_TMP/werr"
	# shellcheck disable=SC2320 # $? is echo's: the write(2) it made
	W_RC=$?
	slurp "$T_TMP/werr"
	W_ERR=$SL
}

# wre FILE ESCAPED: write the bytes of ESCAPED (echo -e notation).
wre() {
	# shellcheck disable=SC3037
	{ echo -ne "$2" >"$1"; } 2>"$T_TMP/werr"
	# shellcheck disable=SC2320 # $? is echo's: the write(2) it made
	W_RC=$?
	slurp "$T_TMP/werr"
	W_ERR=$SL
}

# err_is TEXT ERRNO: TEXT contains the strerror text of ERRNO (no fork).
err_is() {
	case $2 in
	EINVAL) case $1 in *'Invalid argument'*) return 0 ;; esac ;;
	ERANGE) case $1 in *'Numerical result out of range'* | *'Result not representable'*) return 0 ;; esac ;;
	EACCES) case $1 in *'Permission denied'*) return 0 ;; esac ;;
	EPERM) case $1 in *'Operation not permitted'*) return 0 ;; esac ;;
	EEXIST) case $1 in *'File exists'*) return 0 ;; esac ;;
	ENAMETOOLONG) case $1 in *'File name too long'*) return 0 ;; esac ;;
	ENODEV) case $1 in *'No such device'*) return 0 ;; esac ;;
	EAGAIN) case $1 in *'Resource temporarily unavailable'* | *'Try again'*) return 0 ;; esac ;;
	ENOENT) case $1 in *'No such file or directory'*) return 0 ;; esac ;;
	EBUSY) case $1 in *'Device or resource busy'*) return 0 ;; esac ;;
	esac
	return 1
}

# write_ok DESC FILE ESCAPED [WANT_ESCAPED]: writing ESCAPED succeeds and
# FILE then reads WANT_ESCAPED (default: ESCAPED with one trailing newline
# stripped, plus the newline every read ends with).
write_ok() {
	wre "$2" "$3"
	if [ "$W_RC" -ne 0 ]; then
		nok "$1"
		diag "write of '$3' to $2 failed: $W_ERR"
		return 1
	fi
	if [ $# -ge 4 ]; then
		wo_want=$4
	else
		wo_want=${3%\\n}'\n'
	fi
	bytes_is "$1" "$2" "$wo_want"
}

# write_err DESC FILE ESCAPED ERRNO: writing ESCAPED fails with ERRNO and
# FILE keeps its old contents.
write_err() {
	slurp "$2"
	we_old=$SL
	wre "$2" "$3"
	slurp "$2"
	we_new=$SL
	if [ "$W_RC" -eq 0 ]; then
		nok "$1"
		diag "write of '$3' to $2 succeeded; want $4" "now reads: $we_new"
		return 1
	fi
	if ! err_is "$W_ERR" "$4"; then
		nok "$1"
		diag "write of '$3' to $2 failed, but not with $4:" "$W_ERR"
		return 1
	fi
	is "$1" "$we_new" "$we_old"
}

# dir_op_fails DESC OP DIR ERRNO: OP DIR (mkdir or rmdir) fails with
# ERRNO.  Otherwise records a failure of DESC; status 2 if OP succeeded,
# 1 if it failed otherwise.
dir_op_fails() {
	do_out=$($2 "$3" 2>&1)
	do_rc=$?
	if [ "$do_rc" -eq 0 ]; then
		nok "$1"
		diag "$2 $3 succeeded; want $4"
		return 2
	fi
	err_is "$do_out" "$4" && return 0
	nok "$1"
	diag "$2 $3 failed, but not with $4:" "$do_out"
	return 1
}

# mkdir_err DESC DIR ERRNO: mkdir DIR fails with ERRNO and leaves no DIR
# behind (for EEXIST: DIR is still the directory it was).
mkdir_err() {
	dir_op_fails "$1" mkdir "$2" "$3"
	case $? in
	0) ;;
	2)
		rmdir "$2" 2>/dev/null
		return 1
		;;
	*) return 1 ;;
	esac
	if [ "$3" = EEXIST ]; then
		ok "$1"
	else
		check "$1" test ! -e "$2"
	fi
}

# rmdir_err DESC DIR ERRNO: rmdir DIR fails with ERRNO and DIR is still there.
rmdir_err() {
	dir_op_fails "$1" rmdir "$2" "$3" || return 1
	check "$1" test -d "$2"
}

# write_err_each FILE ERRNO VALUES: write_err for each line of VALUES (echo
# -e notation), one test each, named after FILE's tree and path.
write_err_each() {
	wee_file=$1 wee_errno=$2
	wee_kind=${wee_file#"$CFG/"}
	wee_kind=${wee_kind#"$SYS/"}
	case $wee_file in
	"$CFG"/*) wee_side=configfs ;;
	*) wee_side=sysfs ;;
	esac
	# A here-document keeps the loop in this shell (the counters live here).
	while IFS= read -r wee_v; do
		wee_show=$wee_v
		[ ${#wee_show} -gt 24 ] && wee_show="<${#wee_v} chars>"
		write_err "$wee_side $wee_kind '$wee_show' -> $wee_errno, old value kept" \
			"$wee_file" "$wee_v" "$wee_errno"
	done <<EOF
$3
EOF
}

# ----------------------------------------------------------- modules ----

is_loaded() {
	while read -r il_m _; do
		[ "$il_m" = "$1" ] && return 0
	done </proc/modules
	return 1
}

not_loaded() {
	! is_loaded "$1"
}

# mp ARGS...: modprobe ARGS, output in MP_OUT, status in MP_RC.
mp() {
	MP_OUT=$(modprobe "$@" 2>&1)
	MP_RC=$?
}

# rm_instances: rmdir every configfs instance, then every FIFO but default
# (a FIFO cannot go while an instance names it, and the core cannot be
# unloaded while one is there).  The module-parameter instances are moved
# back to default first.
rm_instances() {
	for ri_d in "$CFG"/producers/* "$CFG"/consumers/*; do
		[ -d "$ri_d" ] && rmdir "$ri_d"
	done
	for ri_f in "$SYS"/producers/default/fifo "$SYS"/consumers/default/fifo; do
		[ -e "$ri_f" ] && { echo default >"$ri_f"; } 2>/dev/null
	done
	for ri_d in "$CFG"/fifos/*; do
		[ -d "$ri_d" ] && [ "${ri_d##*/}" != default ] && rmdir "$ri_d"
	done
	return 0
}

# unload_all: unload the three modules, retrying briefly.
unload_all() {
	for ua_m in $MODS; do
		ua_n=0
		while is_loaded "$ua_m"; do
			rmmod "$ua_m" 2>/dev/null && break
			ua_n=$((ua_n + 1))
			[ "$ua_n" -ge 30 ] && break
			sleep 0.1
		done
	done
}

t_cleanup() {
	if [ -n "$T_MODPROBE_CONF" ]; then
		rm -f "$T_MODPROBE_CONF"
		T_MODPROBE_CONF=""
	fi
	hogs_stop
	rm_instances
	unload_all
}

# is_clean: no module loaded, neither tree present.
is_clean() {
	for ic_m in $MODS; do
		is_loaded "$ic_m" && return 1
	done
	[ ! -e "$SYS" ] && [ ! -e "$CFG" ]
}

# load_core [PARAMS...]: modprobe pcfifo or bail out.
# shellcheck disable=SC2119,SC2120
load_core() {
	mp pcfifo ${1+"$@"}
	[ "$MP_RC" -eq 0 ] || bail "modprobe pcfifo $*" "$MP_OUT"
	[ -d "$CFG" ] || bail "modprobe pcfifo $*: $CFG exists"
}

# mkdir_or_bail DIR: mkdir DIR or bail out.
mkdir_or_bail() {
	mb_out=$(mkdir "$1" 2>&1) || bail "mkdir $1" "$mb_out"
}

# set_or_bail FILE VALUE: write VALUE or bail out.
set_or_bail() {
	wr "$1" "$2"
	[ "$W_RC" -eq 0 ] || bail "set $1 to $2" "$W_ERR"
}

# mkinst KIND NAME [RATE [ITEM]]: mkdir a configfs instance (KIND is
# producers or consumers), set RATE and ITEM; bail out on failure.
mkinst() {
	mkdir_or_bail "$CFG/$1/$2"
	[ $# -ge 3 ] && set_or_bail "$CFG/$1/$2/rate" "$3"
	[ $# -ge 4 ] && set_or_bail "$CFG/$1/$2/item" "$4"
	return 0
}

# mkinst_on FIFO KIND NAME RATE [ITEM]: mkinst on FIFO.  A new instance
# starts on default at rate 1 (it may put or take one item there at once);
# it is paused, moved to FIFO, then set to RATE.  Bails out on failure.
mkinst_on() {
	mo_fifo=$1
	shift
	mkinst "$1" "$2" 0 ${4+"$4"}
	set_or_bail "$CFG/$1/$2/fifo" "$mo_fifo"
	set_or_bail "$CFG/$1/$2/rate" "$3"
}

# mkfifo_cfs NAME [CAPACITY]: mkdir the FIFO fifos/NAME in configfs and set
# its CAPACITY; bail out on failure.
mkfifo_cfs() {
	mkdir_or_bail "$CFG/fifos/$1"
	[ $# -ge 2 ] && set_or_bail "$CFG/fifos/$1/capacity" "$2"
	return 0
}

# setv FILE VALUE: write VALUE or record a failure.
setv() {
	wr "$1" "$2"
	[ "$W_RC" -eq 0 ] && return 0
	nok "write '$2' to $1"
	diag "$W_ERR"
	return 1
}

# -------------------------------------------------------------- time ----

# now_cs: uptime in centiseconds into NOW (no fork).
now_cs() {
	read -r nc_up _ <"/proc/uptime"
	NOW=${nc_up%.*}${nc_up#*.}
	NOW=${NOW#"${NOW%%[!0]*}"}
	NOW=${NOW:-0}
}

# snap FILE: read the number in FILE and the time; S_V value, S_T time in
# centiseconds (midpoint of the two clock reads around the read).
snap() {
	now_cs
	sn_t0=$NOW
	S_V=x
	read -r S_V <"$1"
	now_cs
	S_T=$(((sn_t0 + NOW) / 2))
}

# wait_until SECONDS CMD [ARG...]: poll CMD every 20 ms until it succeeds
# (status 0) or SECONDS pass (status 1).
wait_until() {
	now_cs
	wu_end=$((NOW + $1 * 100))
	shift
	while :; do
		"$@" && return 0
		now_cs
		[ "$NOW" -ge "$wu_end" ] && return 1
		sleep 0.02
	done
}

# wait_cs CENTISECONDS CMD [ARG...]: like wait_until, in 1/100 s; the time
# it stopped polling is left in NOW.
wait_cs() {
	now_cs
	wc_end=$((NOW + $1))
	shift
	while :; do
		if "$@"; then
			now_cs
			return 0
		fi
		now_cs
		[ "$NOW" -ge "$wc_end" ] && return 1
		sleep 0.01
	done
}

# cpu_busy SECONDS: share of CPU time (all CPUs) spent not idle over
# SECONDS, in percent, into BUSY.  From the first line of /proc/stat.
cpu_busy() {
	read -r _ cb_u cb_n cb_s cb_i cb_w cb_q cb_sq cb_st _ </proc/stat
	cb_b0=$((cb_u + cb_n + cb_s + cb_q + cb_sq + cb_st))
	cb_t0=$((cb_b0 + cb_i + cb_w))
	sleep "$1"
	read -r _ cb_u cb_n cb_s cb_i cb_w cb_q cb_sq cb_st _ </proc/stat
	cb_b1=$((cb_u + cb_n + cb_s + cb_q + cb_sq + cb_st))
	cb_t1=$((cb_b1 + cb_i + cb_w))
	BUSY=$(((cb_b1 - cb_b0) * 100 / (cb_t1 - cb_t0 + 1)))
}

# time_cs CMD [ARG...]: run CMD; T_CS elapsed centiseconds, T_RC status,
# T_OUT its output.
time_cs() {
	now_cs
	tc_t0=$NOW
	T_OUT=$("$@" 2>&1)
	T_RC=$?
	now_cs
	T_CS=$((NOW - tc_t0))
}

# fmt100 X: print X/100 with two decimals.
fmt100() {
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# rate_near DESC ITEMS CS WANT PCT: ITEMS in CS centiseconds is WANT items
# per second within PCT percent.
rate_near() {
	rn_got=$(($2 * 10000 / $3))
	rn_diff=$(($2 * 10000 - $4 * $3 * 100))
	[ "$rn_diff" -lt 0 ] && rn_diff=$((-rn_diff))
	rn_msg="$1 (measured $(fmt100 "$rn_got")/s over $(fmt100 "$3") s, want $4/s +-$5%)"
	if [ "$rn_diff" -le $(($4 * $3 * $5)) ]; then
		ok "$rn_msg"
	else
		nok "$rn_msg"
		diag "$2 items in $(fmt100 "$3") s"
		return 1
	fi
}

# measure_rate DESC FILE SECONDS WANT PCT [CMD [ARG...]]: count the growth
# of the counter in FILE over SECONDS and check it against WANT/s +-PCT%.
# CMD, if given, runs right after the window opens (the change whose
# effect is measured); the SECONDS are slept after it.
measure_rate() {
	snap "$2"
	mr_v0=$S_V
	mr_t0=$S_T
	mr_desc=$1 mr_file=$2 mr_secs=$3 mr_want=$4 mr_pct=$5
	shift 5
	[ $# -gt 0 ] && "$@"
	sleep "$mr_secs"
	snap "$mr_file"
	rate_near "$mr_desc" $((S_V - mr_v0)) $((S_T - mr_t0)) "$mr_want" "$mr_pct"
}

# fifo_conserved DESC DIR: the FIFO whose sysfs directory is DIR conserves:
# enqueued = dequeued + count and count <= capacity (call at quiet moments).
fifo_conserved() {
	rd "$2/enqueued"
	cv_e=$R
	rd "$2/dequeued"
	cv_d=$R
	rd "$2/count"
	cv_c=$R
	rd "$2/capacity"
	cv_cap=$R
	cv_ok=0
	case "$cv_e$cv_d$cv_c$cv_cap" in
	*[!0-9]*) ;;
	*) [ "$cv_e" = $((cv_d + cv_c)) ] && [ "$cv_c" -le "$cv_cap" ] && cv_ok=1 ;;
	esac
	check "$1: enqueued = dequeued + count ($cv_e = $cv_d + $cv_c), count <= capacity ($cv_cap)" \
		test "$cv_ok" -eq 1
}

# conserved DESC: fifo_conserved for the FIFO default.
conserved() {
	fifo_conserved "$1" "$FIFO"
}

# fifo_order DESC CONS FDIR BASE K OLD NEW PROD: FIFO order as the
# consumer with sysfs directory CONS sees it, taking from the FIFO with
# sysfs directory FDIR that holds K items OLD (its capacity) while its
# producer, sysfs directory PROD, now puts NEW. BASE is the consumer's
# consumed count before it took the first of them. Follows the consumer
# (until item K+2, at most 12 s; give it a rate of 1: each item must be
# seen): items 1..K are OLD, then NEW; items K and K+1 are both observed;
# the FIFO's count never exceeds its capacity. A guest stalled for a
# second (a loaded host) can have the consumer take items K and K+1 in
# one late run, or the sampler sleep through item K; then the situation
# is made once more (fo_again) and observed again.
fifo_order() {
	fo_observe "$2" "$3" "$4" "$5" "$6" "$7"
	if [ "$fo_seen" != " $5 $(($5 + 1))" ]; then
		diag "$1: items $5 and $(($5 + 1)) not both observed (seen:$fo_pairs); once more"
		fo_again "$2" "$3" "$5" "$6" "$7" "$8" &&
			fo_observe "$2" "$3" "$fo_base" "$5" "$6" "$7"
	fi
	is "$1: items 1-$5 are $6, then $7 (consumed:last_item)" "$fo_pairs" "$fo_want"
	is "$1: items $5 and $(($5 + 1)) were both observed" "$fo_seen" " $5 $(($5 + 1))"
	check "$1: count never exceeded the capacity $fo_cap (max $fo_maxc)" \
		test "$fo_maxc" -le "$fo_cap"
}

# fo_observe CONS FDIR BASE K OLD NEW: fifo_order's observation; sets
# fo_pairs, fo_want, fo_seen, fo_cap and fo_maxc.
fo_observe() {
	rd "$2/capacity"
	fo_cap=$R
	fo_pairs="" fo_want="" fo_last=0 fo_seen="" fo_maxc=0
	now_cs
	fo_end=$((NOW + 1200))
	while [ "$fo_last" -lt $(($4 + 2)) ]; do
		rd "$1/consumed"
		fo_n1=$((R - $3))
		read -r fo_li <"$1/last_item"
		rd "$1/consumed"
		fo_n2=$((R - $3))
		rd "$2/count"
		[ "$R" -gt "$fo_maxc" ] && fo_maxc=$R
		if [ "$fo_n1" = "$fo_n2" ] && [ "$fo_n1" -gt "$fo_last" ]; then
			fo_last=$fo_n1
			fo_pairs="$fo_pairs $fo_n1:$fo_li"
			if [ "$fo_n1" -le "$4" ]; then
				fo_want="$fo_want $fo_n1:$5"
			else
				fo_want="$fo_want $fo_n1:$6"
			fi
			if [ "$fo_n1" -eq "$4" ] || [ "$fo_n1" -eq $(($4 + 1)) ]; then
				fo_seen="$fo_seen $fo_n1"
			fi
		fi
		now_cs
		[ "$NOW" -ge "$fo_end" ] && break
		sleep 0.02
	done
}

# fo_again CONS FDIR K OLD NEW PROD: the situation fifo_order observes,
# made again: the producer puts OLD, the consumer drains what NEW there was
# at full rate, then pauses until the FIFO is full (K items OLD); the
# producer puts NEW and the consumer goes on at 1/s. Sets fo_base for the
# consumed count before the first of the K (fo_observe's BASE).
fo_again() {
	setv "$6/item" "$4" && setv "$1/rate" 1000000 || return 1
	sleep 0.2
	setv "$1/rate" 0 || return 1
	wait_until 2 val_is "$2/count" "$3" || { diag "$2 did not fill up again"; return 1; }
	setv "$6/item" "$5" || return 1
	rd "$1/consumed"
	fo_base=$R
	setv "$1/rate" 1
}

# -------------------------------------------------------------- load ----

T_HOGS=""

# hogs_start N: start N busy loops that compete for the guest's CPUs;
# hogs_stop ends them (t_cleanup does too).
hogs_start() {
	hs_i=0
	while [ "$hs_i" -lt "$1" ]; do
		while :; do :; done &
		T_HOGS="$T_HOGS $!"
		hs_i=$((hs_i + 1))
	done
}

hogs_stop() {
	# shellcheck disable=SC2086 # a list of process ids
	[ -n "$T_HOGS" ] && kill $T_HOGS 2>/dev/null
	T_HOGS=""
}

# tap_summary WHAT T0: the plan line and the counts line the runners
# parse; status 0 when nothing failed. T0 is the start, in now_cs units.
tap_summary() {
	read -r T_N T_PASS T_FAIL T_SKIP <"$PCFIFO_TAP_STATE"
	now_cs
	diag "$1 took $(((NOW - $2) / 100)) s on $(uname -r)"
	echo "1..$T_N"
	if [ "$T_SKIP" -gt 0 ]; then
		echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	else
		echo "$T_PASS passed, $T_FAIL failed"
	fi
	[ "$T_FAIL" -eq 0 ]
}

# ------------------------------------------------------------- dmesg ----

T_MARKS=0

# kmsg TEXT: write a marker line into the kernel log.
kmsg() {
	echo "pcfifo-suite: $*" >/dev/kmsg 2>/dev/null
}

# mark: put a fresh marker into the kernel log; its text in T_MARK.
mark() {
	T_MARKS=$((T_MARKS + 1))
	T_MARK="mark $T_FILE.$$.$T_MARKS"
	kmsg "$T_MARK"
}

# dmesg_after TEXT: kernel log lines after the last line containing TEXT.
dmesg_after() {
	dmesg | awk -v m="pcfifo-suite: $1" '
		{ l[NR] = $0 }
		index($0, m) { s = NR }
		END { for (i = s + 1; i <= NR; i++) print l[i] }'
}

# Kernel log lines that must never appear.
BAD_KLOG='WARNING:|BUG:|kernel BUG|Oops|Call Trace|hung task|blocked for more than|general protection fault|Kernel panic|UBSAN|KASAN|refcount_t|list_add corruption|list_del corruption|sleeping function called from invalid context|possible circular locking|INFO: task'

# --------------------------------------------------------- lifecycle ----

t_exit() {
	t_exit_rc=$?
	t_cleanup
	rm -rf "$T_TMP"
	if [ "$T_STANDALONE" -eq 1 ]; then
		echo "1..$T_N"
		if [ "$T_SKIP" -gt 0 ]; then
			echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
		else
			echo "$T_PASS passed, $T_FAIL failed"
		fi
		rm -f "$PCFIFO_TAP_STATE"
	fi
	[ "$T_FILE_FAIL" -gt 0 ] && exit 1
	exit "$t_exit_rc"
}

# t_begin: start a test file: clean state, EXIT trap, log marker.
t_begin() {
	trap t_exit EXIT
	trap 'exit 130' INT TERM HUP
	mkdir -p "$T_TMP"
	[ -w /proc/sys/kernel/printk_devkmsg ] &&
		echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null
	kmsg "begin $T_FILE"
	if ! is_clean; then
		t_cleanup
		is_clean || bail "initial state is clean" "$(lsmod)"
	fi
}

# t_end: check the kernel log of this file, clean up, mark completion.
t_end() {
	t_cleanup
	te_bad=$(dmesg_after "begin $T_FILE" | grep -E "$BAD_KLOG")
	if [ -z "$te_bad" ]; then
		ok "kernel log clean (no warnings, oopses or hung tasks)"
	else
		nok "kernel log clean (no warnings, oopses or hung tasks)"
		diag "$te_bad"
	fi
	kmsg "end $T_FILE"
	[ -n "${PCFIFO_DONE_FILE:-}" ] && echo "$T_FILE" >>"$PCFIFO_DONE_FILE"
	return 0
}

# --------------------------------------------------------- processes ----

# The numbers of read and write in /proc/PID/syscall.
case $(uname -m) in
aarch64) NR_READ=63 NR_WRITE=64 ;;
*) NR_READ=0 NR_WRITE=1 ;;
esac

# asleep PID [NR]: process PID sleeps interruptibly (state S) in a system
# call (number NR, if given: $NR_READ, $NR_WRITE): a blocked read, write or
# poll.
asleep() {
	[ -r "/proc/$1/syscall" ] || return 1
	as_st="" as_nr=""
	read -r _ _ as_st _ 2>/dev/null <"/proc/$1/stat" || return 1
	[ "$as_st" = S ] || return 1
	read -r as_nr _ 2>/dev/null <"/proc/$1/syscall" || return 1
	case $as_nr in '' | *[!0-9]*) return 1 ;; esac
	[ $# -lt 2 ] || [ "$as_nr" = "$2" ]
}

# wait_asleep PID [NR]: wait up to 5 s until asleep PID [NR].
wait_asleep() {
	wait_until 5 asleep "$@"
}

# ended PID: process PID has exited (a zombie, or gone).
ended() {
	en_st=Z
	[ -r "/proc/$1/stat" ] && read -r _ _ en_st _ 2>/dev/null <"/proc/$1/stat"
	[ "$en_st" = Z ]
}

# reap PID [SECONDS]: wait up to SECONDS (default 10) for the background
# job PID to end, then reap it: its exit status into REAP_RC.  Status 1,
# and PID killed, if it did not end in time.
reap() {
	if wait_until "${2:-10}" ended "$1"; then
		wait "$1"
		REAP_RC=$?
		return 0
	fi
	kill -KILL "$1" 2>/dev/null
	wait "$1"
	REAP_RC=$?
	return 1
}
