#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# badinput-sweep.sh - the debug lane's sweep of hostile values (not part of
# run-suite.sh).
#
# Writes each of about a hundred values (huge numbers, signs, spaces,
# control and binary bytes, format strings, 4096- and 8192-byte strings,
# embedded NULs) with one write(2) to every writable file: rate and item of
# a configfs producer, rate of a configfs consumer, the same through sysfs,
# and the module-parameter instances "default". The expected outcome of
# each value comes from a model of the documented rules
# (Documentation/ABI/testing, README "Values and errors"), not from a
# table:
#
#   rate  kstrtouint() base 10: one optional "+", decimal digits, one
#         optional "\n"; a NUL anywhere, no digits or anything else after
#         them: EINVAL; more than fits 64 bits (checked before the rest),
#         above UINT_MAX or above 1000000: ERANGE
#   item  one trailing "\n" stripped; then empty, more than 64 bytes or a
#         NUL byte: EINVAL; anything else is stored byte for byte
#
# and from what 6.1 does with long writes before the store sees them:
# sysfs passes the first 4096 bytes, configfs the first 4095 (the write
# returns that count; a value whose first part is accepted is not used
# here). An accepted value reads back as documented on both
# sides (configfs and sysfs); a refused one fails with the documented
# errno and the old value survives. Read-only files refuse every write
# with EACCES and keep their value.

. "$(dirname "$0")/lib.sh"
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
# each value "I RATE_SYSFS RATE_CFS ITEM_SYSFS ITEM_CFS", each "A:value"
# (rate accepted), "A:n" or "A:-" (item accepted; the value ends with a
# newline, or not), "E:ERRNO", or "X" (a configfs write
# the model does not cover: the first 4095 bytes accepted, the rest written
# again).
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
awk '
function gt(a, b,   k, x, y) {	# equal-length digit strings: a > b
	for (k = 1; k <= length(a); k++) {
		x = substr(a, k, 1); y = substr(b, k, 1)
		if (x != y) return x > y
	}
	return 0
}
function rate(n,   k, i, d, j) {
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
	if (length(d) > 7 || d + 0 > 1000000) return "E:ERANGE"
	return "A:" (d + 0)
}
function item(n,   k) {
	if (n >= 1 && b[n] == 10) n--
	if (n == 0 || n > 64) return "E:EINVAL"
	for (k = 1; k <= n; k++) if (b[k] == 0) return "E:EINVAL"
	return (b[n + 1] == 10) ? "A:n" : "A:-"
}
{
	n = NF - 1
	split("", b)
	for (k = 1; k <= n; k++) b[k] = $(k + 1) + 0
	c = (n > 4096) ? 4096 : n
	rs = rate(c); is = item(c)
	if (c < n && rs ~ /^A/) rs = "X"
	if (c < n && is ~ /^A/) is = "X"
	c = (n > 4095) ? 4095 : n
	rc = rate(c); ic = item(c)
	if (c < n && rc ~ /^A/) rc = "X"
	if (c < n && ic ~ /^A/) ic = "X"
	print $1, rs, rc, is, ic
}' "$T_TMP/bytes" >"$T_TMP/model"
is "the model covers all $NVAL values" "$(awk '$2 != "" && $5 != "" && !/X/' "$T_TMP/model" | wc -l)" "$NVAL"
diag "values accepted as a rate: $(awk '$2 ~ /^A/' "$T_TMP/model" | wc -l), as an item: $(awk '$4 ~ /^A/' "$T_TMP/model" | wc -l) of $NVAL"

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

# --- read-only files: EACCES, value kept ---------------------------------------------------
RO="$FIFO/capacity $FIFO/count $FIFO/enqueued $FIFO/dequeued
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
# FILE KIND SIDE PARTNER (the same value on the other side, or -)
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
	if printf '%s\n' "$FILES" | cut -d' ' -f1 | grep -qxF "$f"; then
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

# sweep FILE KIND SIDE PARTNER: every value; one test each.
sweep() {
	sw_f=$1 sw_kind=$2 sw_side=$3 sw_other=$4
	sw_name=${sw_f#/sys/kernel/}
	if [ "$sw_kind" = rate ]; then sw_old=43; else sw_old=keep; fi
	while read -r sw_i sw_rs sw_rc sw_is sw_ic; do
		case $sw_kind.$sw_side in
		rate.sysfs) sw_want=$sw_rs ;;
		rate.cfs) sw_want=$sw_rc ;;
		item.sysfs) sw_want=$sw_is ;;
		*) sw_want=$sw_ic ;;
		esac
		IFS= read -r sw_esc <"$V/$sw_i.esc"
		sw_show=$sw_esc
		[ ${#sw_show} -gt 24 ] && sw_show="<value $sw_i, ${#sw_esc} chars>"
		sw_desc="$sw_name '$sw_show'"
		# The baseline, distinct from every value's outcome.
		wr "$sw_f" "$sw_old"
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
			# The read-back: the rate in decimal, or the item's bytes
			# (one trailing newline stripped), then a newline.
			if [ "$sw_kind" = rate ]; then
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
	wr "$sw_f" "$sw_old"
}

WRITES=0
while read -r f kind side other; do
	sweep "$f" "$kind" "$side" "$other"
done <<EOF
$FILES
EOF
writes=$((writes + WRITES))

# --- the pipeline still works, and its books balance ------------------------------------------
for f in "$SYS"/producers/*/rate; do wr "$f" 2000; done
for f in "$SYS"/consumers/*/rate; do wr "$f" 1000000; done
sleep 1
check "items flow after the sweep" val_ge "$SYS/consumers/c/consumed" 1
check "every instance goes quiet at rate 0" quiesce
conserved "after the sweep"
rd "$SYS/producers/p/produced"
pp=$R
rd "$SYS/producers/default/produced"
pd=$R
rd "$SYS/consumers/c/consumed"
cc=$R
rd "$SYS/consumers/default/consumed"
cd=$R
rd "$FIFO/enqueued"
is "enqueued = sum of produced" "$R" $((pp + pd))
rd "$FIFO/dequeued"
is "dequeued = sum of consumed" "$R" $((cc + cd))
dbg_ops badinput "$writes"

dbg_end
