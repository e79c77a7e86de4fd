// SPDX-License-Identifier: GPL-2.0
/*
 * kfifo_bench: the baseline of pcfifo's benchmark (tests/bench/).
 *
 * A bare kfifo of pcfifo-sized items guarded by a spinlock, driven by
 * @threads producer and @threads consumer kthreads that move items as fast
 * as they can, up to @batch items per hold of the lock: the practical
 * limit of a locked FIFO in this kernel, to compare pcfifo's throughput
 * with. Not part of pcfifo; never installed.
 *
 * Loading the module starts a run (bench_run.h): the threads start at
 * once, the count starts after @warmup_ms and stops @duration_ms later,
 * then the threads are stopped. The parameter "result" reads "running"
 * until then, and then "done <items> <ns>": items taken by the consumers
 * in that window and its length.
 *
 * By default a full (empty) FIFO puts the producer (consumer) to sleep on
 * a wait queue until the other side moves an item, as pcfifo's instances
 * do. With @spin set it does not sleep: it drops the lock, relaxes, gives
 * way to other tasks if the scheduler asks, and tries again, so no
 * wakeup, cross-CPU or other, is ever on the path of an item.
 *
 * With @stamp set, a producer reads the clock (ktime_get_ns()) in each
 * hold of the lock, as pcfifo does to stamp the items it puts: the cost
 * of that read, which depends on the clocksource, can then be told apart.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kfifo.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "bench_run.h"

#define BENCH_ITEM_MAX		64	/* as PCFIFO_ITEM_MAX */
#define BENCH_BATCH_MAX		16

/* The same layout as struct pcfifo_item, so that both copy as much. */
struct bench_item {
	u8 len;
	char data[BENCH_ITEM_MAX];
};

static unsigned int capacity = 32;
module_param(capacity, uint, 0444);
MODULE_PARM_DESC(capacity, "FIFO slots, a power of two 2..65536 (default 32)");

static unsigned int batch = 1;
module_param(batch, uint, 0444);
MODULE_PARM_DESC(batch, "Most items moved per hold of the lock, 1..16 (default 1)");

static bool spin;
module_param(spin, bool, 0444);
MODULE_PARM_DESC(spin, "Busy-poll a full (empty) FIFO instead of sleeping (default N)");

static bool stamp;
module_param(stamp, bool, 0444);
MODULE_PARM_DESC(stamp, "Read the clock in each hold of the lock that puts, as pcfifo stamps items (default N)");

static DECLARE_KFIFO_PTR(bench_fifo, struct bench_item);
static DEFINE_SPINLOCK(bench_lock);	/* guards bench_fifo */
static DECLARE_WAIT_QUEUE_HEAD(bench_not_full);
static DECLARE_WAIT_QUEUE_HEAD(bench_not_empty);
/* The last clock read of @stamp: what pcfifo_put() would stamp items with */
static u64 bench_stamp;

static bool bench_can_put(void)
{
	bool ret;

	spin_lock(&bench_lock);
	ret = !kfifo_is_full(&bench_fifo);
	spin_unlock(&bench_lock);
	return ret;
}

static bool bench_can_get(void)
{
	bool ret;

	spin_lock(&bench_lock);
	ret = !kfifo_is_empty(&bench_fifo);
	spin_unlock(&bench_lock);
	return ret;
}

/*
 * A side that finds the FIFO full (empty) waits for the other to move:
 * busy-polling with @spin (the lock is dropped, the next try takes it
 * again), else asleep on a wait queue. A sleeper queues itself before it
 * checks the FIFO under the lock, and the other side looks for waiters
 * under the same lock after its move: either the check sees the move or
 * the mover sees the waiter.
 */
static void bench_wait(struct wait_queue_head *wq, bool (*ready)(void))
{
	if (spin)
		cpu_relax();
	else
		wait_event_interruptible(*wq, ready() || kthread_should_stop());
}

static int bench_producer(void *arg)
{
	struct bench_item items[BENCH_BATCH_MAX];
	unsigned int i, n;

	for (i = 0; i < batch; i++) {
		items[i].len = 5;
		memcpy(items[i].data, "bench", 5);
	}
	while (!kthread_should_stop()) {
		spin_lock(&bench_lock);
		if (stamp)
			WRITE_ONCE(bench_stamp, ktime_get_ns());
		n = kfifo_in(&bench_fifo, items, batch);
		/* Waiters queue themselves before checking under bench_lock. */
		if (n && waitqueue_active(&bench_not_empty))
			wake_up(&bench_not_empty);
		spin_unlock(&bench_lock);
		if (!n)
			bench_wait(&bench_not_full, bench_can_put);
		cond_resched();
	}
	return 0;
}

static int bench_consumer(void *arg)
{
	struct bench_item items[BENCH_BATCH_MAX];
	u64 *taken = arg;
	unsigned int n;

	while (!kthread_should_stop()) {
		spin_lock(&bench_lock);
		n = kfifo_out(&bench_fifo, items, batch);
		/* Waiters queue themselves before checking under bench_lock. */
		if (n && waitqueue_active(&bench_not_full))
			wake_up(&bench_not_full);
		spin_unlock(&bench_lock);
		if (n)
			WRITE_ONCE(*taken, *taken + n);
		else
			bench_wait(&bench_not_empty, bench_can_get);
		cond_resched();
	}
	return 0;
}

static void bench_report(u64 items, u64 ns)
{
	pr_info("%u+%u threads, batch %u, capacity %u, %s%s: %llu items in %llu ns, %llu items/s\n",
		threads, threads, batch, capacity, spin ? "spin" : "sleep",
		stamp ? ", stamp" : "", items, ns,
		div64_u64(items * NSEC_PER_SEC, ns ?: 1));
}

static int __init bench_init(void)
{
	int ret;

	if (!bench_params_ok() ||
	    capacity < 2 || capacity > 65536 || !is_power_of_2(capacity) ||
	    batch < 1 || batch > BENCH_BATCH_MAX || batch > capacity)
		return -EINVAL;
	ret = kfifo_alloc(&bench_fifo, capacity, GFP_KERNEL);
	if (ret)
		return ret;
	ret = bench_start("kfifo_bench");
	if (ret)
		kfifo_free(&bench_fifo);
	return ret;
}

static void __exit bench_exit(void)
{
	bench_stop();
	kfifo_free(&bench_fifo);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("pcfifo benchmark baseline: a spinlocked kfifo driven by kthreads");
MODULE_LICENSE("GPL");
