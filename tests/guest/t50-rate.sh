#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t50-rate: measured rates.  A producer into a fast consumer, a consumer
# limited by its own rate, rates above HZ (250 on these kernels), a rate
# change taking effect at once, rate 0 pausing, and the bookkeeping
# (enqueued = dequeued + count, sums of produced/consumed) at the end.
#
# Windows are sized so that one item of jitter is well inside the
# tolerance (5% at >= 500 items per window).

. "$(dirname "$0")/lib.sh"
t_begin

load_core
PS=$SYS/producers/src
SINK=$SYS/consumers/sink
SLOW=$SYS/consumers/slow

# count_ok: the FIFO count is within its capacity.
count_ok() {
	rd "$FIFO/count" && [ "$R" -ge 0 ] && [ "$R" -le 32 ]
}

# --- producer alone into a fast consumer ---------------------------------------
mkinst consumers sink 1000000
mkinst producers src 100
sleep 0.5
snap "$PS/produced"
p0=$S_V t0=$S_T
snap "$SINK/consumed"
c0=$S_V tc0=$S_T
sleep 5
snap "$PS/produced"
p1=$S_V t1=$S_T
snap "$SINK/consumed"
c1=$S_V tc1=$S_T
rate_near "producer at rate 100 into a fast consumer" $((p1 - p0)) $((t1 - t0)) 100 5
rate_near "the fast consumer keeps up at 100/s" $((c1 - c0)) $((tc1 - tc0)) 100 5
check "fifo count stays within capacity" count_ok

setv "$CFG/producers/src/rate" 1000
sleep 0.3
measure_rate "producer at rate 1000" "$PS/produced" 3 1000 5
setv "$CFG/producers/src/rate" 2000
sleep 0.3
measure_rate "producer at rate 2000 (above HZ)" "$PS/produced" 3 2000 5
measure_rate "the fast consumer keeps up at 2000/s" "$SINK/consumed" 2 2000 5
check "fifo count stays within capacity at 2000/s" count_ok

# --- rate 0 pauses, rate change takes effect at once ------------------------------
setv "$CFG/producers/src/rate" 0
sleep 0.3
rd "$PS/produced"
frozen=$R
rd "$SINK/consumed"
cfrozen=$R
sleep 1.5
bytes_is "rate 0: produced stays frozen for 1.5 s" "$PS/produced" "$frozen\\n"
bytes_is "rate 0: the consumer, starved, stays frozen too" "$SINK/consumed" "$cfrozen\\n"
rd "$FIFO/count"
is "rate 0: the fast consumer emptied the FIFO" "$R" 0

# 0 -> 1 after a long pause: the next item is due at max(now, last + 1 s),
# i.e. now, not a second later.
rd "$PS/produced"
p0=$R
now_cs
t0=$NOW
setv "$CFG/producers/src/rate" 1
wait_cs 100 val_ge "$PS/produced" $((p0 + 1))
is "rate 0 -> 1 after a pause: the first item comes at once ($(fmt100 $((NOW - t0))) s < 0.3 s)" \
	"$(((NOW - t0) < 30))" 1
sleep 1
# 1 -> 500: the next item is due at once; over the next second ~500 items.
snap "$PS/produced"
p0=$S_V t0=$S_T
wr "$SYS/producers/src/rate" 500
sleep 1
snap "$PS/produced"
rate_near "rate 1 -> 500 (via sysfs) shows within a second" \
	$((S_V - p0)) $((S_T - t0)) 500 10
setv "$CFG/producers/src/rate" 200
sleep 0.2
measure_rate "rate 500 -> 200 takes effect" "$PS/produced" 2 200 5
# 200 -> 1: the next item is due one second after the last one, so nothing
# comes for most of that second, then the item does. Judged by the clock
# (sleep(1) may take far longer than asked on a slow guest): polling can
# only make the item seen late, never early.
now_cs
t0=$NOW
setv "$CFG/producers/src/rate" 1
rd "$PS/produced"
p0=$R
if wait_cs 300 val_ge "$PS/produced" $((p0 + 1)); then
	dt=$((NOW - t0))
	is "rate 200 -> 1: no item in the 0.7 s after the change (next after $(fmt100 "$dt") s)" \
		"$((dt >= 70))" 1
	is "rate 200 -> 1: the next item comes about 1 s after the change ($(fmt100 "$dt") s <= 2 s)" \
		"$((dt <= 200))" 1
else
	nok "rate 200 -> 1: the next item comes about 1 s after the change (none in 3 s)"
fi

# --- a consumer limited by its own rate --------------------------------------------
setv "$CFG/consumers/sink/rate" 0
setv "$CFG/producers/src/rate" 1000000
mkinst consumers slow 100
sleep 0.5
check "the FIFO is full while the consumer is slower (count = 32)" \
	wait_until 2 val_is "$FIFO/count" 32
measure_rate "consumer at rate 100 (producer waiting on a full FIFO)" \
	"$SLOW/consumed" 5 100 5
check "fifo count stays within capacity" count_ok
setv "$CFG/consumers/slow/rate" 2000
sleep 0.3
measure_rate "consumer at rate 2000 (above HZ)" "$SLOW/consumed" 3 2000 5
bytes_is "the consumer's last_item is the producer's item" "$SLOW/last_item" 'src\n'

# --- two producers, one consumer ----------------------------------------------------
setv "$CFG/producers/src/rate" 300
setv "$CFG/consumers/slow/rate" 1000000
mkinst producers two 200
sleep 0.5
measure_rate "two producers (300 + 200) into one consumer give 500/s" \
	"$SLOW/consumed" 3 500 5

# --- bookkeeping at a quiet moment -------------------------------------------------
setv "$CFG/producers/src/rate" 0
setv "$CFG/producers/two/rate" 0
setv "$CFG/consumers/slow/rate" 0
sleep 0.3
rd "$FIFO/enqueued"
enq=$R
rd "$FIFO/dequeued"
deq=$R
rd "$FIFO/count"
cnt=$R
rd "$PS/produced"
sp=$R
rd "$SYS/producers/two/produced"
tp=$R
rd "$SINK/consumed"
sc=$R
rd "$SLOW/consumed"
lc=$R
diag "enqueued $enq dequeued $deq count $cnt; produced $sp+$tp; consumed $sc+$lc"
is "enqueued = dequeued + count" "$enq" $((deq + cnt))
is "enqueued = sum of produced" "$enq" $((sp + tp))
is "dequeued = sum of consumed" "$deq" $((sc + lc))
check "more than 10000 items went through" test "$enq" -gt 10000

t_end
