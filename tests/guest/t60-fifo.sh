#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t60-fifo: the bounded FIFO with capacity=4: the bound, FIFO order,
# conservation of items, prompt rmdir of blocked instances (queued items
# stay), strict hand-off of freed slots (even under CPU load), and no
# catch-up burst after a long block or after many short ones.

. "$(dirname "$0")/lib.sh"
t_begin

load_core capacity=4
rd "$FIFO/capacity"
is "capacity=4: fifos/default/capacity reads 4" "$R" 4

# max_count N: sample the count N times, largest value into MAXC.
max_count() {
	MAXC=0
	mc_i=0
	while [ "$mc_i" -lt "$1" ]; do
		rd "$FIFO/count"
		[ "$R" -gt "$MAXC" ] && MAXC=$R
		mc_i=$((mc_i + 1))
		sleep 0.02
	done
}

# --- the bound ------------------------------------------------------------------
mkinst producers a 1000
check "a producer at 1000/s fills the FIFO to 4" wait_until 2 val_is "$FIFO/count" 4
sleep 1
rd "$SYS/producers/a/produced"
is "produced stops at capacity (4) while the FIFO is full" "$R" 4
rd "$FIFO/enqueued"
is "enqueued stops at 4" "$R" 4
max_count 25
is "count never exceeds 4 while the producer is blocked" "$MAXC" 4
mkinst producers q 1000
sleep 0.5
rd "$SYS/producers/q/produced"
is "a second producer on a full FIFO produces nothing" "$R" 0
time_cs rmdir "$CFG/producers/q"
is "rmdir of a blocked producer succeeds" "$T_RC:$T_OUT" "0:"
check "rmdir of a blocked producer returns promptly ($(fmt100 "$T_CS") s < 1 s)" \
	test "$T_CS" -lt 100
conserved "full FIFO"

# --- FIFO order -------------------------------------------------------------------
# Four "a" are queued.  Switch the producer's item to "b" and let a slow
# consumer take items one by one: it must see a, a, a, a, then b.
setv "$SYS/producers/a/item" b
mkinst consumers c 1
fifo_order "FIFO order" "$SYS/consumers/c" "$FIFO" 0 4 a b "$SYS/producers/a"
rmdir "$CFG/consumers/c"

# --- rmdir of blocked instances ----------------------------------------------------
check "the FIFO is full again" wait_until 2 val_is "$FIFO/count" 4
# Blocked producers sleep: no busy loop, even at the highest rate.
mkinst producers hot 1000000
cpu_busy 2
check "producers blocked on a full FIFO do not spin (CPU busy $BUSY% < 20%)" \
	test "$BUSY" -lt 20
rmdir "$CFG/producers/hot"
rd "$FIFO/enqueued"
enq=$R
time_cs rmdir "$CFG/producers/a"
is "rmdir of the blocked producer a succeeds" "$T_RC:$T_OUT" "0:"
check "rmdir of a blocked producer returns promptly ($(fmt100 "$T_CS") s < 1 s)" \
	test "$T_CS" -lt 100
rd "$FIFO/count"
is "its queued items stay (count 4)" "$R" 4
rd "$FIFO/enqueued"
is "enqueued is unchanged by the rmdir" "$R" "$enq"
conserved "after removing the producer"

mkinst consumers d 1000000
check "a fast consumer empties the FIFO" wait_until 2 val_is "$FIFO/count" 0
mkinst consumers hot 1000000
cpu_busy 2
check "consumers blocked on an empty FIFO do not spin (CPU busy $BUSY% < 20%)" \
	test "$BUSY" -lt 20
rmdir "$CFG/consumers/hot"
rd "$FIFO/dequeued"
deq=$R
time_cs rmdir "$CFG/consumers/d"
is "rmdir of the blocked consumer d succeeds" "$T_RC:$T_OUT" "0:"
check "rmdir of a blocked consumer returns promptly ($(fmt100 "$T_CS") s < 1 s)" \
	test "$T_CS" -lt 100
rd "$FIFO/dequeued"
is "dequeued is unchanged by the rmdir" "$R" "$deq"
conserved "after removing the consumer"

# --- strict hand-off: blocked producers take turns, even under load ------------
# A slot freed while producers wait belongs to the one that has waited
# longest, as on a semaphore: two producers blocked on a full FIFO take the
# freed slots in turn, whatever their rates, even while busy loops compete
# with them for the CPUs.  (With barging the faster one would take more.)
mkinst producers apple 8 apple
mkinst producers pear 6 pear
check "apple and pear fill the FIFO" wait_until 2 val_is "$FIFO/count" 4
mkinst consumers eater 4
hogs_start 2
sleep 1
rd "$SYS/producers/apple/produced"
a0=$R
rd "$SYS/producers/pear/produced"
p0=$R
cpu_busy 5
rd "$SYS/producers/apple/produced"
a1=$((R - a0))
rd "$SYS/producers/pear/produced"
p1=$((R - p0))
hogs_stop
check "two blocked producers share the freed slots evenly under load (CPU busy $BUSY%: apple +$a1, pear +$p1 of ~20 in 5 s; they differ by <= 3)" \
	near "$a1" "$p1" 3
check "... and the consumer kept freeing slots (apple + pear = $((a1 + p1)) >= 10)" \
	test $((a1 + p1)) -ge 10
rmdir "$CFG/producers/apple" "$CFG/producers/pear" "$CFG/consumers/eater"
mkinst consumers drain 1000000
check "a fast consumer drains the FIFO" wait_until 2 val_is "$FIFO/count" 0
rmdir "$CFG/consumers/drain"
conserved "after the shared slots"

# --- no burst after a long block ----------------------------------------------------
mkinst producers p 20
check "producer p (20/s) fills the FIFO" wait_until 2 val_is "$FIFO/count" 4
sleep 3
# The window opens once the consumer exists: creating it (and loading its
# module) takes a while on a slow guest, and the FIFO is still full then.
mkinst consumers fast 1000000
measure_rate "after 3 s blocked on a full FIFO a producer resumes at 20/s, no burst" \
	"$SYS/producers/p/produced" 3 20 10
rmdir "$CFG/producers/p"
check "the fast consumer drains the FIFO" wait_until 2 val_is "$FIFO/count" 0
rmdir "$CFG/consumers/fast"

mkinst consumers cs 20
sleep 3
mkinst producers pf 1000000
measure_rate "after 3 s on an empty FIFO a consumer resumes at 20/s, no burst" \
	"$SYS/consumers/cs/consumed" 3 20 10
max_count 10
is "with a fast producer and a slow consumer the count sits at 4" "$MAXC" 4
setv "$CFG/producers/pf/rate" 0
setv "$CFG/consumers/cs/rate" 0
rmdir "$CFG/producers/pf"
rmdir "$CFG/consumers/cs"

# --- equal rates above HZ -----------------------------------------------------------
# Four items are due on each side per tick, so the 4 slots change hands at
# least once a tick; a hold-up of about a tick (the other side's timer, a
# busy machine) is caught up, so the pair moves its full rate.
mkinst consumers even 1000
mkinst producers odd 1000
sleep 1
measure_rate "a producer and a consumer both at 1000/s move 1000/s through 4 slots" \
	"$FIFO/dequeued" 4 1000 5
setv "$CFG/producers/odd/rate" 0
setv "$CFG/consumers/even/rate" 1000000
check "the FIFO drains" wait_until 2 val_is "$FIFO/count" 0
rmdir "$CFG/producers/odd" "$CFG/consumers/even"

# --- no backlog from a slightly slower consumer --------------------------------------
# A 1000/s producer behind a 900/s consumer blocks briefly before almost
# every item. Its schedule may trail by 100 ms at most, so when the
# consumer speeds up, at most about 100 old items come on top of the rate.
mkinst consumers slow 900
mkinst producers q 1000
sleep 4
snap "$SYS/producers/q/produced"
p0=$S_V t0=$S_T
setv "$CFG/consumers/slow/rate" 1000000
sleep 2
snap "$SYS/producers/q/produced"
got=$((S_V - p0)) bound=$(((S_T - t0) * 1050 / 100 + 150))
is "behind a slower consumer a producer builds no backlog ($got items in $(fmt100 $((S_T - t0))) s after it speeds up, at most $bound)" \
	"$((got <= bound))" 1
setv "$CFG/producers/q/rate" 0
setv "$CFG/consumers/slow/rate" 0
sleep 0.2
conserved "at the end"

t_end
