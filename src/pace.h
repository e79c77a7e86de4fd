/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Absolute-deadline pacing: item n of a run is due at epoch + n / rate.
 * Deadlines never accumulate rounding error, so the long-run rate is exact
 * however late each wakeup is.
 */
#ifndef PCFIFO_PACE_H
#define PCFIFO_PACE_H

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

/**
 * struct pcfifo_pace - the schedule of one instance
 * @rate: items per second; 0 pauses
 * @done: items done since @epoch; kept below @rate because @epoch moves on
 *	by one second every @rate items, which bounds done * NSEC_PER_SEC
 * @epoch: due time of item 0 of this run (ns of CLOCK_MONOTONIC)
 * @last: when the last item was done (not when it was due, which lags
 *	after short stalls); 0 before the first
 */
struct pcfifo_pace {
	u32 rate;
	u32 done;
	u64 epoch;
	u64 last;
};

/*
 * Highest rate at which every item has a wakeup of its own, at its due
 * time. Above it an instance wakes PCFIFO_WAKEUP_RATE_MAX times a second
 * and moves pcfifo_pace_batch() items each time: one wakeup costs a timer
 * interrupt and a work item (a few microseconds), which at 100 us periods
 * becomes most of the CPU the items themselves take.
 */
#define PCFIFO_WAKEUP_RATE_MAX	10000

/* Items one wakeup moves at @rate: 1 up to PCFIFO_WAKEUP_RATE_MAX. */
static inline u32 pcfifo_pace_batch(u32 rate)
{
	return rate <= PCFIFO_WAKEUP_RATE_MAX ? 1 :
	       DIV_ROUND_UP(rate, PCFIFO_WAKEUP_RATE_MAX);
}

/* Due time of item @n of the run; only meaningful while @pace->rate != 0. */
static inline u64 pcfifo_pace_due_at(const struct pcfifo_pace *pace, u64 n)
{
	return pace->epoch + div_u64(n * NSEC_PER_SEC, pace->rate);
}

/* Due time of the next item; only meaningful while @pace->rate != 0. */
static inline u64 pcfifo_pace_next(const struct pcfifo_pace *pace)
{
	return pcfifo_pace_due_at(pace, pace->done);
}

u64 pcfifo_pace_wake(const struct pcfifo_pace *pace);
u64 pcfifo_pace_slack(u32 rate);
void pcfifo_pace_set_rate(struct pcfifo_pace *pace, u32 rate, u64 now);
void pcfifo_pace_restart(struct pcfifo_pace *pace, u64 epoch);
unsigned int pcfifo_pace_due(const struct pcfifo_pace *pace, u64 now,
			     unsigned int max);
void pcfifo_pace_advance(struct pcfifo_pace *pace, unsigned int n, u64 now);

#endif /* PCFIFO_PACE_H */
