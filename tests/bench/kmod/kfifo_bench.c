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
 * Loading the module starts a run: the threads start at once, the count
 * starts after @warmup_ms and stops @duration_ms later, then the threads
 * are stopped. The parameter "result" reads "running" until then, and
 * then "done <items> <ns>": items taken by the consumers in that window
 * and its length.
 *
 * By default a full (empty) FIFO puts the producer (consumer) to sleep on
 * a wait queue until the other side moves an item, as pcfifo's instances
 * do. With @spin set it does not sleep: it drops the lock, relaxes, gives
 * way to other tasks if the scheduler asks, and tries again, so no
 * wakeup, cross-CPU or other, is ever on the path of an item.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define BENCH_THREADS_MAX	8
#define BENCH_ITEM_MAX		64	/* as PCFIFO_ITEM_MAX */
#define BENCH_BATCH_MAX		16

/* The same layout as struct pcfifo_item, so that both copy as much. */
struct bench_item {
	u8 len;
	char data[BENCH_ITEM_MAX];
};

static unsigned int threads = 1;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "Producers, and as many consumers, 1..8 (default 1)");

static unsigned int capacity = 32;
module_param(capacity, uint, 0444);
MODULE_PARM_DESC(capacity, "FIFO slots, a power of two 2..65536 (default 32)");

static unsigned int warmup_ms = 500;
module_param(warmup_ms, uint, 0444);
MODULE_PARM_DESC(warmup_ms, "Run before counting, 0..10000 ms (default 500)");

static unsigned int duration_ms = 5000;
module_param(duration_ms, uint, 0444);
MODULE_PARM_DESC(duration_ms, "Counted run, 100..600000 ms (default 5000)");

static unsigned int batch = 1;
module_param(batch, uint, 0444);
MODULE_PARM_DESC(batch, "Most items moved per hold of the lock, 1..16 (default 1)");

static bool spin;
module_param(spin, bool, 0444);
MODULE_PARM_DESC(spin, "Busy-poll a full (empty) FIFO instead of sleeping (default N)");

static DECLARE_KFIFO_PTR(bench_fifo, struct bench_item);
static DEFINE_SPINLOCK(bench_lock);	/* guards bench_fifo */
static DECLARE_WAIT_QUEUE_HEAD(bench_not_full);
static DECLARE_WAIT_QUEUE_HEAD(bench_not_empty);

static struct task_struct *bench_producers[BENCH_THREADS_MAX];
static struct task_struct *bench_consumers[BENCH_THREADS_MAX];
/* Items taken by each consumer; written by it only. */
static u64 bench_taken[BENCH_THREADS_MAX];

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
		pr_info("%u+%u threads, batch %u, capacity %u, %s: %llu items in %llu ns, %llu items/s\n",
			threads, threads, batch, capacity,
			spin ? "spin" : "sleep",
			bench_items, bench_ns,
			div64_u64(bench_items * NSEC_PER_SEC, bench_ns ?: 1));
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

static int __init bench_init(void)
{
	unsigned int i;
	int ret;

	if (threads < 1 || threads > BENCH_THREADS_MAX ||
	    capacity < 2 || capacity > 65536 || !is_power_of_2(capacity) ||
	    batch < 1 || batch > BENCH_BATCH_MAX || batch > capacity ||
	    warmup_ms > 10000 || duration_ms < 100 || duration_ms > 600000)
		return -EINVAL;
	ret = kfifo_alloc(&bench_fifo, capacity, GFP_KERNEL);
	if (ret)
		return ret;

	for (i = 0; i < threads; i++) {
		bench_producers[i] = kthread_create(bench_producer, NULL,
						    "kfifo_bench_p%u", i);
		if (IS_ERR(bench_producers[i])) {
			ret = PTR_ERR(bench_producers[i]);
			bench_producers[i] = NULL;
			goto fail;
		}
		bench_consumers[i] = kthread_create(bench_consumer,
						    &bench_taken[i],
						    "kfifo_bench_c%u", i);
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
	kfifo_free(&bench_fifo);
	return ret;
}

static void __exit bench_exit(void)
{
	cancel_delayed_work_sync(&bench_work);
	bench_stop_threads();
	kfifo_free(&bench_fifo);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("pcfifo benchmark baseline: a spinlocked kfifo driven by kthreads");
MODULE_LICENSE("GPL");
