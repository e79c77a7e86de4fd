// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: schedule arithmetic for paced instances.
 */

#include <linux/minmax.h>

#include "pace.h"

/**
 * pcfifo_pace_wake - when an instance should wake next
 * @pace: the schedule; its rate must not be 0
 *
 * Return: the due time of the next item, or above PCFIFO_WAKEUP_RATE_MAX
 * the due time of the last item of the next batch, so that a batch is
 * never early: an item is put between its due time and one batch period
 * after it.
 */
u64 pcfifo_pace_wake(const struct pcfifo_pace *pace)
{
	return pcfifo_pace_due_at(pace, (u64)pace->done +
				  pcfifo_pace_batch(pace->rate) - 1);
}

/*
 * How late a wakeup may come so that its timer can share an interrupt with
 * others: a 200th of the period, at least the default timer slack of a
 * task, at most a 32nd of the period. Thousands of instances at a few items
 * a second then take far fewer interrupts than they have timers.
 */
#define PCFIFO_PACE_SLACK_MIN_NS	(50 * NSEC_PER_USEC)

/**
 * pcfifo_pace_slack - how late a wakeup may come at @rate
 * @rate: items per second, not 0
 *
 * Return: a 200th of the period between wakeups, at least 50 us, at most a
 * 32nd of the period.
 */
u64 pcfifo_pace_slack(u32 rate)
{
	u32 wakeups = min_t(u32, rate, PCFIFO_WAKEUP_RATE_MAX);
	/* At most a second: a u32, so that 32-bit kernels divide it too. */
	u32 period = NSEC_PER_SEC / wakeups;

	/* Not clamp(): above 625 wakeups a second the 32nd is the lower. */
	return min_t(u32, max_t(u32, period / 200, PCFIFO_PACE_SLACK_MIN_NS),
		     period / 32);
}

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

/*
 * Longest lag pcfifo_pace_due() looks at: 10^4 s. It keeps its product
 * below 2^64 at PCFIFO_RATE_MAX, and so many items are due then that the
 * cap is what counts.
 */
#define PCFIFO_PACE_LAG_MAX	(10000ULL * NSEC_PER_SEC)

/**
 * pcfifo_pace_due - how many items are due
 * @pace: the schedule; its rate must not be 0
 * @now: current CLOCK_MONOTONIC time in ns
 * @max: cap on the answer
 *
 * Item k of the run is due at epoch + floor(k * NSEC_PER_SEC / rate), so
 * it is due at @now when k * NSEC_PER_SEC < (@now - epoch + 1) * rate: one
 * division for a whole batch.
 *
 * Return: items due at @now and not done yet, at most @max.
 */
unsigned int pcfifo_pace_due(const struct pcfifo_pace *pace, u64 now,
			     unsigned int max)
{
	u64 lag, due;

	if (now < pace->epoch)
		return 0;
	lag = min_t(u64, now - pace->epoch, PCFIFO_PACE_LAG_MAX);
	due = div_u64((lag + 1) * pace->rate + NSEC_PER_SEC - 1, NSEC_PER_SEC);
	if (due <= pace->done)
		return 0;
	return min_t(u64, due - pace->done, max);
}

/**
 * pcfifo_pace_advance - account for items that were due
 * @pace: the schedule; its rate must not be 0
 * @n: how many were done, at most PCFIFO_BATCH_MAX
 * @now: current CLOCK_MONOTONIC time in ns, when they were done
 */
void pcfifo_pace_advance(struct pcfifo_pace *pace, unsigned int n, u64 now)
{
	u32 secs;

	if (!n)
		return;
	pace->last = now;
	pace->done += n;
	if (pace->done >= pace->rate) {
		secs = pace->done / pace->rate;
		pace->epoch += (u64)secs * NSEC_PER_SEC;
		pace->done -= secs * pace->rate;
	}
}
