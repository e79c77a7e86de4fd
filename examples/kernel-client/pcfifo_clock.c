// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_clock: an example of a module that uses pcfifo's kernel API.
 *
 * A kernel thread puts the time of day ("HH:MM:SS", UTC) into a pcfifo FIFO
 * once a second:
 *
 *   modprobe pcfifo_clock                    # into the FIFO "default"
 *   modprobe pcfifo_clock fifo=NAME interval_ms=500
 *   cat /dev/pcfifo/default                  # 12:00:01, 12:00:02, ...
 *
 * The module holds the FIFO from load to unload (pcfifo_lookup() until
 * pcfifo_release()): meanwhile rmdir of the FIFO fails with EBUSY. As it
 * calls pcfifo's functions, pcfifo cannot be unloaded before it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/time.h>
#include <linux/timekeeping.h>

#include "pcfifo.h"

static char *fifo = PCFIFO_DEFAULT_NAME;
module_param(fifo, charp, 0444);
MODULE_PARM_DESC(fifo, "Name of the FIFO to put the time into (default \""
		 PCFIFO_DEFAULT_NAME "\")");

static unsigned int interval_ms = 1000;
module_param(interval_ms, uint, 0444);
MODULE_PARM_DESC(interval_ms, "Milliseconds between two items, 1..60000 (default 1000)");

static struct pcfifo *clock_fifo;
static struct task_struct *clock_task;

static int clock_thread(void *unused)
{
	unsigned long interval = msecs_to_jiffies(interval_ms);
	char item[sizeof("HH:MM:SS")];
	struct tm tm;
	int len, ret;

	while (!kthread_should_stop()) {
		time64_to_tm(ktime_get_real_seconds(), 0, &tm);
		len = scnprintf(item, sizeof(item), "%02d:%02d:%02d",
				tm.tm_hour, tm.tm_min, tm.tm_sec);
		/*
		 * Sleeps while the FIFO is full, but for one interval at most:
		 * kthread_stop() does not end this wait, so the loop must come
		 * back to kthread_should_stop() now and then. Nobody made room
		 * for this item in time: it is dropped, and the next one has
		 * the current time.
		 */
		ret = pcfifo_enqueue_timeout(clock_fifo, item, len, interval);
		if (ret == -ETIMEDOUT)
			continue;
		if (ret)
			pr_warn_ratelimited("cannot put an item: %d\n", ret);
		/* kthread_stop() wakes this sleep up. */
		schedule_timeout_interruptible(interval);
	}
	return 0;
}

static int __init clock_init(void)
{
	if (!interval_ms || interval_ms > 60000) {
		pr_err("interval_ms=%u: must be 1..60000\n", interval_ms);
		return -EINVAL;
	}
	clock_fifo = pcfifo_lookup(fifo);
	if (IS_ERR(clock_fifo)) {
		pr_err("no FIFO named \"%s\" (mkdir /sys/kernel/config/pcfifo/fifos/NAME makes one)\n",
		       fifo);
		return PTR_ERR(clock_fifo);
	}
	clock_task = kthread_run(clock_thread, NULL, "pcfifo_clock");
	if (IS_ERR(clock_task)) {
		pcfifo_release(clock_fifo);
		return PTR_ERR(clock_task);
	}
	pr_info("putting the time into FIFO \"%s\" every %u ms\n", fifo,
		interval_ms);
	return 0;
}
module_init(clock_init);

static void __exit clock_exit(void)
{
	kthread_stop(clock_task);
	pcfifo_release(clock_fifo);
}
module_exit(clock_exit);

MODULE_DESCRIPTION("pcfifo example: puts the time of day into a FIFO once a second");
MODULE_AUTHOR("The pcfifo developers");
MODULE_LICENSE("GPL");
