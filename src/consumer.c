// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_consumer: takes items out of its pcfifo FIFO at its rate.
 *
 * Instances come from mkdir in /sys/kernel/config/pcfifo/consumers, or one
 * from the module parameter: modprobe pcfifo_consumer rate=N.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "pcfifo.h"
#include "version.h"

/*
 * Latency histogram: exact buckets of 1 ns below 16 ns, then 8 buckets per
 * power of two (each at most 12.5% of its lower bound wide), and one last
 * bucket for 2^40 ns (about 18 minutes) and more.
 */
#define LAT_SUB_BITS	3
#define LAT_EXACT	(2U << LAT_SUB_BITS)	/* 16 */
#define LAT_TOP_BIT	40
#define LAT_BUCKETS	(LAT_EXACT + ((LAT_TOP_BIT - LAT_SUB_BITS - 1) << \
						LAT_SUB_BITS) + 1)

/* Items taken per acquisition of the FIFO's lock. */
#define CONSUMER_CHUNK	32

/**
 * struct pcfifo_consumer - a consumer instance
 * @inst: the core's part; @inst.lock protects the fields below
 * @last: the last item taken, valid once @consumed is not 0
 * @consumed: items taken
 * @lat_items: items in the latency window (since the rate was last set)
 * @lat_sum: sum of their put-to-get latencies, ns
 * @lat_max: the largest of them, ns
 * @lat_hist: their latencies by bucket, see lat_bucket()
 */
struct pcfifo_consumer {
	struct pcfifo_instance inst;
	struct pcfifo_item last;
	u64 consumed;
	u64 lat_items;
	u64 lat_sum;
	u64 lat_max;
	u64 lat_hist[LAT_BUCKETS];
};

static struct pcfifo_consumer *to_consumer(struct pcfifo_instance *inst)
{
	return container_of(inst, struct pcfifo_consumer, inst);
}

static unsigned int lat_bucket(u64 ns)
{
	unsigned int bit;

	if (ns < LAT_EXACT)
		return ns;
	bit = fls64(ns) - 1;
	if (bit >= LAT_TOP_BIT)
		return LAT_BUCKETS - 1;
	return LAT_EXACT + ((bit - LAT_SUB_BITS - 1) << LAT_SUB_BITS) +
	       ((ns >> (bit - LAT_SUB_BITS)) & ((1U << LAT_SUB_BITS) - 1));
}

/* Lowest latency in bucket @i. */
static u64 lat_bucket_low(unsigned int i)
{
	unsigned int sub, bit;

	if (i < LAT_EXACT)
		return i;
	sub = (i - LAT_EXACT) & ((1U << LAT_SUB_BITS) - 1);
	bit = ((i - LAT_EXACT) >> LAT_SUB_BITS) + LAT_SUB_BITS + 1;
	return (u64)((1U << LAT_SUB_BITS) + sub) << (bit - LAT_SUB_BITS);
}

static ssize_t consumer_show_u64(struct pcfifo_instance *inst, char *buf,
				 size_t offset)
{
	u64 val;

	spin_lock_bh(&inst->lock);
	val = *(u64 *)((char *)to_consumer(inst) + offset);
	spin_unlock_bh(&inst->lock);
	return sysfs_emit(buf, "%llu\n", val);
}

static ssize_t consumer_consumed_show(struct pcfifo_instance *inst, char *buf)
{
	return consumer_show_u64(inst, buf,
				 offsetof(struct pcfifo_consumer, consumed));
}

static ssize_t consumer_latency_max_ns_show(struct pcfifo_instance *inst,
					    char *buf)
{
	return consumer_show_u64(inst, buf,
				 offsetof(struct pcfifo_consumer, lat_max));
}

/* 0 until the window holds an item. */
static ssize_t consumer_latency_avg_ns_show(struct pcfifo_instance *inst,
					    char *buf)
{
	struct pcfifo_consumer *c = to_consumer(inst);
	u64 avg = 0;

	spin_lock_bh(&inst->lock);
	if (c->lat_items)
		avg = div64_u64(c->lat_sum, c->lat_items);
	spin_unlock_bh(&inst->lock);
	return sysfs_emit(buf, "%llu\n", avg);
}

/*
 * Empty until the first item is taken.  The item's bytes are copied, not
 * formatted: an item may hold NULs (record framing, the kernel API).
 */
static ssize_t consumer_last_item_show(struct pcfifo_instance *inst,
				       char *buf)
{
	struct pcfifo_consumer *c = to_consumer(inst);
	ssize_t ret = 0;

	BUILD_BUG_ON(PCFIFO_ITEM_MAX + 1 > PAGE_SIZE);
	spin_lock_bh(&inst->lock);
	if (c->consumed) {
		memcpy(buf, c->last.data, c->last.len);
		buf[c->last.len] = '\n';
		ret = c->last.len + 1;
	}
	spin_unlock_bh(&inst->lock);
	return ret;
}

PCFIFO_INSTANCE_ATTR_RW(pcfifo_instance, rate);
PCFIFO_INSTANCE_ATTR_RW(pcfifo_instance, fifo);
PCFIFO_INSTANCE_ATTR_RO(consumer, consumed);
PCFIFO_INSTANCE_ATTR_RO(consumer, last_item);
PCFIFO_INSTANCE_ATTR_RO(consumer, latency_avg_ns);
PCFIFO_INSTANCE_ATTR_RO(consumer, latency_max_ns);

static struct configfs_attribute *consumer_cfs_attrs[] = {
	&pcfifo_instance_cfs_attr_rate,
	&pcfifo_instance_cfs_attr_fifo,
	NULL
};

static struct attribute *consumer_attrs[] = {
	&pcfifo_instance_attr_rate.attr,
	&pcfifo_instance_attr_fifo.attr,
	&consumer_attr_consumed.attr,
	&consumer_attr_last_item.attr,
	&consumer_attr_latency_avg_ns.attr,
	&consumer_attr_latency_max_ns.attr,
	NULL
};
ATTRIBUTE_GROUPS(consumer);

/*
 * debugfs: latency_histogram, "<low> <high> <count>" per non-empty bucket.
 * Formatted from a copy: the lock, which keeps bottom halves off, is held
 * for the copy only.
 */
static int latency_histogram_show(struct seq_file *m, void *v)
{
	struct pcfifo_consumer *c = m->private;
	unsigned int i;
	u64 *hist, high;

	hist = kmalloc(sizeof(c->lat_hist), GFP_KERNEL);
	if (!hist)
		return -ENOMEM;
	spin_lock_bh(&c->inst.lock);
	memcpy(hist, c->lat_hist, sizeof(c->lat_hist));
	spin_unlock_bh(&c->inst.lock);
	for (i = 0; i < LAT_BUCKETS; i++) {
		if (!hist[i])
			continue;
		high = i + 1 < LAT_BUCKETS ? lat_bucket_low(i + 1) : U64_MAX;
		seq_printf(m, "%llu %llu %llu\n", lat_bucket_low(i), high,
			   hist[i]);
	}
	kfree(hist);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(latency_histogram);

static void consumer_debugfs(struct pcfifo_instance *inst, struct dentry *dir)
{
	debugfs_create_file("latency_histogram", 0444, dir, to_consumer(inst),
			    &latency_histogram_fops);
}

/* the role */

/* A new rate starts a new latency window. */
static void consumer_rate_set(struct pcfifo_instance *inst)
{
	struct pcfifo_consumer *c = to_consumer(inst);

	lockdep_assert_held(&inst->lock);
	c->lat_items = 0;
	c->lat_sum = 0;
	c->lat_max = 0;
	memset(c->lat_hist, 0, sizeof(c->lat_hist));
}

static unsigned int consumer_step(struct pcfifo_instance *inst,
				  unsigned int n)
{
	struct pcfifo_consumer *c = to_consumer(inst);
	u64 stamps[CONSUMER_CHUNK], now, lat;
	unsigned int done = 0, want, got, i;

	lockdep_assert_held(&inst->lock);
	do {
		want = min_t(unsigned int, n - done, CONSUMER_CHUNK);
		got = pcfifo_get_many(inst->fifo, want, stamps, &c->last,
				      &inst->wait);
		if (!got)
			break;
		now = ktime_get_ns();
		for (i = 0; i < got; i++) {
			/* 0: put while no instance used the FIFO; unknown. */
			if (!stamps[i])
				continue;
			/* Stamped before it was put, so never after now. */
			lat = now - min(now, stamps[i]);
			c->lat_sum += lat;
			c->lat_max = max(c->lat_max, lat);
			c->lat_hist[lat_bucket(lat)]++;
			c->lat_items++;
		}
		c->consumed += got;
		done += got;
	} while (got == want && done < n);
	return done;
}

static struct pcfifo_role consumer_role = {
	.kind = PCFIFO_CONSUMER,
	.owner = THIS_MODULE,
	.instance_size = sizeof(struct pcfifo_consumer),
	.cfs_attrs = consumer_cfs_attrs,
	.sysfs_groups = consumer_groups,
	.step = consumer_step,
	.rate_set = consumer_rate_set,
	.debugfs = consumer_debugfs,
};

/* module parameter: the original lab's "insmod consumer rate=N" */

static struct pcfifo_rate_param param_rate = { .rate = PCFIFO_RATE_DEFAULT };
module_param_cb(rate, &pcfifo_rate_param_ops, &param_rate, 0444);
MODULE_PARM_DESC(rate, "Start a consumer \"" PCFIFO_PARAM_INSTANCE
		 "\" at this rate, 0.." __stringify(PCFIFO_RATE_MAX)
		 " items/s (default " __stringify(PCFIFO_RATE_DEFAULT) ")");

static int __init pcfifo_consumer_init(void)
{
	return pcfifo_role_register(&consumer_role, param_rate.set,
				    param_rate.rate, NULL);
}

static void __exit pcfifo_consumer_exit(void)
{
	pcfifo_role_unregister(&consumer_role);
}

module_init(pcfifo_consumer_init);
module_exit(pcfifo_consumer_exit);

MODULE_DESCRIPTION("pcfifo consumer role: takes items at a configured rate");
MODULE_AUTHOR("The pcfifo developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCFIFO_VERSION);
