#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# badinput-sweep.sh - the debug lane's sweep of hostile values (not part of
# run-suite.sh).
#
# Writes each of about a hundred values (huge numbers, signs, spaces,
# control and binary bytes, format strings, 4096- and 8192-byte strings,
# embedded NULs) with one write(2) to every writable file: rate, item and
# fifo of a configfs producer, rate and fifo of a configfs consumer, the
# same through sysfs, the module-parameter instances "default", and the
# capacity of the FIFOs default and one made by mkdir, in both trees. The
# expected outcome of each value comes from a model of the documented
# rules (Documentation/ABI/testing, README "Values and errors"), not
# from a table:
#
#   rate      kstrtouint() base 10: one optional "+", decimal digits, one
#             optional "\n"; a NUL anywhere, no digits or anything else
#             after them: EINVAL; more than fits 64 bits (checked before
#             the rest), above UINT_MAX or above 1000000: ERANGE
#   capacity  the same, but 0 and above 65536: ERANGE; a value it would
#             accept fails with EBUSY while the FIFO holds items (swept
#             on an empty FIFO and on one holding items)
#   item      one trailing "\n" stripped; then empty, more than 64 bytes
#             or a NUL byte: EINVAL; anything else is stored byte for byte
#   fifo      one trailing "\n" stripped; then empty or a NUL byte:
#             EINVAL; more than 64 bytes: ENAMETOOLONG; no FIFO of that
#             name: ENOENT (FIFOs named like some of the values exist, so
#             that some are accepted: the instance moves there)
#
# and from what 6.1 does with long writes before the store sees them:
# sysfs passes the first 4096 bytes, configfs the first 4095 (the write
# returns that count; a value whose first part is accepted is not used
# here). An accepted value reads back as documented on both
# sides (configfs and sysfs); a refused one fails with the documented
# errno and the old value survives (and a FIFO holding items keeps them,
# its counters unchanged). Read-only files refuse every write with EACCES
# and keep their value.
#
# The same values go to a FIFO's device file, /dev/pcfifo/NAME, each with
# one write(2) (line framing): the model splits it into lines; the lines
# before the first bad one (empty, more than 64 bytes, a NUL) are put,
# and the write fails with EINVAL when there is a bad one (echo writes
# what was not taken again, and that starts with the bad line); what was
# put reads back as written, and nothing else changes. Reads with a buffer
# too small for the next item and bad ioctl(2) requests and values (the
# helper tests/debug/failnth.c makes them) fail with EINVAL, EFAULT or
# ENOTTY and change nothing: not the FIFO, not the file's framing.

# shellcheck source=debug-lib.sh
. "$(dirname "$0")/debug-lib.sh"
t_begin

# --- the values, in echo -e notation, one per line ------------------------------------
rep() { printf "%$1s" '' | tr ' ' "$2"; }
esc_bytes() { # esc_bytes FROM TO: the bytes FROM..TO as octal escapes
	eb_i=$1
	while [ "$eb_i" -le "$2" ]; do
		printf '\\0%03o' "$eb_i"
		eb_i=$((eb_i + 1))
	done
}
# \0 followed by a non-octal character is a NUL byte; \0NNN an octal byte.
# (Shell syntax in here is data: never expanded.)
# shellcheck disable=SC2016
VALUES='0
1
+1
++1
+-1
-+1
-1
-0
+0
+
-
1+
1-1
7
999999
1000000
1000000\n
+1000000\n
1000001
+1000001
00000000000000000000000000000000000000000001000000
00000000000000000000000000000000000000000001000001
2147483647
2147483648
4294967295
4294967296
18446744073709551615
18446744073709551616
99999999999999999999999999999999999999
99999999999999999999999999999999999999abc
4294967296abc
0x10
0X10
0b1
0o7
010
1e3
1.0
.5
1,000
1_000
1 000
 1
1 
 
\t
\t1
1\t
\n
\n\n
\n\n\n
1\n
1\n\n
\n1
1\n2
a\nb
1\r
1\r\n
\r
1\v
1\f
\0
1\0
\0x1
1\0 2
5\0garbage
x\0
\0\n
\001
\177
\200
\377
5\377
\377\376\375
\033[31m1\033[0m
%s%s%s%n
%d%x%p
$(reboot -f)
`id`
1;2
1|2
1&2
1\047
"1"
abc
NaN
inf
-inf
true
null
(null)
\\
\\n
\0331\0241
\0357\0274\0221'
L64=$(rep 64 9)
A64=$(rep 64 a)
VALUES="$VALUES
$L64
$A64\\n
${A64}a
${A64}\\n\\n
$(esc_bytes 1 64)
$(esc_bytes 128 191)
$(esc_bytes 192 255)
$(rep 4000 ' ')1
1$(rep 4000 ' ')
$(rep 4095 9)
$(rep 4096 9)
$(rep 4096 L)
$(rep 4096 x | sed 's/x/\\0377/g')
$(rep 8192 x)
$(rep 8192 9)"

# --- the model -----------------------------------------------------------------------
# Each value into its own file, then one awk over all their bytes: for
# each value "I RATE_SYSFS RATE_CFS ITEM_SYSFS ITEM_CFS CAP_SYSFS CAP_CFS
# FIFO_SYSFS FIFO_CFS", each "A:value" (rate, capacity accepted), "A:n" or
# "A:-" (item, fifo accepted; the value ends with a newline, or not),
# "E:ERRNO", or "X" (a configfs write the model does not cover: the first
# 4095 bytes accepted, the rest written again).
#
# The FIFOs besides default: "base", where the instances are while the
# fifo files are swept, and FIFOs named like values of the list.
BASE=base
FIFO_NAMES="1
%s%s%s%n
$(printf '\377\376\375')
$(rep 64 a)"
V=$T_TMP/v
mkdir -p "$V"
n=0
while IFS= read -r v; do
	n=$((n + 1))
	# shellcheck disable=SC3037
	echo -ne "$v" >"$V/$n"
	printf '%s\n' "$v" >"$V/$n.esc"
done <<EOF
$VALUES
EOF
NVAL=$n
i=1
while [ "$i" -le "$NVAL" ]; do
	printf '%d %s\n' "$i" "$(od -An -v -tu1 <"$V/$i" | tr -s ' \n' '  ')"
	i=$((i + 1))
done >"$T_TMP/bytes"
# The FIFO names' bytes, one name a line.
printf '%s\n' default "$BASE" "$FIFO_NAMES" | while IFS= read -r nm; do
	printf '%s' "$nm" | od -An -v -tu1 | tr -s ' \n' '  '
	echo
done >"$T_TMP/names"
awk '
function gt(a, b,   k, x, y) {	# equal-length digit strings: a > b
	for (k = 1; k <= length(a); k++) {
		x = substr(a, k, 1); y = substr(b, k, 1)
		if (x != y) return x > y
	}
	return 0
}
# num(n, max): kstrtouint() base 10 of the n bytes, then above max: ERANGE;
# 0: ERANGE unless max is the rate limit (a rate of 0 pauses).
function num(n, max,   k, i, d) {
	for (k = 1; k <= n; k++) if (b[k] == 0) return "E:EINVAL"
	i = 1
	if (n >= 1 && b[1] == 43) i = 2
	d = ""
	while (i <= n && b[i] >= 48 && b[i] <= 57) { d = d (b[i] - 48); i++ }
	sub(/^0+/, "", d)
	if (length(d) > 20 || (length(d) == 20 && gt(d, "18446744073709551615")))
		return "E:ERANGE"
	if (i == 1 || (i == 2 && b[1] == 43)) return "E:EINVAL"
	if (i <= n && b[i] == 10) i++
	if (i <= n) return "E:EINVAL"
	if (length(d) > 7 || d + 0 > max) return "E:ERANGE"
	if (d + 0 == 0 && max != 1000000) return "E:ERANGE"
	return "A:" (d + 0)
}
function item(n,   k) {
	if (n >= 1 && b[n] == 10) n--
	if (n == 0 || n > 64) return "E:EINVAL"
	for (k = 1; k <= n; k++) if (b[k] == 0) return "E:EINVAL"
	return (b[n + 1] == 10) ? "A:n" : "A:-"
}
# (No value of the list is both longer than 64 bytes and holds a NUL:
# which of the two a store checks first is not documented.)
function fifo(n,   k, key) {
	if (n >= 1 && b[n] == 10) n--
	if (n == 0) return "E:EINVAL"
	for (k = 1; k <= n; k++) if (b[k] == 0) return "E:EINVAL"
	if (n > 64) return "E:ENAMETOOLONG"
	key = ""
	for (k = 1; k <= n; k++) key = key " " b[k]
	if (!(key in names)) return "E:ENOENT"
	return (b[n + 1] == 10) ? "A:n" : "A:-"
}
# out(c, n, r): r, or X when it accepts the first c of n bytes.
function out(c, n, r) {
	return (c < n && r ~ /^A/) ? "X" : r
}
NR == FNR {
	key = ""
	for (k = 1; k <= NF; k++) key = key " " $k
	names[key] = 1
	next
}
{
	n = NF - 1
	split("", b)
	for (k = 1; k <= n; k++) b[k] = $(k + 1) + 0
	# what the store sees: sysfs (s) and configfs (c)
	s = (n > 4096) ? 4096 : n
	c = (n > 4095) ? 4095 : n
	print $1, out(s, n, num(s, 1000000)), out(c, n, num(c, 1000000)),
		out(s, n, item(s)), out(c, n, item(c)),
		out(s, n, num(s, 65536)), out(c, n, num(c, 65536)),
		out(s, n, fifo(s)), out(c, n, fifo(c))
}' "$T_TMP/names" "$T_TMP/bytes" >"$T_TMP/model"
is "the model covers all $NVAL values" "$(awk '$9 != "" && !/X/' "$T_TMP/model" | wc -l)" "$NVAL"
# The device file's model: "I ITEMS ERR HEX", the items put, 0 or EINVAL,
# and the bytes they read back as (- for none).
awk '{
	n = NF - 1; items = 0; err = 0; out = ""; start = 2
	while (start <= NF) {
		len = 0; bad = 0
		for (k = start; k <= NF && $k != 10; k++) {
			len++
			if ($k == 0) bad = 1
		}
		# the end of the value with no bytes after the last newline
		if (k > NF && len == 0) break
		if (len == 0 || len > 64 || bad) { err = "EINVAL"; break }
		items++
		for (j = start; j < start + len; j++) out = out sprintf("%02x", $j)
		out = out "0a"
		start = k + 1
	}
	print $1, items, err, (out == "" ? "-" : out)
}' "$T_TMP/bytes" >"$T_TMP/devmodel"
acc() { awk -v c="$1" '$c ~ /^A/' "$T_TMP/model" | wc -l; }
diag "values accepted as a rate: $(acc 2), as an item: $(acc 4), as a capacity: $(acc 6), as a fifo: $(acc 8) of $NVAL"

# --- the instances --------------------------------------------------------------------
load_core
mp pcfifo_producer item=dflt rate=0
is "modprobe pcfifo_producer item=dflt rate=0" "$MP_RC:$MP_OUT" "0:"
mp pcfifo_consumer rate=0
is "modprobe pcfifo_consumer rate=0" "$MP_RC:$MP_OUT" "0:"
need "the module-parameter instances exist" \
	test -d "$SYS/producers/default" -a -d "$SYS/consumers/default"
mkinst producers p 0
mkinst consumers c 0
mkfifo_cfs "$BASE"
B=fifos/$BASE

# --- read-only files: EACCES, value kept ---------------------------------------------------
RO="$FIFO/count $FIFO/enqueued $FIFO/dequeued
$SYS/$B/count $SYS/$B/enqueued $SYS/$B/dequeued
$SYS/producers/p/produced $SYS/consumers/c/consumed $SYS/consumers/c/last_item
$SYS/producers/default/produced $SYS/consumers/default/consumed
$SYS/consumers/default/last_item
$SYS/consumers/c/latency_avg_ns $SYS/consumers/c/latency_max_ns
$SYS/consumers/default/latency_avg_ns $SYS/consumers/default/latency_max_ns
/sys/module/pcfifo/parameters/capacity /sys/module/pcfifo_producer/parameters/item
/sys/module/pcfifo_producer/parameters/rate /sys/module/pcfifo_consumer/parameters/rate"
writes=0
for f in $RO; do
	slurp "$f"
	old=$SL
	bad=""
	for i in 1 16 19 49 66 77 $((NVAL - 3)) "$NVAL"; do
		IFS= read -r esc <"$V/$i.esc"
		# shellcheck disable=SC3037
		{ echo -ne "$esc" >"$f"; } 2>"$T_TMP/werr"
		# shellcheck disable=SC2320 # $? is echo's: the write(2) it made
		rc=$?
		writes=$((writes + 1))
		slurp "$T_TMP/werr"
		if [ "$rc" -eq 0 ] || ! err_is "$SL" EACCES; then
			bad="$bad value $i: exit $rc, '$SL';"
		fi
		slurp "$f"
		[ "$SL" = "$old" ] || bad="$bad value $i: now reads '$SL';"
	done
	if [ -z "$bad" ]; then
		ok "read-only ${f#/sys/}: 8 writes refused with EACCES, value kept"
	else
		nok "read-only ${f#/sys/}: 8 writes refused with EACCES, value kept"
		diag "$bad"
	fi
done

# --- writable files ---------------------------------------------------------------------------
# FILE KIND SIDE PARTNER (the same value on the other side, or -), in
# three groups swept in turn: capacity (while every FIFO is empty), rate
# and item, fifo (the instances' FIFO moves only there).
CAP_FILES="$CFG/$B/capacity capacity cfs $SYS/$B/capacity
$SYS/$B/capacity capacity sysfs $CFG/$B/capacity
$CFG/fifos/default/capacity capacity cfs $FIFO/capacity
$FIFO/capacity capacity sysfs $CFG/fifos/default/capacity"
FIFO_FILES="$CFG/producers/p/fifo fifo cfs $SYS/producers/p/fifo
$SYS/producers/p/fifo fifo sysfs $CFG/producers/p/fifo
$CFG/consumers/c/fifo fifo cfs $SYS/consumers/c/fifo
$SYS/consumers/c/fifo fifo sysfs $CFG/consumers/c/fifo
$SYS/producers/default/fifo fifo sysfs -
$SYS/consumers/default/fifo fifo sysfs -"
FILES="$CFG/producers/p/rate rate cfs $SYS/producers/p/rate
$SYS/producers/p/rate rate sysfs $CFG/producers/p/rate
$CFG/consumers/c/rate rate cfs $SYS/consumers/c/rate
$SYS/consumers/c/rate rate sysfs $CFG/consumers/c/rate
$SYS/producers/default/rate rate sysfs -
$SYS/consumers/default/rate rate sysfs -
$CFG/producers/p/item item cfs $SYS/producers/p/item
$SYS/producers/p/item item sysfs $CFG/producers/p/item
$SYS/producers/default/item item sysfs -"

# --- the lists above are every file there is -------------------------------------------------
# Every file of the three trees (configfs, sysfs, the modules' parameters)
# with these instances must be in FILES (and have a write bit) or in RO
# (and have none): a new attribute must join the sweep.
cov_bad='' cov_w=0 cov_r=0
for f in $(find "$CFG" "$SYS" /sys/module/pcfifo*/parameters -type f | sort); do
	mode=$(stat -c %a "$f")
	case $mode in *[2367]*) w=1 ;; *) w=0 ;; esac
	if printf '%s\n' "$CAP_FILES" "$FILES" "$FIFO_FILES" | cut -d' ' -f1 | grep -qxF "$f"; then
		[ "$w" = 1 ] || cov_bad="$cov_bad $f (swept as writable, mode $mode);"
		cov_w=$((cov_w + 1))
	elif printf '%s\n' "$RO" | tr ' ' '\n' | grep -qxF "$f"; then
		[ "$w" = 0 ] || cov_bad="$cov_bad $f (probed as read-only, mode $mode);"
		cov_r=$((cov_r + 1))
	else
		cov_bad="$cov_bad $f (mode $mode) is in neither list;"
	fi
done
if [ -z "$cov_bad" ]; then
	ok "the sweep covers every file: $cov_w writable, $cov_r read-only"
else
	nok "the sweep covers every file: $cov_w writable, $cov_r read-only"
	diag "$cov_bad"
fi

# sweep FILE KIND SIDE PARTNER: every value; one test each. KIND busy is
# the capacity of a FIFO holding items: whatever capacity would accept
# fails with EBUSY, and nothing can be written first.
sweep() {
	sw_f=$1 sw_kind=$2 sw_side=$3 sw_other=$4
	sw_name=${sw_f#/sys/kernel/}
	case $sw_kind in
	rate | capacity) sw_old=43 ;;
	busy) rd "$sw_f"; sw_old=$R ;;
	fifo) sw_old=$BASE ;;
	*) sw_old=keep ;;
	esac
	while read -r sw_i sw_rs sw_rc sw_is sw_ic sw_cs sw_cc sw_fs sw_fc; do
		case $sw_kind.$sw_side in
		rate.sysfs) sw_want=$sw_rs ;;
		rate.cfs) sw_want=$sw_rc ;;
		item.sysfs) sw_want=$sw_is ;;
		item.cfs) sw_want=$sw_ic ;;
		capacity.sysfs | busy.sysfs) sw_want=$sw_cs ;;
		capacity.cfs | busy.cfs) sw_want=$sw_cc ;;
		fifo.sysfs) sw_want=$sw_fs ;;
		*) sw_want=$sw_fc ;;
		esac
		case $sw_kind.$sw_want in busy.A*) sw_want=E:EBUSY ;; esac
		IFS= read -r sw_esc <"$V/$sw_i.esc"
		sw_show=$sw_esc
		[ ${#sw_show} -gt 24 ] && sw_show="<value $sw_i, ${#sw_esc} chars>"
		sw_desc="$sw_name '$sw_show'"
		# The baseline, distinct from every value's outcome.
		W_RC=0
		[ "$sw_kind" = busy ] || wr "$sw_f" "$sw_old"
		if [ "$W_RC" -ne 0 ]; then
			nok "$sw_desc: set the old value $sw_old first"
			diag "$W_ERR"
			continue
		fi
		wre "$sw_f" "$sw_esc"
		WRITES=$((WRITES + 1))
		slurp "$sw_f"
		sw_now=$SL
		case $sw_want in
		A*)
			# The read-back: the number in decimal, or the item's
			# (FIFO name's) bytes (one trailing newline stripped),
			# then a newline.
			if [ "$sw_kind" = rate ] || [ "$sw_kind" = capacity ]; then
				sw_exp="${sw_want#A:}
"
			else
				if [ "$sw_want" = A:n ]; then
					slurp "$V/$sw_i"
				else
					# shellcheck disable=SC3037
					echo -ne "$sw_esc\\n" >"$T_TMP/exp"
					slurp "$T_TMP/exp"
				fi
				sw_exp=$SL
			fi
			if [ "$W_RC" -ne 0 ]; then
				nok "$sw_desc: accepted"
				diag "refused: $W_ERR"
			elif [ "$sw_now" != "$sw_exp" ]; then
				nok "$sw_desc: accepted, reads back as documented"
				diag "reads: $(hex_file "$sw_f")" "want:  $(printf '%s' "$sw_exp" | od -An -v -tx1 | tr -d ' \n')"
			elif [ "$sw_other" != - ] && { slurp "$sw_other"; [ "$SL" != "$sw_exp" ]; }; then
				nok "$sw_desc: accepted, and ${sw_other#/sys/kernel/} reads the same"
				diag "reads: $(hex_file "$sw_other")"
			else
				ok "$sw_desc: accepted, reads back as documented on both sides"
			fi
			;;
		E:*)
			sw_err=${sw_want#E:}
			if [ "$W_RC" -eq 0 ]; then
				nok "$sw_desc: refused with $sw_err"
				diag "accepted; now reads: $(hex_file "$sw_f")"
			elif ! err_in "$W_ERR" "$sw_err"; then
				nok "$sw_desc: refused with $sw_err"
				diag "refused, but: $W_ERR"
			elif [ "$sw_now" != "$sw_old
" ]; then
				nok "$sw_desc: refused with $sw_err, old value kept"
				diag "now reads: $(hex_file "$sw_f")"
			else
				ok "$sw_desc: refused with $sw_err, old value kept"
			fi
			;;
		*)
			nok "$sw_desc: the model has an outcome ($sw_want)"
			;;
		esac
	done <"$T_TMP/model"
	[ "$sw_kind" = busy ] || wr "$sw_f" "$sw_old"
}

# sweep_all LIST: sweep each file of LIST (lines "FILE KIND SIDE PARTNER").
WRITES=0
sweep_all() {
	while read -r sa_f sa_kind sa_side sa_other; do
		sweep "$sa_f" "$sa_kind" "$sa_side" "$sa_other"
	done <<EOF
$1
EOF
}

# snap_fifo NAME: its count, enqueued, dequeued and capacity into SF.
snap_fifo() {
	SF=
	for sf_f in count enqueued dequeued capacity; do
		rd "$SYS/fifos/$1/$sf_f"
		SF="$SF $R"
	done
}

# Capacity: every FIFO empty (the configfs instances started at rate 1
# before their rate was set to 0), nothing running.
drain default
sweep_all "$CAP_FILES"
# A FIFO holding items: whatever it would accept is EBUSY, and the items
# stay. (Made after the coverage check, as the other FIFOs below.)
mkfifo_cfs held
mkinst_on held producers h 1000
wait_until 5 val_ge "$SYS/fifos/held/count" 3
setv "$CFG/producers/h/rate" 0
check "every instance goes quiet at rate 0" quiesce
snap_fifo held
held0=$SF
check "fifos/held holds items (count enqueued dequeued capacity:$held0)" \
	val_ge "$SYS/fifos/held/count" 1
sweep_all "$CFG/fifos/held/capacity busy cfs $SYS/fifos/held/capacity
$SYS/fifos/held/capacity busy sysfs $CFG/fifos/held/capacity"
snap_fifo held
is "fifos/held: the refused capacity writes changed nothing (count enqueued dequeued capacity)" \
	"$SF" "$held0"

sweep_all "$FILES"

# fifo: the FIFOs named like values, then every instance from "base" to
# wherever a value takes it.
printf '%s\n' "$FIFO_NAMES" | while IFS= read -r nm; do
	mkdir "$CFG/fifos/$nm" || echo "$nm" >>"$T_TMP/mkdir-failed"
done
check "the FIFOs named like values are made" test ! -e "$T_TMP/mkdir-failed"
sweep_all "$FIFO_FILES"
writes=$((writes + WRITES))

# --- the device file ------------------------------------------------------------------------------
# fifos/devsweep: no instance ever names it (no value is its name).
DS=devsweep
mkfifo_cfs "$DS"
DSD=$DEV/$DS
need "$DSD is a character device" test -c "$DSD"
# ds_snap: count enqueued dequeued of devsweep into SF.
ds_snap() {
	snap_fifo "$DS"
	DS_SNAP=$SF
}
WRITES=0 dev_bad=0 dev_put=0
while read -r dv_i dv_items dv_err dv_hex; do
	IFS= read -r dv_esc <"$V/$dv_i.esc"
	dv_show=$dv_esc
	[ ${#dv_show} -gt 24 ] && dv_show="<value $dv_i, ${#dv_esc} chars>"
	rd "$SYS/fifos/$DS/enqueued"
	dv_enq=$R
	rd "$SYS/fifos/$DS/dequeued"
	dv_deq=$R
	wre "$DSD" "$dv_esc"
	WRITES=$((WRITES + 1))
	dv_why=
	if [ "$dv_err" = 0 ] && [ "$W_RC" -ne 0 ]; then
		dv_why="refused: $W_ERR"
	elif [ "$dv_err" != 0 ] && { [ "$W_RC" -eq 0 ] || ! err_in "$W_ERR" "$dv_err"; }; then
		dv_why="want $dv_err; exit $W_RC: $W_ERR"
	elif ! val_is "$SYS/fifos/$DS/count" "$dv_items"; then
		dv_why="count is $R, not $dv_items"
	elif ! val_is "$SYS/fifos/$DS/enqueued" $((dv_enq + dv_items)); then
		dv_why="enqueued is $R, not $((dv_enq + dv_items))"
	elif ! val_is "$SYS/fifos/$DS/dequeued" "$dv_deq"; then
		dv_why="dequeued is $R, not $dv_deq"
	elif [ "$dv_items" -gt 0 ]; then
		timeout 10 dd if="$DSD" bs=8192 count=1 status=none >"$T_TMP/dv.out" 2>&1
		dv_got=$(hex_file "$T_TMP/dv.out")
		[ "$dv_got" = "$dv_hex" ] || dv_why="read back $dv_got, not $dv_hex"
		dev_put=$((dev_put + dv_items))
	fi
	if [ -n "$dv_why" ]; then
		dev_bad=$((dev_bad + 1))
		nok "$DSD '$dv_show': as the model says ($dv_items items put, error $dv_err)"
		diag "$dv_why"
	fi
done <"$T_TMP/devmodel"
acc_dev=$(awk '$2 > 0' "$T_TMP/devmodel" | wc -l)
bad_dev=$(awk '$3 != 0' "$T_TMP/devmodel" | wc -l)
is "$DSD: $NVAL writes as the model says ($acc_dev put items, $bad_dev failed with EINVAL, some of them after items; $dev_put items read back as written)" \
	"$dev_bad" 0
is "$DSD: empty after the writes" "$(cat "$SYS/fifos/$DS/count")" 0

# dv_refused DESC WANT CMD...: CMD (dd) fails with WANT and changes nothing
# in devsweep.
dv_refused() {
	dr_desc=$1 dr_want=$2
	shift 2
	ds_snap
	dr_before=$DS_SNAP
	"$@" >"$T_TMP/dv.out" 2>&1
	dr_rc=$?
	slurp "$T_TMP/dv.out"
	ds_snap
	if [ "$dr_rc" -ne 0 ] && err_in "$SL" "$dr_want" && [ "$DS_SNAP" = "$dr_before" ]; then
		ok "$dr_desc: $dr_want, nothing changes"
	else
		nok "$dr_desc: $dr_want, nothing changes"
		diag "exit $dr_rc: $SL" "count enqueued dequeued capacity: $dr_before -> $DS_SNAP"
	fi
	WRITES=$((WRITES + 1))
}
wre "$DSD" "item5\\n"
is "an item in $DSD" "$W_RC:$(cat "$SYS/fifos/$DS/count")" 0:1
dv_refused "read of 1 byte" EINVAL timeout 10 dd if="$DSD" bs=1 count=1 status=none
dv_refused "read of 5 bytes (item5 and its newline are 6)" EINVAL \
	timeout 10 dd if="$DSD" bs=5 count=1 status=none
timeout 10 dd if="$DSD" bs=6 count=1 status=none >"$T_TMP/dv.out" 2>&1
is "read of 6 bytes takes the item" "$(hex_file "$T_TMP/dv.out")" "$(printf 'item5\n' | od -An -v -tx1 | tr -d ' \n')"

# ioctl: "RESULT... FRAMING" from the helper (failnth.c), on one open file
# each. PCFIFO_IOC_SET_FRAMING takes 0 (lines) and 1 (records) only; any
# other request is ENOTTY. (_IOW(0xb9, 3, int), _IO(0xb9, 1), _IOR(0xb9, 1,
# int), _IOW(0xb9, 1, long), _IOW(0xb8, 1, int), TCGETS.)
if [ -x "$FAILNTH" ]; then
	# dv_ioctl WANT ARGS...: the helper's line for ARGS is WANT, and
	# devsweep is unchanged.
	dv_ioctl() {
		di_want=$1
		shift
		ds_snap
		di_before=$DS_SNAP
		di_got=$("$FAILNTH" 0 ioctl "$DSD" "$@" 2>&1)
		ds_snap
		is "ioctl $*: results and framing, nothing changes" "$di_got:$DS_SNAP" "$di_want:$di_before"
		WRITES=$((WRITES + $# / 2))
	}
	dv_ioctl "EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EFAULT 0 0" \
		set 2 set -1 set 3 set 256 set 0x7fffffff set -2147483648 set null get 0
	dv_ioctl "0 EINVAL EINVAL EFAULT 1 EFAULT 1" set 1 set 2 set -1 set null get 0 get null
	dv_ioctl "ENOTTY ENOTTY ENOTTY ENOTTY ENOTTY ENOTTY ENOTTY ENOTTY 0" \
		0 0 0x4004b903 0 0xb901 0 0x8004b901 0 0x4008b901 0 0x4004b801 0 0x5401 0 0xffffffff 0
	dv_ioctl "0 0" get 0
else
	skip "ioctl(2) on $DSD: no helper ($FAILNTH)"
fi
fifo_conserved "fifos/$DS after the device writes" "$SYS/fifos/$DS"
rmdir "$CFG/fifos/$DS"
check "$DSD goes with its FIFO" test ! -e "$DSD"
writes=$((writes + WRITES))

# --- the pipeline still works, and its books balance ------------------------------------------
for f in "$SYS"/producers/*/rate; do wr "$f" 2000; done
for f in "$SYS"/consumers/*/rate; do wr "$f" 1000000; done
sleep 1
check "items flow after the sweep" val_ge "$SYS/consumers/c/consumed" 1
check "every instance goes quiet at rate 0" quiesce
fifos_conserved "after the sweep"
# Every item put is in a FIFO's enqueued, every item taken in its
# dequeued (the drain consumer's are in DRAINED).
# count_of FILE: FILE's number into R (0 if it is not one).
count_of() {
	rd "$1" || R=0
	case $R in '' | *[!0-9]*) R=0 ;; esac
}
prod=0
for f in "$SYS"/producers/*/produced; do count_of "$f"; prod=$((prod + R)); done
cons=$DRAINED
for f in "$SYS"/consumers/*/consumed; do count_of "$f"; cons=$((cons + R)); done
fifos_sum
is "enqueued of all FIFOs = sum of produced" "$FS_ENQ" "$prod"
is "dequeued of all FIFOs = sum of consumed (the drain's $DRAINED too)" "$FS_DEQ" "$cons"
dbg_ops badinput "$writes"

dbg_end
