#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# t55-latency: a consumer's put-to-get latency: latency_avg_ns and
# latency_max_ns in sysfs (read-only, 0 before any item, max >= avg > 0
# after items flowed, reset by a rate write) and the debugfs histogram
# (its counts add up to the items in the same window).

. "$(dirname "$0")/lib.sh"
t_begin

C=$SYS/consumers/c
DBG=/sys/kernel/debug
HIST=$DBG/pcfifo/consumers/c/latency_histogram

# hist_total: sum of the histogram's counts into HT; status 1 when a line
# is malformed or a bucket is empty or out of order.
hist_total() {
	HT=$(awk 'NF != 3 || $1 >= $2 || $3 < 1 || $1 < prev { bad = 1 }
		{ n += $3; prev = $2 }
		END { if (bad) exit 1; print n + 0 }' "$HIST") || return 1
}

load_core
mkinst consumers c 1000

for f in latency_avg_ns latency_max_ns; do
	mode_is "sysfs consumers/c/$f is 0444 root" "$C/$f" 444
	bytes_is "consumers/c/$f reads 0 before any item" "$C/$f" '0\n'
	write_err "writing sysfs consumers/c/$f is refused" "$C/$f" '5\n' EACCES
	check "configfs has no $f (a counter, sysfs only)" \
		test ! -e "$CFG/consumers/c/$f"
done

# A slow producer (20/s) feeding a waiting consumer (1000/s): every item
# is taken right after it is put; the latency is the hand-over, well
# below the 50 ms between items even on a loaded TCG guest.
mkinst producers p 20
check "the consumer takes items" wait_until 5 val_ge "$C/consumed" 20
rd "$C/latency_avg_ns"
avg=$R
rd "$C/latency_max_ns"
max=$R
check "latency_avg_ns > 0 after items flowed ($avg)" test "$avg" -gt 0
check "latency_max_ns >= latency_avg_ns ($max >= $avg)" test "$max" -ge "$avg"
check "latency_avg_ns of a waiting consumer is below the 50 ms period ($avg ns)" \
	test "$avg" -lt 50000000

# The histogram, in debugfs.  Stop the producer first so that the window
# is quiet while the files are read.
setv "$CFG/producers/p/rate" 0
sleep 0.2
grep -qw debugfs /proc/mounts || mount -t debugfs none "$DBG" 2>/dev/null
if [ -e "$DBG/pcfifo" ]; then
	mode_is "debugfs consumers/c/latency_histogram is 0444 root" "$HIST" 444
	rd "$C/consumed"
	consumed=$R
	check "the histogram lists buckets lo < hi with counts, in order" hist_total
	is "its counts add up to the items taken ($consumed)" "$HT" "$consumed"
	rd "$C/latency_max_ns"
	max=$R
	last=$(awk 'END { print $1 " " $2 }' "$HIST")
	lo=${last% *}
	hi=${last#* }
	check "latency_max_ns ($max) lies in the highest bucket [$lo, $hi)" \
		test "$lo" -le "$max" -a "$max" -lt "$hi"
else
	skip "debugfs histogram" "no debugfs in this kernel"
fi

# A rate write starts a new window: all back to 0, the histogram empty.
setv "$C/rate" 1000
for f in latency_avg_ns latency_max_ns; do
	bytes_is "a rate write resets consumers/c/$f to 0" "$C/$f" '0\n'
done
if [ -e "$HIST" ]; then
	bytes_is "a rate write empties the histogram" "$HIST" ''
fi
# A refused rate write resets nothing.
setv "$CFG/producers/p/rate" 20
check "items flow again" wait_until 5 val_ge "$C/latency_max_ns" 1
wre "$C/rate" 'abc\n'
check "latency_max_ns survives a refused rate write" val_ge "$C/latency_max_ns" 1

# rmdir takes the debugfs directory with it.
rmdir "$CFG/producers/p" "$CFG/consumers/c"
check "rmdir removes the consumer's debugfs directory" \
	test ! -e "$DBG/pcfifo/consumers/c"

t_end
