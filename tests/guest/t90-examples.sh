#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t90-examples: the user-facing scripts in configfs-examples/ do what their
# comments say (pipeline.sh, set-rate.sh, watch.sh, teardown.sh, demo.sh).

. "$(dirname "$0")/lib.sh"
t_begin

need "configfs-examples/ is present at $EXAMPLES" test -f "$EXAMPLES/pipeline.sh"

# --- pipeline.sh ----------------------------------------------------------------
out=$(sh "$EXAMPLES/pipeline.sh" 2>&1)
rc=$?
diag "$out"
[ "$rc" -eq 0 ] || bail "pipeline.sh succeeds" "exit $rc"
ok "pipeline.sh succeeds (loads pcfifo itself)"
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
n=$(printf '%s\n' "$out" | grep -c 'fifo *count [0-9]*/32')
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

# --- demo.sh -------------------------------------------------------------------------
time_cs sh "$EXAMPLES/demo.sh" 4
is "demo.sh 4 exits 0" "$T_RC" 0
diag "$T_OUT"
check "demo.sh 4 took about 4 s ($(fmt100 "$T_CS") s)" \
	test "$T_CS" -ge 300 -a "$T_CS" -le 1500
check "demo.sh showed the FIFO and both producers" \
	contains "$T_OUT" 'producer pear'
check "demo.sh changed the consumer's rate" \
	contains "$T_OUT" 'consumer eater: rate 30'
check "demo.sh left nothing behind" is_clean

t_end
