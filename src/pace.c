// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: schedule arithmetic for paced instances.
 */

#include <linux/minmax.h>

#include "pace.h"

/**
 * pcfifo_pace_set_rate - change the rate, effective at once
 * @pace: the schedule
 * @rate: new rate in items per second, 0 to pause
 * @now: current CLOCK_MONOTONIC time in ns
 *
 * The next item is due one new period after the last one was done, or now
 * if that is already past: a faster rate applies at once, and rewriting the
 * same rate does not squeeze in an extra item. Measured from when it was
 * done, not when it was due, so a schedule that fell behind in short
 * stalls cannot pull the next item early.
 */
void pcfifo_pace_set_rate(struct pcfifo_pace *pace, u32 rate, u64 now)
{
	pace->rate = rate;
	if (!rate)
		return;
	pace->epoch = now;
	if (pace->last)
		pace->epoch = max(now, pace->last + div_u64(NSEC_PER_SEC, rate));
	pace->done = 0;
}

/**
 * pcfifo_pace_restart - start a new run
 * @pace: the schedule
 * @epoch: due time of its first item (ns of CLOCK_MONOTONIC)
 *
 * Used after a stall, so that time spent blocked is not made up in a burst.
 */
void pcfifo_pace_restart(struct pcfifo_pace *pace, u64 epoch)
{
	pace->epoch = epoch;
	pace->done = 0;
}

/**
 * pcfifo_pace_advance - account for the item that was due
 * @pace: the schedule; its rate must not be 0
 * @now: current CLOCK_MONOTONIC time in ns, when the item was done
 */
void pcfifo_pace_advance(struct pcfifo_pace *pace, u64 now)
{
	pace->last = now;
	if (++pace->done == pace->rate) {
		pace->epoch += NSEC_PER_SEC;
		pace->done = 0;
	}
}
