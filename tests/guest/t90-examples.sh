#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t90-examples: the user-facing scripts in configfs-examples/ do what their
# comments say (pipeline.sh, set-rate.sh, watch.sh, teardown.sh,
# two-fifos.sh, demo.sh).

. "$(dirname "$0")/lib.sh"
t_begin

need "configfs-examples/ is present at $EXAMPLES" test -f "$EXAMPLES/pipeline.sh"

# builds SCRIPT: the example SCRIPT, which builds a setup, succeeds (it
# loads pcfifo itself); bail out if not.
builds() {
	bd_out=$(sh "$EXAMPLES/$1" 2>&1)
	bd_rc=$?
	diag "$bd_out"
	[ "$bd_rc" -eq 0 ] || bail "$1 succeeds" "exit $bd_rc"
	ok "$1 succeeds (loads pcfifo itself)"
}

# --- pipeline.sh ----------------------------------------------------------------
builds pipeline.sh
bytes_is "pipeline: producers/apple item apple" "$CFG/producers/apple/item" 'apple\n'
bytes_is "pipeline: producers/apple rate 6" "$SYS/producers/apple/rate" '6\n'
bytes_is "pipeline: producers/pear item pear" "$SYS/producers/pear/item" 'pear\n'
bytes_is "pipeline: producers/pear rate 4" "$CFG/producers/pear/rate" '4\n'
bytes_is "pipeline: consumers/eater rate 3" "$SYS/consumers/eater/rate" '3\n'
check "pipeline: the eater has eaten within 2 s" \
	wait_until 2 val_ge "$SYS/consumers/eater/consumed" 1

# --- watch.sh ---------------------------------------------------------------------
out=$(sh "$EXAMPLES/watch.sh" 2 2>&1)
is "watch.sh 2 exits 0" "$?" 0
diag "$out"
n=$(printf '%s\n' "$out" | grep -c 'fifo *default *count [0-9]*/32')
is "watch.sh 2 prints two fifo lines" "$n" 2
n=$(printf '%s\n' "$out" | grep -c 'producer apple .*item apple')
is "watch.sh 2 prints the apple producer twice" "$n" 2
n=$(printf '%s\n' "$out" | grep -c 'consumer eater .*last_item')
is "watch.sh 2 prints the eater consumer twice" "$n" 2
out=$(sh "$EXAMPLES/watch.sh" abc 2>&1)
check "watch.sh abc is refused" test "$?" -ne 0

# --- set-rate.sh ------------------------------------------------------------------
out=$(sh "$EXAMPLES/set-rate.sh" consumer eater 30 2>&1)
is "set-rate.sh consumer eater 30" "$?:$out" "0:consumer eater: rate 30"
bytes_is "eater's rate reads 30 in sysfs" "$SYS/consumers/eater/rate" '30\n'
out=$(sh "$EXAMPLES/set-rate.sh" producer apple 0 2>&1)
is "set-rate.sh producer apple 0" "$?:$out" "0:producer apple: rate 0"
bytes_is "apple's rate reads 0 in configfs" "$CFG/producers/apple/rate" '0\n'
out=$(sh "$EXAMPLES/set-rate.sh" producer apple abc 2>&1)
check "set-rate.sh producer apple abc fails" test "$?" -ne 0
diag "$out"
bytes_is "apple keeps rate 0" "$SYS/producers/apple/rate" '0\n'
out=$(sh "$EXAMPLES/set-rate.sh" producer nosuch 5 2>&1)
check "set-rate.sh for an unknown name fails" test "$?" -ne 0
out=$(sh "$EXAMPLES/set-rate.sh" widget apple 5 2>&1)
check "set-rate.sh with a bad KIND fails" test "$?" -ne 0

# --- teardown.sh --------------------------------------------------------------------
out=$(sh "$EXAMPLES/teardown.sh" 2>&1)
is "teardown.sh exits 0" "$?" 0
diag "$out"
check "teardown.sh removed every configfs producer" empty_dir "$CFG/producers"
check "teardown.sh removed every configfs consumer" empty_dir "$CFG/consumers"
check "no producer left in sysfs" empty_dir "$SYS/producers"
check "no consumer left in sysfs" empty_dir "$SYS/consumers"
check "teardown.sh without --unload keeps pcfifo loaded" is_loaded pcfifo
out=$(sh "$EXAMPLES/teardown.sh" --unload 2>&1)
is "teardown.sh --unload exits 0" "$?" 0
check "teardown.sh --unload unloaded all three modules" is_clean

# set-rate.sh on the sysfs-only module-parameter instance.
mp pcfifo_producer rate=2
out=$(sh "$EXAMPLES/set-rate.sh" producer default 9 2>&1)
is "set-rate.sh producer default 9 (sysfs-only instance)" \
	"$?:$out" "0:producer default: rate 9"
out=$(sh "$EXAMPLES/teardown.sh" --unload 2>&1)
is "teardown.sh --unload removes the parameter instance too" "$?" 0
check "... and leaves nothing loaded" is_clean

# --- two-fifos.sh -------------------------------------------------------------------
builds two-fifos.sh
bytes_is "two-fifos: fifos/orchard capacity 8" "$SYS/fifos/orchard/capacity" '8\n'
bytes_is "two-fifos: fifos/garden capacity 32" "$CFG/fifos/garden/capacity" '32\n'
for i in "producers cherry orchard 6" "consumers bird orchard 3" \
	"producers carrot garden 10" "consumers rabbit garden 12"; do
	# shellcheck disable=SC2086 # four words
	set -- $i
	bytes_is "two-fifos: $1/$2 is on $3" "$SYS/$1/$2/fifo" "$3\\n"
	bytes_is "two-fifos: $1/$2 rate $4" "$CFG/$1/$2/rate" "$4\\n"
done
check "two-fifos: the orchard fills up (cherry 6/s, bird 3/s)" \
	wait_until 6 val_is "$SYS/fifos/orchard/count" 8
rd "$SYS/fifos/garden/count"
check "two-fifos: the garden stays nearly empty (carrot 10/s, rabbit 12/s; count $R <= 8, a quarter of its 32)" \
	test "$R" -le 8
bytes_is "two-fifos: bird eats cherries" "$SYS/consumers/bird/last_item" 'cherry\n'
bytes_is "two-fifos: rabbit eats carrots" "$SYS/consumers/rabbit/last_item" 'carrot\n'
out=$(sh "$EXAMPLES/watch.sh" 1 2>&1)
diag "$out"
check "watch.sh shows the orchard" contains "$out" 'fifo *orchard *count [0-9]*/8'
check "watch.sh shows the garden" contains "$out" 'fifo *garden *count [0-9]*/32'
check "watch.sh shows which FIFO bird takes from" contains "$out" 'consumer bird *fifo orchard'
out=$(sh "$EXAMPLES/teardown.sh" 2>&1)
is "teardown.sh exits 0" "$?" 0
diag "$out"
names_in "$CFG/fifos"
is "teardown.sh removed the FIFOs made with mkdir" "$NAMES" "default "
check "teardown.sh removed every configfs producer" empty_dir "$CFG/producers"
check "teardown.sh removed every configfs consumer" empty_dir "$CFG/consumers"
out=$(sh "$EXAMPLES/teardown.sh" --unload 2>&1)
is "teardown.sh --unload exits 0" "$?" 0
check "... and leaves nothing loaded" is_clean

# --- demo.sh -------------------------------------------------------------------------
time_cs sh "$EXAMPLES/demo.sh" 4
is "demo.sh 4 exits 0" "$T_RC" 0
diag "$T_OUT"
# At least its 4 s of watching; the upper bound only guards against a hang
# (module loads alone take seconds on the debug lane's KASAN kernel).
check "demo.sh 4 ran its 4 s and ended ($(fmt100 "$T_CS") s, at most 60 s)" \
	test "$T_CS" -ge 300 -a "$T_CS" -le 6000
check "demo.sh showed the FIFO and both producers" \
	contains "$T_OUT" 'producer pear'
check "demo.sh changed the consumer's rate" \
	contains "$T_OUT" 'consumer eater: rate 30'
check "demo.sh left nothing behind" is_clean

t_end
