/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Absolute-deadline pacing: item n of a run is due at epoch + n / rate.
 * Deadlines never accumulate rounding error, so the long-run rate is exact
 * however late each wakeup is.
 */
#ifndef PCFIFO_PACE_H
#define PCFIFO_PACE_H

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

/* Due time of the next item; only meaningful while @pace->rate != 0. */
static inline u64 pcfifo_pace_next(const struct pcfifo_pace *pace)
{
	return pace->epoch + div_u64((u64)pace->done * NSEC_PER_SEC, pace->rate);
}

void pcfifo_pace_set_rate(struct pcfifo_pace *pace, u32 rate, u64 now);
void pcfifo_pace_restart(struct pcfifo_pace *pace, u64 epoch);
unsigned int pcfifo_pace_due(const struct pcfifo_pace *pace, u64 now,
			     unsigned int max);
void pcfifo_pace_advance(struct pcfifo_pace *pace, unsigned int n, u64 now);

#endif /* PCFIFO_PACE_H */
