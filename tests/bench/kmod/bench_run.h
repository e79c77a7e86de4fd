/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_run.h: the run of a benchmark module of tests/bench/kmod, shared
 * by kfifo_bench.c (the baseline) and pcfifo_api_bench.c, so that both
 * drive their FIFO with the same kthreads and count the same way.
 * Included by exactly one file of each module.
 *
 * The module defines, before including this file:
 *	static int bench_producer(void *arg);	(arg: NULL)
 *	static int bench_consumer(void *arg);	(arg: its u64 counter)
 *	static void bench_report(u64 items, u64 ns);	(one pr_info())
 * Each thread runs until kthread_should_stop(); a consumer adds each item
 * it takes to its counter with WRITE_ONCE(). The module's init calls
 * bench_start() once its FIFO is ready, and its exit bench_stop() before
 * it frees the FIFO; @bench_before_stop, if set, runs first, to get
 * threads that sleep where kthread_stop() does not wake them going.
 *
 * A run: the threads start at once, the count starts after @warmup_ms and
 * stops @duration_ms later, then the threads are stopped. The parameter
 * "result" reads "running" until then, and then "done <items> <ns>":
 * items taken by the consumers in that window and its length.
 */
#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#define BENCH_THREADS_MAX	8

static unsigned int threads = 1;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "Producers, and as many consumers, 1..8 (default 1)");

static unsigned int warmup_ms = 500;
module_param(warmup_ms, uint, 0444);
MODULE_PARM_DESC(warmup_ms, "Run before counting, 0..10000 ms (default 500)");

static unsigned int duration_ms = 5000;
module_param(duration_ms, uint, 0444);
MODULE_PARM_DESC(duration_ms, "Counted run, 100..600000 ms (default 5000)");

static struct task_struct *bench_producers[BENCH_THREADS_MAX];
static struct task_struct *bench_consumers[BENCH_THREADS_MAX];
/* Items taken by each consumer; written by it only. */
static u64 bench_taken[BENCH_THREADS_MAX];
static void (*bench_before_stop)(void);

static int bench_producer(void *arg);
static int bench_consumer(void *arg);
static void bench_report(u64 items, u64 ns);

static void bench_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(bench_work, bench_work_fn);

/* Guards the result and the thread pointers once the run has started. */
static DEFINE_MUTEX(bench_mutex);
static bool bench_counting;
static bool bench_done;
static u64 bench_items0;
static u64 bench_t0;
static u64 bench_items;
static u64 bench_ns;

static bool bench_params_ok(void)
{
	return threads >= 1 && threads <= BENCH_THREADS_MAX &&
	       warmup_ms <= 10000 && duration_ms >= 100 &&
	       duration_ms <= 600000;
}

static u64 bench_sum_taken(void)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < threads; i++)
		sum += READ_ONCE(bench_taken[i]);
	return sum;
}

/* With bench_mutex held, or once the work can no longer run. */
static void bench_stop_threads(void)
{
	unsigned int i;

	if (bench_before_stop)
		bench_before_stop();
	for (i = 0; i < BENCH_THREADS_MAX; i++) {
		if (bench_producers[i])
			kthread_stop(bench_producers[i]);
		bench_producers[i] = NULL;
		if (bench_consumers[i])
			kthread_stop(bench_consumers[i]);
		bench_consumers[i] = NULL;
	}
}

/* Runs twice: at the end of the warmup, and at the end of the count. */
static void bench_work_fn(struct work_struct *work)
{
	u64 now = ktime_get_ns();
	u64 items = bench_sum_taken();

	mutex_lock(&bench_mutex);
	if (!bench_counting) {
		bench_counting = true;
		bench_items0 = items;
		bench_t0 = now;
		schedule_delayed_work(&bench_work,
				      msecs_to_jiffies(duration_ms));
	} else {
		bench_items = items - bench_items0;
		bench_ns = now - bench_t0;
		bench_stop_threads();
		bench_done = true;
		bench_report(bench_items, bench_ns);
	}
	mutex_unlock(&bench_mutex);
}

static int bench_result_get(char *buf, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&bench_mutex);
	if (bench_done)
		ret = sysfs_emit(buf, "done %llu %llu\n", bench_items, bench_ns);
	else
		ret = sysfs_emit(buf, "running\n");
	mutex_unlock(&bench_mutex);
	return ret;
}

static const struct kernel_param_ops bench_result_ops = {
	.get = bench_result_get,
};
module_param_cb(result, &bench_result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "\"running\", then \"done <items> <ns>\"");

/* Create and start the threads (named @prefix_p0, @prefix_c0, ...). */
static int bench_start(const char *prefix)
{
	unsigned int i;
	int ret;

	for (i = 0; i < threads; i++) {
		bench_producers[i] = kthread_create(bench_producer, NULL,
						    "%s_p%u", prefix, i);
		if (IS_ERR(bench_producers[i])) {
			ret = PTR_ERR(bench_producers[i]);
			bench_producers[i] = NULL;
			goto fail;
		}
		bench_consumers[i] = kthread_create(bench_consumer,
						    &bench_taken[i],
						    "%s_c%u", prefix, i);
		if (IS_ERR(bench_consumers[i])) {
			ret = PTR_ERR(bench_consumers[i]);
			bench_consumers[i] = NULL;
			goto fail;
		}
	}
	for (i = 0; i < threads; i++) {
		wake_up_process(bench_producers[i]);
		wake_up_process(bench_consumers[i]);
	}
	schedule_delayed_work(&bench_work, msecs_to_jiffies(warmup_ms));
	return 0;

fail:
	bench_stop_threads();
	return ret;
}

/* End the run, if it has not ended: the threads are gone on return. */
static void bench_stop(void)
{
	cancel_delayed_work_sync(&bench_work);
	bench_stop_threads();
}

#endif /* BENCH_RUN_H */
