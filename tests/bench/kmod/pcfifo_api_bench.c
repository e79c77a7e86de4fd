// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_api_bench: pcfifo's blocking kernel API under the kthreads of the
 * baseline (kfifo_bench.c), for pcfifo's benchmark (tests/bench/).
 *
 * @threads producer kthreads put items with pcfifo_enqueue() and @threads
 * consumer kthreads take them with pcfifo_dequeue(), as fast as they can,
 * on the FIFO named @fifo (pcfifo_lookup()): one item per call, sleeping
 * in the FIFO's queues when it is full (empty). No instance paces
 * anything. The items are the baseline's, 5 bytes. Not part of pcfifo;
 * never installed.
 *
 * Loading the module starts a run, as kfifo_bench's (bench_run.h); the
 * parameter "result" gives its outcome. pcfifo_enqueue() and
 * pcfifo_dequeue() sleep interruptibly, where kthread_stop() does not
 * wake them: the threads accept SIGINT, which the end of the run sends to
 * each before it stops it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sched/signal.h>

#include "bench_run.h"
#include "pcfifo.h"

static char *fifo_name = PCFIFO_DEFAULT_NAME;
module_param_named(fifo, fifo_name, charp, 0444);
MODULE_PARM_DESC(fifo, "Name of the pcfifo FIFO to use (default \"default\")");

static struct pcfifo *bench_fifo;

static int bench_producer(void *arg)
{
	allow_signal(SIGINT);
	/* After SIGINT each call fails at once unless it can move. */
	while (!kthread_should_stop()) {
		pcfifo_enqueue(bench_fifo, "bench", 5);
		cond_resched();
	}
	return 0;
}

static int bench_consumer(void *arg)
{
	char buf[PCFIFO_ITEM_MAX];
	u64 *taken = arg;

	allow_signal(SIGINT);
	while (!kthread_should_stop()) {
		if (pcfifo_dequeue(bench_fifo, buf, sizeof(buf)) > 0)
			WRITE_ONCE(*taken, *taken + 1);
		cond_resched();
	}
	return 0;
}

/* Interrupt every thread's wait, so that kthread_stop() ends it. */
static void bench_interrupt(void)
{
	unsigned int i;

	for (i = 0; i < BENCH_THREADS_MAX; i++) {
		if (bench_producers[i])
			send_sig(SIGINT, bench_producers[i], 1);
		if (bench_consumers[i])
			send_sig(SIGINT, bench_consumers[i], 1);
	}
}

static void bench_report(u64 items, u64 ns)
{
	pr_info("%u+%u threads, FIFO %s: %llu items in %llu ns, %llu items/s\n",
		threads, threads, fifo_name, items, ns,
		div64_u64(items * NSEC_PER_SEC, ns ?: 1));
}

static int __init bench_init(void)
{
	int ret;

	if (!bench_params_ok())
		return -EINVAL;
	bench_fifo = pcfifo_lookup(fifo_name);
	if (IS_ERR(bench_fifo))
		return PTR_ERR(bench_fifo);
	bench_before_stop = bench_interrupt;
	ret = bench_start("pcfifo_apib");
	if (ret)
		pcfifo_release(bench_fifo);
	return ret;
}

static void __exit bench_exit(void)
{
	bench_stop();
	pcfifo_release(bench_fifo);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("pcfifo benchmark: the blocking kernel API driven by kthreads");
MODULE_LICENSE("GPL");
